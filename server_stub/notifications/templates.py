"""The French text of each message, as plain text and as HTML (the same words in both).

A template takes the person's name and the facts of the event, already written in French
(dates, euros: rules/french.py, rules/money.py), and gives the subject and both bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

from server_stub.notifications.kinds import STATUTORY, Kind


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _Draft:
    subject: str
    paragraphs: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)


Context = Mapping[str, str]


def _convocation(c: Context) -> _Draft:
    paragraphs = [
        f"Vous êtes convoqué(e) par la DEC de l'{c['academie']} pour la session "
        f"« {c['session']} ».",
        "Votre lettre de convocation, avec le détail de vos missions, est disponible dans "
        "IMAG'IN (rubrique « Mes missions »).",
    ]
    facts = [("Missions", c["missions"])]
    if c.get("password"):
        paragraphs.append(
            "Un compte a été ouvert pour vous. À la première connexion, remplacez le mot de "
            "passe temporaire ci-dessous par un mot de passe personnel."
        )
        facts += [("Identifiant", c["login"]), ("Mot de passe temporaire", c["password"])]
    elif c.get("login"):
        facts.append(("Identifiant", c["login"]))
    return _Draft(f"Convocation : {c['session']}", paragraphs, facts)


def _returned(c: Context) -> _Draft:
    return _Draft(
        "Votre état de frais vous est renvoyé",
        [
            "La DEC vous renvoie votre état de frais pour la mission ci-dessous. Corrigez-le "
            "dans IMAG'IN puis validez-le de nouveau.",
        ],
        [("Mission", c["mission"]), ("Motif du renvoi", c["reason"])],
    )


def _corrected(c: Context) -> _Draft:
    return _Draft(
        "Votre état de frais a été corrigé par la DEC",
        [
            "La DEC a corrigé votre état de frais pour la mission ci-dessous. Le détail de la "
            "correction figure dans l'historique de l'état de frais, dans IMAG'IN.",
        ],
        [("Mission", c["mission"]), ("Correction", c["reason"])],
    )


def _approved(c: Context) -> _Draft:
    return _Draft(
        "Votre état de frais a été validé",
        ["La DEC a validé votre état de frais. Il sera mis en paiement prochainement."],
        [("Mission", c["mission"]), ("Montant", c["amount"])],
    )


def _payment_sent(c: Context) -> _Draft:
    return _Draft(
        "Votre paiement a été envoyé",
        [
            "Le virement de vos indemnités a été transmis à la banque. Il apparaîtra sur "
            "votre compte dans les prochains jours.",
        ],
        [("Montant", c["amount"]), ("Date d'envoi", c["date"])],
    )


def _payment_rejected(c: Context) -> _Draft:
    return _Draft(
        "Votre paiement a été rejeté par la banque",
        [
            "Le virement de vos indemnités n'a pas pu aboutir. Vérifiez vos coordonnées "
            "bancaires dans IMAG'IN (rubrique « Mon profil ») : la DEC le renverra ensuite.",
        ],
        [("Montant", c["amount"]), ("Motif", c["reason"])],
    )


def _reminder(c: Context) -> _Draft:
    return _Draft(
        f"Rappel : saisissez votre état de frais avant le {c['deadline']}",
        [
            "Votre état de frais pour la mission ci-dessous n'a pas encore été transmis à la "
            f"DEC. La date limite de saisie de la session est le {c['deadline']}.",
        ],
        [("Mission", c["mission"])],
    )


def _password_issued(c: Context) -> _Draft:
    return _Draft(
        "Votre nouveau mot de passe temporaire",
        [
            "La DEC vous a attribué un nouveau mot de passe temporaire. À la connexion, "
            "remplacez-le par un mot de passe personnel.",
        ],
        [("Identifiant", c["login"]), ("Mot de passe temporaire", c["password"])],
    )


def _password_reset(c: Context) -> _Draft:
    return _Draft(
        "Réinitialisation de votre mot de passe",
        [
            "Une réinitialisation du mot de passe de votre compte IMAG'IN a été demandée. "
            f"Saisissez le code ci-dessous dans IMAG'IN dans les {c['minutes']} minutes, puis "
            "choisissez un nouveau mot de passe. Ce code ne sert qu'une fois.",
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot "
            "de passe actuel reste valable.",
        ],
        [("Identifiant", c["login"]), ("Code de réinitialisation", c["code"])],
    )


_DRAFTS: dict[Kind, Callable[[Context], _Draft]] = {
    Kind.CONVOCATION: _convocation,
    Kind.STATEMENT_RETURNED: _returned,
    Kind.STATEMENT_CORRECTED: _corrected,
    Kind.STATEMENT_APPROVED: _approved,
    Kind.PAYMENT_SENT: _payment_sent,
    Kind.PAYMENT_REJECTED: _payment_rejected,
    Kind.DEADLINE_REMINDER: _reminder,
    Kind.PASSWORD_ISSUED: _password_issued,
    Kind.PASSWORD_RESET: _password_reset,
}

_SIGNATURE = "La Division des examens et concours (DEC)"


def _footer(kind: Kind) -> str:
    if kind in STATUTORY:
        return "Message automatique d'IMAG'IN : merci de ne pas y répondre."
    return (
        "Message automatique d'IMAG'IN : merci de ne pas y répondre. Vous pouvez choisir les "
        "messages que vous recevez dans IMAG'IN (rubrique « Mon profil »)."
    )


def render(kind: Kind, name: str, context: Context) -> Rendered:
    draft = _DRAFTS[kind](context)
    greeting = f"Bonjour {name},"
    width = max((len(label) for label, _ in draft.facts), default=0)
    text_lines = [greeting, "", *(p + "\n" for p in draft.paragraphs)]
    text_lines += [f"{label.ljust(width)} : {value}" for label, value in draft.facts]
    text_lines += ["", _SIGNATURE, "", "-- ", _footer(kind), ""]
    facts = "".join(
        f'<tr><th style="text-align:left;padding:2px 12px 2px 0">{escape(label)}</th>'
        f"<td>{escape(value)}</td></tr>"
        for label, value in draft.facts
    )
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(draft.subject)}</title></head>"
        '<body style="font-family:sans-serif;color:#1f2933">'
        f"<p>{escape(greeting)}</p>"
        + "".join(f"<p>{escape(p)}</p>" for p in draft.paragraphs)
        + (f"<table>{facts}</table>" if facts else "")
        + f"<p>{escape(_SIGNATURE)}</p>"
        f'<p style="color:#616e7c;font-size:small">{escape(_footer(kind))}</p>'
        "</body></html>"
    )
    return Rendered(draft.subject, "\n".join(text_lines), html)
