"""Numbers, dates and times written the French way in explanations, messages and documents
(DOMAIN §7), through Babel with the fr_FR locale: the text is the CLDR's, the same as the client's
(`client/formatting.py`), with a narrow no-break space (U+202F) between thousands.

The locale and the parsed patterns are built once: an explanation line formats several figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import DateTimePattern
from babel.dates import parse_pattern as parse_date_pattern
from babel.numbers import NumberPattern
from babel.numbers import parse_pattern as parse_number_pattern

from server_stub.rules.model import HalfDay, MealKind

LOCALE = Locale.parse("fr_FR")

_DATE: DateTimePattern = parse_date_pattern("dd/MM/y")
_TIME: DateTimePattern = parse_date_pattern("H'h'mm")
_HOUR: DateTimePattern = parse_date_pattern("H'h'")


def without_negative_zero(value: Decimal) -> Decimal:
    # -0.00 comes out of subtractions of equal amounts; nobody owes "-0,00 €".
    return value.copy_abs() if value.is_zero() else value


@lru_cache(maxsize=8)
def number_pattern(min_decimals: int) -> NumberPattern:
    return parse_number_pattern("#,##0." + "0" * min_decimals if min_decimals else "#,##0")


def format_number(value: Decimal | int, min_decimals: int = 0) -> str:
    """`1 234,5`: grouped thousands, at least `min_decimals` decimals, never fewer than the value
    needs (a rate of 4,1175 € keeps its four decimals): nothing is rounded here."""
    if isinstance(value, Decimal):
        value = without_negative_zero(value)
    text: str = number_pattern(min_decimals).apply(value, LOCALE, decimal_quantization=False)
    return text


@lru_cache(maxsize=4096)
def format_date(day: dt.date) -> str:
    """`12/06/2026` (kept: a batch's thousands of messages and audit entries share a few days)."""
    return _DATE.apply(day, LOCALE)


def format_time(moment: dt.time) -> str:
    """`14h30`, and `11h` on the hour."""
    return (_TIME if moment.minute else _HOUR).apply(moment, LOCALE)


def format_duration(minutes: int) -> str:
    """`4 h`, `2 h 20 min`, `45 min`."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{format_number(hours)} h"
    if not hours:
        return f"{rest} min"
    return f"{format_number(hours)} h {rest} min"


def plural(count: int, singular: str, plural_form: str) -> str:
    """`1 copie`, `42 copies`, `1 200 copies` (French: 0 and 1 take the singular, CLDR)."""
    word = singular if LOCALE.plural_form(abs(count)) == "one" else plural_form
    return f"{format_number(count)} {word}"


MEAL_NAMES: dict[MealKind, str] = {MealKind.LUNCH: "déjeuner", MealKind.DINNER: "dîner"}
HALF_DAY_NAMES: dict[HalfDay, str] = {HalfDay.MORNING: "matin", HalfDay.AFTERNOON: "après-midi"}
