"""The steps of a statement, and the header that shows where the person is among them."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from client.ui import app_style
from client.ui.statement.fields import set_topic


class Step(IntEnum):
    """The pages of the editor; the value is the page number a local draft remembers."""

    SERVICE = 0
    TRAVEL = 1
    MEALS_NIGHTS = 2
    RECAP = 3


def step_title(step: Step) -> str:
    tr = QCoreApplication.translate
    return {
        Step.SERVICE: tr("StepHeader", "Service fait"),
        Step.TRAVEL: tr("StepHeader", "Déplacement"),
        Step.MEALS_NIGHTS: tr("StepHeader", "Repas et nuitées"),
        Step.RECAP: tr("StepHeader", "Récapitulatif"),
    }[step]


STYLE = f"""
QPushButton[step="true"] {{
    border: 1px solid #c9d1da; border-radius: 14px; padding: 5px 14px; background: palette(base);
}}
QPushButton[step="true"]:checked {{
    background: {app_style.ACCENT_COLOUR}; color: white; border-color: {app_style.ACCENT_COLOUR};
    font-weight: bold;
}}
QPushButton[step="true"]:focus {{ border: 2px solid #5b8bd0; }}
"""


class StepHeader(QWidget):
    """1 Service fait · 2 Déplacement · 3 Repas et nuitées · 4 Récapitulatif.

    Only the steps that concern the mission are shown, numbered in order. Each is a button:
    clicking it (or pressing Space on it) goes to that page.

    Signals:
        step_chosen(int): the person asked for a step (a `Step` value).
    """

    step_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_topic(self, "statement")
        self.setAccessibleName(self.tr("Étapes de l'état de frais"))
        self.setStyleSheet(STYLE)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self.step_chosen)
        self._buttons: dict[Step, QPushButton] = {}
        self._steps: list[Step] = []

    @property
    def steps(self) -> list[Step]:
        return list(self._steps)

    def button(self, step: Step) -> QPushButton:
        return self._buttons[step]

    def set_steps(self, steps: list[Step]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                self._group.removeButton(widget)  # type: ignore[arg-type]
                widget.deleteLater()
        self._buttons.clear()
        self._steps = list(steps)
        for number, step in enumerate(steps, start=1):
            if number > 1:
                separator = QLabel("·")
                separator.setObjectName("hint")
                self._layout.addWidget(separator)
            button = QPushButton(self.tr("{0}  {1}").format(number, step_title(step)))
            button.setProperty("step", True)
            button.setCheckable(True)
            # The current step is bold: room for the bold text, so that it is never clipped.
            bold = QFont(button.font())
            bold.setBold(True)
            width = QFontMetrics(bold).horizontalAdvance(button.text())
            button.setMinimumWidth(width + 2 * 14 + 8)
            button.setAccessibleName(
                self.tr("Étape {0} sur {1} : {2}").format(number, len(steps), step_title(step))
            )
            self._group.addButton(button, int(step))
            self._buttons[step] = button
            self._layout.addWidget(button)
        self._layout.addStretch(1)

    def set_current(self, step: Step) -> None:
        button = self._buttons.get(step)
        if button is not None:
            button.setChecked(True)
        for other, each in self._buttons.items():
            number = self._steps.index(other) + 1
            state = self.tr(" (étape en cours)") if other is step else ""
            each.setAccessibleName(
                self.tr("Étape {0} sur {1} : {2}{3}").format(
                    number, len(self._steps), step_title(other), state
                )
            )
