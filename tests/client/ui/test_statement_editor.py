"""The guided statement editor against the real server, run in-process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QPushButton
from pytestqt.qtbot import QtBot

from client.api.client import ImaginClient
from client.api.models import Entry, HalfDay, MealKind, PayDay, Pledge, Status, TravelMode
from client.drafts import DraftStore
from client.formatting import euros, number
from client.ui.statement import dialogs
from client.ui.statement.editor import StatementEditor, steps_of
from client.ui.statement.meals import MealsNightsPage
from client.ui.statement.service import ServicePage
from client.ui.statement.steps import Step
from client.ui.statement.travel import TravelPage
from server_stub.auth.models import User
from server_stub.core.settings import Settings
from server_stub.rules.model import MissionType
from server_stub.statements.certification import PLEDGES
from tests.server_stub.factories import World

pytest_plugins = ["tests.client.ui.statement_conftest"]

JUNE_15 = dt.date(2026, 6, 15)
JUNE_16 = dt.date(2026, 6, 16)

Connect = Callable[[User], ImaginClient]
OpenEditor = Callable[[ImaginClient, int], StatementEditor]


def service(editor: StatementEditor) -> ServicePage:
    page = editor.page(Step.SERVICE)
    assert isinstance(page, ServicePage)
    return page


def travel(editor: StatementEditor) -> TravelPage:
    page = editor.page(Step.TRAVEL)
    assert isinstance(page, TravelPage)
    return page


def meals_nights(editor: StatementEditor) -> MealsNightsPage:
    page = editor.page(Step.MEALS_NIGHTS)
    assert isinstance(page, MealsNightsPage)
    return page


def plain(text: str) -> str:
    """French text with ordinary spaces (Babel writes no-break ones in numbers)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def wait_total(qtbot: QtBot, editor: StatementEditor, total: str) -> None:
    expected = f"Total {euros(Decimal(total))}"
    qtbot.waitUntil(lambda: expected in editor.totals.text(), timeout=5000)


