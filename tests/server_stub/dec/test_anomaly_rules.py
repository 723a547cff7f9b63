"""Each anomaly on a hand-built statement: pure rules, no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from server_stub.rules.anomalies import (
    ANOMALY_LABELS,
    INTERVENANT_ADVICE,
    AnomalyCode,
    Residences,
    StatementFacts,
    anomalies,
    packaged_thresholds,
    parse_thresholds,
)
from server_stub.rules.model import (
    HalfDay,
    MealClaim,
    MealKind,
    MissionType,
    NightClaim,
    PayDay,
    TravelMode,
    Trip,
)
from server_stub.rules.tariffs import InvalidTariffFileError
from tests.server_stub.rules.rules_factories import AMIENS, BEAUVAIS, LONGUEAU

JUNE_15 = dt.date(2026, 6, 15)


@pytest.mark.parametrize("code", list(AnomalyCode))
def test_every_anomaly_has_a_name_for_the_dec_and_advice_for_the_intervenant(
    code: AnomalyCode,
) -> None:
    """The preview words each check for the person who validates: a code without advice
    would turn every preview of such a statement into a server error."""
    assert ANOMALY_LABELS[code]
    assert INTERVENANT_ADVICE[code].endswith(".")


def facts(**changes: Any) -> StatementFacts:
    """A correction in Beauvais on 15/06/2026, 8h–17h, by an interne of Amiens: no anomaly."""
    base = StatementFacts(
        mission_type=MissionType.CORRECTION,
        start_date=JUNE_15,
        end_date=JUNE_15,
        start_time=dt.time(8),
        end_time=dt.time(17),
        mission_commune=BEAUVAIS,
        lot_size=80,
        minutes_per_candidate=None,
        days=(PayDay(JUNE_15, copies=80),),
        travel_claimed=True,
        trips=(
            Trip(
                dt.datetime(2026, 6, 15, 7),
                dt.datetime(2026, 6, 15, 18),
                TravelMode.CAR,
                km=Decimal(112),
            ),
        ),
        meals=(MealClaim(JUNE_15, MealKind.LUNCH),),
        nights=(),
        residences=Residences(AMIENS, AMIENS, AMIENS),
        submitted_on=dt.date(2026, 6, 20),
        entry_deadline=dt.date(2026, 8, 31),
        total=Decimal("435.84"),
        today=dt.date(2026, 7, 1),
    )
    return dataclasses.replace(base, **changes)


def codes(found: Any) -> list[AnomalyCode]:
    return [a.code for a in found]


def test_a_plain_statement_has_no_anomaly() -> None:
    assert anomalies(facts()) == ()


def test_copies_above_the_lot_size() -> None:
    [found] = anomalies(facts(days=(PayDay(JUNE_15, copies=50), PayDay(JUNE_15, copies=35))))
    assert found.code is AnomalyCode.COPIES_ABOVE_LOT
    assert found.message == "85 copies déclarées pour un lot de 80 copies."
    assert found.field == "days.1.copies"
    assert found.label == "Copies au-delà du lot"


def test_candidates_above_what_a_half_day_allows() -> None:
    # 240 min ÷ 20 min per candidate = 12 candidates at most per half-day.
    oral = facts(
        mission_type=MissionType.INTERROGATION,
        lot_size=None,
        minutes_per_candidate=20,
        days=(PayDay(JUNE_15, candidates={HalfDay.MORNING: 12, HalfDay.AFTERNOON: 14}),),
    )
    [found] = anomalies(oral)
    assert found.code is AnomalyCode.CANDIDATES_ABOVE_CAPACITY
    assert found.field == "days.0.candidates.PM"
    assert found.message == (
        "14 candidats le 15/06/2026 (après-midi) : une demi-journée de 4 h permet au plus "
        "12 candidats de 20 min."
    )


def test_the_shipped_thresholds_are_marked_configurable() -> None:
    shipped = packaged_thresholds()
    assert shipped.info.source == "Paramètre académique (configurable)"
    assert shipped.half_day_minutes == 240


def test_the_half_day_duration_is_a_setting() -> None:
    text = """
