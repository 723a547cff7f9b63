"""Journeys and kilometric allowances, worked by hand from DOMAIN §5 (arrêtés du 26 février
2019 and du 14 mars 2022 modifying the arrêté du 3 juillet 2006)."""

from decimal import Decimal

import pytest

from server_stub.rules.model import (
    Context,
    Entry,
    LineKind,
    MealClaim,
    MealKind,
    NightClaim,
    Part,
    TravelMode,
    Trip,
)
from tests.server_stub.rules.rules_factories import (
    AMIENS,
    BEAUVAIS,
    LAON,
    LONGUEAU,
    amounts,
    compute,
    day,
    mission,
    person,
    problems,
    travel,
    trip,
)

CAR_DAY = ("2026-06-12 07:00", "2026-06-12 18:00")


def car_trip(km: str, depart: str = CAR_DAY[0], back: str = CAR_DAY[1], **costs: str) -> Trip:
    return trip(depart, back, TravelMode.CAR, km=km, **costs)


def test_small_car_below_2000_km_is_paid_32_cents() -> None:
    # 5 CV, 150 km × 0,32 € = 48,00 €
    result = compute(entry=travel(car_trip("150")))
    (line,) = result.lines
    assert line.kind is LineKind.KILOMETRIC and line.part is Part.TRAVEL
    assert line.amount == Decimal("48.00")
    assert line.tariff_version == "ik-2022-01-01"
    assert line.explanation.startswith("150 km × 0,32\u00a0€ (5 CV et moins")
    assert result.travel_total == result.total == Decimal("48.00")
    assert result.travel_eligible


def test_car_of_6_or_7_cv_is_paid_41_cents() -> None:
    # 7 CV, 220 km × 0,41 € = 90,20 €
    result = compute(the_person=person(fiscal_power=7), entry=travel(car_trip("220")))
    assert amounts(result) == [Decimal("90.20")]


def test_car_of_8_cv_and_more_is_paid_45_cents() -> None:
    # 11 CV, 300 km × 0,45 € = 135,00 €
    result = compute(the_person=person(fiscal_power=11), entry=travel(car_trip("300")))
    assert amounts(result) == [Decimal("135.00")]


def test_trip_crossing_2000_km_is_split_between_the_bands() -> None:
    # 5 CV, 1 900 km before; 250 km: 100 × 0,32 = 32,00 € + 150 × 0,40 = 60,00 € = 92,00 €
    result = compute(entry=travel(car_trip("250")), context=Context(car_km_before=Decimal(1900)))
    assert amounts(result) == [Decimal("32.00"), Decimal("60.00")]
    assert [line.quantity for line in result.lines] == [Decimal(100), Decimal(150)]
    assert "de 2\u202f001 à 10\u202f000 km" in result.lines[1].explanation
    assert result.total == Decimal("92.00")


def test_trip_crossing_10000_km_is_split_between_the_bands() -> None:
    # 6 CV, 9 950 km before; 120 km: 50 × 0,51 = 25,50 € + 70 × 0,30 = 21,00 € = 46,50 €
    result = compute(
        the_person=person(fiscal_power=6),
        entry=travel(car_trip("120")),
        context=Context(car_km_before=Decimal(9950)),
    )
    assert amounts(result) == [Decimal("25.50"), Decimal("21.00")]
    assert "au-delà de 10\u202f000 km" in result.lines[1].explanation


def test_beyond_10000_km_a_big_car_is_paid_32_cents() -> None:
    # 8 CV, 12 000 km before; 100 km × 0,32 € = 32,00 €
    result = compute(
        the_person=person(fiscal_power=8),
        entry=travel(car_trip("100")),
        context=Context(car_km_before=Decimal(12000)),
    )
    assert amounts(result) == [Decimal("32.00")]


def test_car_trips_accumulate_in_date_order() -> None:
    # 5 CV, 1 800 km before. 12/06: 150 km × 0,32 = 48,00 € (→ 1 950 km)
    # 13/06: 50 × 0,32 = 16,00 € + 100 × 0,40 = 40,00 €. Entered in reverse order.
    result = compute(
        mission(end=day("2026-06-13")),
        entry=travel(
            car_trip("150", "2026-06-13 07:00", "2026-06-13 18:00"),
            car_trip("150"),
        ),
        context=Context(car_km_before=Decimal(1800)),
    )
    assert amounts(result) == [Decimal("48.00"), Decimal("16.00"), Decimal("40.00")]
    assert result.total == Decimal("104.00")


