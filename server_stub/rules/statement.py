"""The one entry point: an expense statement's lines, totals, documents and problems."""

from __future__ import annotations

import datetime as dt

from server_stub.rules.documents import required_documents
from server_stub.rules.meals import meal_lines
from server_stub.rules.model import Computation, Context, Entry, Mission, Part, Person
from server_stub.rules.money import total
from server_stub.rules.nights import night_lines
from server_stub.rules.outcome import Outcome
from server_stub.rules.pay import pay_lines
from server_stub.rules.tariffs import Tariffs, tariffs_in_effect
from server_stub.rules.travel import travel_eligibility, trip_lines


def compute_statement(
    mission: Mission,
    person: Person,
    entry: Entry,
    context: Context,
    tariffs: Tariffs | None = None,
) -> Computation:
    """Compute a statement from what was typed.

    Pay uses the tariffs in force on the mission's first day; each travel line uses those in
    force on its own date. Raises `NoTariffInForceError` when a needed date has no tariff.
    """
    tariffs = tariffs or tariffs_in_effect()
    outcome = pay_lines(mission, entry, tariffs.at(mission.start_date))

    eligibility = travel_eligibility(mission, person, entry, context)
    if eligibility.reason:
        outcome.note(eligibility.reason)
    if eligibility.eligible:
        outcome.merge(trip_lines(mission, person, entry, context, tariffs))
    for part in (
        meal_lines(mission, entry, context, tariffs, eligibility.eligible),
        night_lines(mission, person.disability, entry, context, tariffs, eligibility.eligible),
    ):
        outcome.merge(part)
    elsewhere = tuple(sorted(d for d in context.days_travelled_elsewhere if mission.covers(d)))
    return _computation(outcome, person, tariffs, eligibility.eligible, elsewhere)


def _computation(
    outcome: Outcome,
    person: Person,
    tariffs: Tariffs,
    travel_eligible: bool,
    travel_days_elsewhere: tuple[dt.date, ...],
) -> Computation:
    lines = tuple(outcome.lines)
    pay_total = total(line.amount for line in lines if line.part is Part.PAY)
    travel_total = total(line.amount for line in lines if line.part is Part.TRAVEL)
    return Computation(
        lines=lines,
        pay_total=pay_total,
        travel_total=travel_total,
        total=pay_total + travel_total,
        documents=required_documents(lines, outcome.vehicle_modes, person, tariffs.document_labels),
        problems=tuple(outcome.problems),
        travel_eligible=travel_eligible,
        notes=tuple(outcome.notes),
        travel_days_elsewhere=travel_days_elsewhere,
    )
