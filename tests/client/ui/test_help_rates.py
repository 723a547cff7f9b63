"""The rates of the help pages come from the tariffs the server serves, never from the pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from client.api.client import ImaginClient
from client.ui.help import rates, topics
from client.ui.help.pane import HelpPane
from client.ui.tasks import TaskRunner
from server_stub.rules.tariffs import (
    TARIFF_FILES,
    NoTariffInForceError,
    packaged_tariffs,
    tariff_snapshot,
)
from tests.client.ui.conftest import Intervenant, log_in_as

# A number written as money: followed by the euro sign, or with decimals after a comma.
_MONEY = re.compile(r"(\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?)\s*€|(\d+,\d+)")
_TAG = re.compile(r"<[^>]+>")


def tariff_amounts() -> set[Decimal]:
    """Every amount of every version of every tariff file."""
    tariffs = packaged_tariffs()
    days = {
        version.info.valid_from
        for stem in TARIFF_FILES
        if stem != "documents"
        for version in getattr(tariffs, stem)
    }
    amounts: set[Decimal] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and re.fullmatch(r"\d+\.\d+", node):
            amounts.add(Decimal(node))

    for day in days:
        try:
            walk(tariff_snapshot(day))
        except NoTariffInForceError:
            continue
    return amounts


def written_amounts(page: str) -> set[Decimal]:
    text = _TAG.sub("|", rates.PLACEHOLDER.sub(" ", page))  # a cell ends at its tag
    found = set()
    for match in _MONEY.finditer(text):
        written = match[1] or match[2]
        found.add(Decimal(re.sub(r"[ \u00a0\u202f]", "", written).replace(",", ".")))
    return found


def test_no_help_page_writes_a_rate_of_the_tariffs() -> None:
    amounts = tariff_amounts()
    assert {Decimal("5.00"), Decimal("20.00"), Decimal("0.32"), Decimal("15.25")} <= amounts
    pages = dict(zip([*topics.available_topics(), "guide"], topics.all_pages(), strict=True))
    written = {name: written_amounts(page) & amounts for name, page in pages.items()}
    assert not any(written.values()), {name: found for name, found in written.items() if found}


def test_the_check_sees_a_rate_written_by_hand() -> None:
    assert written_amounts("<td>0,75</td> un repas à 20 € ; {{meals.rate}}") == {
        Decimal("0.75"),
        Decimal("20"),
    }


def test_every_placeholder_resolves_against_the_served_tariffs(
    api: ImaginClient, intervenant: Intervenant
) -> None:
    log_in_as(api, intervenant.user)
    pages = topics.all_pages()
    book = rates.load(api.tariffs, pages)
    assert book.on.keys() == {dt.date(2019, 3, 1), dt.date(2020, 1, 1)}
    placeholders = [match for page in pages for match in rates.PLACEHOLDER.finditer(page)]
    assert len(placeholders) > 40
    for match in placeholders:
        assert book.render(match), match[0]
    for page in pages:
        filled = rates.fill(page, book)
        assert "{{" not in filled and rates.FALLBACK not in filled
    nights = rates.fill(topics.topic_html("statement.nights") or "", book).replace("\u00a0", " ")
    assert "<td>90,00 €</td>" in nights and "70,00 €, 90,00 €, 110,00 € et" in nights
    assert "Du 01/03/2019 au 21/09/2023" in nights


def test_a_computed_example_follows_the_tariffs() -> None:
    snapshot = tariff_snapshot(dt.date(2026, 7, 1))
    snapshot["vacations"]["copy_rates"]["5"] = "5.50"
    book = rates.RateBook(today=snapshot, on={})
    copies = rates.fill(topics.topic_html("statement.service.copies") or "", book)
    assert "42 copies × 5,50\u00a0€ = <b>231,00\u00a0€</b>" in copies


@pytest.mark.parametrize(
    ("placeholder", "text"),
    [
        ("{{meals.rate*meals.administrative_restaurant_factor}}", "10,00\u00a0€"),
        ("{{meals.valid_from|date}}", "22/09/2023"),
        ("{{vacations.optional_oral_factor|percent}}", "75\u00a0%"),
        ("{{kilometric.car_classes.2.rates.0|number}}", "0,45"),
        ("{{kilometric.max_km_per_day|int}}", "2\u202f000"),
        ("{{meals.nowhere}}", rates.FALLBACK),
        ("{{meals.rate@2001-01-01}}", rates.FALLBACK),
    ],
)
def test_placeholders_are_written_the_french_way(placeholder: str, text: str) -> None:
    book = rates.RateBook(today=tariff_snapshot(dt.date(2026, 7, 1)), on={})
    assert rates.fill(placeholder, book) == text


def test_offline_the_pages_send_to_the_tariffs_in_force() -> None:
    for page in topics.all_pages():
        assert "{{" not in rates.fill(page)
    copies = rates.fill(topics.topic_html("statement.service.copies") or "")
    # An example or a table is quoted whole or not at all; a lone rate reads the fallback.
    assert "42 copies" not in copies and "€ par copie" not in copies
    assert copies.count(rates.FALLBACK) == 3
    recap = rates.fill(topics.topic_html("statement.recap") or "")
    assert f"(« 42 copies × {rates.FALLBACK} »)" in recap


def test_a_quote_missing_one_rate_reads_the_fallback_once() -> None:
    snapshot = tariff_snapshot(dt.date(2026, 7, 1))
    book = rates.RateBook(today=snapshot, on={})  # no tariffs of 2019 nor 2020
    meals = rates.fill(topics.topic_html("statement.meals") or "", book)
    assert f'Montant forfaitaire : <span class="quote">{rates.FALLBACK}</span>.' in meals
    nights = rates.fill(topics.topic_html("statement.nights") or "", book)
    assert "<td>90,00\u00a0€</td>" in nights and nights.count(rates.FALLBACK) == 1


def test_the_pane_quotes_the_session_tariffs(
    qtbot: QtBot, api: ImaginClient, runner: TaskRunner, intervenant: Intervenant
) -> None:
    pane = HelpPane()
    qtbot.addWidget(pane)
    pane.resize(420, 640)
    pane.show()
    pane.show_topic("statement.service.copies")
    assert rates.FALLBACK in pane.browser.toPlainText()

    log_in_as(api, intervenant.user)
    pane.set_rates_source(lambda: rates.load(api.tariffs, topics.all_pages()), runner)
    # toPlainText reads no-break spaces as spaces.
    qtbot.waitUntil(lambda: "= 210,00 €" in pane.browser.toPlainText(), timeout=10_000)
    assert rates.FALLBACK not in pane.browser.toPlainText()

    pane.set_rates_source(None)  # log-out
    assert rates.current() is None and rates.FALLBACK in pane.browser.toPlainText()
