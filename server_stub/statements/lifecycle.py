"""The statuses of DOMAIN §3: who may move a statement from where to where (the words people
read are in vocabulary.py).

Pure: no database, no HTTP. The service asks `target()` before any change and records the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from server_stub.rules.model import MissionType, Part
from server_stub.statements.models import PartPayment, Status
from server_stub.statements.vocabulary import (
    STAGES,
    Stage,
    Timing,
    dec_label,
    intervenant_label,
)

__all__ = ["Timing", "dec_label", "intervenant_label"]

# Mission types whose indemnity the DEC enters itself (DOMAIN §4: surveillance is a normal duty;
# where the académie pays it, the service enters the amount).
DEC_HANDLED = frozenset(
    {MissionType.SURVEILLANCE, MissionType.SUBJECT_WRITING, MissionType.DELIBERATION}
)


class Action(StrEnum):
    SAVE = "SAVE"
    SUBMIT = "SUBMIT"
    DECLARE_NOT_PERFORMED = "DECLARE_NOT_PERFORMED"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    ENTER_INDEMNITY = "ENTER_INDEMNITY"
    CORRECT = "CORRECT"  # the DEC changes the counts typed by the intervenant
    CANCEL = "CANCEL"
    UNCANCEL = "UNCANCEL"
    SEND_TO_PAYMENT = "SEND_TO_PAYMENT"
    MARK_PAID = "MARK_PAID"
    # One part paid or rejected while the statement stays in payment (payment/settling.py).
    PART_PAID = "PART_PAID"
    PAYMENT_REJECTED = "PAYMENT_REJECTED"


class Actor(StrEnum):
    INTERVENANT = "INTERVENANT"
    DEC = "DEC"


@dataclass(frozen=True)
class Move:
    sources: frozenset[Status]
    target: Status | None  # None: stays where it is
    actor: Actor


_EDITABLE = frozenset({Status.OPEN, Status.RETURNED})
_BEFORE_PAYMENT = frozenset(
    {
        Status.OPEN,
        Status.NOT_PERFORMED,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.APPROVED,
        Status.DEC_ENTERED,
    }
)

MOVES: dict[Action, Move] = {
    # Also once the DEC entered the indemnity of the pay part: the travel part is the person's,
    # and typing it takes the statement back to them (the DEC's indemnity is kept).
    Action.SAVE: Move(_EDITABLE | {Status.DEC_ENTERED}, None, Actor.INTERVENANT),
    Action.SUBMIT: Move(_EDITABLE, Status.SUBMITTED, Actor.INTERVENANT),
    # Any mission type, also after the DEC entered its indemnity (which the declaration cancels).
    Action.DECLARE_NOT_PERFORMED: Move(
        _EDITABLE | {Status.DEC_ENTERED}, Status.NOT_PERFORMED, Actor.INTERVENANT
    ),
    Action.RETURN: Move(
        frozenset({Status.SUBMITTED, Status.NOT_PERFORMED}), Status.RETURNED, Actor.DEC
    ),
    Action.APPROVE: Move(frozenset({Status.SUBMITTED}), Status.APPROVED, Actor.DEC),
    Action.ENTER_INDEMNITY: Move(
        frozenset({Status.OPEN, Status.SUBMITTED, Status.RETURNED, Status.DEC_ENTERED}),
        Status.DEC_ENTERED,
        Actor.DEC,
    ),
    # Before payment only: a statement sent to payment is locked.
    Action.CORRECT: Move(
        frozenset({Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.DEC_ENTERED}),
        None,
        Actor.DEC,
    ),
    Action.CANCEL: Move(_BEFORE_PAYMENT, Status.CANCELLED, Actor.DEC),
    Action.UNCANCEL: Move(frozenset({Status.CANCELLED}), None, Actor.DEC),
    # From IN_PAYMENT too: a part sent after the other (its account came later, or the bank
    # rejected it).
    Action.SEND_TO_PAYMENT: Move(
        frozenset({Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT}),
        Status.IN_PAYMENT,
        Actor.DEC,
    ),
    Action.MARK_PAID: Move(frozenset({Status.IN_PAYMENT}), Status.PAID, Actor.DEC),
    Action.PART_PAID: Move(frozenset({Status.IN_PAYMENT}), None, Actor.DEC),
    Action.PAYMENT_REJECTED: Move(frozenset({Status.IN_PAYMENT}), None, Actor.DEC),
}


def allowed(action: Action, status: Status) -> bool:
    return status in MOVES[action].sources


def target(action: Action, status: Status, before_cancel: Status | None = None) -> Status:
    """Where `action` takes a statement in `status`; the caller checked `allowed()` first."""
    move = MOVES[action]
    if action is Action.UNCANCEL:
        return before_cancel or Status.OPEN
    if action is Action.SAVE and status is Status.DEC_ENTERED:
        return Status.OPEN
    return move.target or status


def refusal(action: Action, status: Status) -> str:
    """Why the action is not possible now, in French."""
    if status is Status.CANCELLED:
        return "Cet état de frais est annulé : il ne peut plus être modifié."
    validated = status in (Status.SUBMITTED, Status.APPROVED, Status.DEC_ENTERED)
    if validated and MOVES[action].actor is Actor.INTERVENANT:
        return "Cet état de frais est validé : il ne peut plus être modifié."
    if status in (Status.IN_PAYMENT, Status.PAID):
        return "Cet état de frais est transmis à la liquidation : il ne peut plus être modifié."
    if status is Status.NOT_PERFORMED:
        return "Vous avez déclaré ne pas avoir effectué cette mission."
    label = STAGES[Stage.DONE if status is Status.OPEN else Stage(status.value)].intervenant
    return f"Cette opération n'est pas possible pour un état de frais « {label} »."


MISSION_TYPE_LABELS: dict[MissionType, str] = {
    MissionType.CORRECTION: "Correction",
    MissionType.INTERROGATION: "Interrogation",
    MissionType.REUNION: "Réunion",
    MissionType.HARMONISATION: "Harmonisation",
    MissionType.SURVEILLANCE: "Surveillance",
    MissionType.SUBJECT_WRITING: "Élaboration de sujets",
    MissionType.DELIBERATION: "Délibération",
}


PART_PAYMENT_LABELS: dict[PartPayment, str] = {
    PartPayment.IN_PAYMENT: "Mis en paiement",
    PartPayment.PAID: "Payé",
    PartPayment.REJECTED: "Paiement rejeté",
}
PART_LABELS: dict[Part, str] = {Part.PAY: "Indemnités", Part.TRAVEL: "Frais de déplacement"}
# How a part is paid, by the value of payment.models.Channel (DOMAIN §1).
CHANNEL_LABELS: dict[str, str] = {"PAYROLL": "Par la paie", "TRANSFER": "Par virement"}


@dataclass(frozen=True)
class PartAmounts:
    """Each part's amount and payment state, as stored on the statement."""

    pay_total: Decimal
    travel_total: Decimal
    pay_payment: PartPayment | None
    travel_payment: PartPayment | None


