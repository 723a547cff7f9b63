"""The expected travel cost the solver minimises, worked out by hand on real communes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from server_stub.assignment.costing import (
    Basis,
    Estimate,
    EstimatedCosts,
    Home,
    Venue,
    estimate,
    packaged_estimation,
)
from server_stub.assignment.explanation import estimate_text
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.rules.model import Commune, MealKind
from server_stub.rules.tariffs import packaged_tariffs

DAY = dt.date(2026, 6, 18)
AMIENS, BEAUVAIS, ABBECOURT, CHAUNY = (
    communes().require(code) for code in ("80021", "60057", "02001", "02173")
)


def cost(home: Home, venue: Venue) -> Estimate:
    return estimate(
        home,
        venue,
        rates=packaged_tariffs().at(venue.day),
        adjacent=adjacent_pairs(),
        estimation=packaged_estimation(),
    )


def morning(where: Commune = BEAUVAIS, reimbursable: bool = True) -> Venue:
    return Venue(where, DAY, dt.time(8), dt.time(12), reimbursable)


def test_a_centre_in_the_residence_commune_costs_nothing() -> None:
    result = cost(Home(BEAUVAIS, AMIENS, 5), morning())
    assert (result.basis, result.amount) == (Basis.SAME_COMMUNE, Decimal("0.00"))


def test_a_centre_in_an_adjacent_commune_costs_nothing() -> None:
    result = cost(Home(ABBECOURT, None, 5), morning(CHAUNY))
    assert (result.basis, result.amount) == (Basis.ADJACENT, Decimal("0.00"))
    assert "limitrophe" in estimate_text(result, "Chauny")


def test_a_mission_without_travel_costs_costs_nothing() -> None:
    result = cost(Home(AMIENS, None, 5), morning(reimbursable=False))
    assert (result.basis, result.amount) == (Basis.NOT_REIMBURSABLE, Decimal("0.00"))


def test_a_morning_at_beauvais_from_amiens_is_the_kilometric_allowance_only() -> None:
    # 52.67 km each way → 105 km; 5 CV, first band: 0.32 €/km → 33.60 €. Drive 53 min: away
    # 7h07–12h53, which does not cover 11h–14h: no lunch.
    result = cost(Home(AMIENS, AMIENS, 5), morning())
    assert result.round_trip_km == 105
    assert result.rate == Decimal("0.32")
    assert result.meals == ()
    assert result.amount == Decimal("33.60")
    assert estimate_text(result, "Beauvais") == (
        "Amiens → Beauvais : 105 km aller-retour × 0,32\u00a0€ (5 CV et moins) = 33,60\u00a0€ ; "
        "coût estimé 33,60\u00a0€."
    )


def test_a_whole_day_away_adds_the_lunch() -> None:
    # 8h–17h at Beauvais covers 11h–14h: + 20.00 € (meal rate since 22/09/2023).
    venue = Venue(BEAUVAIS, DAY, dt.time(8), dt.time(17))
    result = cost(Home(AMIENS, None, 5), venue)
    assert result.meals == (MealKind.LUNCH,)
    assert result.amount == Decimal("53.60")


def test_the_fiscal_power_picks_the_rate_and_an_unknown_one_takes_the_default() -> None:
    assert cost(Home(AMIENS, None, 8), morning()).amount == Decimal("47.25")
    # Default 6 CV (estimation.toml): 105 × 0.41.
    assert cost(Home(AMIENS, None, None), morning()).amount == Decimal("43.05")


def test_an_unknown_residence_is_never_free() -> None:
    result = cost(Home(None, None, 5), morning())
    assert result.basis == Basis.UNKNOWN_RESIDENCE
    assert result.amount == Decimal("32.00")  # 100 km × 0.32 €


def test_the_cost_model_shares_estimates_between_neighbours() -> None:
    costs = EstimatedCosts(
        {1: Home(AMIENS, None, 5), 2: Home(AMIENS, None, 5)}, {9: morning()}, adjacent=frozenset()
    )
    assert costs.estimate(1, 9) is costs.estimate(2, 9)
    assert costs.estimate(1, 9).cents == 3360
