"""Euro amounts: rounding to the cent and French display.

DOMAIN §7: amounts are exact decimals; each line is rounded half-up to the cent once and
totals add rounded lines. Display is French (`1 234,56 €`), through Babel as every figure the
server writes (`rules/french.py`): formatting never rounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import NumberPattern

from server_stub.rules.french import LOCALE, without_negative_zero

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# CLDR's: "#,##0.00 ¤" and "#,##0 %", a no-break space before the sign.
_EUROS: NumberPattern = LOCALE.currency_formats["standard"]
_PERCENT: NumberPattern = LOCALE.percent_formats[None]


def round_cents(amount: Decimal) -> Decimal:
    """The amount rounded half-up to the cent (0.125 → 0.13)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of already rounded amounts, always written with two decimals."""
    return sum(amounts, ZERO).quantize(CENT)


def format_euros(amount: Decimal) -> str:
    """`1 234,56 €`: two decimals at least, more when a rate has them (Babel, fr_FR).

    An amount of at most two decimals (nearly all of them) is written directly, as Babel
    would, 30 times faster: a bank statement's messages write thousands at once."""
    value = without_negative_zero(amount)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        grouped = f"{value:,.2f}"  # "-1,234.56"
        return grouped.translate(_FRENCH_DIGITS) + _EURO_SUFFIX
    text: str = _EUROS.apply(value, LOCALE, currency="EUR", decimal_quantization=False)
    return text


# Python's "," and "." as the CLDR's fr_FR writes them: U+202F between thousands, a comma.
_FRENCH_DIGITS = str.maketrans({",": "\u202f", ".": ","})
_EURO_SUFFIX = "\u00a0€"


def format_percent(factor: Decimal) -> str:
    """A factor as a percentage: 0.75 → `75 %`."""
    text: str = _PERCENT.apply(without_negative_zero(factor), LOCALE, decimal_quantization=False)
    return text
