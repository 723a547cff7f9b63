"""What the client may offer the intervenant to confirm: the meals and nights the trips' times
make due, kept only where the rules would accept them as claimed.

One rule source: each candidate is put through the same `meal_lines` and `night_lines` that
compute a saved statement, with the statement's travel eligibility and the days an earlier
mission carries; a candidate they refuse or leave to another mission is not proposed (no lunch
offered for a mission in the residence commune, none on a day whose journey is claimed
elsewhere, none outside the mission's dates).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from server_stub.rules.meals import meal_lines, proposed_meals
from server_stub.rules.model import Context, Entry, MealClaim, Mission, NightClaim
from server_stub.rules.nights import night_lines, proposed_nights
from server_stub.rules.tariffs import Tariffs, tariffs_in_effect


def _refused(problems: Iterable[str], prefix: str) -> set[int]:
    """The indexes of the claims (`meals.2`, `nights.0.cost`) a problem points at."""
    found = set()
    for field in problems:
        parts = field.split(".")
        if parts[0] == prefix and len(parts) > 1 and parts[1].isdigit():
            found.add(int(parts[1]))
    return found


def accepted_meals(
    mission: Mission,
    entry: Entry,
    travel_eligible: bool,
    days_elsewhere: Iterable[dt.date],
    tariffs: Tariffs | None = None,
) -> list[MealClaim]:
    tariffs = tariffs or tariffs_in_effect()
    if not travel_eligible:
        return []
    elsewhere = frozenset(days_elsewhere)
    candidates = proposed_meals(entry.trips, tariffs)
    trial = dataclasses.replace(entry, meals=tuple(candidates))
    outcome = meal_lines(mission, trial, Context(days_travelled_elsewhere=elsewhere), tariffs, True)
    refused = _refused((p.field for p in outcome.problems), "meals")
    return [
        meal
        for index, meal in enumerate(candidates)
        if index not in refused and meal.date not in elsewhere
    ]


def accepted_nights(
    mission: Mission,
    entry: Entry,
    travel_eligible: bool,
    days_elsewhere: Iterable[dt.date],
    tariffs: Tariffs | None = None,
) -> list[dt.date]:
    tariffs = tariffs or tariffs_in_effect()
    if not travel_eligible:
        return []
    elsewhere = frozenset(days_elsewhere)
    candidates = proposed_nights(entry.trips, tariffs)
    # A placeholder cost: the person types the hotel's; only whether the night is due matters.
    trial = dataclasses.replace(
        entry, nights=tuple(NightClaim(evening, Decimal(1)) for evening in candidates)
    )
    outcome = night_lines(
        mission, False, trial, Context(days_travelled_elsewhere=elsewhere), tariffs, True
    )
    refused = _refused((p.field for p in outcome.problems), "nights")
    return [
        evening
        for index, evening in enumerate(candidates)
        if index not in refused and evening not in elsewhere
    ]
