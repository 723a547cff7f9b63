"""The recap of an expense statement: the page the intervenant signs and sends with the
supporting documents to the organising office (DOMAIN §6), Qt-free.

Built with reportlab's platypus on the embedded DejaVu Sans (see `client.pdf.fonts`). Styles,
table styles and the font are made once per process: an export of a whole session renders
thousands of recaps in a row.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from client.api.models import (
    Certification,
    HalfDay,
    Line,
    MealKind,
    Mission,
    PartPaymentInfo,
    PayDay,
    Residence,
    Statement,
    Status,
    Travel,
    TravelMode,
    Trip,
)
from client.formatting import date_fr, euros, long_date, number, period, plural, time_fr
from client.pdf.fonts import BOLD, REGULAR, register_fonts

DEFAULT_ACADEMIE = "Académie d'Amiens"
TITLE = "Récapitulatif de l'état de frais de mission"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
TINT = colors.HexColor("#eef1f4")
HEADER_TINT = colors.HexColor("#dde3ea")

PART_PAY = "PAY"
PART_TRAVEL = "TRAVEL"

MODE_NAMES: dict[TravelMode, str] = {
    TravelMode.CAR: "Véhicule personnel",
    TravelMode.MOTORCYCLE: "Motocyclette (plus de 125 cm³)",
    TravelMode.MOPED: "Vélomoteur",
    TravelMode.PUBLIC_TRANSPORT: "Transport en commun",
}
HALF_DAY_NAMES: dict[HalfDay, str] = {HalfDay.MORNING: "matin", HalfDay.AFTERNOON: "après-midi"}
MEAL_NAMES: dict[MealKind, str] = {MealKind.LUNCH: "déjeuner", MealKind.DINNER: "dîner"}
PAPER_KIND_NAMES = {"WRITTEN": "épreuve écrite", "ORAL": "épreuve orale", "PRACTICAL": "pratique"}
DEPARTURE_NAMES: dict[Residence, str] = {
    Residence.ADMINISTRATIVE: "résidence administrative",
    Residence.FAMILY: "résidence familiale",
}
UNPAID_GROUP = "NR"
# Statuses where a past validation no longer holds.
UNVALIDATED = frozenset({Status.OPEN, Status.RETURNED})
NO_DOCUMENTS = "Aucune pièce justificative n'est requise."
DOTS = "…" * 10


# --- styles, made once --------------------------------------------------------------------


def _style(name: str, **values: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": REGULAR, "fontSize": 9, "leading": 11.5, "textColor": INK}
    base.update(values)
    return ParagraphStyle(name, **base)


BODY = _style("recap-body")
SMALL = _style("recap-small", fontSize=8, leading=10)
TRIP = _style("recap-trip", fontSize=7.5, leading=9.5)
NOTE = _style("recap-note", fontSize=7, leading=8.8, textColor=MUTED)
LABEL = _style("recap-label", fontSize=8, leading=11.5, textColor=MUTED)

CELL_PADDING_X = 8  # left + right padding of a table cell, points
_CELL_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X / 2),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X / 2),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]
FIELDS_STYLE = TableStyle(
    [
        *_CELL_PADDING,
        ("FONT", (0, 0), (0, -1), LABEL.fontName, LABEL.fontSize, LABEL.leading),
        ("TEXTCOLOR", (0, 0), (0, -1), LABEL.textColor),
        ("FONT", (1, 0), (1, -1), BODY.fontName, BODY.fontSize, BODY.leading),
        ("TEXTCOLOR", (1, 0), (1, -1), BODY.textColor),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        # The smaller labels sit on the same baseline as their values.
        ("TOPPADDING", (0, 0), (0, -1), 1 + BODY.fontSize - LABEL.fontSize),
    ]
)
LIST_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), BODY.fontName, BODY.fontSize, BODY.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), BODY.textColor),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)
_GRID = [
    *_CELL_PADDING,
    ("FONT", (0, 0), (-1, -1), REGULAR, 8, 10),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("FONT", (0, 0), (-1, 0), BOLD, 8, 10),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_TINT),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
]
SERVICE_STYLE = TableStyle(_GRID)
TRIPS_STYLE = TableStyle(
    [
        *_GRID,
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5, 9.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5, 9.5),
        ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
    ]
)

# Column widths (points); each table spans the content width.
FIELD_COLUMNS = (42 * mm, CONTENT_WIDTH - 42 * mm)
SERVICE_COLUMNS = FIELD_COLUMNS
TRIP_COLUMNS = (32.5 * mm, 30 * mm, 30 * mm, 17 * mm, 19 * mm, 25.5 * mm, 20 * mm)
LINE_COLUMNS = (52 * mm, CONTENT_WIDTH - 82 * mm, 30 * mm)
BULLET_WIDTH = 12
LIST_COLUMNS = (BULLET_WIDTH, CONTENT_WIDTH - BULLET_WIDTH)


# --- public API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachments:
    """What became of each supporting document: the names of the files attached to it (label →
    names), and the documents sent by post."""

    files: Mapping[str, Sequence[str]] = field(default_factory=dict)
    by_post: Collection[str] = ()


def render_recap(
    statement: Statement,
    *,
    academie: str = DEFAULT_ACADEMIE,
    printed_on: dt.date,
    attachments: Attachments | None = None,
) -> bytes:
    """The recap of one statement, as a PDF; with `attachments`, each document says whether it
    is attached (and as which files) or to be sent."""
    return render_recaps(
        [statement],
        academie=academie,
        printed_on=printed_on,
        attachments=None if attachments is None else {statement.id: attachments},
    )


def render_recaps(
    statements: Sequence[Statement],
    *,
    academie: str = DEFAULT_ACADEMIE,
    printed_on: dt.date,
    attachments: Mapping[int, Attachments] | None = None,
) -> bytes:
    """The recaps of several statements in one PDF, each starting on a new page.

    Pages are numbered within each recap ("Page 1 / 2") and, when there are several recaps,
    across the whole export.
    """
    if not statements:
        raise ValueError("an export needs at least one statement")
    register_fonts()
    buffer = io.BytesIO()
    first = statements[0]
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=TITLE if len(statements) > 1 else f"{TITLE} n° {first.id} ({first.intervenant})",
        author=academie,
        creator="IMAG'IN",
        lang="fr-FR",
        invariant=True,
        # Even the canvas's starting font is the embedded one: no Helvetica in the file.
        initialFontName=REGULAR,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    document.addPageTemplates([PageTemplate(id="recap", frames=[frame])])

    story: list[Flowable] = []
    for index, statement in enumerate(statements):
        if index:
            story.append(PageBreak())
        story.append(_RecapStart(_Footer(statement.intervenant, statement.id)))
        story.extend(_recap_story(statement, academie, (attachments or {}).get(statement.id)))

    def canvas_maker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, printed_on=printed_on, several=len(statements) > 1, **kwargs)

    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


# --- page footers: numbered once every page is known ---------------------------------------


@dataclass(frozen=True)
class _Footer:
    intervenant: str
    statement_id: int


class _RecapStart(Flowable):  # type: ignore[misc]
    """Marks the page where a recap starts, so that footers can number pages per recap."""

    def __init__(self, footer: _Footer) -> None:
        super().__init__()
        self.footer = footer

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.recap_footer = self.footer


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds the pages back until the end, when the number of pages of each recap is known."""

    def __init__(self, *args: Any, printed_on: dt.date, several: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recap_footer: _Footer | None = None
        self._printed = f"Imprimé le {date_fr(printed_on)}"
        self._several = several
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        # A page belongs to the recap that started on it or before it.
        footers = [page["recap_footer"] for page in self._pages]
        per_recap: dict[int, int] = {}
        for footer in footers:
            per_recap[id(footer)] = per_recap.get(id(footer), 0) + 1
        seen: dict[int, int] = {}
        for overall, (page, footer) in enumerate(zip(self._pages, footers, strict=True), 1):
            self.__dict__.update(page)
            seen[id(footer)] = seen.get(id(footer), 0) + 1
            self._draw_footer(footer, seen[id(footer)], per_recap[id(footer)], overall)
            Canvas.showPage(self)
        super().save()

    def _draw_footer(self, footer: _Footer | None, page: int, pages: int, overall: int) -> None:
        y = MARGIN_BOTTOM - 9 * mm
        right = PAGE_WIDTH - MARGIN_X
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 10, right, y + 10)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, 7.5)
        if footer is not None:
            self.drawString(
                MARGIN_X, y, f"{footer.intervenant} · état de frais n° {footer.statement_id}"
            )
        self.drawCentredString(PAGE_WIDTH / 2, y, self._printed)
        self.setFont(BOLD, 7.5)
        self.drawRightString(right, y, f"Page {page} / {pages}")
        if self._several:
            self.setFont(REGULAR, 6.5)
            total = len(self._pages)
            self.drawRightString(right, y - 9, f"Export : page {overall} / {total}")
        self.restoreState()


