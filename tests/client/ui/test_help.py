"""The contextual help pane, its topics, F1 and the user guide."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from client.ui.help import guide, topics
from client.ui.help.guide import GuideDialog, show_guide
from client.ui.help.pane import HelpPane, topic_for

# The topics the screens name (the brief of the help, kept here as the contract).
REQUIRED_TOPICS = (
    "login",
    "login.identifier",
    "login.password",
    "login.remember",
    "password_change",
    "password_change.new",
    "missions",
    "missions.filter",
    "missions.search",
    "mission_detail",
    "mission_detail.not_performed",
    "mission_detail.complete",
    "mission_detail.print",
    "profile",
    "profile.residences",
    "profile.vehicle",
    "profile.disability",
    "profile.financial_file",
    "profile.iban",
    "statement",
    "statement.service",
    "statement.service.copies",
    "statement.service.candidates",
    "statement.service.hours",
    "statement.service.dec_handled",
    "statement.travel",
    "statement.travel.claimed",
    "statement.travel.departure",
    "statement.travel.mode",
    "statement.travel.km",
    "statement.travel.fare",
    "statement.travel.parking_tolls",
    "statement.travel.times",
    "statement.meals_nights",
    "statement.meals",
    "statement.meals.administrative_restaurant",
    "statement.nights",
    "statement.recap",
    "statement.documents",
    "statement.buttons",
    "dec_queue",
)

FRENCH_WORDS = re.compile(r"\b(le|la|les|des|vous|votre|est|pour|une?)\b", re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"\b(the|and|you|your|click|TODO|lorem|FIXME)\b", re.IGNORECASE)


@pytest.mark.parametrize("topic", REQUIRED_TOPICS)
def test_every_topic_exists_and_is_written_in_french(topic: str) -> None:
    html = topics.topic_html(topic)
    assert html, f"no help for {topic}"
    assert topic in topics.TOPIC_IDS
    text = topics.plain_text(topic)
    assert len(text.split()) >= 30, "a topic explains, in a few sentences at least"
    assert len(FRENCH_WORDS.findall(text)) >= 5
    assert not ENGLISH_WORDS.search(text), ENGLISH_WORDS.search(text)
    assert re.search(r"[éèàùçêô]", text), "French is written with its accents"
    assert topics.title_of(topic) != topic, "each topic has a title"


def test_every_listed_topic_has_a_file_and_no_file_is_orphaned() -> None:
    assert set(topics.TOPIC_IDS) == set(topics.available_topics())


def test_the_rule_topics_quote_rates_and_texts() -> None:
    copies = topics.plain_text("statement.service.copies")
    assert "5,00 €" in copies and "Arrêté du 13 avril 2012" in copies
    candidates = topics.plain_text("statement.service.candidates")
    assert "÷ 60" in candidates and "75 %" in candidates
    meals = topics.plain_text("statement.meals")
    assert "20,00 €" in meals and "11h à 14h" in meals and "18h à 21h" in meals
    assert "10,00 €" in topics.plain_text("statement.meals.administrative_restaurant")
    nights = topics.plain_text("statement.nights")
    assert all(cap in nights for cap in ("90 €", "120 €", "140 €", "150 €"))
    km = topics.plain_text("statement.travel.km")
    assert "0,32" in km and "2 000 km" in km and "10 000 km" in km
    documents = topics.plain_text("statement.documents")
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