[[versions]]
version = "test"
valid_from = 2000-01-01
source = "test"
half_day_minutes = 300
km_ratio = 1.6
km_excess = 20
night_near_home_km = 30
financial_file_validity_days = 365
"""
    longer = parse_thresholds(text)
    oral = facts(
        mission_type=MissionType.INTERROGATION,
        minutes_per_candidate=20,
        days=(PayDay(JUNE_15, candidates={HalfDay.MORNING: 14}),),
    )
    assert anomalies(oral, longer) == ()
    with pytest.raises(InvalidTariffFileError):
        parse_thresholds(text.replace("half_day_minutes = 300", ""))


def test_travel_claimed_on_another_statement_the_same_day() -> None:
    [found] = anomalies(facts(other_trip_days={JUNE_15: 4321}))
    assert found.code is AnomalyCode.TRAVEL_TWICE
    assert found.field == "travel.trips.0"
    assert "n° 4321" in found.message and "15/06/2026" in found.message


def test_a_dinner_after_a_mission_that_ends_at_five() -> None:
    dinner = facts(meals=(MealClaim(JUNE_15, MealKind.DINNER),))
    [found] = anomalies(dinner)
    assert found.code is AnomalyCode.MEAL_OUTSIDE_MISSION
    assert found.field == "travel.meals.0"
    assert found.message == (
        "Le dîner du 15/06/2026 (18h–21h) est en dehors des horaires de la mission "
        "(le 15/06/2026 de 8h à 17h)."
    )


def test_a_night_on_a_one_day_mission() -> None:
    found = anomalies(facts(nights=(NightClaim(JUNE_15, Decimal(80)),)))
    assert codes(found) == [AnomalyCode.NIGHT_OUTSIDE_MISSION]
    assert found[0].field == "travel.nights.0"


def test_a_night_between_two_days_of_mission_is_expected() -> None:
    two_days = facts(end_date=dt.date(2026, 6, 16), nights=(NightClaim(JUNE_15, Decimal(80)),))
    assert anomalies(two_days) == ()


def test_kilometres_far_above_the_distance() -> None:
    # Amiens–Beauvais: about 56 km as the crow flies, 112 km there and back.
    [found] = anomalies(facts(trips=(dataclasses.replace(facts().trips[0], km=Decimal(250)),)))
    assert found.code is AnomalyCode.KM_EXCESSIVE
    assert found.field == "travel.trips.0.km"
    assert found.message.startswith("250 km déclarés pour un aller-retour Amiens – Beauvais de ")
    # 1.5 × is within the tolerance.
    assert anomalies(facts(trips=(dataclasses.replace(facts().trips[0], km=Decimal(168)),))) == ()


def test_a_short_trip_needs_more_than_the_ratio() -> None:
    # Amiens–Longueau is about 6 km: 30 km there and back is 2.5 times, but only 18 km more.
    short = facts(
        mission_commune=LONGUEAU,
        trips=(dataclasses.replace(facts().trips[0], km=Decimal(30)),),
    )
    assert AnomalyCode.KM_EXCESSIVE not in codes(anomalies(short))


def test_a_night_when_home_is_near() -> None:
    near = facts(
        mission_commune=LONGUEAU,
        end_date=dt.date(2026, 6, 16),
        trips=(dataclasses.replace(facts().trips[0], km=Decimal(12)),),
        nights=(NightClaim(JUNE_15, Decimal(70)),),
    )
    [found] = anomalies(near)
    assert found.code is AnomalyCode.NIGHT_NEAR_HOME
    assert "Amiens" in found.message and "Longueau" in found.message


def test_submitted_after_the_entry_deadline() -> None:
    [found] = anomalies(facts(submitted_on=dt.date(2026, 9, 2)))
    assert found.code is AnomalyCode.LATE_SUBMISSION
    assert found.message == (
        "Transmis le 02/09/2026, après la date limite de saisie de la session (31/08/2026)."
    )


@pytest.mark.parametrize(
    ("iban", "updated", "last_paid", "expected"),
    [
        (None, None, None, "aucun IBAN"),
        ("FR7630004000031234567890143", None, None, "n'a pas été transmis"),
        ("FR7630004000031234567890143", dt.date(2025, 3, 1), None, "à renouveler"),
        ("FR7630004000031234567890143", dt.date(2024, 1, 1), dt.date(2025, 3, 1), "à renouveler"),
    ],
)
def test_an_externe_without_a_valid_financial_file(
    iban: str | None, updated: dt.date | None, last_paid: dt.date | None, expected: str
) -> None:
    externe = facts(externe=True, iban=iban, financial_file_updated=updated, last_paid=last_paid)
    [found] = anomalies(externe)
    assert found.code is (AnomalyCode.FINANCIAL_FILE if iban else AnomalyCode.RIB_MISSING)
    assert found.label == ("Dossier financier incomplet ou périmé" if iban else "RIB manquant")
    assert expected in found.message


def test_a_recent_financial_file_or_payment_is_valid() -> None:
    iban = "FR7630004000031234567890143"
    assert (
        anomalies(facts(externe=True, iban=iban, financial_file_updated=dt.date(2026, 2, 1))) == ()
    )
    paid = facts(
        externe=True,
        iban=iban,
        financial_file_updated=dt.date(2024, 2, 1),
        last_paid=dt.date(2026, 1, 10),
    )
    assert anomalies(paid) == ()
    # An interne's indemnities go through payroll: no account is needed for them.
    assert anomalies(facts(externe=False, iban=None, total=Decimal("50.00"))) == ()


def test_an_interne_claiming_travel_needs_an_account() -> None:
    travel = facts(externe=False, iban=None, total=Decimal("80.00"), travel_total=Decimal("30.00"))
    [found] = anomalies(travel)
    assert found.code is AnomalyCode.RIB_MISSING
    assert found.label == "RIB manquant"
    assert "frais de déplacement" in found.message
    iban = "FR7630004000031234567890143"
    assert anomalies(facts(externe=False, iban=iban, travel_total=Decimal("30.00"))) == ()


def test_counts_changed_by_the_dec_awaiting_the_intervenant() -> None:
    [found] = anomalies(facts(dec_corrected=True))
    assert found.code is AnomalyCode.DEC_CORRECTION_UNSEEN
    assert "pas encore consulté" in found.message


def test_travel_checks_only_when_travel_is_claimed() -> None:
    unclaimed = facts(travel_claimed=False, other_trip_days={JUNE_15: 1})
    assert anomalies(unclaimed) == ()
