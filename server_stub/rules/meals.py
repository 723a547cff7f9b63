"""Meals on mission (DOMAIN §5).

Décret n° 2006-781 du 3 juillet 2006, art. 3; flat rate from the arrêté du 3 juillet 2006 as
amended (15,25 €, 17,50 € from 01/01/2020, 20,00 € from 22/09/2023). A meal is due when the
agent is on mission for the whole of its window; the rate is halved when an administrative
restaurant was available.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from server_stub.rules.french import MEAL_NAMES, format_date, format_time
from server_stub.rules.model import (
    Context,
    Entry,
    Line,
    LineKind,
    MealClaim,
    MealKind,
    Mission,
    Part,
    Trip,
)
from server_stub.rules.money import format_euros, format_percent, round_cents
from server_stub.rules.outcome import Outcome
from server_stub.rules.periods import (
    covered,
    journey_taken_elsewhere,
    outside_mission_message,
    wall_clock,
    within_mission,
)
from server_stub.rules.tariffs import MealRates, Tariffs, tariffs_in_effect


def meal_window(day: dt.date, kind: MealKind, rates: MealRates) -> tuple[dt.datetime, dt.datetime]:
    window = rates.windows[kind]
    return dt.datetime.combine(day, window.start), dt.datetime.combine(day, window.end)


def proposed_meals(trips: Sequence[Trip], tariffs: Tariffs | None = None) -> list[MealClaim]:
    """The meals the trips' times make due, for a client to propose (none is claimed)."""
    tariffs = tariffs or tariffs_in_effect()
    spans = _spans(trips)
    proposals = []
    for day in sorted({day for start, end in spans for day in _days(start.date(), end.date())}):
        rates = tariffs.at(day).meals
        for kind in MealKind:
            if covered(spans, *meal_window(day, kind, rates)):
                proposals.append(MealClaim(date=day, kind=kind))
    return proposals


def meal_lines(
    mission: Mission, entry: Entry, context: Context, tariffs: Tariffs, travel_eligible: bool
) -> Outcome:
    """The lines of the claimed meals; a claim the trips do not justify is a problem."""
    outcome = Outcome()
    spans = _spans(entry.trips)
    seen: set[tuple[dt.date, MealKind]] = set()
    for index, claim in enumerate(entry.meals):
        path = f"meals.{index}"
        meal = f"{MEAL_NAMES[claim.kind]} du {format_date(claim.date)}"
        if not within_mission(mission, claim.date):
            outcome.problem(path, outside_mission_message(mission, claim.date))
            continue
        if (claim.date, claim.kind) in seen:
            outcome.problem(path, f"Le {meal} est déjà demandé.")
            continue
        seen.add((claim.date, claim.kind))
        if not travel_eligible:
            outcome.problem(
                path, f"Le {meal} n'est pas dû : les frais de déplacement ne sont pas dus."
            )
            continue
        if claim.date in context.days_travelled_elsewhere:
            outcome.note(journey_taken_elsewhere(claim.date))
            continue
        rates = tariffs.at(claim.date).meals
        if not covered(spans, *meal_window(claim.date, claim.kind, rates)):
            window = rates.windows[claim.kind]
            outcome.problem(
                path,
                f"Le {meal} n'est pas dû : il faut être en mission de "
                f"{format_time(window.start)} à {format_time(window.end)}.",
            )
            continue
        outcome.lines.append(_meal_line(claim, rates))
    return outcome


def _meal_line(claim: MealClaim, rates: MealRates) -> Line:
    window = rates.windows[claim.kind]
    name = MEAL_NAMES[claim.kind]
    if claim.administrative_restaurant:
        # Halved when the agent could eat in an administrative restaurant.
        factor = rates.administrative_restaurant_factor
        rate = rates.rate * factor
        explanation = (
            f"{format_euros(rates.rate)} × {format_percent(factor)} "
            f"(restaurant administratif) = {format_euros(round_cents(rate))}"
        )
    else:
        rate = rates.rate
        explanation = f"Repas forfaitaire : {format_euros(rate)}"
    return Line(
        part=Part.TRAVEL,
        kind=LineKind.MEAL,
        label=f"{name.capitalize()} du {format_date(claim.date)}",
        quantity=Decimal(1),
        unit_rate=rate,
        amount=round_cents(rate),
        explanation=explanation,
        rule=(
            f"Repas, en mission de {format_time(window.start)} à {format_time(window.end)}"
            + (", restaurant administratif" if claim.administrative_restaurant else "")
        ),
        legal_text=rates.info.source,
        tariff_version=rates.info.version,
        date=claim.date,
    )


def _spans(trips: Sequence[Trip]) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = [(wall_clock(t.depart_at), wall_clock(t.return_at)) for t in trips]
    return [(start, end) for start, end in spans if start <= end]


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