def paid_part_labels(
    status: Status, labels: tuple[str, str], parts: PartAmounts
) -> tuple[str, str]:
    """Once a statement is in payment, each part reads its own payment state: a part not sent
    yet (awaiting the person's account) stays "Validé par gestionnaire"."""
    if status not in (Status.IN_PAYMENT, Status.PAID):
        return labels
    if parts.pay_payment is None and parts.travel_payment is None:
        return labels  # in payment from before payment by part
    result = []
    for label, amount, payment in (
        (labels[0], parts.pay_total, parts.pay_payment),
        (labels[1], parts.travel_total, parts.travel_payment),
    ):
        if payment is not None:
            result.append(PART_PAYMENT_LABELS[payment])
        elif amount > 0:
            result.append(STAGES[Stage.APPROVED].intervenant)
        else:
            result.append(label)
    return result[0], result[1]


def part_labels(
    status: Status,
    timing: Timing,
    *,
    dec_handled: bool,
    pay_possible: bool,
    travel_possible: bool,
    travel_elsewhere: bool,
) -> tuple[str, str]:
    """The pay part's and the travel part's labels, as the intervenant reads them."""
    overall = intervenant_label(status, timing)
    if status in (Status.CANCELLED, Status.NOT_PERFORMED):
        return overall, overall
    if dec_handled:
        pay = "Traité par le gestionnaire"
    elif not pay_possible:
        pay = "Pas de frais"
    else:
        pay = overall
    if travel_elsewhere:
        travel = "Invalidable"
    elif not travel_possible:
        travel = "Pas de frais"
    else:
        travel = overall
    return pay, travel
