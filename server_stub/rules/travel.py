"""Travel costs: who may claim them, and the lines of each journey (DOMAIN §5).

Décret n° 2006-781 du 3 juillet 2006: travel costs are due for a mission outside both the
administrative and the family residence (art. 2 and 3); the académie also excludes the communes
adjacent to them. A personal vehicle is paid by the kilometre (art. 10); public transport,
parking and tolls at their actual cost, on receipts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from server_stub.rules.french import format_date, format_number, format_time
from server_stub.rules.kilometres import band_label, split_into_bands
from server_stub.rules.model import (
    Commune,
    Context,
    Entry,
    Line,
    LineKind,
    Mission,
    Part,
    Person,
    TravelMode,
    Trip,
)
from server_stub.rules.money import format_euros, round_cents
from server_stub.rules.outcome import Outcome
from server_stub.rules.periods import journey_taken_elsewhere, mission_days, wall_clock
from server_stub.rules.tariffs import KilometricRates, Tariffs

TWO_WHEELERS: dict[TravelMode, str] = {
    TravelMode.MOTORCYCLE: "motocyclette de plus de 125 cm³",
    TravelMode.MOPED: "vélomoteur",
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str | None = None  # French, when not eligible and worth saying


def travel_eligibility(
    mission: Mission, person: Person, entry: Entry, context: Context
) -> Eligibility:
    """Whether this statement may carry travel costs at all."""
    if not mission.travel_reimbursable:
        return Eligibility(
            False, "Les frais de déplacement ne sont pas pris en charge pour cette mission."
        )
    if not entry.travel_claimed:
        return Eligibility(False)
    residences = [
        ("administrative", person.administrative_residence),
        ("familiale", person.family_residence),
    ]
    known = [(name, commune) for name, commune in residences if commune is not None]
    if not known:
        return Eligibility(
            False,
            "Aucune résidence n'est renseignée : le droit aux frais de déplacement "
            "ne peut pas être vérifié.",
        )
    where = mission.commune
    for name, home in known:
        if home.insee == where.insee:
            return Eligibility(
                False,
                f"La mission a lieu dans la commune de votre résidence {name} ({home.name}) : "
                "les frais de déplacement ne sont pas dus.",
            )
        if _adjacent(home, where, context):
            return Eligibility(
                False,
                f"La mission a lieu à {where.name}, commune limitrophe de votre résidence "
                f"{name} ({home.name}) : les frais de déplacement ne sont pas dus.",
            )
    return Eligibility(True)


def _adjacent(one: Commune, other: Commune, context: Context) -> bool:
    return frozenset((one.insee, other.insee)) in context.adjacent


def trip_lines(
    mission: Mission, person: Person, entry: Entry, context: Context, tariffs: Tariffs
) -> Outcome:
    """The lines of the journeys, for an eligible statement."""
    outcome = Outcome()
    payable: list[Trip] = []
    for index, trip in enumerate(entry.trips):
        if not _trip_is_valid(index, trip, mission, person, tariffs, outcome):
            continue
        depart_day = trip.depart_at.date()
        if depart_day in context.days_travelled_elsewhere:
            outcome.note(journey_taken_elsewhere(depart_day))
            continue
        payable.append(trip)

    # Car kilometres accumulate over the calendar year, in date order.
    year_km = context.car_km_before
    year = None
    for trip in sorted(payable, key=lambda t: wall_clock(t.depart_at)):
        day = trip.depart_at.date()
        rates = tariffs.at(day).kilometric
        if trip.mode is TravelMode.CAR and trip.km > 0:
            if year is not None and day.year != year:
                year_km = Decimal(0)  # a new calendar year starts a new count
            year = day.year
            outcome.lines.extend(_car_lines(trip, year_km, person.fiscal_power or 0, rates))
            outcome.vehicle_modes.add(TravelMode.CAR)
            year_km += trip.km
        elif trip.mode in TWO_WHEELERS and trip.km > 0:
            outcome.lines.append(_two_wheeler_line(trip, rates))
            outcome.vehicle_modes.add(trip.mode)
        outcome.lines.extend(_actual_cost_lines(trip, rates))
    return outcome


def _trip_is_valid(
    index: int,
    trip: Trip,
    mission: Mission,
    person: Person,
    tariffs: Tariffs,
    outcome: Outcome,
) -> bool:
    path = f"trips.{index}"
    before = len(outcome.problems)
    depart, back = wall_clock(trip.depart_at), wall_clock(trip.return_at)
    if back < depart:
        outcome.problem(
            f"{path}.return_at",
            f"Le retour ({_moment(back)}) est antérieur au départ ({_moment(depart)}).",
        )
    elif back.date() < mission.start_date or depart.date() > mission.end_date:
        outcome.problem(
            f"{path}.depart_at",
            f"Le déplacement du {format_date(depart.date())} est en dehors des dates de la "
            f"mission ({mission_days(mission)}).",
        )
    for name, amount, what in (
        ("km", trip.km, "Le kilométrage"),
        ("fare", trip.fare, "Le prix du billet"),
        ("parking", trip.parking, "Le stationnement"),
        ("tolls", trip.tolls, "Le péage"),
    ):
        if amount < 0:
            outcome.problem(f"{path}.{name}", f"{what} ne peut pas être négatif.")
    if len(outcome.problems) > before:
        return False

    rates = tariffs.at(depart.date()).kilometric
    days = (back.date() - depart.date()).days + 1
    if trip.km > rates.max_km_per_day * days:
        outcome.problem(
            f"{path}.km",
            f"Plus de {format_number(Decimal(rates.max_km_per_day))} km par jour : "
            "vérifiez le kilométrage déclaré.",
        )
    if trip.mode is TravelMode.CAR and trip.km > 0 and not (person.fiscal_power or 0) > 0:
        outcome.problem(
            f"{path}.mode",
            "La puissance fiscale de votre véhicule n'est pas renseignée : "
            "les indemnités kilométriques ne peuvent pas être calculées.",
        )
    return len(outcome.problems) == before


def _moment(moment: dt.datetime) -> str:
    return f"{format_date(moment.date())} à {format_time(moment.time())}"


def _car_lines(
    trip: Trip, year_km: Decimal, fiscal_power: int, rates: KilometricRates
) -> list[Line]:
    car_class = rates.car_class(fiscal_power)
    day = trip.depart_at.date()
    lines = []
    for segment in split_into_bands(year_km, trip.km, rates.band_limits_km):
        rate = car_class.rates[segment.band]
        band = band_label(segment.band, rates.band_limits_km)
        lines.append(
            Line(
                part=Part.TRAVEL,
                kind=LineKind.KILOMETRIC,
                label=f"Indemnités kilométriques du {format_date(day)}",
                quantity=segment.km,
                unit_rate=rate,
                amount=round_cents(segment.km * rate),
                explanation=(
                    f"{format_number(segment.km)} km × {format_euros(rate)} "
                    f"({car_class.label}, tranche {band} ; kilomètres "
                    f"{format_number(segment.year_km_before)} à "
                    f"{format_number(segment.year_km_after)} de l'année)"
                ),
                rule=f"Indemnités kilométriques, véhicule de {car_class.label}, tranche {band}",
                legal_text=rates.info.source,
                tariff_version=rates.info.version,
                date=day,
            )
        )
    return lines


def _two_wheeler_line(trip: Trip, rates: KilometricRates) -> Line:
    rate = rates.two_wheeler_rates[trip.mode]
    day = trip.depart_at.date()
    return Line(
        part=Part.TRAVEL,
        kind=LineKind.KILOMETRIC,
        label=f"Indemnités kilométriques du {format_date(day)}",
        quantity=trip.km,
        unit_rate=rate,
        amount=round_cents(trip.km * rate),
        explanation=(
            f"{format_number(trip.km)} km × {format_euros(rate)} ({TWO_WHEELERS[trip.mode]})"
        ),
        rule=f"Indemnités kilométriques, {TWO_WHEELERS[trip.mode]}",
        legal_text=rates.info.source,
        tariff_version=rates.info.version,
        date=day,
    )


def _actual_cost_lines(trip: Trip, rates: KilometricRates) -> list[Line]:
    """Fares, parking and tolls, reimbursed at their actual cost on receipts."""
    day = trip.depart_at.date()
    costs = (
        (LineKind.FARE, trip.fare, "Transport en commun", "Billet"),
        (LineKind.PARKING, trip.parking, "Stationnement", "Stationnement"),
        (LineKind.TOLLS, trip.tolls, "Péage", "Péage"),
    )
    lines = []
    for kind, cost, label, what in costs:
        if cost <= 0:
            continue
        amount = round_cents(cost)
        lines.append(
            Line(
                part=Part.TRAVEL,
                kind=kind,
                label=f"{label} du {format_date(day)}",
                quantity=Decimal(1),
                unit_rate=amount,
                amount=amount,
                explanation=f"{what} : {format_euros(amount)} (coût réel, sur justificatif)",
                rule=f"{label}, remboursement au coût réel",
                legal_text=rates.actual_costs_source,
                tariff_version=rates.info.version,
                date=day,
            )
        )
    return lines
