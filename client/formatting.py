"""Money, numbers, dates and plurals written the French way (DOMAIN §7), Qt-free.

Everything goes through Babel with the fr_FR locale, so the text is the CLDR's: a narrow
no-break space (U+202F) between thousands and a no-break space (U+00A0) before the euro sign.
The locale and the parsed patterns are built once: these functions run for every table cell.

Formatting never rounds. Amounts arrive already rounded to the cent by the server (each line
once, half-up); a value with more decimals, such as a rate of 4,1175 €, is shown in full rather
than silently rounded half-even as Babel would by default.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern
from babel.numbers import NumberPattern
from babel.numbers import parse_pattern as parse_number_pattern

LOCALE = Locale.parse("fr_FR")
CURRENCY = "EUR"

_EUROS: NumberPattern = LOCALE.currency_formats["standard"]
_SHORT_DATE: DateTimePattern = parse_pattern("dd/MM/y")
_LONG_DATE: DateTimePattern = parse_pattern(LOCALE.date_formats["full"].pattern)
_TIME: DateTimePattern = parse_pattern("H'h'mm")


def _without_negative_zero(value: Decimal) -> Decimal:
    # -0.00 comes out of subtractions of equal amounts; nobody owes "-0,00 €".
    return value.copy_abs() if value.is_zero() else value


def euros(amount: Decimal) -> str:
    """`1 234,56 €`: two decimals at least, every decimal the value has, never rounded."""
    text: str = _EUROS.apply(
        _without_negative_zero(amount), LOCALE, currency=CURRENCY, decimal_quantization=False
    )
    return text


@lru_cache(maxsize=16)
def _number_pattern(places: int) -> NumberPattern:
    return parse_number_pattern("#,##0." + "0" * places if places else "#,##0")


def number(value: Decimal | int, places: int = 0) -> str:
    """`1 234,5`: grouped thousands, at least `places` decimals, never rounded."""
    if places < 0:
        raise ValueError(f"places must be positive or zero, not {places}")
    if isinstance(value, Decimal):
        value = _without_negative_zero(value)
    text: str = _number_pattern(places).apply(value, LOCALE, decimal_quantization=False)
    return text


def date_fr(day: dt.date) -> str:
    """`27/11/2026`."""
    return _SHORT_DATE.apply(day, LOCALE)


def long_date(day: dt.date) -> str:
    """`vendredi 27 novembre 2026`."""
    return _LONG_DATE.apply(day, LOCALE)


def time_fr(moment: dt.time) -> str:
    """`14h30`, `8h00`."""
    return _TIME.apply(moment, LOCALE)


def period(start: dt.date, end: dt.date) -> str:
    """`du 15/06/2026 au 17/06/2026`, or `le 15/06/2026` for a single day."""
    if start == end:
        return f"le {date_fr(start)}"
    return f"du {date_fr(start)} au {date_fr(end)}"


def deadline_fr(deadline: dt.date, days_left: int) -> str:
    """`31/08/2026 (dans 61 jours)`, `(aujourd'hui)`, `(dépassée depuis 3 jours)`: the
    session's entry deadline and where today stands."""
    if days_left > 0:
        when = f"dans {plural(days_left, 'jour', 'jours')}"
    elif days_left == 0:
        when = "aujourd'hui"
    else:
        when = f"dépassée depuis {plural(-days_left, 'jour', 'jours')}"
    return f"{date_fr(deadline)} ({when})"


def plural(count: int | Decimal, singular: str, plural_form: str) -> str:
    """`1 copie`, `42 copies`, `0 copie`, `1,5 heure`: French takes the singular below 2
    (CLDR)."""
    word = singular if LOCALE.plural_form(Decimal(count).copy_abs()) == "one" else plural_form
    return f"{number(count)} {word}"
