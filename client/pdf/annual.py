"""The annual statement of the sums paid to a person in a calendar year, for their tax return
(GET /me/payments/{year}), Qt-free.

Mission by mission and part by part, each part with its payment date and the way it was paid,
then the totals, and what each kind of sum is: the indemnities are pay (through the payroll,
with the salary, for the académie's own staff), the travel costs are reimbursements. The same
page layout, fonts and colours as the recap (client/pdf/recap.py). Shows what the server sent;
adds up nothing that the server did not.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from client.api.models import AnnualPayments, PaidMission
from client.formatting import date_fr, euros, period
from client.pdf.fonts import BOLD, REGULAR, register_fonts
from client.pdf.recap import (
    ACCENT,
    BODY,
    CONTENT_WIDTH,
    FIELDS_STYLE,
    HEADER_TINT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    NOTE,
    PAGE_WIDTH,
    RULE,
    SMALL,
    TINT,
    Header,
    Heading,
)

TITLE = "Attestation annuelle des sommes versées"
FIELD_COLUMNS = (42 * mm, CONTENT_WIDTH - 42 * mm)
# Mission, part, way, paid on, batch, amount.
PART_COLUMNS = (CONTENT_WIDTH - 117 * mm, 34 * mm, 17 * mm, 20 * mm, 26 * mm, 20 * mm)
TOTAL_COLUMNS = (CONTENT_WIDTH - 36 * mm, 36 * mm)

_GRID = [
    ("FONT", (0, 0), (-1, -1), REGULAR, 8, 10),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("FONT", (0, 0), (-1, 0), BOLD, 8, 10),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_TINT),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def render_annual_statement(payments: AnnualPayments, *, printed_on: dt.date) -> bytes:
    """The annual statement as a PDF."""
    register_fonts()
    buffer = io.BytesIO()
    title = f"{TITLE} — {payments.year}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{title} ({payments.person.name})",
        author=payments.academie,
        creator="IMAG'IN",
        lang="fr-FR",
        invariant=True,
        initialFontName=REGULAR,
    )
    footer = f"{payments.person.name} · sommes versées en {payments.year}"

    def canvas_maker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, footer=footer, printed_on=printed_on, **kwargs)

    document.build(_story(payments, title), canvasmaker=canvas_maker)
    return buffer.getvalue()


def _story(payments: AnnualPayments, title: str) -> list[Flowable]:
    story: list[Flowable] = [Header(payments.academie, title, f"Année civile {payments.year}")]
    story += [Heading("Bénéficiaire"), *_person(payments)]
    # The table may run over pages (its header row repeats), but its title never stays alone
    # at the foot of a page.
    story += [
        CondPageBreak(40 * mm),
        Heading("Sommes versées, mission par mission", keep_with_next=False),
    ]
    if payments.missions:
        story.append(_parts_table(payments.missions))
    else:
        story.append(_p(f"Aucune somme n'a été versée en {payments.year}."))
    story += [Heading("Totaux de l'année"), _totals(payments)]
    story += [Heading("À savoir"), *_notes(payments)]
    return story


def _p(text: str, style: Any = BODY) -> Paragraph:
    """A paragraph of plain text: what the server sent is never markup."""
    return Paragraph(escape(text), style)


def _person(payments: AnnualPayments) -> list[Flowable]:
    person = payments.person
    status = (
        "Personnel de l'académie (indemnités versées par la paie)"
        if person.interne
        else "Intervenant extérieur (sommes versées par virement)"
    )
    rows: list[tuple[str, str | None]] = [
        ("Nom", person.name),
        ("Identifiant IMAG'IN", person.login),
        ("Qualité", status),
        ("Adresse", person.postal_address),
        (
            "Période",
            f"{period(dt.date(payments.year, 1, 1), dt.date(payments.year, 12, 31))} "
            "(date de paiement)",
        ),
    ]
    if payments.offices is not None:
        rows.append(("Lots comptés", "Ceux des services " + ", ".join(payments.offices)))
    data = [[label, _p(value)] for label, value in rows if value]
    return [Table(data, colWidths=FIELD_COLUMNS, style=FIELDS_STYLE, hAlign="LEFT")]


def _mission_text(mission: PaidMission) -> str:
    paper = " ".join(p for p in (mission.paper_code, mission.paper) if p)
    what = " · ".join(p for p in (mission.mission_type_label, mission.exam, paper) if p)
    return f"{what}\n{mission.centre}, {period(mission.start_date, mission.end_date)}"


def _parts_table(missions: list[PaidMission]) -> Table:
    header = ["Mission", "Part", "Mode", "Payé le", "Lot et référence", "Montant"]
    data: list[list[Any]] = [header]
    commands: list[Any] = list(_GRID)
    commands.append(("ALIGN", (5, 0), (5, -1), "RIGHT"))
    for mission in missions:
        first = len(data)
        for index, part in enumerate(mission.parts):
            reference = part.batch_reference + (f"\n{part.reference}" if part.reference else "")
            data.append(
                [
                    Paragraph(escape(_mission_text(mission)).replace("\n", "<br/>"), SMALL)
                    if index == 0
                    else "",
                    part.part_label,
                    part.channel_label,
                    date_fr(part.paid_on),
                    Paragraph(escape(reference).replace("\n", "<br/>"), NOTE),
                    euros(part.amount),
                ]
            )
        if len(mission.parts) > 1:
            data.append(["", "Total de la mission", "", "", "", euros(mission.total)])
            row = len(data) - 1
            commands += [
                ("SPAN", (1, row), (4, row)),
                ("FONT", (1, row), (-1, row), BOLD, 8, 10),
                ("BACKGROUND", (1, row), (-1, row), TINT),
            ]
        last = len(data) - 1
        commands += [
            ("SPAN", (0, first), (0, last)),
            ("LINEBELOW", (0, last), (-1, last), 0.8, RULE),
        ]
    return Table(
        data, colWidths=PART_COLUMNS, style=TableStyle(commands), repeatRows=1, hAlign="LEFT"
    )


def _totals(payments: AnnualPayments) -> Table:
    by_transfer = payments.pay_total - payments.payroll_total
    rows: list[tuple[str, Decimal, bool]] = [
        ("Indemnités de vacation", payments.pay_total, True),
    ]
    if payments.payroll_total and by_transfer:
        rows += [
            ("    dont versées par la paie, avec le traitement", payments.payroll_total, False),
            ("    dont versées par virement", by_transfer, False),
        ]
    elif payments.payroll_total:
        rows.append(("    versées par la paie, avec le traitement", payments.payroll_total, False))
    elif by_transfer:
        rows.append(("    versées par virement", by_transfer, False))
    rows += [
        ("Frais de déplacement remboursés (par virement)", payments.travel_total, True),
        (f"Total des sommes versées en {payments.year}", payments.total, True),
    ]
    data = [[label, euros(amount)] for label, amount, _ in rows]
    commands: list[Any] = [
        *(c for c in _GRID if c[2] != (-1, 0)),  # no header row
        ("FONT", (0, 0), (-1, -1), REGULAR, 9, 11.5),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("FONT", (0, -1), (-1, -1), BOLD, 9.5, 12),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_TINT),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
    ]
    for row, (_, _, strong) in enumerate(rows):
        if not strong:
            commands.append(("TEXTCOLOR", (0, row), (-1, row), MUTED))
    return Table(data, colWidths=TOTAL_COLUMNS, style=TableStyle(commands), hAlign="LEFT")


def _notes(payments: AnnualPayments) -> list[Flowable]:
    notes = [
        "Les indemnités de vacation rémunèrent le travail fait pour les examens. Celles des "
        "personnels de l'académie sont versées par la paie, avec le traitement : elles figurent "
        "sur le bulletin de paie. Celles des intervenants extérieurs sont versées par virement.",
        "Les frais de déplacement (transport, repas, nuitées) sont des remboursements des frais "
        "engagés pour la mission, versés par virement : ce n'est pas une rémunération.",
        payments.rule,
        "Cette attestation reprend les paiements enregistrés dans IMAG'IN ; elle ne remplace "
        "ni les bulletins de paie ni les documents fiscaux officiels.",
    ]
    return [Spacer(0, 1), *(_p(f"• {note}", SMALL) for note in notes)]


# --- the page -------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds the pages back until the end, when their number is known."""

    def __init__(self, *args: Any, footer: str, printed_on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._printed = f"Imprimé le {date_fr(printed_on)}"
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, page in enumerate(self._pages, 1):
            self.__dict__.update(page)
            self._draw_footer(number, len(self._pages))
            Canvas.showPage(self)
        super().save()

    def _draw_footer(self, page: int, pages: int) -> None:
        y = MARGIN_BOTTOM - 9 * mm
        right = PAGE_WIDTH - MARGIN_X
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 10, right, y + 10)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, 7.5)
        self.drawString(MARGIN_X, y, self._footer)
        self.drawCentredString(PAGE_WIDTH / 2, y, self._printed)
        self.setFont(BOLD, 7.5)
        self.drawRightString(right, y, f"Page {page} / {pages}")
        self.restoreState()
