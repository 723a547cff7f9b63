"""The expected travel cost of a person at a centre: what the solver minimises (DOMAIN §5).

Pure: communes, tariffs and plain data in, an explained estimate out. The estimate follows the
rules a statement will apply, simplified because the journey is not known yet:

* nothing when the mission does not reimburse travel, or when the centre is in, or adjacent to,
  the commune of either residence (décret n° 2006-781, art. 2 and 3, and the académie's list of
  adjacent communes);
* otherwise the kilometric allowance of the person's fiscal power on 2 × the distance from the
  administrative residence (the family residence when it is the only one known), at the rate of
  the first band (the person's kilometres of the year are not known in advance);
* plus a meal for each meal window the half-day keeps the person away for entirely, counting the
  drive at an average speed both ways (windows and rate from the meal tariff of the day).

Everything the estimate assumes (speed, a default fiscal power, a round trip for an unknown
residence) is in resources/estimation.toml.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from server_stub.assignment.solver import Person, Task
from server_stub.reference.communes import distance_km
from server_stub.rules.model import Commune, HalfDay, MealKind
from server_stub.rules.money import ZERO, round_cents
from server_stub.rules.tariffs import Tariffs, TariffSet, tariffs_in_effect


@dataclass(frozen=True)
class Help:
    portal: str
    guide: str
    contact: str


@dataclass(frozen=True)
class Estimation:
    average_speed_kmh: Decimal
    default_fiscal_power: int
    unknown_residence_round_trip_km: int
    max_half_days: int
    max_copies: int
    default_lot_size: int
    load_step_cents: int
    hours: Mapping[HalfDay, tuple[dt.time, dt.time]]
    help: Help


def parse_estimation(text: str) -> Estimation:
    raw: dict[str, Any] = tomllib.loads(text)
    estimate, limits, hours, help_ = raw["estimate"], raw["limits"], raw["hours"], raw["help"]
    return Estimation(
        average_speed_kmh=Decimal(str(estimate["average_speed_kmh"])),
        default_fiscal_power=int(estimate["default_fiscal_power"]),
        unknown_residence_round_trip_km=int(estimate["unknown_residence_round_trip_km"]),
        max_half_days=int(limits["max_half_days"]),
        max_copies=int(limits["max_copies"]),
        default_lot_size=int(limits["default_lot_size"]),
        load_step_cents=int(limits["load_step_cents"]),
        hours={HalfDay(name): (window["start"], window["end"]) for name, window in hours.items()},
        help=Help(portal=help_["portal"], guide=help_["guide"], contact=help_["contact"]),
    )


@cache
def packaged_estimation() -> Estimation:
    text = resources.files("server_stub.assignment.resources").joinpath("estimation.toml")
    return parse_estimation(text.read_text(encoding="utf-8"))


class Basis(StrEnum):
    """On what the estimate rests."""

    TRAVEL = "TRAVEL"
    SAME_COMMUNE = "SAME_COMMUNE"
    ADJACENT = "ADJACENT"
    NOT_REIMBURSABLE = "NOT_REIMBURSABLE"
    UNKNOWN_RESIDENCE = "UNKNOWN_RESIDENCE"


@dataclass(frozen=True)
class Home:
    administrative: Commune | None
    family: Commune | None
    fiscal_power: int | None


@dataclass(frozen=True)
class Venue:
    commune: Commune
    day: dt.date
    start: dt.time
    end: dt.time
    travel_reimbursable: bool = True


@dataclass(frozen=True)
class Estimate:
    basis: Basis
    amount: Decimal  # euros, rounded to the cent
    round_trip_km: int = 0
    kilometric: Decimal = ZERO
    rate: Decimal | None = None  # € per km
    car_class: str | None = None  # "5 CV et moins"
    meals: tuple[MealKind, ...] = ()
    meal_rate: Decimal = ZERO
    origin: Commune | None = None  # where the journey starts
    residence: Commune | None = None  # the residence that makes travel free

    @property
    def cents(self) -> int:
        return int(self.amount * 100)


def estimate(
    home: Home,
    venue: Venue,
    *,
    rates: TariffSet,
    adjacent: frozenset[frozenset[str]],
    estimation: Estimation,
    round_trip_km: int | None = None,
) -> Estimate:
    """The estimate for `home` at `venue`, on the tariffs in force that day (`rates`).

    `round_trip_km` spares the distance when the caller already knows it.
    """
    if not venue.travel_reimbursable:
        return Estimate(Basis.NOT_REIMBURSABLE, ZERO)
    where = venue.commune
    for residence in (home.administrative, home.family):
        if residence is None:
            continue
        if residence.insee == where.insee:
            return Estimate(Basis.SAME_COMMUNE, ZERO, residence=residence)
        if frozenset((residence.insee, where.insee)) in adjacent:
            return Estimate(Basis.ADJACENT, ZERO, residence=residence)

    origin = home.administrative or home.family
    if origin is None:
        basis = Basis.UNKNOWN_RESIDENCE
        round_trip = estimation.unknown_residence_round_trip_km
    else:
        basis = Basis.TRAVEL
        round_trip = (
            round(2 * distance_km(origin, where)) if round_trip_km is None else round_trip_km
        )
    car_class = rates.kilometric.car_class(home.fiscal_power or estimation.default_fiscal_power)
    rate = car_class.rates[0]
    kilometric = round_cents(Decimal(round_trip) * rate)

    # Away from the start of the drive there to the end of the drive back, in minutes.
    drive = round(Decimal(round_trip) / 2 / estimation.average_speed_kmh * 60)
    leave = _minutes(venue.start) - drive
    back = _minutes(venue.end) + drive
    meals = tuple(
        kind
        for kind, window in rates.meals.windows.items()
        if leave <= _minutes(window.start) and back >= _minutes(window.end)
    )
    meal_rate = rates.meals.rate
    amount = kilometric + round_cents(meal_rate * len(meals))
    return Estimate(
        basis=basis,
        amount=amount,
        round_trip_km=round_trip,
        kilometric=kilometric,
        rate=rate,
        car_class=car_class.label,
        meals=meals,
        meal_rate=meal_rate,
        origin=origin,
    )


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


class EstimatedCosts:
    """The solver's cost model: people's homes and the needs' venues, estimates cached.

    People sharing residences and car share their estimates, distances are computed once per pair
    of communes and tariffs once per day: an académie costs a few seconds.
    """

    def __init__(
        self,
        homes: Mapping[int, Home],
        venues: Mapping[int, Venue],
        *,
        tariffs: Tariffs | None = None,
        adjacent: frozenset[frozenset[str]] = frozenset(),
        estimation: Estimation | None = None,
    ) -> None:
        self.homes = homes
        self.venues = venues
        self.tariffs = tariffs or tariffs_in_effect()
        self.adjacent = adjacent
        self.estimation = estimation or packaged_estimation()
        self._cache: dict[tuple[tuple[str, str, int], int], Estimate] = {}
        self._keys: dict[int, tuple[str, str, int]] = {}
        self._days: dict[dt.date, TariffSet] = {}
        self._distances: dict[tuple[str, str], int] = {}

    def estimate(self, person_id: int, need_id: int) -> Estimate:
        key = self._keys.get(person_id)
        home = self.homes.get(person_id) or _NOWHERE
        if key is None:
            key = self._keys[person_id] = (
                home.administrative.insee if home.administrative else "",
                home.family.insee if home.family else "",
                home.fiscal_power or 0,
            )
        found = self._cache.get((key, need_id))
        if found is None:
            venue = self.venues[need_id]
            rates = self._days.get(venue.day)
            if rates is None:
                rates = self._days[venue.day] = self.tariffs.at(venue.day)
            round_trip = None
            origin = home.administrative or home.family
            if origin is not None:
                pair = (origin.insee, venue.commune.insee)
                round_trip = self._distances.get(pair)
                if round_trip is None:
                    round_trip = self._distances[pair] = round(
                        2 * distance_km(origin, venue.commune)
                    )
            found = self._cache[(key, need_id)] = estimate(
                home,
                venue,
                rates=rates,
                adjacent=self.adjacent,
                estimation=self.estimation,
                round_trip_km=round_trip,
            )
        return found

    def cost_cents(self, person: Person, task: Task) -> int:
        """`CostModel`: the estimate of person `person.id` for the need `task.need_id`."""
        return self.estimate(person.id, task.need_id).cents


_NOWHERE = Home(None, None, None)
