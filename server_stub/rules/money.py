"""Euro amounts: rounding to the cent and French display.

DOMAIN §7: amounts are exact decimals; each line is rounded half-up to the cent once and
totals add rounded lines. Display is French (`1 234,56 €`). This is deliberately tiny and free
of Babel: the rules only need euros, and the same text must come out on every platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# A no-break space keeps "1 234,56 €" on one line in the recap.
NBSP = "\u00a0"


def round_cents(amount: Decimal) -> Decimal:
    """The amount rounded half-up to the cent (0.125 → 0.13)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of already rounded amounts, always written with two decimals."""
    return sum(amounts, ZERO).quantize(CENT)


def format_number(value: Decimal, min_decimals: int = 0) -> str:
    """A decimal the French way: `1 234,5`; at least `min_decimals` decimals, never fewer
    than the value needs (a rate of 4,1175 € keeps its four decimals)."""
    text = format(value, "f")  # plain digits, never an exponent
    negative = text.startswith("-") and value != 0
    integer_part, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0").ljust(min_decimals, "0")
    groups: list[str] = []
    while integer_part:
        groups.insert(0, integer_part[-3:])
        integer_part = integer_part[:-3]
    result = NBSP.join(groups) or "0"
    if fraction:
        result += "," + fraction
    return f"-{result}" if negative else result


def format_euros(amount: Decimal) -> str:
    """`1 234,56 €`: two decimals at least, more when a rate has them."""
    return f"{format_number(amount, min_decimals=2)}{NBSP}€"


def format_percent(factor: Decimal) -> str:
    """A factor as a percentage: 0.75 → `75 %`."""
    return f"{format_number(factor * 100)}{NBSP}%"
