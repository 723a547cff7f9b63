"""The summary of a payment batch, as a PDF for the accounting office: what the batch holds,
its totals by payment route, by exam and mission type, and the files that go with it.

Built with the server's PDF kit (`core.pdf`: DejaVu Sans, A4, the palette, the page footer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from server_stub.core.pdf import (
    ACCENT,
    BOLD,
    MUTED,
    REGULAR,
    RULE,
    TINT,
    footer,
    register_fonts,
    render,
)
from server_stub.rules.french import format_date, format_number, format_time, plural
from server_stub.rules.money import format_euros

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class ExamLine:
    exam: str
    mission_type: str
    count: int
    payroll: Decimal
    transfer: Decimal


@dataclass(frozen=True)
class BatchSummary:
    academie: str
    reference: str
    office: str
    session: str | None
    status: str
    created_at: dt.datetime
    created_by: str | None
    execution_date: dt.date
    paid_on: dt.date | None
    debtor: str
    debtor_iban: str
    sepa_schema: str
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal
    by_exam: Sequence[ExamLine]


def _moment(at: dt.datetime) -> str:
    local = at.astimezone(PARIS)
    return f"{format_date(local.date())} à {format_time(local.time())}"


def _masked(iban: str) -> str:
    return f"{iban[:4]} •••• {iban[-4:]}"


def summary_pdf(batch: BatchSummary) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=BOLD, fontSize=11, leading=14, textColor=ACCENT
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    # A table aligns the text of its cells, not that of the paragraphs in them.
    figure = ParagraphStyle("figure", parent=cell, alignment=TA_RIGHT)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    facts = [
        ("Service", batch.office),
        ("Session", batch.session or "Toutes les sessions"),
        ("État", batch.status + (f" le {format_date(batch.paid_on)}" if batch.paid_on else "")),
        (
            "Créé le",
            _moment(batch.created_at) + (f" par {batch.created_by}" if batch.created_by else ""),
        ),
        ("Date d'exécution demandée", format_date(batch.execution_date)),
        ("Compte débité", f"{batch.debtor} ({_masked(batch.debtor_iban)})"),
    ]
    totals = [
        [p("Voie de paiement", cell), p("Nombre", cell), p("Montant", figure)],
        [
            p("Virements SEPA (externes ; frais de déplacement de tous)", cell),
            p(plural(batch.transfer_count, "virement", "virements"), cell),
            p(format_euros(batch.transfer_total), figure),
        ],
        [
            p("Paie (indemnités des internes)", cell),
            p(plural(batch.payroll_count, "ligne", "lignes"), cell),
            p(format_euros(batch.payroll_total), figure),
        ],
        [
            p(f"Total des {format_number(batch.statement_count)} états de frais", cell),
            p("", cell),
            p(format_euros(batch.total), figure),
        ],
    ]
    exams = [
        [p("Examen", cell), p("Mission", cell)]
        + [p(h, figure) for h in ("États", "Paie", "Virements")]
    ]
    exams += [
        [
            p(line.exam, cell),
            p(line.mission_type, cell),
            p(format_number(line.count), figure),
            p(format_euros(line.payroll), figure),
            p(format_euros(line.transfer), figure),
        ]
        for line in batch.by_exam
    ]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    totals_table = Table(totals, colWidths=[95 * mm, 35 * mm, 44 * mm], repeatRows=1)
    totals_table.setStyle(grid)
    totals_table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), TINT)]))
    exams_table = Table(
        exams, colWidths=[70 * mm, 32 * mm, 16 * mm, 28 * mm, 28 * mm], repeatRows=1
    )
    exams_table.setStyle(grid)
    facts_table = Table([[p(k, cell), p(v, cell)] for k, v in facts], colWidths=[50 * mm, 124 * mm])
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    story: list[Flowable] = [
        p(batch.academie, small),
        p(f"Lot de paiement {batch.reference}", title),
        Spacer(1, 4 * mm),
        facts_table,
        Spacer(1, 6 * mm),
        p("Montants", heading),
        Spacer(1, 2 * mm),
        totals_table,
        Spacer(1, 6 * mm),
        p("Par examen et type de mission", heading),
        Spacer(1, 2 * mm),
        exams_table,
        Spacer(1, 6 * mm),
        p(
            f"Fichiers joints : virements SEPA (ISO 20022 {batch.sepa_schema}), export paie (CSV). "
            "Leurs totaux sont ceux de ce récapitulatif, au centime.",
            small,
        ),
    ]

    return render(
        story,
        title=f"Lot de paiement {batch.reference}",
        author="IMAG'IN",
        on_page=footer(f"IMAG'IN – {batch.reference}"),
    )
