"""The inputs of the statement pages, and where a field's problem is written.

Every input the server may complain about is registered as a `Slot` under the dotted path the
server uses (`days.0.copies`, `trips.1.km`, `meals.2`): the editor finds the slot of each
problem, writes the message beside the field in red and gives the field an accessible
description, so that a screen reader says what is wrong when the field gets the focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from client.ui import app_style

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
HELP_TOPIC = "helpTopic"

# The server refuses larger values (server_stub/statements/schemas.py: Count, Amount, Km).
MAX_COUNT = 100_000
MAX_AMOUNT = 100_000
MAX_HOURS = 24


def set_topic(widget: QWidget, topic: str) -> QWidget:
    """Names the help topic the help pane shows while `widget` (or a child) has the focus."""
    widget.setProperty(HELP_TOPIC, topic)
    return widget


def _french(spin: QAbstractSpinBox) -> None:
    spin.setLocale(FRENCH)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)


def count_spin(name: str, maximum: int = MAX_COUNT) -> QSpinBox:
    spin = QSpinBox()
    _french(spin)
    spin.setRange(0, maximum)
    spin.setGroupSeparatorShown(True)
    spin.setAccessibleName(name)
    spin.setMinimumWidth(110)
    return spin


def decimal_spin(
    name: str, *, decimals: int = 2, maximum: float = MAX_AMOUNT, suffix: str = ""
) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    _french(spin)
    spin.setDecimals(decimals)
    spin.setRange(0, maximum)
    spin.setGroupSeparatorShown(True)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    spin.setMinimumWidth(130)
    return spin


def money_spin(name: str) -> QDoubleSpinBox:
    return decimal_spin(name, decimals=2, suffix=" €")


def to_decimal(spin: QDoubleSpinBox) -> Decimal:
    """The value as typed, with the box's decimals: never a float's binary noise."""
    return Decimal(f"{spin.value():.{spin.decimals()}f}")


def set_decimal(spin: QDoubleSpinBox, value: Decimal | None) -> None:
    spin.setValue(float(value or 0))


def time_edit(name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setLocale(FRENCH)
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    return edit


def date_edit(name: str, first: dt.date, last: dt.date) -> QDateEdit:
    edit = QDateEdit()
    edit.setLocale(FRENCH)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setDateRange(to_qdate(first), to_qdate(last))
    edit.setAccessibleName(name)
    return edit


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def to_qtime(moment: dt.time) -> QTime:
    return QTime(moment.hour, moment.minute)


def from_qtime(moment: QTime) -> dt.time:
    return dt.time(moment.hour(), moment.minute())


@dataclass
class Slot:
    """A field the server may complain about, and the label that says what is wrong."""

    widget: QWidget
    error: QLabel
    step: int
    where: str  # French, for the problem summary: "Service fait, lundi 15 juin 2026"
    description: str = field(default="")

    def show(self, message: str | None) -> None:
        app_style.show_field_error(self.error, message)
        self.widget.setAccessibleDescription(message or self.description)
        self.widget.setProperty("problem", bool(message))
        # A tinted background rather than a style sheet border, which would drop the native
        # look of spin boxes and combo boxes.
        # The inner line edit of a spin box is tinted too: it does not always follow.
        for widget in [self.widget, *self.widget.findChildren(QLineEdit)]:
            if message:
                palette = widget.palette()
                palette.setColor(QPalette.ColorRole.Base, QColor(PROBLEM_BACKGROUND))
                palette.setColor(QPalette.ColorRole.Button, QColor(PROBLEM_BACKGROUND))
                widget.setPalette(palette)
            else:
                widget.setPalette(QPalette())


PROBLEM_BACKGROUND = "#fbd9d5"


def normalised(path: str) -> str:
    """The server says `trips.0.km` (rules) or `travel.trips.0.km` (input validation)."""
    return path.removeprefix("body.").removeprefix("travel.")


def find_slot(slots: dict[str, Slot], path: str) -> Slot | None:
    """The slot of a problem, or of its closest enclosing field (`days.0.candidates.AM`
    falls back on `days.0.candidates`, then `days.0`)."""
    parts = normalised(path).split(".")
    while parts:
        slot = slots.get(".".join(parts))
        if slot is not None:
            return slot
        parts.pop()
    return None


def set_inputs_enabled(widgets: Iterable[QWidget], enabled: bool) -> None:
    """Read-only pages keep their values visible but nothing can be changed."""
    for widget in widgets:
        for child in [widget, *widget.findChildren(QWidget)]:
            if isinstance(child, QAbstractSpinBox | QAbstractButton | QComboBox):
                child.setEnabled(enabled)
