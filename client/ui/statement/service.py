"""Step 1, « Service fait »: what was done on each day of the mission.

What is counted depends on the mission: copies corrected (correction), candidates examined per
half-day (interrogation), hours (meeting). Some mission types are paid by the service itself
(surveillance…), and some papers give no pay (NR, evaluated during the year): nothing is typed
there, the page says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QWidget

from client.api.models import (
    Computation,
    Entry,
    HalfDay,
    MissionType,
    PayDay,
    Proposals,
    Statement,
)
from client.formatting import long_date, plural
from client.ui import app_style
from client.ui.statement.fields import (
    MAX_HOURS,
    Slot,
    count_spin,
    decimal_spin,
    set_decimal,
    set_inputs_enabled,
    set_topic,
    to_decimal,
)
from client.ui.statement.page import StepPage
from client.ui.statement.steps import Step

NO_PAY_LABEL = "Pas de frais"  # the server's pay label when the paper gives no vacation


class Counting(Enum):
    COPIES = "copies"
    CANDIDATES = "candidates"
    HOURS = "hours"
    DEC = "dec"  # the service enters the indemnity itself
    NOTHING = "nothing"  # NR paper, paper evaluated during the year


def counting(statement: Statement) -> Counting:
    mission = statement.mission
    if mission.dec_handled:
        return Counting.DEC
    if mission.pay_group == "NR" or statement.labels.pay == NO_PAY_LABEL:
        return Counting.NOTHING
    if mission.type is MissionType.CORRECTION:
        return Counting.COPIES
    if mission.type is MissionType.INTERROGATION:
        return Counting.CANDIDATES
    if mission.type in (MissionType.REUNION, MissionType.HARMONISATION):
        return Counting.HOURS
    return Counting.NOTHING


def mission_days(statement: Statement) -> list[dt.date]:
    mission = statement.mission
    days = []
    day = mission.start_date
    while day <= mission.end_date:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass
class _DayRow:
    date: dt.date
    error: QLabel
    copies: QSpinBox | None = None
    candidates: dict[HalfDay, QSpinBox] = field(default_factory=dict)
    hours: QDoubleSpinBox | None = None

    def inputs(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        if self.copies is not None:
            widgets.append(self.copies)
        widgets.extend(self.candidates.values())
        if self.hours is not None:
            widgets.append(self.hours)
        return widgets


class ServicePage(StepPage):
    step = Step.SERVICE
    topic = "statement.service"

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(statement, parent)
        self.counting = counting(statement)
        self._rows: list[_DayRow] = []
        self._other_days: list[PayDay] = []
        self.column.addWidget(
            self.note_label(
                self.tr(
                    "Indiquez, pour chaque jour de la mission, le travail effectué. Les montants "
                    "sont calculés par le serveur et s'affichent en bas de l'écran."
                )
            )
        )
        self.notes = self.note_label()
        self.notes.hide()
        if self.counting is Counting.DEC:
            message = QLabel(
                self.tr("Le service gestionnaire saisit directement l'indemnité de cette mission.")
            )
            message.setWordWrap(True)
            set_topic(message, "statement.service.dec_handled")
            message.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            message.setAccessibleName(message.text())
            self.dec_message = message
            self.column.addWidget(message)
            self.column.addWidget(
                self.note_label(
                    self.tr(
                        "Vous n'avez rien à saisir sur cette page. Renseignez vos frais de "
                        "déplacement à l'étape suivante s'ils sont pris en charge."
                    )
                )
            )
        elif self.counting is Counting.NOTHING:
            message = QLabel(
                self.tr(
                    "Cette épreuve ne donne pas lieu à une indemnité de vacation : il n'y a rien "
                    "à saisir ici."
                )
            )
            message.setWordWrap(True)
            self.column.addWidget(message)
        else:
            self.column.addWidget(self._what_is_counted())
            self.column.addWidget(self._grid())
        self.column.addWidget(self.notes)
        self.column.addStretch(1)

    def _what_is_counted(self) -> QLabel:
        mission = self.mission
        if self.counting is Counting.COPIES:
            text = self.tr("Nombre de copies corrigées chaque jour.")
            if mission.lot_size:
                text += " " + self.tr("Lot attribué : {0}.").format(
                    plural(mission.lot_size, "copie", "copies")
                )
        elif self.counting is Counting.CANDIDATES:
            text = self.tr("Nombre de candidats interrogés par demi-journée.")
            if mission.minutes_per_candidate:
                text += " " + self.tr("Durée prévue : {0} par candidat.").format(
                    plural(mission.minutes_per_candidate, "minute", "minutes")
                )
            if mission.optional_oral:
                text += " " + self.tr(
                    "Épreuve facultative : elle est rémunérée à un taux horaire réduit."
                )
        else:
            text = self.tr("Nombre d'heures de réunion chaque jour.")
        label = QLabel(text)
        label.setWordWrap(True)
        return label

    def _grid(self) -> QWidget:
        box = app_style.card()
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        headers = [self.tr("Jour")]
        if self.counting is Counting.COPIES:
            headers.append(self.tr("Copies corrigées"))
        elif self.counting is Counting.CANDIDATES:
            headers += [self.tr("Candidats le matin"), self.tr("Candidats l'après-midi")]
        else:
            headers.append(self.tr("Heures"))
        for column, text in enumerate(headers):
            header = QLabel(f"<b>{text}</b>")
            grid.addWidget(header, 0, column)
        for index, day in enumerate(mission_days(self.statement)):
            row = 1 + 2 * index
            name = long_date(day)
            label = QLabel(name[:1].upper() + name[1:])
            grid.addWidget(label, row, 0)
            day_row = _DayRow(date=day, error=app_style.field_error())
            if self.counting is Counting.COPIES:
                day_row.copies = count_spin(self.tr("Copies corrigées le {0}").format(name))
                day_row.copies.setSuffix(self.tr(" copies"))
                set_topic(day_row.copies, "statement.service.copies")
                grid.addWidget(day_row.copies, row, 1)
            elif self.counting is Counting.CANDIDATES:
                for column, (half_day, when) in enumerate(
                    (
                        (HalfDay.MORNING, self.tr("matin")),
                        (HalfDay.AFTERNOON, self.tr("après-midi")),
                    ),
                    start=1,
                ):
                    spin = count_spin(
                        self.tr("Candidats interrogés le {0} ({1})").format(name, when), 500
                    )
                    set_topic(spin, "statement.service.candidates")
                    day_row.candidates[half_day] = spin
                    grid.addWidget(spin, row, column)
            else:
                day_row.hours = decimal_spin(
                    self.tr("Heures de réunion le {0}").format(name),
                    decimals=2,
                    maximum=MAX_HOURS,
                    suffix=" h",
                )
                day_row.hours.setSingleStep(0.5)
                set_topic(day_row.hours, "statement.service.hours")
                grid.addWidget(day_row.hours, row, 1)
            label.setBuddy(day_row.inputs()[0])
            grid.addWidget(day_row.error, row + 1, 1, 1, len(headers) - 1)
            for widget in day_row.inputs():
                signal = getattr(widget, "valueChanged")  # noqa: B009
                signal.connect(self._changed)
            self._rows.append(day_row)
        grid.setColumnStretch(len(headers), 1)
        grid.addWidget(QWidget(), 0, len(headers))
        return box

    def inputs_of(self, day: dt.date) -> dict[str, QWidget]:
        """The inputs of one day, by the name of their field (`copies`, `candidates.AM`…)."""
        for row in self._rows:
            if row.date == day:
                inputs: dict[str, QWidget] = {}
                if row.copies is not None:
                    inputs["copies"] = row.copies
                for half_day, spin in row.candidates.items():
                    inputs[f"candidates.{half_day.value}"] = spin
                if row.hours is not None:
                    inputs["hours"] = row.hours
                return inputs
        return {}

    # --- StepPage -------------------------------------------------------------------------

    def fill(self, entry: Entry) -> None:
        by_date = {day.date: day for day in entry.days}
        shown = {row.date for row in self._rows}
        # Days the page cannot show (typed by the DEC, outside the mission) are kept as they are.
        self._other_days = [day for day in entry.days if day.date not in shown]
        for row in self._rows:
            day = by_date.get(row.date)
            if row.copies is not None:
                row.copies.setValue((day.copies or 0) if day else 0)
            for half_day, spin in row.candidates.items():
                spin.setValue(day.candidates.get(half_day, 0) if day else 0)
            if row.hours is not None:
                set_decimal(row.hours, day.hours if day else None)

    def write(self, entry: Entry, slots: dict[str, Slot]) -> None:
        if not self._rows:
            return  # nothing to type here: the entry keeps its days
        days = list(self._other_days)
        for row in self._rows:
            day = PayDay(date=row.date)
            if row.copies is not None and row.copies.value():
                day.copies = row.copies.value()
            for half_day, spin in row.candidates.items():
                if spin.value():
                    day.candidates[half_day] = spin.value()
            if row.hours is not None and row.hours.value():
                day.hours = to_decimal(row.hours)
            if day.copies is None and not day.candidates and day.hours is None:
                continue
            path = f"days.{len(days)}"
            where = self.tr("Service fait, {0}").format(long_date(row.date))
            first = row.inputs()[0]
            slots[path] = Slot(first, row.error, self.step, where)
            if row.copies is not None:
                slots[f"{path}.copies"] = Slot(row.copies, row.error, self.step, where)
            for half_day, spin in row.candidates.items():
                slots[f"{path}.candidates.{half_day.value}"] = Slot(
                    spin, row.error, self.step, where
                )
            if row.hours is not None:
                slots[f"{path}.hours"] = Slot(row.hours, row.error, self.step, where)
            days.append(day)
        entry.days = days

    def show_computation(self, computation: Computation, proposals: Proposals) -> None:
        if self.counting is Counting.NOTHING:
            pay_notes = [line.explanation for line in computation.lines if line.part == "PAY"]
            notes = pay_notes + computation.notes
            self.notes.setText("\n".join(notes))
            self.notes.setVisible(bool(notes))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for row in self._rows:
            set_inputs_enabled(row.inputs(), not read_only)

    def first_field(self) -> QWidget | None:
        if self._rows:
            return self._rows[0].inputs()[0]
        return getattr(self, "dec_message", None)
