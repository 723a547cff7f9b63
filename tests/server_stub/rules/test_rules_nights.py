"""Nights on mission, worked by hand from DOMAIN §5 (arrêté du 3 juillet 2006 as amended by the
arrêtés du 26 février 2019 and du 20 septembre 2023)."""

import datetime as dt
from decimal import Decimal

import pytest

from server_stub.rules.model import Commune, Computation, LineKind, NightClaim, TravelMode
from server_stub.rules.nights import proposed_nights
from tests.server_stub.rules.rules_factories import (
    AMIENS,
    ARGENTEUIL,
    BOULOGNE,
    LILLE,
    LYON_3,
    MARSEILLE_5,
    PARIS_12,
    amounts,
    compute,
    day,
    mission,
    person,
    problems,
    travel,
    trip,
)


def night_in(
    commune: Commune, cost: str, evening: str = "2026-06-11", disability: bool = False
) -> Computation:
    """A night before a one-day mission, arriving the evening before."""
    start = day(evening) + dt.timedelta(days=1)
    return compute(
        mission(start=start, commune=commune),
        the_person=person(disability=disability),
        entry=travel(
            trip(f"{evening} 17:00", f"{start} 19:00", TravelMode.PUBLIC_TRANSPORT),
            nights=(NightClaim(day(evening), Decimal(cost)),),
        ),
    )


def test_night_is_paid_at_cost_up_to_the_standard_cap() -> None:
    # Amiens (133 625 hab.) : min(95,00 ; 90,00) = 90,00 €
    result = night_in(AMIENS, "95.00")
    (line,) = result.lines
    assert line.kind is LineKind.NIGHT
    assert line.amount == Decimal("90.00")
    assert line.explanation == (
        "Coût réel 95,00\u00a0€, plafond 90,00\u00a0€ (taux de base) : 90,00\u00a0€"
    )
    assert line.label == "Nuitée du 11/06/2026 au 12/06/2026"
    assert result.documents == ("Facture d'hôtel acquittée",)


def test_night_below_the_cap_is_paid_its_cost() -> None:
    # min(64,30 ; 90,00) = 64,30 €
    assert amounts(night_in(AMIENS, "64.30")) == [Decimal("64.30")]


@pytest.mark.parametrize(
    ("commune", "cost", "paid"),
    [
        (LILLE, "130", "120.00"),  # 236 710 hab. ≥ 200 000 : grande ville, plafond 120 €
        (MARSEILLE_5, "130", "120.00"),  # arrondissement of a large city
        (LYON_3, "130", "120.00"),
        (BOULOGNE, "130", "120.00"),  # Hauts-de-Seine : métropole du Grand Paris
        (ARGENTEUIL, "130", "120.00"),  # Val-d'Oise, but in the Grand Paris
        (PARIS_12, "160", "140.00"),  # Paris : plafond 140 €
    ],
)
def test_night_cap_depends_on_the_zone_of_the_mission(
    commune: Commune, cost: str, paid: str
) -> None:
    assert amounts(night_in(commune, cost)) == [Decimal(paid)]


def test_disability_cap_applies_in_any_zone() -> None:
    # Paris : min(170 ; 150) = 150,00 € ; Amiens : min(130 ; 150) = 130,00 €
    assert amounts(night_in(PARIS_12, "170", disability=True)) == [Decimal("150.00")]
    assert amounts(night_in(AMIENS, "130", disability=True)) == [Decimal("130.00")]


@pytest.mark.parametrize(
    ("commune", "disability", "cost", "before", "from_22_september"),
    [
        (AMIENS, False, "95", "70.00", "90.00"),
        (LILLE, False, "130", "90.00", "120.00"),
        (BOULOGNE, False, "130", "90.00", "120.00"),
        (PARIS_12, False, "160", "110.00", "140.00"),
        (AMIENS, True, "160", "120.00", "150.00"),
    ],
)
def test_caps_were_raised_on_22_september_2023(
    commune: Commune, disability: bool, cost: str, before: str, from_22_september: str
) -> None:
    old = night_in(commune, cost, evening="2023-09-21", disability=disability)
    new = night_in(commune, cost, evening="2023-09-22", disability=disability)
    assert amounts(old) == [Decimal(before)]
    assert old.lines[0].tariff_version == "nuitees-2019-03-01"
    assert amounts(new) == [Decimal(from_22_september)]


def test_night_not_covered_from_0h_to_5h_is_refused() -> None:
    result = compute(
        mission(),
        entry=travel(
            trip("2026-06-12 04:59", "2026-06-12 19:00", TravelMode.PUBLIC_TRANSPORT),
            nights=(NightClaim(day("2026-06-11"), Decimal("80")),),
        ),
    )
    assert result.lines == ()
    assert problems(result) == {
        "nights.0": "La nuitée du 11/06/2026 n'est pas due : il faut être en mission "
        "de 0h à 5h le 12/06/2026."
    }


def test_negative_night_cost_is_refused() -> None:
    result = night_in(AMIENS, "-10")
    assert result.lines == ()
    assert "nights.0.cost" in problems(result)


def test_night_when_travel_is_not_due_is_refused() -> None:
    result = compute(
        mission(travel_reimbursable=False),
        entry=travel(
            trip("2026-06-11 17:00", "2026-06-12 19:00", TravelMode.PUBLIC_TRANSPORT),
            nights=(NightClaim(day("2026-06-11"), Decimal("80")),),
        ),
    )
    assert result.lines == ()
    assert "nights.0" in problems(result)


def test_nights_are_proposed_from_the_trip_times() -> None:
    trips = [trip("2026-06-11 17:00", "2026-06-13 19:00", TravelMode.PUBLIC_TRANSPORT)]
    assert proposed_nights(trips) == [dt.date(2026, 6, 11), dt.date(2026, 6, 12)]
    trips = [trip("2026-06-12 00:30", "2026-06-12 19:00", TravelMode.PUBLIC_TRANSPORT)]
    assert proposed_nights(trips) == []
