"""The contextual help pane, its topics, F1 and the user guide."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from client.ui.help import guide, rates, topics
from client.ui.help.guide import GuideDialog, show_guide
from client.ui.help.pane import HelpPane, topic_for
from server_stub.rules.tariffs import tariff_snapshot
from tests.client.ui.conftest import TODAY

FRENCH_WORDS = re.compile(r"\b(le|la|les|des|vous|votre|est|pour|une?)\b", re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"\b(the|and|you|your|click|TODO|lorem|FIXME)\b", re.IGNORECASE)


# Which topics the screens name, and that each has its page: tests/client/ui/test_help_topics.py.
@pytest.mark.parametrize("topic", topics.available_topics())
def test_every_topic_is_written_in_french(topic: str) -> None:
    html = topics.topic_html(topic)
    assert html, f"no help for {topic}"
    text = topics.plain_text(topic)
    assert len(text.split()) >= 30, "a topic explains, in a few sentences at least"
    assert len(FRENCH_WORDS.findall(text)) >= 5
    assert not ENGLISH_WORDS.search(text), ENGLISH_WORDS.search(text)
    assert re.search(r"[éèàùçêô]", text), "French is written with its accents"
    assert topics.title_of(topic) != topic, "each topic has a title"


def words(topic: str) -> str:
    """The text of a topic, its no-break spaces read as spaces."""
    return topics.plain_text(topic).replace("\u00a0", " ").replace("\u202f", " ")


def test_the_rule_topics_quote_rates_and_texts() -> None:
    rates.set_current(rates.load(lambda day: tariff_snapshot(day or TODAY), topics.all_pages()))
    copies = words("statement.service.copies")
    assert "42 copies × 5,00 € =  210,00 €" in copies and "Arrêté du 13 avril 2012" in copies
    candidates = words("statement.service.candidates")
    assert "÷ 60" in candidates and "75 %" in candidates
    meals = words("statement.meals")
    assert "20,00 €" in meals and "11h à 14h" in meals and "18h à 21h" in meals
    assert "10,00 €" in words("statement.meals.administrative_restaurant")
    nights = words("statement.nights")
    assert all(cap in nights for cap in ("90,00 €", "120,00 €", "140,00 €", "150,00 €"))
    km = words("statement.travel.km")
    assert "0,32" in km and "2 000 km" in km and "10 000 km" in km
    documents = words("statement.documents")
    assert "transmettre au bureau organisateur" in documents


def test_an_unknown_topic_falls_back_on_the_page_then_on_the_general_one() -> None:
    assert topics.resolve(["statement.travel.nowhere"]) == "statement.travel"
    assert topics.resolve(["nowhere.at.all", "statement.recap"]) == "statement.recap"
    assert topics.resolve(["nowhere"]) == topics.GENERAL
    assert topics.resolve([]) == topics.GENERAL
    assert topics.topic_html("../guide") is None


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[tuple[QMainWindow, HelpPane, dict[str, QWidget]]]:
    """A screen with a page, two fields naming their topics and one naming an unknown one."""
    window = QMainWindow()
    page = QWidget()
    page.setProperty("helpTopic", "statement.travel")
    layout = QVBoxLayout(page)
    fields: dict[str, QWidget] = {}
    for name, topic in (
        ("km", "statement.travel.km"),
        ("fare", "statement.travel.fare"),
        ("odd", "statement.travel.unknown_field"),
        ("bare", None),
    ):
        field = QLineEdit()
        field.setObjectName(name)
        if topic is not None:
            field.setProperty("helpTopic", topic)
        layout.addWidget(field)
        fields[name] = field
    window.setCentralWidget(page)
    pane = HelpPane(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
    pane.install_shortcut(window)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window, pane, fields


def test_the_pane_follows_the_focus(
    qtbot: QtBot, window: tuple[QMainWindow, HelpPane, dict[str, QWidget]]
) -> None:
    _, pane, fields = window
    with qtbot.waitSignal(pane.topic_changed) as changed:
        fields["fare"].setFocus()
    assert changed.args == ["statement.travel.fare"]
    assert "Prix du billet" in pane.browser.toPlainText()
    fields["km"].setFocus()
    qtbot.waitUntil(lambda: pane.current_topic == "statement.travel.km")
    assert "vol d'oiseau" in pane.browser.toPlainText()
    fields["odd"].setFocus()
    qtbot.waitUntil(lambda: pane.current_topic == "statement.travel")
    fields["bare"].setFocus()
    assert pane.current_topic == "statement.travel", "a field without a topic shows its page's"


def test_focus_inside_the_pane_keeps_the_topic(
    qtbot: QtBot, window: tuple[QMainWindow, HelpPane, dict[str, QWidget]]
) -> None:
    _, pane, fields = window
    fields["km"].setFocus()
    qtbot.waitUntil(lambda: pane.current_topic == "statement.travel.km")
    pane.browser.setFocus()
    qtbot.waitUntil(pane.browser.hasFocus)
    assert pane.current_topic == "statement.travel.km"


def test_f1_shows_the_pane_on_the_focused_field(
    qtbot: QtBot, window: tuple[QMainWindow, HelpPane, dict[str, QWidget]]
) -> None:
    _, pane, fields = window
    pane.hide()
    fields["fare"].setFocus()
    qtbot.waitUntil(fields["fare"].hasFocus)
    qtbot.keyClick(fields["fare"], Qt.Key.Key_F1)
    assert pane.isVisible()
    assert pane.current_topic == "statement.travel.fare"
    assert "Prix du billet" in pane.browser.toPlainText()

    qtbot.keyClick(fields["fare"], Qt.Key.Key_F1)
    qtbot.waitUntil(pane.browser.hasFocus)
    qtbot.keyClick(pane.browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(fields["fare"].hasFocus)


def test_topic_links_open_other_topics(qtbot: QtBot) -> None:
    pane = HelpPane()
    qtbot.addWidget(pane)
    assert pane.current_topic == topics.GENERAL
    from PySide6.QtCore import QUrl

    pane.browser.anchorClicked.emit(QUrl("topic:statement.nights"))
    assert pane.current_topic == "statement.nights"


def test_topic_for_walks_up_to_the_nearest_named_parent(qtbot: QtBot) -> None:
    outer = QWidget()
    outer.setProperty("helpTopic", "profile")
    inner = QWidget(outer)
    leaf = QLineEdit(inner)
    qtbot.addWidget(outer)
    assert topic_for(leaf) == "profile"
    inner.setProperty("helpTopic", "profile.iban")
    assert topic_for(leaf) == "profile.iban"
    assert topic_for(None) == topics.GENERAL


def test_the_guide_opens_with_its_contents_and_screenshots(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_guide(parent)
    assert isinstance(dialog, GuideDialog)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Guide utilisateur d'IMAG'IN"
    anchors = dialog.anchors()
    for section in (
        "connexion",
        "premiere-connexion",
        "missions",
        "detail-mission",
        "non-effectuee",
        "service-fait",
        "deplacement",
        "repas-nuitees",
        "recapitulatif",
        "boutons",
        "validation",
        "impression",
        "profil",
        "aide",
        "messages",
        "baremes",
        "administration",
        "admin-comptes",
        "admin-journal",
        "admin-bureaux",
    ):
        assert section in anchors, section
    assert dialog.missing_images == []
    sources = guide.images(guide.guide_html())
    assert {"screenshots/statement-service.png", "screenshots/help-pane.png"} <= set(sources)
    assert all(not source.startswith("/") for source in sources), "relative references"
    text = dialog.browser.toPlainText()
    assert "Reprendre la saisie non enregistrée" in text
    assert "Elles seront à joindre à une copie du récapitulatif" in text

    dialog.contents.setCurrentItem(dialog.contents.topLevelItem(3))
    assert show_guide(parent, "baremes") is dialog, "a second request raises the same guide"
    dialog.close()