def test_kilometres_are_rounded_once_per_line() -> None:
    # 123,4 km × 0,32 € = 39,488 → 39,49 €
    result = compute(entry=travel(car_trip("123.4")))
    assert amounts(result) == [Decimal("39.49")]


def test_rates_before_2022_apply_to_a_2021_mission() -> None:
    # 2021, 5 CV: 150 km × 0,29 € = 43,50 €
    # 8 CV, 1 950 km before: 50 × 0,41 = 20,50 € + 50 × 0,50 = 25,00 €
    june_2021 = mission(start=day("2021-06-10"))
    small = compute(
        june_2021, entry=travel(car_trip("150", "2021-06-10 07:00", "2021-06-10 18:00"))
    )
    assert amounts(small) == [Decimal("43.50")]
    assert small.lines[0].tariff_version == "ik-2019-03-01"
    big = compute(
        june_2021,
        the_person=person(fiscal_power=8),
        entry=travel(car_trip("100", "2021-06-10 07:00", "2021-06-10 18:00")),
        context=Context(car_km_before=Decimal(1950)),
    )
    assert amounts(big) == [Decimal("20.50"), Decimal("25.00")]


def test_motorcycle_and_moped_are_paid_flat_rates() -> None:
    # motocyclette : 180 km × 0,15 € = 27,00 € ; vélomoteur : 95 km × 0,12 € = 11,40 €
    motorcycle = compute(entry=travel(trip(*CAR_DAY, TravelMode.MOTORCYCLE, km="180")))
    assert amounts(motorcycle) == [Decimal("27.00")]
    moped = compute(entry=travel(trip(*CAR_DAY, TravelMode.MOPED, km="95")))
    assert amounts(moped) == [Decimal("11.40")]
    # before 2022 (arrêté du 26 février 2019): 180 km × 0,14 € = 25,20 €
    older = compute(
        mission(start=day("2021-06-10")),
        entry=travel(trip("2021-06-10 07:00", "2021-06-10 18:00", TravelMode.MOTORCYCLE, km="180")),
    )
    assert amounts(older) == [Decimal("25.20")]


def test_two_wheelers_do_not_need_a_fiscal_power() -> None:
    result = compute(
        the_person=person(fiscal_power=None),
        entry=travel(trip(*CAR_DAY, TravelMode.MOTORCYCLE, km="100")),
    )
    assert result.problems == ()
    assert amounts(result) == [Decimal("15.00")]  # 100 × 0,15 €


def test_public_transport_parking_and_tolls_are_paid_at_actual_cost() -> None:
    # billet 45,30 € ; voiture 5 CV 40 km × 0,32 = 12,80 € + stationnement 8,50 € + péage 3,20 €
    result = compute(
        entry=travel(
            trip(*CAR_DAY, TravelMode.PUBLIC_TRANSPORT, fare="45.30"),
            car_trip("40", "2026-06-12 07:05", "2026-06-12 18:00", parking="8.50", tolls="3.20"),
        )
    )
    kinds = [(line.kind, line.amount) for line in result.lines]
    assert kinds == [
        (LineKind.FARE, Decimal("45.30")),
        (LineKind.KILOMETRIC, Decimal("12.80")),
        (LineKind.PARKING, Decimal("8.50")),
        (LineKind.TOLLS, Decimal("3.20")),
    ]
    assert result.total == Decimal("69.80")
    assert result.documents == (
        "Titres de transport (billets, cartes d'embarquement)",
        "Justificatifs de stationnement",
        "Justificatifs de péage",
        "Autorisation préalable d'utiliser son véhicule personnel",
        "Copie de la carte grise du véhicule (puissance fiscale)",
    )


def test_car_trip_without_fiscal_power_is_refused() -> None:
    result = compute(the_person=person(fiscal_power=None), entry=travel(car_trip("150")))
    assert result.lines == ()
    assert "puissance fiscale" in problems(result)["trips.0.mode"]


