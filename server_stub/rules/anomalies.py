"""What the DEC should look at twice on an expense statement (anomalies), explained in French.

Pure functions over plain data: the service gathers the facts (`StatementFacts`), the rules
answer the anomalies, each with a stable code, a French sentence and the field it concerns (a
dotted path into the entry, as the client shows problems beside the field). An anomaly never
changes an amount and never refuses an entry: it is a reason to check. The thresholds come
from `tariffs/anomalies.toml` (académie settings, configurable).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import Any

from server_stub.rules.french import (
    HALF_DAY_NAMES,
    MEAL_NAMES,
    format_date,
    format_number,
    format_time,
    plural,
)
from server_stub.rules.model import (
    Commune,
    HalfDay,
    MealClaim,
    MissionType,
    NightClaim,
    PayDay,
    TravelMode,
    Trip,
)
from server_stub.rules.tariffs import (
    InvalidTariffFileError,
    Tariffs,
    VersionInfo,
    tariffs_in_effect,
)

__all__ = [
    "ANOMALY_LABELS",
    "INTERVENANT_ADVICE",
    "Anomaly",
    "AnomalyCode",
    "AnomalyThresholds",
    "Residences",
    "StatementFacts",
    "anomalies",
    "financial_file_problem",
    "great_circle_km",
    "packaged_thresholds",
    "parse_thresholds",
    "trip_days",
]


class AnomalyCode(StrEnum):
    COPIES_ABOVE_LOT = "COPIES_ABOVE_LOT"
    CANDIDATES_ABOVE_CAPACITY = "CANDIDATES_ABOVE_CAPACITY"
    TRAVEL_TWICE = "TRAVEL_TWICE"
    MEAL_OUTSIDE_MISSION = "MEAL_OUTSIDE_MISSION"
    NIGHT_OUTSIDE_MISSION = "NIGHT_OUTSIDE_MISSION"
    KM_EXCESSIVE = "KM_EXCESSIVE"
    NIGHT_NEAR_HOME = "NIGHT_NEAR_HOME"
    LATE_SUBMISSION = "LATE_SUBMISSION"
    RIB_MISSING = "RIB_MISSING"
    FINANCIAL_FILE = "FINANCIAL_FILE"
    DEC_CORRECTION_UNSEEN = "DEC_CORRECTION_UNSEEN"
    # Not computed from the statement: the DEC's queue shows it when the office requires the
    # constat de service fait before approval and the mission has none (dec/service.py).
    SERVICE_NOT_DONE = "SERVICE_NOT_DONE"
    MISSING_DOCUMENTS = "MISSING_DOCUMENTS"


# Short names, for the queue's filter and column.
ANOMALY_LABELS: dict[AnomalyCode, str] = {
    AnomalyCode.COPIES_ABOVE_LOT: "Copies au-delà du lot",
    AnomalyCode.CANDIDATES_ABOVE_CAPACITY: "Trop de candidats par demi-journée",
    AnomalyCode.TRAVEL_TWICE: "Déplacement déclaré deux fois le même jour",
    AnomalyCode.MEAL_OUTSIDE_MISSION: "Repas en dehors des horaires de la mission",
    AnomalyCode.NIGHT_OUTSIDE_MISSION: "Nuitée en dehors des dates de la mission",
    AnomalyCode.KM_EXCESSIVE: "Kilométrage très supérieur à la distance",
    AnomalyCode.NIGHT_NEAR_HOME: "Nuitée près de la résidence",
    AnomalyCode.LATE_SUBMISSION: "Transmis après la date limite",
    AnomalyCode.RIB_MISSING: "RIB manquant",
    AnomalyCode.FINANCIAL_FILE: "Dossier financier incomplet ou périmé",
    AnomalyCode.DEC_CORRECTION_UNSEEN: "Correction de la DEC non consultée",
    AnomalyCode.SERVICE_NOT_DONE: "Service fait non constaté",
    AnomalyCode.MISSING_DOCUMENTS: "Pièces manquantes",
}

# The same checks worded for the intervenant, who sees them before validating (the preview):
# what the DEC will look at, and what to do about it.
INTERVENANT_ADVICE: dict[AnomalyCode, str] = {
    AnomalyCode.COPIES_ABOVE_LOT: "Plus de copies que le lot prévu : vérifiez le nombre saisi.",
    AnomalyCode.CANDIDATES_ABOVE_CAPACITY: (
        "Plus de candidats que la demi-journée n'en permet : vérifiez le nombre saisi."
    ),
    AnomalyCode.TRAVEL_TWICE: (
        "Ce déplacement est déjà déclaré sur un autre état de frais : il ne sera payé qu'une fois."
    ),
    AnomalyCode.MEAL_OUTSIDE_MISSION: "Ce repas tombe en dehors des horaires de la mission.",
    AnomalyCode.NIGHT_OUTSIDE_MISSION: "Cette nuitée tombe en dehors des dates de la mission.",
    AnomalyCode.KM_EXCESSIVE: (
        "Kilométrage bien supérieur à la distance : vérifiez-le ou expliquez votre itinéraire."
    ),
    AnomalyCode.NIGHT_NEAR_HOME: "Nuitée déclarée alors que votre résidence est proche.",
    AnomalyCode.LATE_SUBMISSION: (
        "La date limite de saisie est dépassée : l'état de frais sera signalé comme transmis en "
        "retard."
    ),
    AnomalyCode.RIB_MISSING: (
        "Aucun RIB dans votre profil : vos frais ne pourront pas vous être virés tant que vous "
        "n'en aurez pas donné un."
    ),
    AnomalyCode.FINANCIAL_FILE: (
        "Votre dossier financier est à renouveler : mettez à jour vos coordonnées bancaires."
    ),
    AnomalyCode.DEC_CORRECTION_UNSEEN: "Le gestionnaire a corrigé votre décompte.",
    AnomalyCode.SERVICE_NOT_DONE: (
        "Le chef de centre n'a pas encore constaté le service fait : la DEC attendra son constat."
    ),
    AnomalyCode.MISSING_DOCUMENTS: (
        "Des pièces justificatives manquent : joignez-les ou envoyez-les par courrier."
    ),
}

_VEHICLES = frozenset({TravelMode.CAR, TravelMode.MOTORCYCLE, TravelMode.MOPED})


@dataclass(frozen=True)
class Anomaly:
    code: AnomalyCode
    message: str  # French sentence
    field: str  # dotted path into the entry ("days.0.copies", "travel.trips.1.km"), or a topic

    @property
    def label(self) -> str:
        return ANOMALY_LABELS[self.code]


@dataclass(frozen=True)
class AnomalyThresholds:
    info: VersionInfo
    half_day_minutes: int
    km_ratio: Decimal
    km_excess: Decimal
    night_near_home_km: Decimal
    financial_file_validity_days: int


@dataclass(frozen=True)
class Residences:
    """The person's residences and the one the journeys start from."""

    administrative: Commune | None
    family: Commune | None
    departure: Commune | None


