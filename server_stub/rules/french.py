"""Dates, times and durations written the French way in explanations (DOMAIN §7)."""

from __future__ import annotations

import datetime as dt

from server_stub.rules.model import HalfDay, MealKind


def format_date(day: dt.date) -> str:
    """`12/06/2026`."""
    return day.strftime("%d/%m/%Y")


def format_time(moment: dt.time) -> str:
    """`14h30`, and `11h` on the hour."""
    if moment.minute:
        return f"{moment.hour}h{moment.minute:02d}"
    return f"{moment.hour}h"


def format_duration(minutes: int) -> str:
    """`4 h`, `2 h 20 min`, `45 min`."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} h"
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min"


def plural(count: int, singular: str, plural_form: str) -> str:
    """`1 copie`, `42 copies` (French: 0 and 1 take the singular)."""
    return f"{count} {singular if abs(count) < 2 else plural_form}"


MEAL_NAMES: dict[MealKind, str] = {MealKind.LUNCH: "déjeuner", MealKind.DINNER: "dîner"}
HALF_DAY_NAMES: dict[HalfDay, str] = {HalfDay.MORNING: "matin", HalfDay.AFTERNOON: "après-midi"}