def test_more_than_2000_km_in_a_day_is_refused() -> None:
    result = compute(entry=travel(car_trip("2001")))
    assert result.lines == ()
    assert problems(result)["trips.0.km"].startswith("Plus de 2\u202f000 km par jour")


def test_return_before_departure_is_refused() -> None:
    result = compute(entry=travel(car_trip("100", "2026-06-12 18:00", "2026-06-12 07:00")))
    assert problems(result)["trips.0.return_at"] == (
        "Le retour (12/06/2026 à 7h) est antérieur au départ (12/06/2026 à 18h)."
    )


def test_trip_outside_the_mission_dates_is_refused() -> None:
    result = compute(entry=travel(car_trip("100", "2026-06-10 07:00", "2026-06-10 18:00")))
    assert result.lines == ()
    assert "en dehors des dates de la mission" in problems(result)["trips.0.depart_at"]


def test_negative_amounts_of_a_trip_are_refused() -> None:
    result = compute(entry=travel(car_trip("100", fare="-3")))
    assert result.lines == ()
    assert problems(result) == {"trips.0.fare": "Le prix du billet ne peut pas être négatif."}


def test_no_travel_in_the_commune_of_the_family_residence() -> None:
    result = compute(
        the_person=person(administrative_residence=BEAUVAIS, family_residence=AMIENS),
        entry=travel(car_trip("20"), meals=(MealClaim(day("2026-06-12"), MealKind.LUNCH),)),
    )
    assert result.lines == ()
    assert not result.travel_eligible
    assert result.notes == (
        "La mission a lieu dans la commune de votre résidence familiale (Amiens) : "
        "les frais de déplacement ne sont pas dus.",
    )
    assert problems(result)["meals.0"] == (
        "Le déjeuner du 12/06/2026 n'est pas dû : les frais de déplacement ne sont pas dus."
    )


def test_no_travel_to_a_commune_adjacent_to_a_residence() -> None:
    result = compute(
        the_person=person(administrative_residence=LONGUEAU, family_residence=LAON),
        entry=travel(car_trip("12")),
        context=Context(adjacent=frozenset({frozenset({"80021", "80489"})})),
    )
    assert result.lines == ()
    assert not result.travel_eligible
    assert result.notes == (
        "La mission a lieu à Amiens, commune limitrophe de votre résidence administrative "
        "(Longueau) : les frais de déplacement ne sont pas dus.",
    )


def test_no_travel_when_the_mission_does_not_reimburse_it() -> None:
    result = compute(mission(travel_reimbursable=False), entry=travel(car_trip("150")))
    assert result.lines == () and not result.travel_eligible
    assert "ne sont pas pris en charge" in result.notes[0]


def test_no_travel_line_when_travel_is_not_claimed() -> None:
    result = compute(entry=Entry(trips=(car_trip("150"),)))
    assert result.lines == () and not result.travel_eligible


def test_second_mission_of_the_day_carries_no_journey() -> None:
    taken = Context(days_travelled_elsewhere=frozenset({day("2026-06-12")}))
    result = compute(
        entry=travel(
            car_trip("150", "2026-06-12 07:00", "2026-06-12 22:00"),
            meals=(MealClaim(day("2026-06-12"), MealKind.DINNER),),
            nights=(),
        ),
        context=taken,
    )
    assert result.lines == ()
    assert result.problems == ()
    assert result.notes == (
        "Le déplacement du 12/06/2026 est déjà pris en charge sur la première mission "
        "de la journée.",
    )


def test_second_mission_of_the_day_carries_no_night_either() -> None:
    taken = Context(days_travelled_elsewhere=frozenset({day("2026-06-12")}))
    result = compute(
        mission(end=day("2026-06-13")),
        entry=travel(
            car_trip("150", "2026-06-12 07:00", "2026-06-13 18:00"),
            nights=(NightClaim(day("2026-06-12"), Decimal("80")),),
        ),
        context=taken,
    )
    assert result.lines == () and result.problems == ()
    assert len(result.notes) == 1


@pytest.mark.parametrize("fiscal_power", [1, 5])
def test_every_power_up_to_5_cv_is_in_the_small_class(fiscal_power: int) -> None:
    # 100 km × 0,32 € = 32,00 €
    result = compute(the_person=person(fiscal_power=fiscal_power), entry=travel(car_trip("100")))
    assert amounts(result) == [Decimal("32.00")]