@dataclass(frozen=True)
class StatementFacts:
    """Everything the checks look at, gathered by the service from the stored rows."""

    mission_type: MissionType
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    mission_commune: Commune | None
    lot_size: int | None
    minutes_per_candidate: int | None
    days: tuple[PayDay, ...]
    travel_claimed: bool
    trips: tuple[Trip, ...]  # wall-clock times of the mission
    meals: tuple[MealClaim, ...]
    nights: tuple[NightClaim, ...]
    residences: Residences
    # Days on which another live statement of the same person declares a journey: day → its id.
    other_trip_days: Mapping[dt.date, int] = field(default_factory=dict)
    submitted_on: dt.date | None = None  # local date the intervenant validated
    entry_deadline: dt.date | None = None
    externe: bool = False
    total: Decimal = Decimal("0.00")
    travel_total: Decimal = Decimal("0.00")
    iban: str | None = None
    financial_file_updated: dt.date | None = None
    last_paid: dt.date | None = None
    today: dt.date | None = None
    dec_corrected: bool = False
    # Supporting documents the statement requires, and those attached (a file) or ticked
    # received by the DEC; None: not checked (a statement still being filled).
    documents_required: tuple[str, ...] | None = None
    documents_present: frozenset[str] = frozenset()


def great_circle_km(a: Commune, b: Commune) -> Decimal:
    """Great-circle distance between two communes' centres, to the tenth of a kilometre."""
    lat_a, lat_b = math.radians(a.lat), math.radians(b.lat)
    half_dlat = (lat_b - lat_a) / 2
    half_dlng = math.radians(b.lng - a.lng) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(half_dlng) ** 2
    km = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(str(round(km, 1)))


