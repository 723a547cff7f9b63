"""A workspace is built in one turn of the event loop and started in the next, so that the
window paints between the two (and neither freezes it for long)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from client.ui.workspace_tabs import WorkspaceTabs


class Workspace(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.started = 0

    def start(self) -> None:
        self.started += 1


def test_the_first_workspace_starts_in_the_next_turn(qtbot: QtBot) -> None:
    tabs = WorkspaceTabs([("Un", Workspace), ("Deux", Workspace)])
    qtbot.addWidget(tabs)
    tabs.start()
    first = tabs.workspace(0)
    assert first.started == 0  # built, not yet started
    qtbot.waitUntil(lambda: first.started == 1)


def test_a_tab_first_shown_is_built_then_started_once(qtbot: QtBot) -> None:
    tabs = WorkspaceTabs([("Un", Workspace), ("Deux", Workspace)])
    qtbot.addWidget(tabs)
    tabs.setCurrentIndex(1)
    second = tabs.workspace(1)
    assert tabs.currentWidget() is second and second.started == 0
    qtbot.waitUntil(lambda: second.started == 1)
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(1)
    qtbot.wait(20)
    assert second.started == 1
