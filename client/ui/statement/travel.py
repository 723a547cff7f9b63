"""Step 2, « Déplacement »: whether travel costs are claimed, from which residence, and the trips.

A trip is one round trip from the residence to the mission and back: when it left, when it came
back, how, how far (the server suggests a great-circle distance) and what it cost on receipts.
The times also decide which meals and nights the server proposes at the next step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from client.api.models import (
    Computation,
    Entry,
    Proposals,
    Residence,
    Statement,
    TravelMode,
    Trip,
)
from client.formatting import number
from client.ui import app_style
from client.ui.statement.fields import (
    Slot,
    date_edit,
    decimal_spin,
    from_qdate,
    from_qtime,
    money_spin,
    set_decimal,
    set_inputs_enabled,
    set_topic,
    time_edit,
    to_decimal,
    to_qdate,
    to_qtime,
)
from client.ui.statement.page import StepPage
from client.ui.statement.service import mission_days
from client.ui.statement.steps import Step

VEHICLES = frozenset({TravelMode.CAR, TravelMode.MOTORCYCLE, TravelMode.MOPED})
MAX_TRIPS = 62  # the server's limit (server_stub/statements/schemas.py)


def mode_labels() -> list[tuple[TravelMode, str]]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("TripRow", text)

    return [
        (TravelMode.CAR, tr("Véhicule personnel")),
        (TravelMode.MOTORCYCLE, tr("Moto de plus de 125 cm³")),
        (TravelMode.MOPED, tr("Cyclomoteur")),
        (TravelMode.PUBLIC_TRANSPORT, tr("Transports en commun")),
    ]


class TripRow(QFrame):
    """One round trip.

    Signals:
        changed(): a value changed.
        remove_requested(object): the person asked to remove this trip.
    """

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, first_day: dt.date, last_day: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        set_topic(self, "statement.travel")
        self.number = 1
        self.title = QLabel()
        self.remove = QPushButton(self.tr("Supprimer ce trajet"))
        set_topic(self.remove, "statement.travel")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

        self.depart_date = date_edit(self.tr("Date de départ"), first_day, last_day)
        self.depart_time = time_edit(self.tr("Heure de départ"))
        self.return_date = date_edit(self.tr("Date de retour"), first_day, last_day)
        self.return_time = time_edit(self.tr("Heure de retour"))
        for moment in (self.depart_date, self.depart_time, self.return_date, self.return_time):
            set_topic(moment, "statement.travel.times")
        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("Moyen de transport"))
        for mode, label in mode_labels():
            self.mode.addItem(label, mode.value)
        set_topic(self.mode, "statement.travel.mode")
        self.km = decimal_spin(self.tr("Kilomètres aller-retour"), decimals=1, suffix=" km")
        set_topic(self.km, "statement.travel.km")
        self.km_hint = app_style.hint()
        self.km_hint.setWordWrap(True)
        self.use_road = QPushButton()
        self.use_road.setToolTip(
            self.tr("Reporter l'estimation par la route ; corrigez-la selon votre trajet réel.")
        )
        set_topic(self.use_road, "statement.travel.km")
        self.use_road.clicked.connect(self._on_use_road)
        self.use_road.hide()
        self._road_km: Decimal | None = None
        self.fare = money_spin(self.tr("Prix du billet"))
        set_topic(self.fare, "statement.travel.fare")
        self.parking = money_spin(self.tr("Stationnement"))
        self.tolls = money_spin(self.tr("Péage"))
        for widget in (self.parking, self.tolls):
            set_topic(widget, "statement.travel.parking_tolls")
        self.times_error = app_style.field_error()
        self.mode_error = app_style.field_error()
        self.km_error = app_style.field_error()
        self.costs_error = app_style.field_error()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.remove)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self._line(grid, 0, self.tr("&Départ le"), self.depart_date, self.tr("à"), self.depart_time)
        self._line(grid, 1, self.tr("Retour le"), self.return_date, self.tr("à"), self.return_time)
        grid.addWidget(self.times_error, 2, 1)
        self._line(grid, 3, self.tr("Moyen de transport"), self.mode)
        grid.addWidget(self.mode_error, 4, 1)
        self._line(grid, 5, self.tr("Kilomètres aller-retour"), self.km, self.use_road)
        distances = QVBoxLayout()
        distances.setSpacing(2)
        distances.addWidget(self.km_hint)
        distances.addWidget(self.km_error)
        grid.addLayout(distances, 6, 1)
        self._line(
            grid,
            7,
            self.tr("Billet"),
            self.fare,
            self.tr("Stationnement"),
            self.parking,
            self.tr("Péage"),
            self.tolls,
        )
        grid.addWidget(self.costs_error, 8, 1)
        grid.setColumnStretch(1, 1)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addLayout(grid)

        for edit in (self.depart_date, self.return_date):
            edit.dateChanged.connect(self._on_changed)
        for clock in (self.depart_time, self.return_time):
            clock.timeChanged.connect(self._on_changed)
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        for spin in (self.km, self.fare, self.parking, self.tolls):
            spin.valueChanged.connect(self._on_changed)
        self.read_only = False
        self.set_number(1)

    @staticmethod
    def _line(grid: QGridLayout, row: int, text: str, *parts: QWidget | str) -> None:
        """A label in the first column, then the fields of the line side by side; a text
        between two fields labels the one after it."""
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, row, 0)
        line = QHBoxLayout()
        line.setSpacing(8)
        buddy: QLabel | None = label
        for part in parts:
            if isinstance(part, str):
                buddy = QLabel(part)
                line.addSpacing(8)
                line.addWidget(buddy)
                continue
            if buddy is not None and not isinstance(part, QLabel):
                buddy.setBuddy(part)
                buddy = None
            line.addWidget(part)
        line.addStretch(1)
        grid.addLayout(line, row, 1)

    def _on_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _on_mode_changed(self, *_args: object) -> None:
        self.refresh_states()
        self.changed.emit()

    def set_number(self, number: int) -> None:
        self.number = number
        self.title.setText(self.tr("<b>Trajet {0}</b>").format(number))
        self.setAccessibleName(self.tr("Trajet {0}").format(number))
        self.remove.setAccessibleName(self.tr("Supprimer le trajet {0}").format(number))

    def current_mode(self) -> TravelMode:
        return TravelMode(self.mode.currentData())

    def refresh_states(self) -> None:
        """Kilometres for a vehicle, a fare for public transport: the other stays as typed
        but is neither editable nor sent."""
        mode = self.current_mode()
        editable = not self.read_only
        self.km.setEnabled(editable and mode in VEHICLES)
        self.fare.setEnabled(editable and mode is TravelMode.PUBLIC_TRANSPORT)
        self.use_road.setEnabled(self.km.isEnabled())

    def set_suggested_km(
        self, km: Decimal | None, commune: str | None, road_km: Decimal | None = None
    ) -> None:
        """The distances offered beside the kilometres, which stay the person's own figure:
        the straight line as a hint, the road estimate as a suggestion to take or not."""
        self._road_km = road_km
        if km is None:
            self.km_hint.setText(
                self.tr(
                    "Distance indicative indisponible : renseignez vos résidences dans votre "
                    "profil."
                )
            )
        else:
            since = self.tr(" depuis {0}").format(commune) if commune else ""
            text = self.tr("Aller-retour{0} : {1} km à vol d'oiseau").format(since, number(km))
            if road_km is not None:
                text += self.tr(", environ {0} km par la route (estimation).").format(
                    number(road_km)
                )
            self.km_hint.setText(text + self.tr(" Saisissez vos kilomètres réels."))
        self.use_road.setText(
            self.tr("Reprendre {0} km").format(number(road_km)) if road_km is not None else ""
        )
        self.use_road.setAccessibleName(
            self.tr("Reprendre l'estimation par la route : {0} km").format(number(road_km))
            if road_km is not None
            else ""
        )
        self.use_road.setVisible(road_km is not None and not self.read_only)
        self.km.setAccessibleDescription(self.km_hint.text())

    def _on_use_road(self) -> None:
        if self._road_km is not None:
            set_decimal(self.km, self._road_km)
            self.km.setFocus(Qt.FocusReason.OtherFocusReason)

    def trip(self) -> Trip:
        mode = self.current_mode()
        return Trip(
            depart_at=dt.datetime.combine(
                from_qdate(self.depart_date.date()), from_qtime(self.depart_time.time())
            ),
            return_at=dt.datetime.combine(
                from_qdate(self.return_date.date()), from_qtime(self.return_time.time())
            ),
            mode=mode,
            km=to_decimal(self.km) if mode in VEHICLES else Decimal(0),
            fare=to_decimal(self.fare) if mode is TravelMode.PUBLIC_TRANSPORT else Decimal(0),
            parking=to_decimal(self.parking),
            tolls=to_decimal(self.tolls),
        )

    def set_trip(self, trip: Trip) -> None:
        self.depart_date.setDate(to_qdate(trip.depart_at.date()))
        self.depart_time.setTime(to_qtime(trip.depart_at.time()))
        self.return_date.setDate(to_qdate(trip.return_at.date()))
        self.return_time.setTime(to_qtime(trip.return_at.time()))
        index = self.mode.findData(trip.mode.value)
        self.mode.setCurrentIndex(max(index, 0))
        set_decimal(self.km, trip.km)
        set_decimal(self.fare, trip.fare)
        set_decimal(self.parking, trip.parking)
        set_decimal(self.tolls, trip.tolls)
        self.refresh_states()

    def register(self, index: int, slots: dict[str, Slot]) -> None:
        path = f"trips.{index}"
        where = self.tr("Déplacement, trajet {0}").format(self.number)
        step = Step.TRAVEL
        slots[path] = Slot(self.depart_date, self.times_error, step, where)
        slots[f"{path}.depart_at"] = Slot(self.depart_date, self.times_error, step, where)
        slots[f"{path}.return_at"] = Slot(self.return_date, self.times_error, step, where)
        slots[f"{path}.depart_at.time"] = Slot(self.depart_time, self.times_error, step, where)
        slots[f"{path}.return_at.time"] = Slot(self.return_time, self.times_error, step, where)
        slots[f"{path}.mode"] = Slot(self.mode, self.mode_error, step, where)
        slots[f"{path}.km"] = Slot(self.km, self.km_error, step, where, self.km_hint.text())
        slots[f"{path}.fare"] = Slot(self.fare, self.costs_error, step, where)
        slots[f"{path}.parking"] = Slot(self.parking, self.costs_error, step, where)
        slots[f"{path}.tolls"] = Slot(self.tolls, self.costs_error, step, where)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        set_inputs_enabled([self], not read_only)
        self.refresh_states()


class TravelPage(StepPage):
    """Signals:
    claimed_changed(bool): the person ticked or unticked « J'ai engagé des frais… ».
    """

    step = Step.TRAVEL
    topic = "statement.travel"
    claimed_changed = Signal(bool)

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(statement, parent)
        self._rows: list[TripRow] = []
        self._suggested_km: Decimal | None = statement.proposals.suggested_km
        self._road_km: Decimal | None = statement.proposals.road_km
        self._commune: str | None = statement.proposals.departure_commune
        mission = self.mission

        self.claimed = QCheckBox(self.tr("J'ai engagé des frais de déplacement"))
        self.claimed.setAccessibleName(self.claimed.text())
        set_topic(self.claimed, "statement.travel.claimed")
        self.claimed_error = app_style.field_error()
        self.column.addWidget(
            self.note_label(
                self.tr(
                    "Mission à {0} ({1}). Cochez la case si vous vous êtes déplacé(e) à vos frais "
                    "pour cette mission : vos trajets, vos repas et vos nuitées pourront être "
                    "pris en charge."
                ).format(mission.commune, mission.centre)
            )
        )
        self.column.addWidget(self.claimed)
        self.column.addWidget(self.claimed_error)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(app_style.PAGE_SPACING)

        departure = QFrame()
        departure.setObjectName("card")
        set_topic(departure, "statement.travel.departure")
        departure_layout = QGridLayout(departure)
        departure_layout.addWidget(QLabel(self.tr("<b>Résidence de départ</b>")), 0, 0, 1, 3)
        self.administrative = QRadioButton(self.tr("Résidence administrative"))
        self.family = QRadioButton(self.tr("Résidence familiale"))
        self.residences = QButtonGroup(self)
        self.residences.addButton(self.administrative)
        self.residences.addButton(self.family)
        self.administrative.setChecked(True)
        for radio in (self.administrative, self.family):
            set_topic(radio, "statement.travel.departure")
            radio.setAccessibleName(radio.text())
            radio.toggled.connect(self._on_residence_toggled)
        self.commune = app_style.hint()
        departure_layout.addWidget(self.administrative, 1, 0)
        departure_layout.addWidget(self.family, 1, 1)
        departure_layout.addWidget(self.commune, 2, 0, 1, 3)
        departure_layout.setColumnStretch(2, 1)
        self.departure_error = app_style.field_error()
        departure_layout.addWidget(self.departure_error, 3, 0, 1, 3)
        details.addWidget(departure)

        self.eligibility = QLabel()
        self.eligibility.setWordWrap(True)
        self.eligibility.setObjectName("fieldError")
        self.eligibility.hide()
        details.addWidget(self.eligibility)

        details.addWidget(app_style.section_title(self.tr("Trajets (aller et retour)")))
        details.addWidget(
            self.note_label(
                self.tr(
                    "Un trajet par jour est proposé : indiquez l'heure à laquelle vous avez quitté "
                    "votre résidence et celle de votre retour (format 24 h). Ajoutez ou "
                    "supprimez des trajets selon vos déplacements réels."
                )
            )
        )
        self.trips = QVBoxLayout()
        self.trips.setSpacing(app_style.PAGE_SPACING)
        details.addLayout(self.trips)
        self.add = QPushButton(self.tr("Ajouter un trajet"))
        set_topic(self.add, "statement.travel")
        self.add.clicked.connect(self._on_add)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add)
        add_row.addStretch(1)
        details.addLayout(add_row)
        self.column.addWidget(self.details)
        self.column.addStretch(1)

        self.claimed.toggled.connect(self._on_claimed_toggled)
        self._update_commune()

    # --- trips ----------------------------------------------------------------------------

    def rows(self) -> list[TripRow]:
        return list(self._rows)

    def _new_row(self) -> TripRow:
        mission = self.mission
        row = TripRow(
            mission.start_date - dt.timedelta(days=1), mission.end_date + dt.timedelta(days=1)
        )
        row.set_suggested_km(self._suggested_km, self._commune, self._road_km)
        row.changed.connect(self._changed)
        row.remove_requested.connect(self._on_remove)
        self._rows.append(row)
        self.trips.addWidget(row)
        self._renumber()
        return row

    def _default_trip(self, day: dt.date) -> Trip:
        mission = self.mission
        return Trip(
            depart_at=dt.datetime.combine(day, mission.start_time),
            return_at=dt.datetime.combine(day, mission.end_time),
            mode=TravelMode.CAR,
            km=Decimal(0),  # the person's own figure: the estimates are offered beside it
        )

    def _on_add(self) -> None:
        if len(self._rows) >= MAX_TRIPS:
            return
        days = mission_days(self.statement)
        used = {row.trip().depart_at.date() for row in self._rows}
        day = next((d for d in days if d not in used), days[-1])
        row = self._new_row()
        row.set_trip(self._default_trip(day))
        row.set_read_only(self.read_only)
        row.depart_date.setFocus()
        self.edited.emit()

    def _on_remove(self, row: TripRow) -> None:
        index = self._rows.index(row)
        self._rows.remove(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].remove.setFocus()
        else:
            self.add.setFocus()
        self.edited.emit()

    def _renumber(self) -> None:
        for position, row in enumerate(self._rows, start=1):
            row.set_number(position)
        self.add.setEnabled(not self.read_only and len(self._rows) < MAX_TRIPS)

    def _set_trips(self, trips: list[Trip]) -> None:
        for row in self._rows:
            row.hide()
            row.deleteLater()
        self._rows = []
        for trip in trips:
            row = self._new_row()
            row.set_trip(trip)
            row.set_read_only(self.read_only)

    # --- claimed and departure ------------------------------------------------------------

    def _on_claimed_toggled(self, claimed: bool) -> None:
        if claimed and not self._rows:
            # One trip per mission day to start with, at the mission's hours.
            self._set_trips([self._default_trip(day) for day in mission_days(self.statement)])
        self.details.setVisible(claimed)
        self.claimed_changed.emit(claimed)
        self.edited.emit()

    def _on_residence_toggled(self, checked: bool) -> None:
        if checked:
            self.edited.emit()

    def departure(self) -> Residence:
        return Residence.FAMILY if self.family.isChecked() else Residence.ADMINISTRATIVE

    def _update_commune(self) -> None:
        if self._commune:
            self.commune.setText(self.tr("Commune de départ : {0}").format(self._commune))
        else:
            self.commune.setText(self.tr("Cette résidence n'est pas renseignée dans votre profil."))

    # --- StepPage -------------------------------------------------------------------------

    def fill(self, entry: Entry) -> None:
        travel = entry.travel
        self.claimed.blockSignals(True)
        self.claimed.setChecked(travel.claimed)
        self.claimed.blockSignals(False)
        self.details.setVisible(travel.claimed)
        (self.family if travel.departure is Residence.FAMILY else self.administrative).setChecked(
            True
        )
        self._set_trips(list(travel.trips))

    def write(self, entry: Entry, slots: dict[str, Slot]) -> None:
        travel = entry.travel
        travel.claimed = self.claimed.isChecked()
        travel.departure = self.departure()
        slots["claimed"] = Slot(self.claimed, self.claimed_error, self.step, self.tr("Déplacement"))
        slots["departure"] = Slot(
            self.administrative, self.departure_error, self.step, self.tr("Résidence de départ")
        )
        travel.trips = []
        for index, row in enumerate(self._rows):
            travel.trips.append(row.trip())
            row.register(index, slots)

    def show_computation(self, computation: Computation, proposals: Proposals) -> None:
        self._suggested_km = proposals.suggested_km
        self._road_km = proposals.road_km
        self._commune = proposals.departure_commune
        self._update_commune()
        for row in self._rows:
            row.set_suggested_km(self._suggested_km, self._commune, self._road_km)
        not_due = self.claimed.isChecked() and not computation.travel_eligible
        self.eligibility.setText(
            "\n".join(computation.notes)
            or self.tr("Les frais de déplacement ne sont pas dus pour cette mission.")
        )
        self.eligibility.setVisible(not_due)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        set_inputs_enabled([self.claimed, self.administrative, self.family], not read_only)
        for row in self._rows:
            row.set_read_only(read_only)
        self._renumber()

    def first_field(self) -> QWidget | None:
        return self.claimed
