"""Meals on mission, worked by hand from DOMAIN §5 (arrêté du 3 juillet 2006 as amended)."""

import datetime as dt
from decimal import Decimal

import pytest

from server_stub.rules.meals import proposed_meals
from server_stub.rules.model import LineKind, MealClaim, MealKind, TravelMode, Trip
from tests.server_stub.rules.rules_factories import (
    amounts,
    compute,
    day,
    mission,
    problems,
    travel,
    trip,
)

LUNCH, DINNER = MealKind.LUNCH, MealKind.DINNER


def by_train(depart: str, back: str) -> Trip:
    return trip(depart, back, TravelMode.PUBLIC_TRANSPORT)


def test_lunch_is_paid_20_euros_when_on_mission_from_11h_to_14h() -> None:
    result = compute(
        entry=travel(
            by_train("2026-06-12 11:00", "2026-06-12 14:00"),
            meals=(MealClaim(day("2026-06-12"), LUNCH),),
        )
    )
    (line,) = result.lines
    assert line.kind is LineKind.MEAL
    assert line.amount == Decimal("20.00")
    assert line.label == "Déjeuner du 12/06/2026"
    assert line.tariff_version == "repas-2023-09-22"
    assert result.documents == ()  # a meal is a flat rate: no receipt


def test_lunch_missed_by_one_minute_is_not_due() -> None:
    for depart, back in (("11:01", "18:00"), ("07:00", "13:59")):
        result = compute(
            entry=travel(
                by_train(f"2026-06-12 {depart}", f"2026-06-12 {back}"),
                meals=(MealClaim(day("2026-06-12"), LUNCH),),
            )
        )
        assert result.lines == ()
        assert problems(result) == {
            "meals.0": "Le déjeuner du 12/06/2026 n'est pas dû : il faut être en mission "
            "de 11h à 14h."
        }


def test_dinner_is_due_when_on_mission_from_18h_to_21h() -> None:
    # déjeuner 20,00 € + dîner 20,00 € = 40,00 €
    result = compute(
        entry=travel(
            by_train("2026-06-12 07:00", "2026-06-12 21:00"),
            meals=(MealClaim(day("2026-06-12"), LUNCH), MealClaim(day("2026-06-12"), DINNER)),
        )
    )
    assert amounts(result) == [Decimal("20.00"), Decimal("20.00")]
    assert result.lines[1].label == "Dîner du 12/06/2026"
    assert result.travel_total == Decimal("40.00")


def test_meal_is_halved_in_an_administrative_restaurant() -> None:
    # 20,00 € × 50 % = 10,00 €
    result = compute(
        entry=travel(
            by_train("2026-06-12 07:00", "2026-06-12 18:00"),
            meals=(MealClaim(day("2026-06-12"), LUNCH, administrative_restaurant=True),),
        )
    )
    (line,) = result.lines
    assert line.amount == Decimal("10.00")
    assert line.explanation == (
        "20,00\u00a0€ × 50\u00a0% (restaurant administratif) = 10,00\u00a0€"
    )


def test_halved_meal_of_2021_is_8_euros_75() -> None:
    # 17,50 € × 50 % = 8,75 €
    result = compute(
        mission(start=day("2021-03-15")),
        entry=travel(
            by_train("2021-03-15 07:00", "2021-03-15 18:00"),
            meals=(MealClaim(day("2021-03-15"), LUNCH, administrative_restaurant=True),),
        ),
    )
    assert amounts(result) == [Decimal("8.75")]


@pytest.mark.parametrize(
    ("on", "rate"),
    [
        ("2019-12-31", "15.25"),  # arrêté du 26 février 2019
        ("2020-01-01", "17.50"),  # arrêté du 11 octobre 2019
        ("2023-09-21", "17.50"),
        ("2023-09-22", "20.00"),  # arrêté du 20 septembre 2023
    ],
)
def test_meal_rate_is_the_one_in_force_on_its_date(on: str, rate: str) -> None:
    result = compute(
        mission(start=day(on)),
        entry=travel(
            by_train(f"{on} 10:00", f"{on} 15:00"),
            meals=(MealClaim(day(on), LUNCH),),
        ),
    )
    assert amounts(result) == [Decimal(rate)]


def test_meal_outside_the_mission_dates_is_refused() -> None:
    result = compute(
        entry=travel(
            by_train("2026-06-12 07:00", "2026-06-13 18:00"),
            meals=(MealClaim(day("2026-06-13"), LUNCH),),
        )
    )
    assert result.lines == ()
    assert "en dehors des dates" in problems(result)["meals.0"]


def test_meal_claimed_twice_is_paid_once() -> None:
    result = compute(
        entry=travel(
            by_train("2026-06-12 07:00", "2026-06-12 18:00"),
            meals=(MealClaim(day("2026-06-12"), LUNCH), MealClaim(day("2026-06-12"), LUNCH)),
        )
    )
    assert amounts(result) == [Decimal("20.00")]
    assert problems(result) == {"meals.1": "Le déjeuner du 12/06/2026 est déjà demandé."}


def test_meals_are_proposed_from_the_trip_times() -> None:
    trips = [by_train("2026-06-11 17:30", "2026-06-12 13:00")]
    assert proposed_meals(trips) == [MealClaim(dt.date(2026, 6, 11), DINNER)]
    trips = [by_train("2026-06-12 10:00", "2026-06-12 21:30")]
    assert proposed_meals(trips) == [
        MealClaim(dt.date(2026, 6, 12), LUNCH),
        MealClaim(dt.date(2026, 6, 12), DINNER),
    ]
