"""Small widgets every screen shares."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class Level(Enum):
    INFO = ("#e8f0fe", "#1a4d8f")
    SUCCESS = ("#e6f4ea", "#1e6b34")
    WARNING = ("#fff4e5", "#8a5300")
    ERROR = ("#fdecea", "#a1231b")


class MessageBar(QWidget):
    """An inline message above the content, instead of improvised pop-ups.

    Signals:
        action_triggered(): the optional action button (e.g. "Réessayer") was pressed.
    """

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton()
        self._action.clicked.connect(self.action_triggered)
        self._close = QPushButton(self.tr("Fermer"))
        self._close.setFlat(True)
        self._close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def show_message(self, text: str, level: Level = Level.INFO, action: str | None = None) -> None:
        background, foreground = level.value
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {foreground};"
            f" border-radius: 4px; }} #messageBar QLabel {{ color: {foreground}; }}"
        )
        self._label.setText(text)
        self._action.setVisible(action is not None)
        self._action.setText(action or "")
        self.setAccessibleDescription(text)
        self.show()

    def info(self, text: str, action: str | None = None) -> None:
        self.show_message(text, Level.INFO, action)

    def success(self, text: str) -> None:
        self.show_message(text, Level.SUCCESS)

    def warning(self, text: str, action: str | None = None) -> None:
        self.show_message(text, Level.WARNING, action)

    def error(self, text: str, action: str | None = None) -> None:
        self.show_message(text, Level.ERROR, action)