def anomalies(
    facts: StatementFacts,
    thresholds: AnomalyThresholds | None = None,
    tariffs: Tariffs | None = None,
) -> tuple[Anomaly, ...]:
    """Every anomaly of a statement, in a stable order (the entry's order, then the others)."""
    limits = thresholds or packaged_thresholds()
    rates = tariffs or tariffs_in_effect()
    found: list[Anomaly] = []
    found += _copies_above_lot(facts)
    found += _candidates_above_capacity(facts, limits)
    if facts.travel_claimed:
        found += _travel_twice(facts)
        found += _excessive_km(facts, limits)
        found += _meals_outside_mission(facts, rates)
        found += _nights_outside_mission(facts, rates)
        found += _nights_near_home(facts, limits)
    found += _late_submission(facts)
    found += _financial_file(facts, limits)
    found += _missing_documents(facts)
    if facts.dec_corrected:
        found.append(
            Anomaly(
                AnomalyCode.DEC_CORRECTION_UNSEEN,
                "Le décompte a été corrigé par la DEC : l'intervenant n'a pas encore consulté "
                "son état de frais depuis.",
                "days",
            )
        )
    return tuple(found)


# --- pay -----------------------------------------------------------------------------------


def _copies_above_lot(facts: StatementFacts) -> list[Anomaly]:
    if facts.mission_type is not MissionType.CORRECTION or not facts.lot_size:
        return []
    counted = [(i, d) for i, d in enumerate(facts.days) if d.copies]
    copies = sum(d.copies or 0 for _, d in counted)
    if copies <= facts.lot_size:
        return []
    last_index = counted[-1][0]
    return [
        Anomaly(
            AnomalyCode.COPIES_ABOVE_LOT,
            f"{plural(copies, 'copie déclarée', 'copies déclarées')} pour un lot de "
            f"{plural(facts.lot_size, 'copie', 'copies')}.",
            f"days.{last_index}.copies",
        )
    ]


def _candidates_above_capacity(facts: StatementFacts, limits: AnomalyThresholds) -> list[Anomaly]:
    minutes = facts.minutes_per_candidate
    if facts.mission_type is not MissionType.INTERROGATION or not minutes or minutes <= 0:
        return []
    capacity = limits.half_day_minutes // minutes
    hours = format_number(Decimal(limits.half_day_minutes) / 60)
    found = []
    for index, day in enumerate(facts.days):
        for half_day in HalfDay:
            candidates = day.candidates.get(half_day, 0)
            if candidates > capacity:
                found.append(
                    Anomaly(
                        AnomalyCode.CANDIDATES_ABOVE_CAPACITY,
                        f"{plural(candidates, 'candidat', 'candidats')} le "
                        f"{format_date(day.date)} ({HALF_DAY_NAMES[half_day]}) : une "
                        f"demi-journée de {hours} h permet au plus "
                        f"{plural(capacity, 'candidat', 'candidats')} de {minutes} min.",
                        f"days.{index}.candidates.{half_day.value}",
                    )
                )
    return found


# --- travel --------------------------------------------------------------------------------


def _trip_days(trip: Trip) -> list[dt.date]:
    first, last = trip.depart_at.date(), trip.return_at.date()
    if last < first:
        return [first]
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def trip_days(trips: tuple[Trip, ...]) -> set[dt.date]:
    """Every day a journey of these trips covers (for the other statements' facts)."""
    return {day for trip in trips for day in _trip_days(trip)}


def _travel_twice(facts: StatementFacts) -> list[Anomaly]:
    found = []
    for index, trip in enumerate(facts.trips):
        for day in _trip_days(trip):
            other = facts.other_trip_days.get(day)
            if other is not None:
                found.append(
                    Anomaly(
                        AnomalyCode.TRAVEL_TWICE,
                        f"Un déplacement est aussi déclaré le {format_date(day)} sur l'état de "
                        f"frais n° {other} de la même personne.",
                        f"travel.trips.{index}",
                    )
                )
                break
    return found


