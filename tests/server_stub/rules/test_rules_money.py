"""Euros rounded half-up to the cent and written the French way (DOMAIN §7)."""

import random
from decimal import Decimal

import pytest

from server_stub.rules.money import format_euros, format_percent, round_cents, total


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1234.56", "1\u202f234,56\u00a0€"),
        ("5", "5,00\u00a0€"),
        ("0.75", "0,75\u00a0€"),
        ("1234567.8", "1\u202f234\u202f567,80\u00a0€"),
        ("4.1175", "4,1175\u00a0€"),  # an exact rate keeps its decimals
        ("7.2000", "7,20\u00a0€"),
    ],
)
def test_euros_are_written_the_french_way(amount: str, text: str) -> None:
    assert format_euros(Decimal(amount)) == text


def test_half_a_cent_rounds_up() -> None:
    assert round_cents(Decimal("2.745")) == Decimal("2.75")
    assert round_cents(Decimal("0.125")) == Decimal("0.13")
    assert round_cents(Decimal("12.009375")) == Decimal("12.01")


def test_totals_have_two_decimals() -> None:
    assert str(total([])) == "0.00"
    assert str(total([Decimal("1.10"), Decimal("2.20")])) == "3.30"


def test_factor_is_written_as_a_percentage() -> None:
    assert format_percent(Decimal("0.75")) == "75\u00a0%"
    assert format_percent(Decimal("0.5")) == "50\u00a0%"


def test_the_quick_writing_of_cents_is_babels() -> None:
    """Amounts of at most two decimals skip Babel: the text must stay exactly its own."""
    from babel.numbers import format_currency

    rng = random.Random(12)
    amounts = [Decimal(v) for v in ("0", "-0.00", "0.5", "-0.01", "999.99", "1E+3", "1000")]
    amounts += [
        Decimal(rng.randrange(-(10**9), 10**9)).scaleb(-rng.choice((0, 1, 2))) for _ in range(2000)
    ]
    for amount in amounts:
        expected = format_currency(
            amount.copy_abs() if amount.is_zero() else amount,
            "EUR",
            locale="fr_FR",
            decimal_quantization=False,
        )
        assert format_euros(amount) == expected, amount
