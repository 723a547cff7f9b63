"""The convocation letter: one PDF per person and issue, listing their missions.

Built with the server's PDF kit (`core.pdf`: DejaVu Sans, A4, the palette). The letter says where
and when, gives the IMAG'IN identifier and, for an externe who has never logged in, the temporary
password, and where to find help.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from server_stub.assignment.costing import Help
from server_stub.core.pdf import ACCENT, BOLD, INK, REGULAR, RULE, TINT, register_fonts, render
from server_stub.rules.french import format_date


class Access(StrEnum):
    ACADEMIC = "ACADEMIC"  # logs in with the académie's messaging credentials
    PERSONAL = "PERSONAL"  # an externe who already chose a password
    TEMPORARY = "TEMPORARY"  # an externe whose temporary password is on this letter


@dataclass(frozen=True)
class LetterMission:
    title: str  # "Interrogation – épreuve E21 (Mathématiques)"
    exam: str  # "Baccalauréat professionnel Métiers de l'électricité"
    place: str  # centre name
    address: str  # street, postal code and commune
    when: str  # "jeudi 18/06/2026, de 8h à 12h"
    details: str  # "Commission n° 2" / "Lot n° 3 : 49 copies, à rendre au plus tard le …"


@dataclass(frozen=True)
class Letter:
    academie: str
    office: str
    session_name: str
    person_name: str
    login: str
    access: Access
    temporary_password: str | None
    missions: Sequence[LetterMission]
    issued_on: dt.date
    help: Help


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, textColor=ACCENT),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=BOLD, fontSize=9),
    }


def render_letter(letter: Letter) -> bytes:
    register_fonts()
    styles = _styles()

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, styles[style])

    story: list[Flowable] = [
        p(f"{escape(letter.academie)} – {escape(_office(letter.office))}", "head"),
        p(f"Le {format_date(letter.issued_on)}", "small"),
        Spacer(1, 6 * mm),
        p("Convocation", "title"),
        p(escape(letter.session_name)),
        Spacer(1, 5 * mm),
        p(f"Destinataire : <b>{escape(letter.person_name)}</b>"),
        Spacer(1, 3 * mm),
        p(_opening(len(letter.missions))),
        Spacer(1, 3 * mm),
        _missions_table(letter.missions, styles),
        Spacer(1, 5 * mm),
        p("Votre accès à IMAG'IN", "head"),
        _access_table(letter, styles),
        Spacer(1, 4 * mm),
        p(
            "Un état de frais a été préparé pour chaque mission : après la mission, complétez-le "
            "dans IMAG'IN (copies corrigées ou candidats interrogés, frais de déplacement) puis "
            "validez-le."
        ),
        Spacer(1, 2 * mm),
        p(
            "Si vous ne pouvez pas assurer une mission, déclarez-le au plus tôt dans IMAG'IN "
            "(« Mes convocations ») : la DEC pourra convoquer une autre personne à votre place."
        ),
        Spacer(1, 5 * mm),
        p("Aide", "head"),
        p(f"Accès sécurisé : {escape(letter.help.portal)}"),
        p(escape(letter.help.guide)),
        p(escape(letter.help.contact)),
    ]
    return render(
        story,
        title=f"Convocation – {letter.person_name}",
        author=f"{letter.academie} – {letter.office}",
    )


def _office(office: str) -> str:
    return "Division des examens et concours" if office == "DEC" else office


def _opening(count: int) -> str:
    if count == 1:
        return "Vous êtes convoqué(e) pour la mission suivante :"
    return f"Vous êtes convoqué(e) pour les {count} missions suivantes :"


def _missions_table(missions: Sequence[LetterMission], styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[object]] = [
        [
            Paragraph("Mission", styles["cellhead"]),
            Paragraph("Lieu", styles["cellhead"]),
            Paragraph("Date et horaires", styles["cellhead"]),
        ]
    ]
    for mission in missions:
        what = f"<b>{escape(mission.title)}</b><br/>{escape(mission.exam)}"
        if mission.details:
            what += f"<br/>{escape(mission.details)}"
        rows.append(
            [
                Paragraph(what, styles["cell"]),
                Paragraph(
                    f"<b>{escape(mission.place)}</b><br/>{escape(mission.address)}", styles["cell"]
                ),
                Paragraph(escape(mission.when), styles["cell"]),
            ]
        )
    table = Table(rows, colWidths=[72 * mm, 55 * mm, 47 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _access_table(letter: Letter, styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[object]] = [
        [
            Paragraph("Identifiant IMAG'IN", styles["cell"]),
            Paragraph(f"<b>{escape(letter.login)}</b>", styles["cell"]),
        ]
    ]
    if letter.access is Access.TEMPORARY and letter.temporary_password:
        rows.append(
            [
                Paragraph("Mot de passe temporaire", styles["cell"]),
                Paragraph(
                    f"<b>{escape(letter.temporary_password)}</b> – à remplacer par un mot de "
                    "passe personnel à la première connexion",
                    styles["cell"],
                ),
            ]
        )
    elif letter.access is Access.ACADEMIC:
        rows.append(
            [
                Paragraph("Mot de passe", styles["cell"]),
                Paragraph(
                    "Connectez-vous avec les identifiants de votre messagerie académique.",
                    styles["cell"],
                ),
            ]
        )
    else:
        rows.append(
            [
                Paragraph("Mot de passe", styles["cell"]),
                Paragraph(
                    "Votre mot de passe personnel, choisi à votre première connexion.",
                    styles["cell"],
                ),
            ]
        )
    table = Table(rows, colWidths=[50 * mm, 124 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (0, -1), TINT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def letter_filename(login: str, issued_on: dt.date) -> str:
    return f"convocation-{login}-{issued_on.isoformat()}.pdf"
