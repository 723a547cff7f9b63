"""Tabs whose pages are made when first needed: the place of a page not yet made already
names its help; the page, once made, takes the tab's place, title and tooltip, and is made
once; the rest are made one per turn once asked."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from client.ui.admin.workspace import AdministrationWorkspace
from client.ui.assignment.workspace import AssignmentWorkspace
from client.ui.context import AppContext
from client.ui.lazy_tabs import LazyTabs


def test_a_page_is_made_when_first_shown(qtbot: QtBot) -> None:
    tabs = LazyTabs()
    qtbot.addWidget(tabs)
    made: list[str] = []

    def page(name: str) -> QWidget:
        made.append(name)
        label = QLabel(name)
        label.setProperty("helpTopic", name)
        return label

    tabs.add_page("Un", QLabel("un"))
    tabs.add("Deux", lambda: page("deux"), "deux")
    tabs.add("Trois", lambda: page("trois"), "trois")
    tabs.setTabToolTip(1, "Alt+2")
    assert made == [] and tabs.widget(1).property("helpTopic") == "deux"
    tabs.setCurrentIndex(1)
    assert tabs.current_page() is tabs.widget(1) and made == ["deux"]
    assert (tabs.currentIndex(), tabs.tabText(1), tabs.tabToolTip(1)) == (1, "Deux", "Alt+2")
    tabs.make_the_rest_later()
    assert made == ["deux"]  # not in this turn
    qtbot.waitUntil(lambda: tabs.is_made(2))
    assert made == ["deux", "trois"] and tabs.currentIndex() == 1


@pytest.mark.parametrize("workspace", [AdministrationWorkspace, AssignmentWorkspace])
def test_each_place_names_the_help_of_its_page(
    qtbot: QtBot, ctx: AppContext, workspace: Any
) -> None:
    work = workspace(ctx)
    qtbot.addWidget(work)
    tabs = work.tabs
    places = [tabs.widget(n).property("helpTopic") for n in range(tabs.count())]
    pages = [tabs.page(n).property("helpTopic") for n in range(tabs.count())]
    assert places == pages
