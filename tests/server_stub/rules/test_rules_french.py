"""Figures, dates and times written the French way by the server, as the client writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client import formatting as client
from server_stub.rules.french import (
    format_date,
    format_duration,
    format_number,
    format_time,
    plural,
)
from server_stub.rules.money import format_euros, format_percent

NARROW_NBSP = "\u202f"  # between thousands (CLDR fr)
NBSP = "\u00a0"  # before the euro and percent signs


def test_thousands_are_separated_by_a_narrow_no_break_space() -> None:
    assert format_number(Decimal("1234567.5")) == f"1{NARROW_NBSP}234{NARROW_NBSP}567,5"
    assert format_euros(Decimal("12345.60")) == f"12{NARROW_NBSP}345,60{NBSP}€"


def test_a_figure_keeps_every_decimal_it_has_and_is_never_rounded() -> None:
    assert format_number(Decimal("4.1175"), min_decimals=2) == "4,1175"
    assert format_number(Decimal("2.50")) == "2,5"
    assert format_number(Decimal("0.125")) == "0,125"
    assert format_euros(Decimal("0.3")) == f"0,30{NBSP}€"


def test_nobody_owes_minus_zero() -> None:
    assert format_euros(Decimal("-0.00")) == f"0,00{NBSP}€"
    assert format_number(Decimal("-0")) == "0"
    assert format_euros(Decimal("-12.5")) == f"-12,50{NBSP}€"


def test_percentages() -> None:
    assert format_percent(Decimal("0.755")) == f"75,5{NBSP}%"


def test_dates_and_times() -> None:
    assert format_date(dt.date(2026, 6, 2)) == "02/06/2026"
    assert format_time(dt.time(14, 30)) == "14h30"
    assert format_time(dt.time(8, 5)) == "8h05"
    assert format_time(dt.time(11, 0)) == "11h"


def test_durations() -> None:
    assert format_duration(240) == "4 h"
    assert format_duration(140) == "2 h 20 min"
    assert format_duration(45) == "45 min"


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 copie"), (1, "1 copie"), (2, "2 copies"), (1200, f"1{NARROW_NBSP}200 copies")],
)
def test_plurals_follow_french_grammar(count: int, text: str) -> None:
    assert plural(count, "copie", "copies") == text


@given(
    st.decimals(
        min_value=Decimal("-10000000"),
        max_value=Decimal("10000000"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_the_server_writes_euros_and_figures_as_the_client_does(amount: Decimal) -> None:
    assert format_euros(amount) == client.euros(amount)
    assert format_number(amount) == client.number(amount)
    assert format_number(amount, min_decimals=2) == client.number(amount, places=2)


def test_the_server_writes_dates_as_the_client_does() -> None:
    day = dt.date(2026, 11, 27)
    assert format_date(day) == client.date_fr(day) == "27/11/2026"
