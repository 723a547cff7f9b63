"""The kinds of message the académie sends, which of them a person may decline, and their
French names on the profile."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CONVOCATION = "CONVOCATION"
    STATEMENT_RETURNED = "STATEMENT_RETURNED"
    STATEMENT_CORRECTED = "STATEMENT_CORRECTED"
    STATEMENT_APPROVED = "STATEMENT_APPROVED"
    PAYMENT_SENT = "PAYMENT_SENT"
    PAYMENT_REJECTED = "PAYMENT_REJECTED"
    DEADLINE_REMINDER = "DEADLINE_REMINDER"
    PASSWORD_ISSUED = "PASSWORD_ISSUED"
    PASSWORD_RESET = "PASSWORD_RESET"


# What the administration must tell a person (a convocation, a statement sent back, a payment
# refused by the bank, their access): sent whatever the person's choices.
STATUTORY: frozenset[Kind] = frozenset(
    {
        Kind.CONVOCATION,
        Kind.STATEMENT_RETURNED,
        Kind.STATEMENT_CORRECTED,
        Kind.PAYMENT_REJECTED,
        Kind.PASSWORD_ISSUED,
        Kind.PASSWORD_RESET,
    }
)

LABELS: dict[Kind, str] = {
    Kind.CONVOCATION: "Convocation à une mission",
    Kind.STATEMENT_RETURNED: "État de frais renvoyé par la DEC",
    Kind.STATEMENT_CORRECTED: "État de frais corrigé par la DEC",
    Kind.STATEMENT_APPROVED: "État de frais validé par la DEC",
    Kind.PAYMENT_SENT: "Paiement envoyé",
    Kind.PAYMENT_REJECTED: "Paiement rejeté par la banque",
    Kind.DEADLINE_REMINDER: "Rappel avant la date limite de saisie",
    Kind.PASSWORD_ISSUED: "Nouveau mot de passe temporaire",
    Kind.PASSWORD_RESET: "Lien de réinitialisation du mot de passe",
}

# The kinds a person chooses about, in the order the profile shows them.
OPTIONAL: tuple[Kind, ...] = tuple(k for k in Kind if k not in STATUTORY)
