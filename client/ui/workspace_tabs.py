"""A role's workspaces side by side in tabs, each built and started the first time it is shown.

A workspace is built in one turn of the event loop and started (its first rows shown) in the
next: both in one turn froze the window at log-in and at a tab's first opening for 100 to
300 ms (`bench/dec_gui_probe.py`); apart, the window paints in between and each turn stays
short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


class WorkspaceTabs(QTabWidget):
    """Signals:
    page_changed(): another tab or another page of a tab is shown (the help pane follows).
    """

    page_changed = Signal()

    def __init__(
        self, tabs: Sequence[tuple[str, Callable[[], QWidget]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._factories = [factory for _, factory in tabs]
        self._built: dict[int, Any] = {}
        for title, _ in tabs:
            self.addTab(QWidget(), title)
        self.tabBar().setVisible(len(tabs) > 1)
        self.currentChanged.connect(self._on_current_changed)

    def workspace(self, index: int) -> Any:
        """The workspace of a tab, built (not started) if it was not yet."""
        if index not in self._built:
            built = self._factories[index]()
            changed = getattr(built, "page_changed", None)
            if changed is not None:
                changed.connect(self.page_changed)
            self._built[index] = built
            title, current = self.tabText(index), self.currentIndex()
            self.blockSignals(True)
            placeholder = self.widget(index)
            self.removeTab(index)
            self.insertTab(index, built, title)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
        return self._built[index]

    def current_page(self) -> QWidget | None:
        return self.currentWidget()

    def start(self) -> None:
        """Builds the current tab's workspace now and starts it in the next turn."""
        self._start_later(self.workspace(self.currentIndex()))

    def refresh(self) -> None:
        self.workspace(self.currentIndex()).refresh()

    def maybe_close(self) -> bool:
        return all(bool(w.maybe_close()) for w in self._built.values())

    def workspaces(self) -> list[Any]:
        return list(self._built.values())

    def _on_current_changed(self, index: int) -> None:
        if index < 0:
            return
        fresh = index not in self._built
        workspace = self.workspace(index)
        if fresh:
            self._start_later(workspace)
        self.page_changed.emit()

    def _start_later(self, workspace: Any) -> None:
        QTimer.singleShot(0, workspace, workspace.start)
