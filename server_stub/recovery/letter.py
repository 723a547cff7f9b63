"""The letter that carries a new temporary password, printed by the DEC (core/pdf.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from server_stub.core.pdf import (
    ACCENT,
    BOLD,
    INK,
    REGULAR,
    RULE,
    TINT,
    footer,
    register_fonts,
    render,
)
from server_stub.rules.french import format_date


@dataclass(frozen=True)
class PasswordLetter:
    academie: str
    person_name: str
    login: str
    password: str
    issued_on: dt.date
    emailed_to: str | None


def render_password_letter(letter: PasswordLetter) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK)
    head = ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=14, textColor=ACCENT)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    cell = ParagraphStyle("cell", parent=body, fontName=BOLD, fontSize=12, leading=16)
    table = Table(
        [
            [Paragraph("Identifiant IMAG'IN", body), Paragraph(escape(letter.login), cell)],
            [
                Paragraph("Mot de passe temporaire", body),
                Paragraph(escape(letter.password), cell),
            ],
        ],
        colWidths=[60 * mm, 114 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    sent = (
        f"Le même mot de passe vous a été envoyé par courriel à {escape(letter.emailed_to)}."
        if letter.emailed_to
        else "Aucune adresse électronique n'est connue pour votre compte : conservez ce courrier."
    )
    story = [
        Paragraph(escape(letter.academie), small),
        Paragraph("Division des examens et concours", small),
        Spacer(1, 10 * mm),
        Paragraph(f"<b>{escape(letter.person_name)}</b>", body),
        Spacer(1, 4 * mm),
        Paragraph(f"Le {format_date(letter.issued_on)}", body),
        Spacer(1, 6 * mm),
        Paragraph("Nouveau mot de passe temporaire", head),
        Spacer(1, 6 * mm),
        Paragraph("Madame, Monsieur,", body),
        Spacer(1, 3 * mm),
        Paragraph(
            "La DEC vous a attribué un nouveau mot de passe temporaire pour "
            "IMAG'IN. Votre ancien mot de passe ne fonctionne plus. À la connexion, IMAG'IN vous "
            "demandera de le remplacer par un mot de passe personnel.",
            body,
        ),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 5 * mm),
        Paragraph(sent, body),
        Spacer(1, 3 * mm),
        Paragraph(
            "Si vous n'êtes pas à l'origine de cette demande, prévenez la DEC sans attendre.",
            body,
        ),
    ]
    return render(
        story,
        title="Nouveau mot de passe temporaire",
        author=letter.academie,
        on_page=footer(f"{letter.academie} – IMAG'IN – document personnel et confidentiel"),
    )
