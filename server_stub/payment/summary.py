"""The summary of a payment batch, as a PDF for the accounting office: what the batch holds,
its totals by payment route, by exam and mission type, and the files that go with it.

reportlab's platypus on DejaVu Sans, shipped with this package (fonts/): the server does not
depend on the client for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from server_stub.rules.french import format_date, format_time
from server_stub.rules.money import format_euros

PARIS = ZoneInfo("Europe/Paris")
REGULAR = "ImaginDejaVuSans"
BOLD = "ImaginDejaVuSans-Bold"
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
TINT = colors.HexColor("#eef1f4")


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
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal
    by_exam: Sequence[ExamLine]


@functools.cache
def _fonts() -> None:
    folder = resources.files("server_stub.payment.fonts")
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        with resources.as_file(folder.joinpath(file)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))


def _moment(at: dt.datetime) -> str:
    local = at.astimezone(PARIS)
    return f"{format_date(local.date())} à {format_time(local.time())}"


def _masked(iban: str) -> str:
    return f"{iban[:4]} •••• {iban[-4:]}"


def summary_pdf(batch: BatchSummary) -> bytes:
    _fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.grey)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=BOLD, fontSize=11, leading=14, textColor=ACCENT
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)

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
        [p("Voie de paiement", cell), p("Nombre", cell), p("Montant", cell)],
        [
            p("Virements SEPA (externes ; frais de déplacement de tous)", cell),
            p(f"{batch.transfer_count} virements", cell),
            p(format_euros(batch.transfer_total), cell),
        ],
        [
            p("Paie (indemnités des internes)", cell),
            p(f"{batch.payroll_count} lignes", cell),
            p(format_euros(batch.payroll_total), cell),
        ],
        [
            p(f"Total des {batch.statement_count} états de frais", cell),
            p("", cell),
            p(format_euros(batch.total), cell),
        ],
    ]
    exams = [[p(h, cell) for h in ("Examen", "Mission", "États", "Paie", "Virements")]]
    exams += [
        [
            p(line.exam, cell),
            p(line.mission_type, cell),
            p(str(line.count), cell),
            p(format_euros(line.payroll), cell),
            p(format_euros(line.transfer), cell),
        ]
        for line in batch.by_exam
    ]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ]
    )
    totals_table = Table(totals, colWidths=[95 * mm, 35 * mm, 44 * mm], repeatRows=1)
    totals_table.setStyle(grid)
    totals_table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), TINT)]))
    exams_table = Table(
        exams, colWidths=[70 * mm, 32 * mm, 16 * mm, 28 * mm, 28 * mm], repeatRows=1
    )
    exams_table.setStyle(grid)
    exams_table.setStyle(TableStyle([("ALIGN", (2, 0), (-1, -1), "RIGHT")]))
    facts_table = Table([[p(k, cell), p(v, cell)] for k, v in facts], colWidths=[50 * mm, 124 * mm])
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    story = [
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
            "Fichiers joints : virements SEPA (ISO 20022 pain.001.001.03), export paie (CSV). "
            "Leurs totaux sont ceux de ce récapitulatif, au centime.",
            small,
        ),
    ]

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, f"IMAG'IN – {batch.reference}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"Lot de paiement {batch.reference}",
        author="IMAG'IN",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
