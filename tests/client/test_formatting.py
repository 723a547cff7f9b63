"""French display of money, numbers, dates and plurals."""

import datetime as dt
from decimal import Decimal

import pytest

from client.formatting import (
    date_fr,
    deadline_fr,
    euros,
    long_date,
    number,
    period,
    plural,
    time_fr,
)

NNBSP = "\u202f"  # between thousands
NBSP = "\u00a0"  # before the euro sign


def test_euros_uses_babel_french_separators():
    assert euros(Decimal("1234.56")) == f"1{NNBSP}234,56{NBSP}€"


def test_euros_groups_millions():
    assert euros(Decimal("1000000")) == f"1{NNBSP}000{NNBSP}000,00{NBSP}€"


def test_euros_always_shows_cents():
    assert euros(Decimal("2.5")) == f"2,50{NBSP}€"
    assert euros(Decimal("20")) == f"20,00{NBSP}€"


def test_euros_of_negative_zero_has_no_sign():
    assert euros(Decimal("-0.00")) == f"0,00{NBSP}€"
    assert euros(Decimal("-0")) == f"0,00{NBSP}€"


def test_euros_keeps_a_negative_amount_negative():
    assert euros(Decimal("-12.30")) == f"-12,30{NBSP}€"


def test_euros_never_rounds_the_server_does():
    # Babel would round half-even to "0,12 €"; the rounding rule belongs to the computation.
    assert euros(Decimal("0.125")) == f"0,125{NBSP}€"
    assert euros(Decimal("4.1175")) == f"4,1175{NBSP}€"
    assert euros(Decimal("1.005")) == f"1,005{NBSP}€"


def test_number_groups_thousands_and_keeps_decimals():
    assert number(Decimal("1234.5")) == f"1{NNBSP}234,5"
    assert number(Decimal("156")) == "156"
    assert number(42) == "42"


def test_number_pads_to_the_places_asked_and_never_rounds():
    assert number(Decimal("156"), 1) == "156,0"
    assert number(Decimal("4.1175"), 2) == "4,1175"


def test_number_of_negative_zero_has_no_sign():
    assert number(Decimal("-0.0")) == "0"


def test_number_refuses_negative_places():
    with pytest.raises(ValueError):
        number(Decimal(1), -1)


def test_date_fr_is_day_month_year_with_leading_zeros():
    assert date_fr(dt.date(2026, 11, 27)) == "27/11/2026"
    assert date_fr(dt.date(2026, 1, 5)) == "05/01/2026"


def test_long_date_names_the_weekday_and_month():
    assert long_date(dt.date(2026, 11, 27)) == "vendredi 27 novembre 2026"
    assert long_date(dt.date(2026, 6, 1)) == "lundi 1 juin 2026"


def test_time_fr_writes_hours_h_minutes():
    assert time_fr(dt.time(14, 30)) == "14h30"
    assert time_fr(dt.time(8, 0)) == "8h00"
    assert time_fr(dt.time(0, 5)) == "0h05"


def test_period_of_several_days():
    assert period(dt.date(2026, 6, 15), dt.date(2026, 6, 17)) == "du 15/06/2026 au 17/06/2026"


def test_period_of_one_day():
    assert period(dt.date(2026, 6, 15), dt.date(2026, 6, 15)) == "le 15/06/2026"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 copie"),
        (1, "1 copie"),
        (2, "2 copies"),
        (42, "42 copies"),
        (1234, f"1{NNBSP}234 copies"),
    ],
)
def test_plural_takes_the_singular_for_zero_and_one(count, expected):
    assert plural(count, "copie", "copies") == expected


def test_plural_of_a_decimal_quantity():
    assert plural(Decimal("1.5"), "heure", "heures") == "1,5 heure"
    assert plural(Decimal("3.5"), "heure", "heures") == "3,5 heures"


def test_the_deadline_says_where_today_stands() -> None:
    day = dt.date(2026, 8, 31)
    assert deadline_fr(day, 61) == "31/08/2026 (dans 61 jours)"
    assert deadline_fr(day, 1) == "31/08/2026 (dans 1 jour)"
    assert deadline_fr(day, 0) == "31/08/2026 (aujourd'hui)"
    assert deadline_fr(day, -3) == "31/08/2026 (dépassée depuis 3 jours)"
