"""Plain data the rules compute on, and what they answer.

Everything here is immutable and free of any framework: the service layer builds these from
the database, the rules turn them into explained lines, and the lines go back to the client as
they are. No amount is ever recomputed elsewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class MissionType(StrEnum):
    CORRECTION = "CORRECTION"
    INTERROGATION = "INTERROGATION"
    REUNION = "REUNION"
    HARMONISATION = "HARMONISATION"
    SURVEILLANCE = "SURVEILLANCE"
    SUBJECT_WRITING = "SUBJECT_WRITING"
    DELIBERATION = "DELIBERATION"


class PaperKind(StrEnum):
    WRITTEN = "WRITTEN"
    ORAL = "ORAL"
    PRACTICAL = "PRACTICAL"


class EvaluationMode(StrEnum):
    PONCTUEL = "PONCTUEL"
    IN_YEAR = "IN_YEAR"  # contrôle en cours de formation / en cours d'année


class HalfDay(StrEnum):
    MORNING = "AM"
    AFTERNOON = "PM"


class TravelMode(StrEnum):
    CAR = "CAR"
    MOTORCYCLE = "MOTORCYCLE"  # over 125 cm³
    MOPED = "MOPED"
    PUBLIC_TRANSPORT = "PUBLIC_TRANSPORT"


class Residence(StrEnum):
    ADMINISTRATIVE = "ADMINISTRATIVE"
    FAMILY = "FAMILY"


class MealKind(StrEnum):
    LUNCH = "LUNCH"
    DINNER = "DINNER"


class LineKind(StrEnum):
    COPIES = "COPIES"
    ORAL = "ORAL"
    MEETING = "MEETING"
    DIRECT_INDEMNITY = "DIRECT_INDEMNITY"
    UNPAID_PAPER = "UNPAID_PAPER"
    KILOMETRIC = "KILOMETRIC"
    FARE = "FARE"
    PARKING = "PARKING"
    TOLLS = "TOLLS"
    MEAL = "MEAL"
    NIGHT = "NIGHT"


class Part(StrEnum):
    PAY = "PAY"
    TRAVEL = "TRAVEL"


# --- what the rules are told -------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    department: str
    population: int
    lat: float
    lng: float


@dataclass(frozen=True)
class Mission:
    type: MissionType
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    commune: Commune
    travel_reimbursable: bool
    # The paper, absent for a meeting that is not tied to one.
    pay_group: str | None = None  # "1".."5" or "NR"
    paper_kind: PaperKind | None = None
    evaluation_mode: EvaluationMode = EvaluationMode.PONCTUEL
    minutes_per_candidate: int | None = None
    optional_oral: bool = False
    lot_size: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class Person:
    administrative_residence: Commune | None
    family_residence: Commune | None
    fiscal_power: int | None  # CV of the personal car
    disability: bool = False
    interne: bool = True
    # An externe's first payment, or none for 12 months: the financial file must be sent again.
    needs_financial_file: bool = False
    # Whether the financial file holds an account: an interne's travel costs are transferred.
    has_iban: bool = True


@dataclass(frozen=True)
class PayDay:
    date: dt.date
    copies: int | None = None
    # candidates examined, per half-day
    candidates: dict[HalfDay, int] = field(default_factory=dict)
    hours: Decimal | None = None


@dataclass(frozen=True)
class Trip:
    """One round trip from a residence to the mission and back."""

    depart_at: dt.datetime
    return_at: dt.datetime
    mode: TravelMode
    km: Decimal = Decimal(0)  # the whole round trip
    fare: Decimal = Decimal(0)
    parking: Decimal = Decimal(0)
    tolls: Decimal = Decimal(0)


@dataclass(frozen=True)
class MealClaim:
    date: dt.date
    kind: MealKind
    administrative_restaurant: bool = False


@dataclass(frozen=True)
class NightClaim:
    date: dt.date  # the evening the night begins
    cost: Decimal


@dataclass(frozen=True)
class Entry:
    """What the intervenant (or the DEC) typed into the statement."""

    days: tuple[PayDay, ...] = ()
    travel_claimed: bool = False
    departure: Residence = Residence.ADMINISTRATIVE
    trips: tuple[Trip, ...] = ()
    meals: tuple[MealClaim, ...] = ()
    nights: tuple[NightClaim, ...] = ()
    # Entered by the DEC for the mission types it handles itself.
    direct_indemnity: Decimal | None = None


@dataclass(frozen=True)
class Context:
    """What the rules need to know of the person's other statements and of the académie."""

    # Car kilometres already claimed by this person earlier in the same calendar year.
    car_km_before: Decimal = Decimal(0)
    # Days on which an earlier mission of the same person already carries the journey.
    days_travelled_elsewhere: frozenset[dt.date] = frozenset()
    # Pairs of INSEE codes the académie treats as adjacent (either order).
    adjacent: frozenset[frozenset[str]] = frozenset()


# --- what the rules answer ---------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    part: Part
    kind: LineKind
    label: str  # French, e.g. "Copies corrigées le 12/06/2026"
    quantity: Decimal
    unit_rate: Decimal
    amount: Decimal  # rounded half-up to the cent, once
    explanation: str  # French, e.g. "42 copies × 5,00 €"
    rule: str  # e.g. "Correction de copies, taux 5"
    legal_text: str  # e.g. "Arrêté du 13 avril 2012, art. 2"
    tariff_version: str  # e.g. "vacations-2012-04-13"
    date: dt.date | None = None


@dataclass(frozen=True)
class Problem:
    """An entry the rules refuse, with the field it concerns (a dotted path into the entry)."""

    field: str  # e.g. "days.2.copies", "trips.0.km", "meals.1"
    message: str  # French sentence


@dataclass(frozen=True)
class Computation:
    lines: tuple[Line, ...]
    pay_total: Decimal
    travel_total: Decimal
    total: Decimal
    documents: tuple[str, ...]  # French, in a stable order, no repetition
    problems: tuple[Problem, ...]
    travel_eligible: bool
    notes: tuple[str, ...] = ()  # French, informative (e.g. why there is no travel line)
    # Mission days whose journey an earlier mission of the same day carries ("Invalidable").
    travel_days_elsewhere: tuple[dt.date, ...] = ()