def _excessive_km(facts: StatementFacts, limits: AnomalyThresholds) -> list[Anomaly]:
    origin, destination = facts.residences.departure, facts.mission_commune
    if origin is None or destination is None:
        return []
    reference = 2 * great_circle_km(origin, destination)
    found = []
    for index, trip in enumerate(facts.trips):
        if trip.mode not in _VEHICLES or trip.km <= 0:
            continue
        if trip.km > reference * limits.km_ratio and trip.km - reference > limits.km_excess:
            found.append(
                Anomaly(
                    AnomalyCode.KM_EXCESSIVE,
                    f"{format_number(trip.km)} km déclarés pour un aller-retour "
                    f"{origin.name} – {destination.name} de {format_number(reference)} km à vol "
                    f"d'oiseau (plus de {format_number(limits.km_ratio)} fois cette distance).",
                    f"travel.trips.{index}.km",
                )
            )
    return found


def _mission_span(facts: StatementFacts) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(facts.start_date, facts.start_time),
        dt.datetime.combine(facts.end_date, facts.end_time),
    )


def _meals_outside_mission(facts: StatementFacts, tariffs: Tariffs) -> list[Anomaly]:
    start, end = _mission_span(facts)
    found = []
    for index, meal in enumerate(facts.meals):
        window = tariffs.at(meal.date).meals.windows[meal.kind]
        opens = dt.datetime.combine(meal.date, window.start)
        closes = dt.datetime.combine(meal.date, window.end)
        if closes <= start or opens >= end:
            name = MEAL_NAMES[meal.kind]
            found.append(
                Anomaly(
                    AnomalyCode.MEAL_OUTSIDE_MISSION,
                    f"Le {name} du {format_date(meal.date)} ({format_time(window.start)}–"
                    f"{format_time(window.end)}) est en dehors des horaires de la mission "
                    f"({_span_text(facts)}).",
                    f"travel.meals.{index}",
                )
            )
    return found


def _nights_outside_mission(facts: StatementFacts, tariffs: Tariffs) -> list[Anomaly]:
    start, end = _mission_span(facts)
    found = []
    for index, night in enumerate(facts.nights):
        window = tariffs.at(night.date).nights.window
        morning = night.date + dt.timedelta(days=1)
        opens = dt.datetime.combine(morning, window.start)
        closes = dt.datetime.combine(morning, window.end)
        if opens < start or closes > end:
            found.append(
                Anomaly(
                    AnomalyCode.NIGHT_OUTSIDE_MISSION,
                    f"La nuitée du {format_date(night.date)} au {format_date(morning)} est en "
                    f"dehors de la mission ({_span_text(facts)}).",
                    f"travel.nights.{index}",
                )
            )
    return found


def _span_text(facts: StatementFacts) -> str:
    if facts.start_date == facts.end_date:
        return (
            f"le {format_date(facts.start_date)} de {format_time(facts.start_time)} à "
            f"{format_time(facts.end_time)}"
        )
    return (
        f"du {format_date(facts.start_date)} {format_time(facts.start_time)} au "
        f"{format_date(facts.end_date)} {format_time(facts.end_time)}"
    )


def _nights_near_home(facts: StatementFacts, limits: AnomalyThresholds) -> list[Anomaly]:
    where = facts.mission_commune
    homes = [c for c in (facts.residences.administrative, facts.residences.family) if c]
    if where is None or not homes or not facts.nights:
        return []
    home = min(homes, key=lambda h: great_circle_km(h, where))
    distance = great_circle_km(home, where)
    if distance >= limits.night_near_home_km:
        return []
    return [
        Anomaly(
            AnomalyCode.NIGHT_NEAR_HOME,
            f"Nuitée du {format_date(night.date)} alors que la résidence ({home.name}) n'est "
            f"qu'à {format_number(distance)} km de {where.name}.",
            f"travel.nights.{index}",
        )
        for index, night in enumerate(facts.nights)
    ]


# --- the statement and the person ------------------------------------------------------------