# --- the recap ------------------------------------------------------------------------------


def _recap_story(
    statement: Statement, academie: str, attachments: Attachments | None = None
) -> list[Flowable]:
    story: list[Flowable] = [*_header(statement, academie)]
    story += _section("Intervenant(e)", _intervenant(statement))
    story += _section("Mission", _mission(statement.mission))
    story += _section("Service fait", _service(statement))
    story += _section("Déplacements", _travel(statement.entry.travel))
    # The computation may run over two pages (its header row repeats), but its title never
    # stays alone at the foot of a page.
    story += [CondPageBreak(45 * mm), Heading("Décompte", keep_with_next=False)]
    story += _lines(statement)
    if statement.payments:
        story += _section("Paiement", _payments(statement.payments))
    observations = _observations(statement)
    if observations:
        story += _section("Observations", observations)
    if attachments is None:
        story += _section("Pièces justificatives à joindre", _documents(statement))
    else:
        story += _section("Pièces justificatives", _documents_given(statement, attachments))
    certification = statement.certification
    if certification is not None:
        story += _section("Attestation sur l'honneur", _certification(certification))
    story.append(_SignatureBox())
    return story


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text: what the server or the user wrote is never markup."""
    return Paragraph(escape(text), style)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _section(title: str, content: list[Flowable]) -> list[Flowable]:
    return [Heading(title), *content]


def _cell(
    text: str, style: ParagraphStyle, width: float, padding: float = CELL_PADDING_X
) -> str | Paragraph:
    """A table cell: the bare text when it holds on one line, a wrapping paragraph otherwise.

    Bare strings are drawn directly by the table, several times cheaper than paragraphs; the
    table's FONT command for the cell must match `style`.
    """
    if stringWidth(text, style.fontName, style.fontSize) <= width - padding:
        return text
    return _p(text, style)


def _fields(rows: Iterable[tuple[str, str | None]]) -> list[Flowable]:
    """A two-column label/value table; rows without a value are left out."""
    data = [[label, _cell(value, BODY, FIELD_COLUMNS[1])] for label, value in rows if value]
    if not data:
        return []
    return [Table(data, colWidths=FIELD_COLUMNS, style=FIELDS_STYLE, hAlign="LEFT")]


def _header(statement: Statement, academie: str) -> list[Flowable]:
    return [
        Header(academie, TITLE, f"État de frais n° {statement.id}", statement.labels.intervenant)
    ]


def _intervenant(statement: Statement) -> list[Flowable]:
    return _fields(
        [
            ("Nom", statement.intervenant),
            ("Validé le", _validated_on(statement)),
        ]
    )


def _validated_on(statement: Statement) -> str | None:
    if statement.submitted_at is None or statement.status in UNVALIDATED:
        return None
    return _moment(statement.submitted_at)


def _moment(moment: dt.datetime) -> str:
    # Times are the local time of the mission; any offset is only the wire's.
    return f"{date_fr(moment)} à {time_fr(moment.time())}"


def _mission(mission: Mission) -> list[Flowable]:
    paper = " – ".join(part for part in (mission.paper_code, mission.paper) if part)
    kind = PAPER_KIND_NAMES.get(mission.paper_kind or "")
    if paper and kind:
        paper = f"{paper} ({kind})"
    mission_type = mission.type_label
    if mission.optional_oral:
        mission_type += " (épreuve facultative)"
    centre = mission.centre
    if mission.centre_address:
        centre += f", {mission.centre_address}"
    return _fields(
        [
            ("Session", mission.session),
            ("Examen", mission.exam),
            ("Spécialité", mission.speciality),
            ("Épreuve", paper or None),
            ("Type de mission", mission_type),
            ("Taux de rémunération", _pay_group(mission.pay_group)),
            (
                "Lot de copies",
                plural(mission.lot_size, "copie", "copies") if mission.lot_size else None,
            ),
            (
                "Durée par candidat",
                f"{mission.minutes_per_candidate} min" if mission.minutes_per_candidate else None,
            ),
            ("Centre", centre),
            ("Commune", mission.commune),
            ("Dates", _capitalised(period(mission.start_date, mission.end_date))),
            ("Horaires", f"De {time_fr(mission.start_time)} à {time_fr(mission.end_time)}"),
        ]
    )


def _pay_group(group: str | None) -> str | None:
    if group is None:
        return None
    if group == UNPAID_GROUP:
        return "Épreuve non rémunérée"
    return f"Taux {group}"


def _service(statement: Statement) -> list[Flowable]:
    if statement.mission.dec_handled:
        return [_p("L'indemnité de cette mission est saisie par la division des examens.")]
    days = sorted(statement.entry.days, key=lambda day: day.date)
    rows = [[_capitalised(long_date(day.date)), _day_service(day)] for day in days]
    if not any(service for _, service in rows):
        return [_p("Aucun service n'est déclaré.")]
    data = [["Jour", "Service déclaré"], *([day, service or "—"] for day, service in rows)]
    return [Table(data, colWidths=SERVICE_COLUMNS, style=SERVICE_STYLE, repeatRows=1)]


def _day_service(day: PayDay) -> str:
    parts: list[str] = []
    if day.copies:
        parts.append(plural(day.copies, "copie corrigée", "copies corrigées"))
    for half_day in HalfDay:
        candidates = day.candidates.get(half_day)
        if candidates:
            candidates_text = plural(candidates, "candidat interrogé", "candidats interrogés")
            parts.append(f"{HALF_DAY_NAMES[half_day]} : {candidates_text}")
    if day.hours:
        parts.append(plural(day.hours, "heure", "heures"))
    return " ; ".join(parts)


def _travel(travel: Travel) -> list[Flowable]:
    if not travel.claimed:
        return [_p("Aucun frais de déplacement n'est demandé.")]
    story = _fields([("Point de départ", _capitalised(DEPARTURE_NAMES[travel.departure]))])
    if travel.trips:
        data: list[list[Any]] = [
            ["Transport", "Départ", "Retour", "Distance", "Billet", "Stationnement", "Péage"],
            *(_trip_row(trip) for trip in sorted(travel.trips, key=lambda trip: trip.depart_at)),
        ]
        story += [
            Table(data, colWidths=TRIP_COLUMNS, style=TRIPS_STYLE, repeatRows=1),
            Spacer(0, 3),
        ]
    meals = [
        f"{MEAL_NAMES[meal.kind]} du {date_fr(meal.date)}"
        + (" (restaurant administratif)" if meal.administrative_restaurant else "")
        for meal in sorted(travel.meals, key=lambda meal: (meal.date, meal.kind != MealKind.LUNCH))
    ]
    nights = [
        f"nuit du {date_fr(night.date)} au {date_fr(night.date + dt.timedelta(days=1))} : "
        f"{euros(night.cost)} payés"
        for night in sorted(travel.nights, key=lambda night: night.date)
    ]
    story += _fields(
        [
            ("Repas", _capitalised(" ; ".join(meals)) if meals else "Aucun"),
            ("Nuitées", _capitalised(" ; ".join(nights)) if nights else "Aucune"),
        ]
    )
    return story


def _trip_row(trip: Trip) -> list[Any]:
    def cost(amount: Decimal) -> str:
        return euros(amount) if amount else "—"

    return [
        _cell(MODE_NAMES[trip.mode], TRIP, TRIP_COLUMNS[0]),
        _moment(trip.depart_at),
        _moment(trip.return_at),
        f"{number(trip.km)} km" if trip.km else "—",
        cost(trip.fare),
        cost(trip.parking),
        cost(trip.tolls),
    ]


def _lines(statement: Statement) -> list[Flowable]:
    computation = statement.computation
    data: list[list[Any]] = [["Libellé", "Détail du calcul", "Montant"]]
    commands: list[tuple[Any, ...]] = []
    groups = (
        (PART_PAY, "Indemnités de vacation", computation.pay_total),
        (PART_TRAVEL, "Frais de déplacement", computation.travel_total),
    )
    for part, title, subtotal in groups:
        lines = [line for line in computation.lines if line.part == part]
        row = len(data)
        data.append([title, "", ""])
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("FONT", (0, row), (-1, row), BOLD, 8.5, 10.5),
            ("TEXTCOLOR", (0, row), (-1, row), ACCENT),
            ("BACKGROUND", (0, row), (-1, row), TINT),
        ]
        if not lines:
            data.append(["Aucun montant", "", euros(Decimal("0.00"))])
        data += [_line_row(line) for line in lines]
        row = len(data)
        data.append([f"Sous-total {title.lower()}", "", euros(subtotal)])
        commands += [
            ("SPAN", (0, row), (1, row)),
            ("ALIGN", (0, row), (-1, row), "RIGHT"),
            ("FONT", (0, row), (-1, row), BOLD, 8, 10),
        ]
    row = len(data)
    data.append(["Total de l'état de frais", "", euros(computation.total)])
    commands += [
        ("SPAN", (0, row), (1, row)),
        ("ALIGN", (0, row), (-1, row), "RIGHT"),
        ("FONT", (0, row), (-1, row), BOLD, 10, 12.5),
        ("LINEABOVE", (0, row), (-1, row), 1, INK),
        ("BACKGROUND", (0, row), (-1, row), HEADER_TINT),
        ("TOPPADDING", (0, row), (-1, row), 4),
        ("BOTTOMPADDING", (0, row), (-1, row), 4),
    ]
    table = Table(
        data,
        colWidths=LINE_COLUMNS,
        style=TableStyle([*_GRID, ("ALIGN", (2, 0), (2, -1), "RIGHT"), *commands]),
        repeatRows=1,
    )
    story: list[Flowable] = [table]
    references = _references(computation.lines)
    if references:
        story += [Spacer(0, 3), _p(f"Textes appliqués : {references}.", NOTE)]
    return story


def _line_row(line: Line) -> list[Any]:
    return [
        _cell(line.label, SMALL, LINE_COLUMNS[0]),
        _cell(line.explanation, SMALL, LINE_COLUMNS[1]),
        euros(line.amount),
    ]


def _references(lines: Iterable[Line]) -> str:
    """Each legal text once, with the tariff versions applied, in order of first use."""
    versions: dict[str, list[str]] = {}
    for line in lines:
        applied = versions.setdefault(line.legal_text, [])
        if line.tariff_version not in applied:
            applied.append(line.tariff_version)
    return " ; ".join(
        f"{text} (barème {', '.join(applied)})" for text, applied in versions.items() if text
    )


def _payments(payments: Iterable[PartPaymentInfo]) -> list[Flowable]:
    """Each part: where it stands, its amount and way, and the dates known so far."""
    return _fields((p.part_label, _payment_facts(p)) for p in payments)


def _payment_facts(payment: PartPaymentInfo) -> str:
    """`Payé – 190,00 € par la paie ; lot créé le 03/12/2026, exécution prévue le 07/12/2026,
    payé le 08/12/2026, référence BQ-0000042`."""
    head = f"{payment.status_label} – {euros(payment.amount)}"
    if payment.channel_label:
        head += f" {payment.channel_label.lower()}"
    facts = [
        f"{words} {date_fr(day)}"
        for words, day in (
            ("lot créé le", payment.batch_created_on),
            ("exécution prévue le", payment.execution_date),
            ("payé le", payment.paid_on),
            ("rejeté le", payment.rejected_on),
        )
        if day is not None
    ]
    if payment.reference:
        facts.append(f"référence {payment.reference}")
    text = head + (f" ; {', '.join(facts)}" if facts else "")
    if payment.rejection_reason:
        text += f". Motif du rejet : {payment.rejection_reason}"
    return text + "."


def _observations(statement: Statement) -> list[Flowable]:
    texts: list[str] = []
    comment = statement.dec_comment
    if comment is not None:
        day = date_fr(comment.at.astimezone())
        texts.append(f"Message du gestionnaire (le {day}) : {comment.text}")
    if (
        statement.status == Status.RETURNED
        and statement.reason
        and (comment is None or comment.text != statement.reason)
    ):
        texts.append(f"Motif du renvoi : {statement.reason}")
    texts += statement.computation.notes
    texts += (f"À corriger : {problem.message}" for problem in statement.computation.problems)
    return _bullets("•", texts)


def _certification(certification: Certification) -> list[Flowable]:
    """What the person certified on "Valider", ticked, with when."""
    return [
        *_bullets("☒", certification.texts),
        _p(f"Certifié en validant l'état de frais le {_moment(certification.at)}."),
    ]


def _documents(statement: Statement) -> list[Flowable]:
    documents = statement.computation.documents
    if not documents:
        return [_p(NO_DOCUMENTS)]
    return _bullets("☐", documents)


def _documents_given(statement: Statement, attachments: Attachments) -> list[Flowable]:
    """Each document: attached (its files' names), sent by post, or still to send."""
    documents = statement.computation.documents
    if not documents:
        return [_p(NO_DOCUMENTS)]
    rows: list[tuple[str, str]] = []
    for label in documents:
        names = attachments.files.get(label, ())
        if names:
            rows.append(("☑", f"{label} — jointe à l'état de frais : {', '.join(names)}"))
        elif label in attachments.by_post:
            rows.append(("☐", f"{label} — envoyée par courrier"))
        else:
            rows.append(("☐", f"{label} — à envoyer avec ce récapitulatif"))
    data = [[mark, _cell(text, BODY, LIST_COLUMNS[1], padding=0)] for mark, text in rows]
    return [Table(data, colWidths=LIST_COLUMNS, style=LIST_STYLE, hAlign="LEFT")]


def _bullets(bullet: str, texts: Iterable[str]) -> list[Flowable]:
    data = [[bullet, _cell(text, BODY, LIST_COLUMNS[1], padding=0)] for text in texts]
    if not data:
        return []
    return [Table(data, colWidths=LIST_COLUMNS, style=LIST_STYLE, hAlign="LEFT")]


# --- drawn flowables: fixed layouts, drawn directly (several times cheaper than paragraphs) ----


class Header(Flowable):  # type: ignore[misc]
    """The académie and the document's reference (and status), a rule, and the title; also the
    annual statement's (client/pdf/annual.py)."""

    HEIGHT = 60

    def __init__(self, academie: str, title: str, reference: str, status: str = "") -> None:
        super().__init__()
        self.academie = academie
        self.title = title
        self.reference = reference
        self.status = status
        self.spaceAfter = 2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.HEIGHT

    def draw(self) -> None:
        canvas, top, right = self.canv, self.HEIGHT, self.width
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 11)
        canvas.drawString(0, top - 11, self.academie)
        canvas.setFont(REGULAR, 9)
        canvas.drawRightString(right, top - 10, self.reference)
        if self.status:
            canvas.setFont(BOLD, 9)
            canvas.drawRightString(right, top - 22, self.status)
            canvas.setFont(REGULAR, 9)
            canvas.drawRightString(right - stringWidth(self.status, BOLD, 9), top - 22, "Statut : ")
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(0, top - 23, "Division des examens et concours")
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        canvas.line(0, top - 30, right, top - 30)
        canvas.setFillColor(ACCENT)
        size = 15.0  # a long title is set smaller rather than cut
        while size > 10 and stringWidth(self.title, BOLD, size) > right:
            size -= 0.5
        canvas.setFont(BOLD, size)
        canvas.drawString(0, 4, self.title)


