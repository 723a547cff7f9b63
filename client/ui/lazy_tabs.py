"""Tabs whose pages are made the first time they are asked for, or one per turn of the event
loop once the workspace shows.

A workspace that made all its tabs at once froze the window when it opened: the DEC's
assignment (five tabs) for about 190 ms, the administration (five) for about 180 ms
(`bench/dec_gui_probe.py`). Until its page is made, a tab holds an empty place that already
names the page's help topic; the page then takes that place, with the tab's title and tooltip.

Signals:
    made(int, QWidget): the page of this tab was just made and put in place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs(QTabWidget):
    made = Signal(int, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factories: dict[int, Callable[[], QWidget]] = {}
        self._pages: dict[int, QWidget] = {}

    def add(self, title: str, factory: Callable[[], QWidget], topic: str) -> int:
        """A tab whose page `factory` makes when first needed; `topic`, its help topic."""
        placeholder = QWidget()
        placeholder.setProperty("helpTopic", topic)
        number = self.addTab(placeholder, title)
        self._factories[number] = factory
        return number

    def add_page(self, title: str, page: QWidget) -> int:
        """A tab whose page is already made."""
        number = self.addTab(page, title)
        self._pages[number] = page
        return number

    def is_made(self, number: int) -> bool:
        return number in self._pages

    def page(self, number: int) -> QWidget:
        """The page of a tab, made and put in place the first time."""
        page = self._pages.get(number)
        if page is None:
            page = self._factories[number]()
            self._pages[number] = page
            title, tip = self.tabText(number), self.tabToolTip(number)
            current, placeholder = self.currentIndex(), self.widget(number)
            self.blockSignals(True)
            self.removeTab(number)
            self.insertTab(number, page, title)
            self.setTabToolTip(number, tip)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self.made.emit(number, page)
        return page

    def current_page(self) -> QWidget:
        """The page shown, made if it was not yet (its tab was just chosen)."""
        return self.page(self.currentIndex())

    def make_the_rest_later(self) -> None:
        """Makes the pages not yet made, one per turn of the event loop."""
        missing = [n for n in self._factories if n not in self._pages]
        if missing:
            QTimer.singleShot(0, self, self._make_next)

    def _make_next(self) -> None:
        missing = [n for n in self._factories if n not in self._pages]
        if missing:
            self.page(missing[0])
        if len(missing) > 1:
            QTimer.singleShot(0, self, self._make_next)