def click_save(qtbot: QtBot, editor: StatementEditor) -> None:
    with qtbot.waitSignal(editor.statement_changed, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def test_a_correction_is_saved_reopened_intact_and_validated(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    mission = world.mission(MissionType.CORRECTION, start=JUNE_15, end=JUNE_16)
    statement = world.statement(user, mission)
    api = connect(user)

    editor = open_editor(api, statement.id)
    assert editor.steps.steps == [Step.SERVICE, Step.TRAVEL, Step.MEALS_NIGHTS, Step.RECAP]
    assert editor.current_step is Step.SERVICE
    copies = service(editor).inputs_of(JUNE_15)["copies"]
    copies.setValue(42)  # type: ignore[attr-defined]
    assert editor.has_unsaved_changes()
    wait_total(qtbot, editor, "210.00")

    click_save(qtbot, editor)
    assert not editor.has_unsaved_changes()
    assert editor.current_step is Step.TRAVEL, "Enregistrer moves to the next page"
    assert "Enregistré" in editor.messages.text
    assert f"Indemnités {euros(Decimal('210.00'))}" in editor.totals.text()
    editor.close()

    again = open_editor(api, statement.id)
    assert service(again).inputs_of(JUNE_15)["copies"].value() == 42  # type: ignore[attr-defined]
    assert service(again).inputs_of(JUNE_16)["copies"].value() == 0  # type: ignore[attr-defined]
    assert not again.validate_button.isEnabled(), "Valider waits for the recap page"
    qtbot.mouseClick(again.steps.button(Step.RECAP), Qt.MouseButton.LeftButton)
    assert again.current_step is Step.RECAP
    assert again.validate_button.isEnabled()

    asked: list[list[str]] = []
    monkeypatch.setattr(
        dialogs,
        "confirm_validation",
        lambda parent, pledges, *_warnings_and_deadline: (
            asked.append([p.key for p in pledges]) or {"accurate": True, "no_overtime": True}
        ),
    )
    with qtbot.waitSignal(again.statement_changed, timeout=5000) as validated:
        qtbot.mouseClick(again.validate_button, Qt.MouseButton.LeftButton)
    assert asked == [["accurate", "no_overtime"]]  # 210 € of vacations: paid work
    assert validated.args[0].status is Status.SUBMITTED
    assert validated.args[0].certification is not None
    assert len(validated.args[0].certification.texts) == 2
    assert again.read_only
    assert "Validé" in again.status.text()
    assert "Validé" in again.banner.text() and again.banner.isVisible()
    assert not again.save_button.isEnabled()
    assert not again.validate_button.isEnabled()
    assert not service(again).inputs_of(JUNE_15)["copies"].isEnabled()


def test_an_oral_counts_candidates_per_half_day(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(MissionType.INTERROGATION))
    api = connect(user)
    editor = open_editor(api, statement.id)

    inputs = service(editor).inputs_of(JUNE_15)
    assert set(inputs) == {"candidates.AM", "candidates.PM"}
    morning, afternoon = inputs["candidates.AM"], inputs["candidates.PM"]
    morning.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(morning, "9")
    afternoon.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(afternoon, "6")
    # 15 candidates × 20 min = 5 h × 9,60 € (taux 3).
    wait_total(qtbot, editor, "48.00")
    assert editor.entry().days == [
        PayDay(date=JUNE_15, candidates={HalfDay.MORNING: 9, HalfDay.AFTERNOON: 6})
    ]
    click_save(qtbot, editor)
    statement_out = editor.statement
    assert statement_out is not None
    oral_lines = [line for line in statement_out.computation.lines if line.kind == "ORAL"]
    assert [line.amount for line in oral_lines] == [Decimal("28.80"), Decimal("19.20")]
    assert "(matin)" in oral_lines[0].label and "(après-midi)" in oral_lines[1].label


def test_a_car_trip_with_a_meal_and_a_night_lists_its_lines_and_documents(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    mission = world.mission(MissionType.CORRECTION, start=JUNE_15, end=JUNE_16)
    statement = world.statement(user, mission)
    api = connect(user)
    editor = open_editor(api, statement.id)
    service(editor).inputs_of(JUNE_15)["copies"].setValue(40)  # type: ignore[attr-defined]

    qtbot.mouseClick(editor.steps.button(Step.TRAVEL), Qt.MouseButton.LeftButton)
    page = travel(editor)
    assert not page.details.isVisible()
    page.claimed.setChecked(True)
    rows = page.rows()
    assert len(rows) == 2, "one trip per mission day to start with"
    assert rows[0].current_mode() is TravelMode.CAR
    suggested = editor.statement.proposals.suggested_km  # type: ignore[union-attr]
    assert suggested is not None and suggested > 0
    road = editor.statement.proposals.road_km  # type: ignore[union-attr]
    assert road is not None and road > suggested
    assert rows[0].km.value() == 0, "the kilometres are the person's own figure"
    hint = rows[0].km_hint.text()
    assert f"{number(suggested)} km à vol d'oiseau" in hint
    assert f"environ {number(road)} km par la route" in hint
    assert rows[0].use_road.text() == f"Reprendre {number(road)} km"
    qtbot.mouseClick(rows[0].use_road, Qt.MouseButton.LeftButton)
    assert rows[0].km.value() == float(road)
    qtbot.mouseClick(rows[1].remove, Qt.MouseButton.LeftButton)
    assert len(page.rows()) == 1
    trip = page.rows()[0]
    trip.depart_time.setTime(trip.depart_time.time().fromString("07:00", "HH:mm"))
    trip.return_date.setDate(trip.return_date.date().addDays(1))
    trip.return_time.setTime(trip.return_time.time().fromString("19:00", "HH:mm"))
    trip.km.setValue(120)
    trip.parking.setValue(8.5)

    meals = meals_nights(editor)
    qtbot.waitUntil(lambda: len(meals.night_rows()) == 1, timeout=5000)
    proposed = [key for key, _, _ in meals.meal_rows()]
    assert (JUNE_15, MealKind.LUNCH) in proposed and (JUNE_16, MealKind.LUNCH) in proposed
    qtbot.mouseClick(editor.steps.button(Step.MEALS_NIGHTS), Qt.MouseButton.LeftButton)
    [(_, lunch, restaurant)] = [row for row in meals.meal_rows() if row[0] == proposed[0]]
    assert not restaurant.isEnabled(), "the restaurant applies to a confirmed meal only"
    lunch.setChecked(True)
    assert restaurant.isEnabled()
    [(night_date, night, cost)] = meals.night_rows()
    assert night_date == JUNE_15
    night.setChecked(True)
    cost.setValue(78)
    # 40 copies × 5 € = 200 ; 120 km × 0,32 € = 38,40 ; 8,50 ; 20,00 ; 78,00.
    wait_total(qtbot, editor, "344.90")

    click_save(qtbot, editor)
    assert editor.current_step is Step.RECAP
    recap = editor.page(Step.RECAP)
    kinds = [line.kind for line in recap.model.lines]  # type: ignore[attr-defined]
    assert kinds == ["COPIES", "KILOMETRIC", "PARKING", "MEAL", "NIGHT"]
    documents = recap.documents.accessibleName()  # type: ignore[attr-defined]
    assert "Facture d'hôtel acquittée" in documents
    assert "Justificatifs de stationnement" in documents
    assert "Autorisation préalable d'utiliser son véhicule personnel" in documents
    assert (
        "Elles seront à joindre à une copie du récapitulatif et à transmettre au bureau "
        "organisateur." in documents
    )
    assert recap.pay_total.text() == euros(Decimal("200.00"))  # type: ignore[attr-defined]
    assert recap.travel_total.text() == euros(Decimal("144.90"))  # type: ignore[attr-defined]


def test_too_many_kilometres_are_shown_beside_the_field(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    trip = travel(editor).rows()[0]
    trip.km.setValue(2500)

    qtbot.waitUntil(lambda: bool(editor.problem_text("trips.0.km")), timeout=5000)
    message = editor.problem_text("trips.0.km")
    assert "Plus de 2 000 km par jour" in plain(message)
    assert trip.km_error.isVisible()
    assert trip.km.accessibleDescription() == message
    assert editor.summary.isVisible() and "1 point à corriger" in editor.summary.text()
    assert not editor.validate_button.isEnabled()

    with qtbot.waitSignal(editor.messages.action_triggered, timeout=200, raising=False):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Plus de 2 000 km" in plain(editor.messages.text), timeout=5000)
    assert editor.has_unsaved_changes(), "a refused save keeps what was typed"

    trip.km.setValue(150)  # within 1.6 times the straight line: no problem, no warning
    qtbot.waitUntil(lambda: not editor.problem_text("trips.0.km"), timeout=5000)
    assert not trip.km_error.isVisible()
    assert trip.km.accessibleDescription() == trip.km_hint.text()
    assert not editor.summary.isVisible()


def test_values_out_of_range_are_kept_as_typed_and_said_wrong(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(MissionType.INTERROGATION))
    editor = open_editor(connect(user), statement.id)
    morning = service(editor).inputs_of(JUNE_15)[f"candidates.{HalfDay.MORNING.value}"]
    morning.setFocus()
    morning.lineEdit().selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(morning, "999")
    assert morning.value() == 999  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(editor.problem_text("days.0.candidates.AM")), timeout=5000)
    assert "Au plus 500 ici (saisi : 999)" in editor.problem_text("days.0.candidates.AM")

    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    trip = travel(editor).rows()[0]
    trip.km.setFocus()
    trip.km.lineEdit().selectAll()
    qtbot.keyClicks(trip.km, "-120")
    assert trip.km.value() == -120, "kept as typed, never turned into 0 km"
    qtbot.waitUntil(lambda: bool(editor.problem_text("trips.0.km")), timeout=5000)
    assert "négatif" in editor.problem_text("trips.0.km")
    assert "Montants non actualisés" in editor.totals_state.text()
    assert not editor.validate_button.isEnabled()
    editor.save()
    assert editor.has_unsaved_changes(), "nothing out of range is saved"


@pytest.mark.parametrize("typed", ["0630", "06:30", "6h30", "630"])
def test_a_time_can_be_typed(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor, typed: str
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    trip = travel(editor).rows()[0]
    trip.depart_time.setFocus()
    trip.depart_time.selectAll()
    qtbot.keyClicks(trip.depart_time, typed)
    qtbot.keyClick(trip.depart_time, Qt.Key.Key_Tab)
    assert trip.depart_time.text() == "06:30"
    assert trip.trip().depart_at.time() == dt.time(6, 30)


def test_a_time_not_understood_stays_and_is_said_wrong(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    trip = travel(editor).rows()[0]
    trip.depart_time.setFocus()
    trip.depart_time.selectAll()
    qtbot.keyClicks(trip.depart_time, "25h")
    qtbot.keyClick(trip.depart_time, Qt.Key.Key_Tab)
    assert trip.depart_time.text() == "25h"
    qtbot.waitUntil(lambda: trip.times_error.isVisible(), timeout=5000)
    assert "Heure non reconnue « 25h »" in trip.times_error.text()


def test_the_summary_link_leads_to_the_field(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    travel(editor).rows()[0].km.setValue(2500)
    qtbot.waitUntil(lambda: editor.summary.isVisible(), timeout=5000)
    editor.go_to(Step.SERVICE)

    editor.summary.linkActivated.emit("trips.0.km")
    assert editor.current_step is Step.TRAVEL


def test_nothing_is_lost_while_the_server_is_unreachable(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    unreachable_http: object,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    editor = open_editor(api, statement.id)
    reachable = api.http
    api.http = unreachable_http  # type: ignore[assignment]

    service(editor).inputs_of(JUNE_15)["copies"].setValue(42)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Montants non actualisés" in editor.totals_state.text(), timeout=5000)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "injoignable" in editor.messages.text, timeout=5000)
    assert "conservée sur ce poste" in editor.messages.text
    [retry] = [
        button
        for button in editor.messages.findChildren(QPushButton)
        if button.text() == "Réessayer"
    ]
    assert retry.isVisible()
    assert editor.has_unsaved_changes()
    assert editor.current_step is Step.SERVICE
    assert service(editor).inputs_of(JUNE_15)["copies"].value() == 42  # type: ignore[attr-defined]

    def draft_has_42() -> bool:
        draft = drafts.load(statement.id)
        return draft is not None and [d.copies for d in draft.entry.days] == [42]

    qtbot.waitUntil(draft_has_42, timeout=5000)

    api.http = reachable
    with qtbot.waitSignal(editor.statement_changed, timeout=5000):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert editor.messages.text == "Enregistré"
    assert not editor.has_unsaved_changes()
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=5000)
    wait_total(qtbot, editor, "210.00")


def test_the_first_step_shows_before_the_other_steps_are_made(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    runner: Any,
    drafts: DraftStore,
    tmp_path: Path,
    opened: Any,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = StatementEditor(
        connect(user),
        runner,
        drafts,
        statement.id,
        recaps_folder=tmp_path / "recaps",
        open_url=opened,
    )
    qtbot.addWidget(editor)
    made_when_shown: list[int] = []
    editor.session.loaded.connect(lambda *_: made_when_shown.append(editor.stack.count() - 1))
    editor.show()
    qtbot.waitUntil(lambda: editor.statement is not None)
    steps = steps_of(editor.statement)
    assert made_when_shown == [1], "only the first step is made in the turn it shows"
    assert editor.current_step is Step.SERVICE
    qtbot.waitUntil(lambda: editor.stack.count() - 1 == len(steps))
    # Made later, in the order of the steps, each showing the statement.
    assert [editor.stack.indexOf(editor.page(step)) for step in steps] == [1, 2, 3, 4]
    assert not travel(editor).claimed.isChecked()
    assert meals_nights(editor).not_claimed.isVisibleTo(meals_nights(editor))


def test_an_unsaved_entry_is_offered_again_on_reopening(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    editor = open_editor(api, statement.id)
    editor.go_to(Step.TRAVEL)
    travel(editor).claimed.setChecked(True)
    service(editor).inputs_of(JUNE_15)["copies"].setValue(17)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: drafts.load(statement.id) is not None, timeout=5000)
    monkeypatch.setattr(dialogs, "ask_close", lambda parent: dialogs.CloseChoice.DISCARD)
    assert editor.maybe_close()
    editor.close()

    def draft_has_17() -> bool:
        draft = drafts.load(statement.id)
        return draft is not None and [d.copies for d in draft.entry.days] == [17]

    qtbot.waitUntil(draft_has_17, timeout=5000)

    offered: list[dt.datetime] = []
    monkeypatch.setattr(
        dialogs, "ask_resume", lambda parent, saved_at: offered.append(saved_at) or True
    )
    again = open_editor(api, statement.id)
    assert len(offered) == 1
    assert service(again).inputs_of(JUNE_15)["copies"].value() == 17  # type: ignore[attr-defined]
    assert travel(again).claimed.isChecked()
    assert again.has_unsaved_changes()
    assert again.current_step is Step.TRAVEL, "back on the page the draft was typed on"
    click_save(qtbot, again)
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=5000)


def test_a_draft_can_be_abandoned_for_the_saved_version(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    drafts.save(statement.id, 1, Entry(days=[PayDay(date=JUNE_15, copies=99)]), 0)
    monkeypatch.setattr(dialogs, "ask_resume", lambda parent, saved_at: False)

    editor = open_editor(api, statement.id)
    assert service(editor).inputs_of(JUNE_15)["copies"].value() == 0  # type: ignore[attr-defined]
    assert not editor.has_unsaved_changes()
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=5000)


def test_a_draft_equal_to_the_saved_entry_is_not_offered(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    drafts.save(statement.id, 1, Entry(), 0)
    monkeypatch.setattr(dialogs, "ask_resume", lambda parent, saved_at: pytest.fail("asked"))
    open_editor(connect(user), statement.id)
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=5000)


@pytest.mark.parametrize("choice", [dialogs.StaleChoice.KEEP_MINE, dialogs.StaleChoice.RELOAD])
def test_a_statement_saved_elsewhere_asks_which_version_to_keep(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    monkeypatch: pytest.MonkeyPatch,
    choice: dialogs.StaleChoice,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    editor = open_editor(api, statement.id)
    elsewhere = connect(user)  # the same person on another computer
    read = elsewhere.statement(statement.id)
    elsewhere.save_statement(
        statement.id, read.version, Entry(days=[PayDay(date=JUNE_15, copies=10)])
    )

    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_stale", lambda parent, detail: asked.append(detail) or choice)
    service(editor).inputs_of(JUNE_15)["copies"].setValue(42)  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.statement_changed, timeout=5000) as changed:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "modifié" in asked[0]
    copies = service(editor).inputs_of(JUNE_15)["copies"]
    if choice is dialogs.StaleChoice.KEEP_MINE:
        assert changed.args[0].entry.days[0].copies == 42
        assert copies.value() == 42  # type: ignore[attr-defined]
        assert api.statement(statement.id).entry.days[0].copies == 42
    else:
        assert changed.args[0].entry.days[0].copies == 10
        assert copies.value() == 10  # type: ignore[attr-defined]
        assert "rechargée" in editor.messages.text
    assert not editor.has_unsaved_changes()


def test_a_validated_statement_opens_read_only_on_its_recap(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    read = api.statement(statement.id)
    saved = api.save_statement(
        statement.id, read.version, Entry(days=[PayDay(date=JUNE_15, copies=3)])
    )
    api.validate_statement(statement.id, saved.version, accurate=True, no_overtime=True)

    editor = open_editor(api, statement.id)
    assert editor.read_only
    assert editor.current_step is Step.RECAP
    assert editor.banner.isVisible()
    assert "Validé" in editor.banner.text() and "ne peut plus être modifié" in editor.banner.text()
    assert not editor.save_button.isEnabled() and not editor.validate_button.isEnabled()
    assert not service(editor).inputs_of(JUNE_15)["copies"].isEnabled()
    assert not travel(editor).claimed.isEnabled()
    assert editor.page(Step.RECAP).print_button.isEnabled()  # type: ignore[attr-defined]
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    assert editor.current_step is Step.MEALS_NIGHTS, "Retour still walks through the pages"


def test_a_mission_not_started_yet_cannot_be_filled(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(start=dt.date(2026, 9, 8)))
    editor = open_editor(connect(user), statement.id)
    assert editor.read_only
    assert "la mission commence le 08/09/2026" in editor.banner.text()


def test_travel_pages_are_skipped_when_travel_is_not_reimbursed(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    mission = world.mission(MissionType.SURVEILLANCE, travel_reimbursable=False)
    statement = world.statement(user, mission)
    editor = open_editor(connect(user), statement.id)
    assert editor.steps.steps == [Step.SERVICE, Step.RECAP]
    assert "2  Récapitulatif" in editor.steps.button(Step.RECAP).text()
    page = service(editor)
    assert page.dec_message.text() == (
        "Le service gestionnaire saisit directement l'indemnité de cette mission."
    )
    assert page.inputs_of(JUNE_15) == {}
    assert not page.findChildren(QAbstractSpinBox)
    click_save(qtbot, editor) if editor.has_unsaved_changes() else None
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.current_step is Step.RECAP, "nothing to save: Enregistrer just moves on"


def test_retour_goes_back_then_leaves_the_editor(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.MEALS_NIGHTS)
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    assert editor.current_step is Step.TRAVEL
    qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)
    assert editor.current_step is Step.SERVICE
    with qtbot.waitSignal(editor.closed, timeout=1000):
        qtbot.mouseClick(editor.back, Qt.MouseButton.LeftButton)


def test_closing_with_unsaved_changes_asks_and_can_save_first(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    editor = open_editor(api, statement.id)
    assert editor.maybe_close(), "nothing typed: closes without asking"
    service(editor).inputs_of(JUNE_15)["copies"].setValue(5)  # type: ignore[attr-defined]

    monkeypatch.setattr(dialogs, "ask_close", lambda parent: dialogs.CloseChoice.CANCEL)
    assert not editor.maybe_close()
    assert editor.has_unsaved_changes()

    monkeypatch.setattr(dialogs, "ask_close", lambda parent: dialogs.CloseChoice.SAVE)
    with qtbot.waitSignal(editor.closed, timeout=5000):
        assert not editor.maybe_close(), "closes once saved"
    assert api.statement(statement.id).entry.days[0].copies == 5
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=5000)


def test_the_recap_is_printed_to_a_pdf_and_opened(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor, opened: Any
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    service(editor).inputs_of(JUNE_15)["copies"].setValue(42)  # type: ignore[attr-defined]
    editor.go_to(Step.RECAP)

    with qtbot.waitSignal(editor.statement_changed, timeout=5000):
        qtbot.mouseClick(editor.page(Step.RECAP).print_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10000)
    path = opened.urls[0].toLocalFile()
    assert path.endswith(f"recapitulatif-etat-de-frais-{statement.id}.pdf")  # the one name

    assert "/recaps/" in path
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert "Récapitulatif enregistré" in editor.messages.text


def test_a_recap_no_viewer_could_open_says_where_it_is_and_shows_its_folder(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor, opened: Any
) -> None:
    opened.viewer = False
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.RECAP)
    qtbot.mouseClick(editor.page(Step.RECAP).print_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10000)
    path = opened.urls[0].toLocalFile()
    assert "ouvert" not in editor.messages.text
    assert f"enregistré dans {path}" in editor.messages.text
    assert editor.messages._action.text() == "Afficher le dossier"
    editor.messages._action.click()
    assert opened.urls[-1].toLocalFile() == str(Path(path).parent)


def test_the_lines_model_passes_the_model_tester(
    qtbot: QtBot, world: World, connect: Connect, qtmodeltester: object
) -> None:
    from client.ui.statement.lines import LinesModel

    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    read = api.statement(statement.id)
    saved = api.save_statement(
        statement.id,
        read.version,
        Entry(days=[PayDay(date=JUNE_15, copies=42)]),
    )
    model = LinesModel()
    model.set_lines(saved.computation.lines)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 1
    assert model.data(model.index(0, 3)) == euros(Decimal("210.00"))
    assert plain(model.data(model.index(0, 1))) == "42 copies × 5,00 €"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Montant"
    model.set_lines([])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_every_field_names_a_help_topic_that_exists(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    from client.ui.help import topics
    from client.ui.help.pane import own_topic

    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    travel(editor).claimed.setChecked(True)
    named = {own_topic(widget) for widget in editor.findChildren(QCheckBox)}
    named |= {own_topic(widget) for widget in editor.findChildren(QAbstractSpinBox)}
    named.discard(None)
    assert {"statement.service.copies", "statement.travel.km", "statement.travel.claimed"} <= named
    for topic in named:
        assert topics.topic_html(topic), topic


def test_a_statement_validated_elsewhere_becomes_read_only_and_keeps_the_draft(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    open_editor: OpenEditor,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    editor = open_editor(api, statement.id)
    elsewhere = connect(user)
    read = elsewhere.statement(statement.id)
    saved = elsewhere.save_statement(
        statement.id, read.version, Entry(days=[PayDay(date=JUNE_15, copies=10)])
    )
    elsewhere.validate_statement(statement.id, saved.version, accurate=True, no_overtime=True)

    monkeypatch.setattr(dialogs, "ask_stale", lambda parent, detail: dialogs.StaleChoice.KEEP_MINE)
    service(editor).inputs_of(JUNE_15)["copies"].setValue(42)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: drafts.load(statement.id) is not None, timeout=5000)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.read_only, timeout=5000)
    assert "ne peut plus être modifié" in editor.messages.text
    assert "Validé" in editor.status.text()
    assert not editor.save_button.isEnabled()
    draft = drafts.load(statement.id)
    assert draft is not None and [d.copies for d in draft.entry.days] == [42]


def test_the_validation_dialog_waits_for_every_pledge(qtbot: Any) -> None:
    pledges = [Pledge.model_validate(p.model_dump()) for p in PLEDGES]
    dialog = dialogs.ValidationDialog(None, pledges)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.validate_button.isEnabled()
    dialog.boxes["accurate"].setChecked(True)
    assert not dialog.validate_button.isEnabled()
    dialog.boxes["no_overtime"].setChecked(True)
    assert dialog.validate_button.isEnabled()
    assert dialog.ticked() == {"accurate": True, "no_overtime": True}
    dialog.grab().save("/tmp/validation-dialog.png")


def test_after_the_dec_entered_the_indemnity_the_travel_part_stays_editable(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    from server_stub.dec.actions import enter_indemnity
    from server_stub.statements.repository import get_with_mission
    from tests.client.ui.conftest import TODAY

    user = world.person()
    dec = world.gestionnaire()
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    row = get_with_mission(world.db, statement.id)
    assert row is not None
    settings = Settings(database_url="unused://", today=TODAY)
    enter_indemnity(world.db, settings, dec, row, Decimal("45.50"), None)
    world.commit()

    editor = open_editor(connect(user), statement.id)
    assert not editor.read_only
    assert travel(editor).claimed.isEnabled()
    assert "Traité par le gestionnaire" in editor.status.text()
    editor.grab().save("/tmp/editor-dec-entered.png")


def test_what_the_dec_will_check_is_said_on_the_field_and_before_validating(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor, monkeypatch: Any
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(lot_size=80))
    editor = open_editor(connect(user), statement.id)
    assert editor.deadline.text() == "Date limite de saisie : 31/08/2026 (dans 61 jours)"
    copies = service(editor).inputs_of(JUNE_15)["copies"]
    copies.setValue(85)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: editor.warnings_box.isVisible(), timeout=5000)
    assert "Copies au-delà du lot" in editor.warnings_box.text()
    assert "85 copies déclarées pour un lot de 80 copies" in editor.warnings_box.text()
    beside = editor.problem_text("days.0.copies")
    assert beside.startswith("⚠ Plus de copies que le lot prévu")
    assert not editor.summary.isVisible(), "a warning is not a problem: validating stays possible"

    seen: list[tuple[list[str], str]] = []

    def confirm(_parent: Any, _pledges: Any, warnings: Any, deadline: str) -> None:
        seen.append(([w.code for w in warnings], deadline))
        return None

    monkeypatch.setattr(dialogs, "confirm_validation", confirm)
    editor.save()
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes(), timeout=5000)
    editor.go_to(Step.RECAP)
    qtbot.waitUntil(lambda: editor.validate_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(editor.validate_button, Qt.MouseButton.LeftButton)
    assert seen == [(["COPIES_ABOVE_LOT"], editor.deadline.text())]

    dialog = dialogs.ValidationDialog(editor, [], editor._warnings, editor.deadline.text())
    qtbot.addWidget(dialog)
    assert "Copies au-delà du lot" in dialog.warnings.text()


def test_a_passed_deadline_is_said_before_any_change(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    world.session.entry_deadline = dt.date(2026, 6, 28)
    world.commit()
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    assert editor.deadline.text().endswith("(dépassée depuis 3 jours)")
    qtbot.waitUntil(lambda: editor.warnings_box.isVisible(), timeout=5000)
    assert "Transmis après la date limite" in editor.warnings_box.text()


def test_saved_is_no_longer_said_once_the_person_types_again(
    qtbot: QtBot, world: World, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    editor = open_editor(connect(user), statement.id)
    copies = service(editor).inputs_of(JUNE_15)["copies"]
    copies.setValue(10)  # type: ignore[attr-defined]
    click_save(qtbot, editor)
    assert editor.messages.isVisible() and "Enregistré" in editor.messages.text
    editor.go_to(Step.SERVICE)
    copies.setValue(12)  # type: ignore[attr-defined]
    assert not editor.messages.isVisible()
