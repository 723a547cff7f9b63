"""Step 3, « Repas et nuitées »: the meals and nights the server proposes from the trips' times,
each to be confirmed, with the administrative restaurant and the actual cost of each night.

The list follows the trips: when the times change, the server proposes again and the rows
follow, keeping what was ticked. A claim the server no longer proposes stays, with its problem
beside it, until the person unticks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from client.api.models import (
    Computation,
    Entry,
    Meal,
    MealKind,
    Night,
    Proposals,
    Statement,
)
from client.formatting import long_date
from client.ui import app_style
from client.ui.statement.fields import (
    Slot,
    money_spin,
    set_decimal,
    set_inputs_enabled,
    set_topic,
    to_decimal,
)
from client.ui.statement.page import StepPage
from client.ui.statement.steps import Step

MealKey = tuple[dt.date, MealKind]
_KIND_ORDER = {MealKind.LUNCH: 0, MealKind.DINNER: 1}


@dataclass
class _MealState:
    claimed: bool = False
    administrative_restaurant: bool = False


@dataclass
class _NightState:
    claimed: bool = False
    cost: Decimal = Decimal(0)


@dataclass
class _MealRow:
    key: MealKey
    claimed: QCheckBox
    restaurant: QCheckBox
    error: QLabel


@dataclass
class _NightRow:
    date: dt.date
    claimed: QCheckBox
    cost: QDoubleSpinBox
    error: QLabel


class MealsNightsPage(StepPage):
    step = Step.MEALS_NIGHTS
    topic = "statement.meals_nights"

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(statement, parent)
        self._proposals = statement.proposals
        self._meal_states: dict[MealKey, _MealState] = {}
        self._night_states: dict[dt.date, _NightState] = {}
        self._meal_rows: list[_MealRow] = []
        self._night_rows: list[_NightRow] = []
        self._travel_claimed = statement.entry.travel.claimed

        self.not_claimed = QLabel(
            self.tr(
                "Vous n'avez pas indiqué de frais de déplacement à l'étape « Déplacement » : "
                "aucun repas ni aucune nuitée ne peut être pris en charge."
            )
        )
        self.not_claimed.setWordWrap(True)
        self.column.addWidget(self.not_claimed)

        self.sections = QWidget()
        sections = QVBoxLayout(self.sections)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.setSpacing(app_style.PAGE_SPACING)

        meals_title = app_style.section_title(self.tr("Repas"))
        set_topic(meals_title, "statement.meals")
        sections.addWidget(meals_title)
        sections.addWidget(
            self.note_label(
                self.tr(
                    "D'après les horaires de vos trajets, vous étiez en mission pendant toute la "
                    "plage de ces repas. Cochez ceux que vous avez pris à vos frais, et précisez "
                    "si vous avez pu déjeuner ou dîner dans un restaurant administratif."
                )
            )
        )
        self.meals_box = app_style.card()
        set_topic(self.meals_box, "statement.meals")
        self.meals_grid = QGridLayout(self.meals_box)
        self.meals_grid.setVerticalSpacing(2)
        sections.addWidget(self.meals_box)
        self.no_meal = self.note_label(
            self.tr(
                "Aucun repas n'est proposé : d'après les horaires de vos trajets, vous n'étiez "
                "en mission pendant aucune plage de repas complète."
            )
        )
        sections.addWidget(self.no_meal)

        nights_title = app_style.section_title(self.tr("Nuitées"))
        set_topic(nights_title, "statement.nights")
        sections.addWidget(nights_title)
        sections.addWidget(
            self.note_label(
                self.tr(
                    "Une nuitée est proposée lorsque vous étiez en mission toute la nuit. "
                    "Indiquez son coût réel, petit déjeuner compris, tel qu'il figure sur la "
                    "facture acquittée : il est remboursé dans la limite d'un plafond."
                )
            )
        )
        self.nights_box = app_style.card()
        set_topic(self.nights_box, "statement.nights")
        self.nights_grid = QGridLayout(self.nights_box)
        self.nights_grid.setVerticalSpacing(2)
        sections.addWidget(self.nights_box)
        self.no_night = self.note_label(
            self.tr(
                "Aucune nuitée n'est proposée : d'après les horaires de vos trajets, vous "
                "n'étiez pas en mission pendant toute une nuit."
            )
        )
        sections.addWidget(self.no_night)
        self.column.addWidget(self.sections)
        self.column.addStretch(1)
        self._show_claimed()

    # --- rows -----------------------------------------------------------------------------

    @staticmethod
    def _meal_name(key: MealKey) -> str:
        day, kind = key
        tr = MealsNightsPage._tr
        if kind is MealKind.LUNCH:
            return tr("Déjeuner du {0}").format(long_date(day))
        return tr("Dîner du {0}").format(long_date(day))

    @staticmethod
    def _night_name(day: dt.date) -> str:
        return MealsNightsPage._tr("Nuit du {0} au {1}").format(
            long_date(day), long_date(day + dt.timedelta(days=1))
        )

    @staticmethod
    def _tr(text: str) -> str:
        return QCoreApplication.translate("MealsNightsPage", text)

    def _keep_states(self) -> None:
        for meal in self._meal_rows:
            self._meal_states[meal.key] = _MealState(
                meal.claimed.isChecked(), meal.restaurant.isChecked()
            )
        for night in self._night_rows:
            self._night_states[night.date] = _NightState(
                night.claimed.isChecked(), to_decimal(night.cost)
            )

    def _wanted_meals(self) -> list[MealKey]:
        keys = {(m.date, m.kind) for m in self._proposals.meals}
        keys |= {key for key, state in self._meal_states.items() if state.claimed}
        return sorted(keys, key=lambda k: (k[0], _KIND_ORDER[k[1]]))

    def _wanted_nights(self) -> list[dt.date]:
        days = set(self._proposals.nights)
        days |= {day for day, state in self._night_states.items() if state.claimed}
        return sorted(days)

    def _rebuild(self, force: bool = False) -> None:
        """Makes the rows match the proposals and the claims, keeping what was ticked."""
        self._keep_states()
        meals = self._wanted_meals()
        nights = self._wanted_nights()
        if (
            not force
            and meals == [row.key for row in self._meal_rows]
            and nights == [row.date for row in self._night_rows]
        ):
            return
        for grid in (self.meals_grid, self.nights_grid):
            while grid.count():
                item = grid.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
        self._meal_rows = []
        self._night_rows = []
        for index, key in enumerate(meals):
            state = self._meal_states.get(key, _MealState())
            claimed = QCheckBox(self._meal_name(key))
            claimed.setAccessibleName(claimed.text())
            claimed.setChecked(state.claimed)
            set_topic(claimed, "statement.meals")
            restaurant = QCheckBox(self.tr("Restaurant administratif"))
            restaurant.setAccessibleName(
                self.tr("{0} pris dans un restaurant administratif").format(self._meal_name(key))
            )
            restaurant.setChecked(state.administrative_restaurant)
            set_topic(restaurant, "statement.meals.administrative_restaurant")
            error = app_style.field_error()
            row = _MealRow(key, claimed, restaurant, error)
            self.meals_grid.addWidget(claimed, 2 * index, 0)
            self.meals_grid.addWidget(restaurant, 2 * index, 1)
            self.meals_grid.addWidget(error, 2 * index + 1, 0, 1, 2)
            claimed.toggled.connect(self._on_meal_toggled)
            restaurant.toggled.connect(self._changed)
            self._meal_rows.append(row)
        self.meals_grid.setColumnStretch(2, 1)
        for index, day in enumerate(nights):
            night_state = self._night_states.get(day, _NightState())
            claimed = QCheckBox(self._night_name(day))
            claimed.setAccessibleName(claimed.text())
            claimed.setChecked(night_state.claimed)
            set_topic(claimed, "statement.nights")
            cost_label = QLabel(self.tr("Coût réel"))
            cost = money_spin(self.tr("Coût réel de la nuit du {0}").format(long_date(day)))
            set_decimal(cost, night_state.cost)
            set_topic(cost, "statement.nights")
            cost_label.setBuddy(cost)
            error = app_style.field_error()
            self.nights_grid.addWidget(claimed, 2 * index, 0)
            self.nights_grid.addWidget(cost_label, 2 * index, 1)
            self.nights_grid.addWidget(cost, 2 * index, 2)
            self.nights_grid.addWidget(error, 2 * index + 1, 0, 1, 3)
            claimed.toggled.connect(self._on_night_toggled)
            cost.valueChanged.connect(self._changed)
            self._night_rows.append(_NightRow(day, claimed, cost, error))
        self.nights_grid.setColumnStretch(3, 1)
        self._refresh_states()

    def _on_meal_toggled(self, _checked: bool) -> None:
        self._refresh_states()
        self.edited.emit()

    def _on_night_toggled(self, checked: bool) -> None:
        self._refresh_states()
        self.edited.emit()

    def _refresh_states(self) -> None:
        editable = not self.read_only
        for meal in self._meal_rows:
            meal.claimed.setEnabled(editable)
            meal.restaurant.setEnabled(editable and meal.claimed.isChecked())
        for night in self._night_rows:
            night.claimed.setEnabled(editable)
            night.cost.setEnabled(editable and night.claimed.isChecked())
        self.meals_box.setVisible(bool(self._meal_rows))
        self.no_meal.setVisible(not self._meal_rows)
        self.nights_box.setVisible(bool(self._night_rows))
        self.no_night.setVisible(not self._night_rows)

    def meal_rows(self) -> list[tuple[MealKey, QCheckBox, QCheckBox]]:
        return [(row.key, row.claimed, row.restaurant) for row in self._meal_rows]

    def night_rows(self) -> list[tuple[dt.date, QCheckBox, QDoubleSpinBox]]:
        return [(row.date, row.claimed, row.cost) for row in self._night_rows]

    # --- travel claimed -------------------------------------------------------------------

    def set_travel_claimed(self, claimed: bool) -> None:
        self._travel_claimed = claimed
        self._show_claimed()

    def _show_claimed(self) -> None:
        self.not_claimed.setVisible(not self._travel_claimed)
        self.sections.setVisible(self._travel_claimed)

    # --- StepPage -------------------------------------------------------------------------

    def fill(self, entry: Entry) -> None:
        self._travel_claimed = entry.travel.claimed
        self._meal_states = {
            (m.date, m.kind): _MealState(True, m.administrative_restaurant)
            for m in entry.travel.meals
        }
        self._night_states = {n.date: _NightState(True, n.cost) for n in entry.travel.nights}
        self._meal_rows = []
        self._night_rows = []
        self._rebuild(force=True)
        self._show_claimed()

    def write(self, entry: Entry, slots: dict[str, Slot]) -> None:
        travel = entry.travel
        if not travel.claimed:
            # Not sent while travel is not claimed, but kept on screen in case it is again.
            travel.meals = []
            travel.nights = []
            return
        travel.meals = []
        for meal in self._meal_rows:
            if not meal.claimed.isChecked():
                continue
            path = f"meals.{len(travel.meals)}"
            where = self._meal_name(meal.key)
            slots[path] = Slot(meal.claimed, meal.error, self.step, where)
            slots[f"{path}.administrative_restaurant"] = Slot(
                meal.restaurant, meal.error, self.step, where
            )
            day, kind = meal.key
            travel.meals.append(
                Meal(date=day, kind=kind, administrative_restaurant=meal.restaurant.isChecked())
            )
        travel.nights = []
        for night in self._night_rows:
            if not night.claimed.isChecked():
                continue
            path = f"nights.{len(travel.nights)}"
            where = self._night_name(night.date)
            slots[path] = Slot(night.claimed, night.error, self.step, where)
            slots[f"{path}.cost"] = Slot(night.cost, night.error, self.step, where)
            travel.nights.append(Night(date=night.date, cost=to_decimal(night.cost)))

    def show_computation(self, computation: Computation, proposals: Proposals) -> None:
        self._proposals = proposals
        self._rebuild()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        widgets: list[QWidget] = [self.meals_box, self.nights_box]
        set_inputs_enabled(widgets, not read_only)
        self._refresh_states()

    def first_field(self) -> QWidget | None:
        if self._meal_rows:
            return self._meal_rows[0].claimed
        if self._night_rows:
            return self._night_rows[0].claimed
        return None