class Heading(Flowable):  # type: ignore[misc]
    """A section title, kept with what follows unless the section may split (also the
    annual statement's, client/pdf/annual.py)."""

    def __init__(self, title: str, *, keep_with_next: bool = True) -> None:
        super().__init__()
        self.title = title
        self.keepWithNext = keep_with_next
        self.spaceBefore = 9
        self.spaceAfter = 4

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 13

    def draw(self) -> None:
        self.canv.setFillColor(ACCENT)
        self.canv.setFont(BOLD, 10.5)
        self.canv.drawString(0, 3, self.title)


class _SignatureBox(Flowable):  # type: ignore[misc]
    """The intervenant's certification, place and date to fill in, and room to sign."""

    CERTIFY = (
        "Je certifie sur l'honneur l'exactitude des renseignements portés sur cet état "
        "et le service fait."
    )
    PLACE = f"Fait à {DOTS}, le {DOTS}"
    SIGN = "Signature de l'intervenant(e)"
    PADDING = 8
    SIZE = 9
    LEADING = 12
    SIGNING_ROOM = 22 * mm

    def __init__(self) -> None:
        super().__init__()
        self.spaceBefore = 12
        self.lines: list[str] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.split_at = available_width * 0.55
        text_width = self.split_at - 2 * self.PADDING
        self.lines = simpleSplit(self.CERTIFY, REGULAR, self.SIZE, text_width)
        left = (len(self.lines) + 1) * self.LEADING + 10
        right = self.LEADING + self.SIGNING_ROOM
        self.height = max(left, right) + 2 * self.PADDING
        return self.width, self.height

    def draw(self) -> None:
        canvas, pad = self.canv, self.PADDING
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(self.split_at, 0, self.split_at, self.height)
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, self.SIZE)
        y = self.height - pad - self.SIZE
        for line in self.lines:
            canvas.drawString(pad, y, line)
            y -= self.LEADING
        canvas.drawString(pad, y - 10, self.PLACE)
        canvas.setFont(BOLD, self.SIZE)
        canvas.drawString(self.split_at + pad, self.height - pad - self.SIZE, self.SIGN)
