"""The annual statement of the sums paid: what the person hands in with their tax return."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from client.pdf.annual import render_annual_statement
from tests.client.pdf.factories import annual_payments

PRINTED_ON = dt.date(2027, 1, 15)


def _pages(pdf: bytes) -> list[str]:
    # Words only: wrapped lines and every kind of space become one space (the narrow no-break
    # space between thousands included).
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_mission_and_part_with_its_payment_date_and_the_totals() -> None:
    text = " ".join(_pages(render_annual_statement(annual_payments(), printed_on=PRINTED_ON)))
    assert "Attestation annuelle des sommes versées — 2026" in text
    assert "Académie d'Amiens" in text
    assert "Élodie Dupont-Martin" in text and "edupontm" in text
    assert "du 01/01/2026 au 31/12/2026 (date de paiement)" in text
    # The correction: its indemnity by payroll, its travel by transfer, and its total.
    assert "Correction · Baccalauréat professionnel · E21 Français, œuvre et société" in text
    assert "Indemnités Paie 28/07/2026 LOT-2026-000042 1 200,00 €" in text
    assert "Frais de déplacement Virement 30/07/2026 LOT-2026-000042 BQ-0000012 134,56 €" in text
    assert "Total de la mission 1 334,56 €" in text
    # The oral's travel, booked on 31 December, counts in 2026.
    assert "Frais de déplacement Virement 31/12/2026 LOT-2026-000057" in text
    assert "Indemnités de vacation 1 200,00 €" in text
    assert "versées par la paie, avec le traitement 1 200,00 €" in text
    assert "Frais de déplacement remboursés (par virement) 182,66 €" in text
    assert "Total des sommes versées en 2026 1 382,66 €" in text
    # What each sum is: pay through the payroll, travel costs reimbursed.
    assert "versées par la paie, avec le traitement : elles figurent sur le bulletin de paie" in (
        text
    )
    assert "sont des remboursements des frais engagés pour la mission" in text
    assert "Une somme compte dans l'année de sa date de paiement" in text
    assert "Imprimé le 15/01/2027" in text
    assert "Page 1 / 1" in text


def test_an_externe_s_indemnities_went_by_transfer() -> None:
    payments = annual_payments()
    payments.person.interne = False
    payments.payroll_total = payments.payroll_total * 0
    text = " ".join(_pages(render_annual_statement(payments, printed_on=PRINTED_ON)))
    assert "Intervenant extérieur (sommes versées par virement)" in text
    assert "versées par virement 1 200,00 €" in text
    assert "avec le traitement 1 200,00 €" not in text


def test_a_year_without_payment_says_so() -> None:
    empty = annual_payments(
        missions=[],
        pay_total="0.00",
        travel_total="0.00",
        payroll_total="0.00",
        transfer_total="0.00",
        total="0.00",
        year=2025,
    )
    text = " ".join(_pages(render_annual_statement(empty, printed_on=PRINTED_ON)))
    assert "Aucune somme n'a été versée en 2025." in text
    assert "Total des sommes versées en 2025 0,00 €" in text


def test_the_dec_s_copy_names_the_offices_counted() -> None:
    text = " ".join(
        _pages(render_annual_statement(annual_payments(offices=["DEC"]), printed_on=PRINTED_ON))
    )
    assert "Lots comptés Ceux des services DEC" in text


def test_a_long_year_runs_over_pages_with_its_header_repeated() -> None:
    payments = annual_payments()
    payments.missions = payments.missions * 30
    pages = _pages(render_annual_statement(payments, printed_on=PRINTED_ON))
    assert len(pages) > 2
    assert all("Mission Part Mode Payé le Lot et référence Montant" in page for page in pages[:2])
    assert pages[-1].endswith(f"Page {len(pages)} / {len(pages)}") or (
        f"Page {len(pages)} / {len(pages)}" in pages[-1]
    )
