"""The recap PDF: what the intervenant signs and sends with the supporting documents."""

import datetime as dt
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from client.api.models import DecComment, Statement, Status
from client.formatting import euros
from client.pdf.recap import NO_DOCUMENTS, render_recap, render_recaps
from tests.client.pdf.factories import correction_statement

PRINTED_ON = dt.date(2026, 11, 27)


def _pages(pdf: bytes) -> list[str]:
    # Text extraction turns the no-break space before € into a plain space; the narrow one
    # between thousands comes back as is.
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return "\n".join(_pages(pdf))


def _flat(text: str) -> str:
    """Words only: wrapped lines and every kind of space become one space."""
    return " ".join(text.split())


def _shown(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture
def statement() -> Statement:
    return correction_statement()


def test_recap_is_a_pdf(statement):
    assert render_recap(statement, printed_on=PRINTED_ON).startswith(b"%PDF-")


def test_recap_names_the_intervenant_and_the_mission(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Récapitulatif de l'état de frais de mission" in text
    assert "Académie d'Amiens" in text
    assert "Élodie Dupont-Martin" in text
    assert "Baccalauréat professionnel, session juin 2026" in text
    assert "E21 – Français, œuvre et société" in text
    assert "Lycée professionnel Jean-Baptiste Delambre" in text
    assert "Amiens" in text
    assert "Du 15/06/2026 au 17/06/2026" in text
    assert "De 8h00 à 17h30" in text
    assert "Validé" in text


def test_recap_uses_the_academie_given(statement):
    text = _text(render_recap(statement, academie="Académie de Lille", printed_on=PRINTED_ON))

    assert "Académie de Lille" in text


def test_recap_shows_the_service_done_each_day(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Lundi 15 juin 2026" in text
    assert "42 copies corrigées" in text
    assert "33 copies corrigées" in text


def test_recap_shows_candidates_per_half_day():
    statement = correction_statement()
    statement.entry.days[0].candidates = {"AM": 6, "PM": 1}
    statement.entry.days[0].copies = None

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "matin : 6 candidats interrogés ; après-midi : 1 candidat interrogé" in text


def test_recap_shows_the_trip(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Véhicule personnel" in text
    assert "15/06/2026 à 6h45" in text
    assert "16/06/2026 à 19h10" in text
    assert "156 km" in text
    assert "Déjeuner du 15/06/2026 (restaurant administratif)" in text
    assert "Nuit du 15/06/2026 au 16/06/2026" in text


def test_recap_lists_every_line_with_its_amount(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    flat = _flat(text)
    for line in statement.computation.lines:
        assert _shown(euros(line.amount)) in text
        assert _flat(line.label) in flat
        assert _flat(line.explanation) in flat
    assert "Indemnités de vacation" in text
    assert "Frais de déplacement" in text


def test_recap_shows_subtotals_and_the_total(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Sous-total indemnités de vacation\n600,00 €" in text
    assert "Sous-total frais de déplacement\n223,86 €" in text
    assert "Total de l'état de frais\n823,86 €" in text


def test_recap_total_keeps_the_narrow_space_between_thousands():
    statement = correction_statement()
    statement.computation.total = Decimal("1234.56")

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "1\u202f234,56 €" in text


def test_recap_lists_the_documents_to_send(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Pièces justificatives à joindre" in text
    for document in statement.computation.documents:
        assert document in text
    assert NO_DOCUMENTS not in text


def test_recap_says_when_no_document_is_required():
    statement = correction_statement()
    statement.computation.documents = []

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Aucune pièce justificative n'est requise." in text


def test_recap_has_room_to_sign(statement):
    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Fait à" in text
    assert "Signature de l'intervenant(e)" in text


def test_recap_shows_notes_and_the_reason_of_a_return():
    statement = correction_statement(
        status=Status.RETURNED,
        reason="Joindre le billet & la facture <hôtel>.",
    )

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Motif du renvoi : Joindre le billet & la facture <hôtel>." in text
    assert "La nuitée est remboursée dans la limite du plafond" in text


def test_recap_wraps_a_long_reason_and_keeps_its_markup_characters():
    reason = (
        "Le billet de train du 15/06 & la facture de l'hôtel <Le Prieuré> manquent ; "
        "merci de les joindre puis de valider à nouveau votre état de frais avant le 31/08."
    )
    statement = correction_statement(status=Status.RETURNED, reason=reason)

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert _flat(f"Motif du renvoi : {reason}") in _flat(text)


def test_recap_says_when_no_travel_is_claimed():
    statement = correction_statement()
    statement.entry.travel.claimed = False

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Aucun frais de déplacement n'est demandé." in text


def test_recap_footer_numbers_pages_and_gives_the_print_date(statement):
    pages = _pages(render_recap(statement, printed_on=PRINTED_ON))

    count = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"Page {number} / {count}" in page
        assert "Imprimé le 27/11/2026" in page
        assert "Export" not in page


def test_accents_survive_extraction(statement):
    statement.intervenant = "Jean-François Lœuillet"

    text = _text(render_recap(statement, printed_on=PRINTED_ON))

    assert "Jean-François Lœuillet" in text
    for word in ("Métiers", "Pièces", "à joindre", "œuvre", "€", "Îl", "Dîner"):
        assert word in text


def test_recap_embeds_its_font_and_no_standard_one(statement):
    pdf = render_recap(statement, printed_on=PRINTED_ON)

    assert b"/FontFile2" in pdf
    assert b"Helvetica" not in pdf


def test_export_starts_each_recap_on_a_new_page():
    first = correction_statement()
    second = correction_statement(id=4022, intervenant="Jean-François Lœuillet")
    first_pages = len(_pages(render_recap(first, printed_on=PRINTED_ON)))
    second_pages = len(_pages(render_recap(second, printed_on=PRINTED_ON)))

    pages = _pages(render_recaps([first, second], printed_on=PRINTED_ON))

    assert len(pages) == first_pages + second_pages
    assert "Élodie Dupont-Martin" in pages[0]
    assert "Jean-François Lœuillet" in pages[first_pages]
    assert "Récapitulatif de l'état de frais de mission" in pages[first_pages]


def test_export_numbers_pages_per_recap_and_overall():
    statements = [correction_statement(id=4021 + index) for index in range(3)]

    pages = _pages(render_recaps(statements, printed_on=PRINTED_ON))

    per_recap = len(pages) // 3
    for overall, page in enumerate(pages, 1):
        number = (overall - 1) % per_recap + 1
        assert f"Page {number} / {per_recap}" in page
        assert f"Export : page {overall} / {len(pages)}" in page


def test_export_needs_a_statement():
    with pytest.raises(ValueError):
        render_recaps([], printed_on=PRINTED_ON)


def test_formatting_and_pdf_do_not_import_qt():
    code = (
        "import sys, client.formatting, client.pdf.recap; "
        "sys.exit(any(name.split('.')[0] == 'PySide6' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_recap_prints_what_was_certified_on_honour():
    certified = correction_statement(
        certification={
            "at": "2026-06-20T09:30:00",
            "texts": [
                "Je certifie sur l'honneur l'exactitude des renseignements portés sur cet état "
                "de frais.",
                "Je certifie sur l'honneur ne pas percevoir d'heures supplémentaires pour les "
                "mêmes heures que ces vacations (arrêté du 13 avril 2012, art. 5).",
            ],
        }
    )
    pdf = render_recap(certified, printed_on=PRINTED_ON)
    text = _flat(_text(pdf))
    assert "Attestation sur l'honneur" in text
    assert "ne pas percevoir d'heures supplémentaires pour les mêmes heures" in text
    assert "Certifié en validant l'état de frais le 20/06/2026 à 9h30." in text
    assert "Attestation sur l'honneur" not in _text(
        render_recap(correction_statement(), printed_on=PRINTED_ON)
    )
    (Path("/tmp") / "recap-certified.pdf").write_bytes(pdf)


def _payment(part: str, label: str, **facts: object) -> dict[str, object]:
    return {
        "part": part,
        "part_label": label,
        "channel": None,
        "channel_label": None,
        "status": None,
        "status_label": "Validé par gestionnaire",
        "amount": "0.00",
        "batch_created_on": None,
        "execution_date": None,
        "paid_on": None,
        "reference": None,
        "rejected_on": None,
        "rejection_reason": None,
        **facts,
    }


def paid_and_rejected() -> Statement:
    """The pay part paid through payroll, the travel part returned by the bank; the DEC had
    corrected the copies with a comment."""
    statement = correction_statement(status=Status.IN_PAYMENT)
    return Statement.model_validate(
        {
            **statement.model_dump(mode="json", by_alias=True),
            "payments": [
                _payment(
                    "PAY",
                    "Indemnités",
                    channel="PAYROLL",
                    channel_label="Par la paie",
                    status="PAID",
                    status_label="Payé",
                    amount="600.00",
                    batch_created_on="2026-11-02",
                    execution_date="2026-11-04",
                    paid_on="2026-11-05",
                    reference="PAIE-2026-11",
                ),
                _payment(
                    "TRAVEL",
                    "Frais de déplacement",
                    channel="TRANSFER",
                    channel_label="Par virement",
                    status="REJECTED",
                    status_label="Paiement rejeté",
                    amount="223.86",
                    batch_created_on="2026-11-02",
                    execution_date="2026-11-04",
                    rejected_on="2026-11-06",
                    rejection_reason="compte clôturé",
                ),
            ],
            "dec_comment": {
                "at": "2026-10-20T09:15:00+00:00",
                "actor": "Gérard Lemaire",
                "label": "Décompte corrigé par le gestionnaire",
                "text": "Décompte corrigé par la DEC : 40 copies selon le procès-verbal.",
            },
        }
    )


def test_recap_prints_each_parts_payment_and_the_decs_comment():
    text = _flat(_text(render_recap(paid_and_rejected(), printed_on=PRINTED_ON)))

    assert (
        "Indemnités Payé – 600,00 € par la paie ; lot créé le 02/11/2026, exécution "
        "prévue le 04/11/2026, payé le 05/11/2026, référence PAIE-2026-11." in text
    )
    assert (
        "Frais de déplacement Paiement rejeté – 223,86 € par virement ; lot créé le 02/11/2026, "
        "exécution prévue le 04/11/2026, rejeté le 06/11/2026. Motif du rejet : compte clôturé."
        in text
    )
    assert (
        "Message du gestionnaire (le 20/10/2026) : Décompte corrigé par la DEC : 40 copies selon "
        "le procès-verbal." in text
    )


def test_a_return_reason_given_by_the_decs_comment_is_printed_once():
    reason = "Joindre le billet de train."
    statement = correction_statement(status=Status.RETURNED, reason=reason)
    statement.dec_comment = DecComment(
        at=dt.datetime(2026, 10, 20, 9, 15, tzinfo=dt.UTC),
        actor="Gérard Lemaire",
        label="Renvoi par le gestionnaire",
        text=reason,
    )

    text = _flat(_text(render_recap(statement, printed_on=PRINTED_ON)))

    assert text.count(reason) == 1
    assert "Paiement" not in text.replace("paiement", "")
