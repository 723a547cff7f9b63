"""The supporting documents a statement asks for (DOMAIN §6)."""

from decimal import Decimal

from server_stub.rules.model import Entry, NightClaim, PayDay, TravelMode
from tests.server_stub.rules.rules_factories import compute, day, person, travel, trip


def test_statement_without_expense_asks_for_nothing() -> None:
    result = compute(entry=Entry(days=(PayDay(day("2026-06-12"), copies=40),)))
    assert result.documents == ()


def test_externe_first_payment_asks_for_the_financial_file() -> None:
    result = compute(
        the_person=person(interne=False, needs_financial_file=True),
        entry=Entry(days=(PayDay(day("2026-06-12"), copies=40),)),
    )
    assert result.documents == (
        "RIB au nom et à l'adresse personnelle de l'intervenant",
        "Notice de renseignements personnels signée",
        "Copie de la carte Vitale",
    )


def test_each_document_is_asked_once_in_a_stable_order() -> None:
    result = compute(
        the_person=person(needs_financial_file=True),
        entry=travel(
            trip("2026-06-11 17:00", "2026-06-12 19:00", TravelMode.PUBLIC_TRANSPORT, fare="31"),
            trip("2026-06-12 06:00", "2026-06-12 20:00", TravelMode.PUBLIC_TRANSPORT, fare="12"),
            trip("2026-06-12 06:00", "2026-06-12 20:00", TravelMode.CAR, km="10", parking="4"),
            nights=(NightClaim(day("2026-06-11"), Decimal("75")),),
        ),
    )
    assert result.documents == (
        "Titres de transport (billets, cartes d'embarquement)",
        "Facture d'hôtel acquittée",
        "Justificatifs de stationnement",
        "Autorisation préalable d'utiliser son véhicule personnel",
        "Copie de la carte grise du véhicule (puissance fiscale)",
        "RIB au nom et à l'adresse personnelle de l'intervenant",
        "Notice de renseignements personnels signée",
        "Copie de la carte Vitale",
    )


def test_motorcycle_needs_the_authorisation_but_no_fiscal_power() -> None:
    result = compute(
        entry=travel(trip("2026-06-12 07:00", "2026-06-12 18:00", TravelMode.MOTORCYCLE, km="80"))
    )
    assert result.documents == ("Autorisation préalable d'utiliser son véhicule personnel",)