def _late_submission(facts: StatementFacts) -> list[Anomaly]:
    if facts.submitted_on is None or facts.entry_deadline is None:
        return []
    if facts.submitted_on <= facts.entry_deadline:
        return []
    return [
        Anomaly(
            AnomalyCode.LATE_SUBMISSION,
            f"Transmis le {format_date(facts.submitted_on)}, après la date limite de saisie de "
            f"la session ({format_date(facts.entry_deadline)}).",
            "submitted_at",
        )
    ]


def financial_file_problem(
    iban: str | None,
    updated: dt.date | None,
    last_paid: dt.date | None,
    today: dt.date,
    limits: AnomalyThresholds | None = None,
) -> str | None:
    """Why an externe's financial file does not allow a transfer, or None when it does.

    DOMAIN §2: required before the first payment, and again after 12 months without one.
    """
    validity = (limits or packaged_thresholds()).financial_file_validity_days
    if not iban:
        return "Intervenant externe sans dossier financier : aucun IBAN n'est renseigné."
    if updated is None:
        return "Intervenant externe : le dossier financier n'a pas été transmis."
    latest = max(updated, last_paid or dt.date.min)
    if (today - latest).days <= validity:
        return None
    return (
        f"Intervenant externe sans paiement ni mise à jour du dossier financier depuis le "
        f"{format_date(latest)} : le dossier financier est à renouveler."
    )


def _financial_file(facts: StatementFacts, limits: AnomalyThresholds) -> list[Anomaly]:
    # DOMAIN §1-2: whoever is owed a transfer needs a financial file: an externe for everything,
    # an interne for their travel costs (their indemnities go through payroll).
    if facts.externe:
        if facts.total <= 0:
            return []
        today = facts.today or facts.financial_file_updated or dt.date.min
        message = financial_file_problem(
            facts.iban, facts.financial_file_updated, facts.last_paid, today, limits
        )
    elif facts.travel_total > 0 and not facts.iban:
        message = (
            "Intervenant interne avec des frais de déplacement : aucun IBAN n'est renseigné, ses "
            "frais ne peuvent pas être virés (ses indemnités passent en paie)."
        )
    else:
        return []
    if message is None:
        return []
    code = AnomalyCode.FINANCIAL_FILE if facts.iban else AnomalyCode.RIB_MISSING
    return [Anomaly(code, message, "financial_file")]


def _missing_documents(facts: StatementFacts) -> list[Anomaly]:
    # DOMAIN §6: each expense is paid on its supporting document.
    if facts.documents_required is None:
        return []
    missing = [d for d in facts.documents_required if d not in facts.documents_present]
    if not missing:
        return []
    return [
        Anomaly(
            AnomalyCode.MISSING_DOCUMENTS,
            f"Pièces ni jointes ni reçues : {', '.join(missing)}.",
            "documents",
        )
    ]


# --- thresholds ------------------------------------------------------------------------------


def parse_thresholds(text: str) -> AnomalyThresholds:
    """The thresholds of an `anomalies.toml` text (its latest version)."""
    try:
        document = tomllib.loads(text, parse_float=Decimal)
        raw: Mapping[str, Any] = max(document["versions"], key=lambda v: v["valid_from"])
        info = VersionInfo(
            version=str(raw["version"]),
            source=str(raw["source"]),
            valid_from=raw["valid_from"],
            valid_to=raw.get("valid_to"),
        )
        thresholds = AnomalyThresholds(
            info=info,
            half_day_minutes=int(raw["half_day_minutes"]),
            km_ratio=Decimal(raw["km_ratio"]),
            km_excess=Decimal(raw["km_excess"]),
            night_near_home_km=Decimal(raw["night_near_home_km"]),
            financial_file_validity_days=int(raw["financial_file_validity_days"]),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise InvalidTariffFileError(f"anomalies.toml: {error}") from error
    if thresholds.half_day_minutes <= 0 or thresholds.km_ratio < 1:
        raise InvalidTariffFileError("anomalies.toml: half_day_minutes > 0 and km_ratio ≥ 1")
    return thresholds


@functools.cache
def packaged_thresholds() -> AnomalyThresholds:
    folder = resources.files("server_stub.rules").joinpath("tariffs")
    return parse_thresholds(folder.joinpath("anomalies.toml").read_text(encoding="utf-8"))
