"""The inputs of the statement pages, and where a field's problem is written.

Every input the server may complain about is registered as a `Slot` under the dotted path the
server uses (`days.0.copies`, `trips.1.km`, `meals.2`): the editor finds the slot of each
problem, writes the message beside the field in red and gives the field an accessible
description, so that a screen reader says what is wrong when the field gets the focus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTime, Signal
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
    QWidget,
)

from client.formatting import number
from client.ui import app_style

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
HELP_TOPIC = "helpTopic"

# The server refuses larger values (server_stub/statements/schemas.py: Count, Amount, Km).
MAX_COUNT = 100_000
MAX_AMOUNT = 100_000
MAX_HOURS = 24
# What a box accepts as typed, far beyond any right value: a value out of the field's range is
# kept as typed and said wrong beside the field (`typed_problem`), never clamped silently.
TYPED = 9_999_999
LIMIT = "limit"


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
    spin.setRange(-TYPED, TYPED)
    spin.setProperty(LIMIT, maximum)
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
    spin.setRange(-TYPED, TYPED)
    spin.setProperty(LIMIT, maximum)
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


def typed_problem(widget: QWidget) -> str | None:
    """What is wrong with the value typed in `widget`, in French, or None: below zero, above
    the field's limit, or a time not understood."""
    if isinstance(widget, TimeField):
        if widget.parsed() is None:
            return QCoreApplication.translate(
                "fields", "Heure non reconnue « {0} » : saisissez par exemple 06:30 ou 0630."
            ).format(widget.text().strip())
        return None
    if not isinstance(widget, QSpinBox | QDoubleSpinBox) or widget.property(LIMIT) is None:
        return None
    value, limit = widget.value(), widget.property(LIMIT)
    typed = widget.cleanText()
    if value < 0:
        return QCoreApplication.translate(
            "fields", "Un nombre négatif n'est pas possible ici (saisi : {0})."
        ).format(typed)
    if value > limit:
        return QCoreApplication.translate("fields", "Au plus {0} ici (saisi : {1}).").format(
            number(int(limit)) if limit == int(limit) else number(Decimal(str(limit))), typed
        )
    return None


def typed_problems(slots: dict[str, Slot]) -> dict[str, str]:
    """The problems of the values as typed in the fields that are sent, by the slot's path."""
    found: dict[str, str] = {}
    seen: set[int] = set()
    for path, slot in slots.items():
        if id(slot.widget) in seen or not slot.widget.isEnabled():
            continue
        seen.add(id(slot.widget))
        message = typed_problem(slot.widget)
        if message:
            found[path] = message
    return found


_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[:hH.]\s*)?(\d{2})?\s*$")


def parse_time(text: str) -> dt.time | None:
    """A time as people type it: 06:30, 6:30, 0630, 630, 6h30, 6h, 18."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class TimeField(QLineEdit):
    """A time typed freely (06:30, 0630, 6h30) and shown as 06:30 once left; a time not
    understood stays as typed, `typed_problem` says so, and `time()` keeps the last good one.

    Signals:
        timeChanged(QTime): the typed time changed (to a time understood or not).
    """

    timeChanged = Signal(QTime)  # noqa: N815 (QTimeEdit's name)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last = QTime(0, 0)
        self.setAccessibleName(name)
        self.setPlaceholderText("hh:mm")
        self.setMaxLength(8)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00 h") + 24)
        self.setText("00:00")
        self.textEdited.connect(self._on_edited)
        self.editingFinished.connect(self._tidy)

    def parsed(self) -> dt.time | None:
        return parse_time(self.text())

    def time(self) -> QTime:
        moment = self.parsed()
        if moment is not None:
            self._last = QTime(moment.hour, moment.minute)
        return self._last

    def setTime(self, moment: QTime) -> None:  # noqa: N802
        self._last = QTime(moment.hour(), moment.minute())
        self.setText(moment.toString("HH:mm"))
        self.timeChanged.emit(self._last)

    def _on_edited(self, _text: str) -> None:
        self.timeChanged.emit(self.time())

    def _tidy(self) -> None:
        moment = self.parsed()
        if moment is not None and self.text() != moment.strftime("%H:%M"):
            self.setText(moment.strftime("%H:%M"))


def time_edit(name: str) -> TimeField:
    return TimeField(name)


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
