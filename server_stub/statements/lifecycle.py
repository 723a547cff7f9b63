"""The statuses of DOMAIN §3: who may move a statement from where to where, and what people read.

Pure: no database, no HTTP. The service asks `target()` before any change and records the move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from server_stub.rules.model import MissionType
from server_stub.statements.models import Status

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
    Action.SAVE: Move(_EDITABLE, None, Actor.INTERVENANT),
    Action.SUBMIT: Move(_EDITABLE, Status.SUBMITTED, Actor.INTERVENANT),
    Action.DECLARE_NOT_PERFORMED: Move(_EDITABLE, Status.NOT_PERFORMED, Actor.INTERVENANT),
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
    Action.SEND_TO_PAYMENT: Move(
        frozenset({Status.APPROVED, Status.DEC_ENTERED}), Status.IN_PAYMENT, Actor.DEC
    ),
    Action.MARK_PAID: Move(frozenset({Status.IN_PAYMENT}), Status.PAID, Actor.DEC),
}


def allowed(action: Action, status: Status) -> bool:
    return status in MOVES[action].sources


def target(action: Action, status: Status, before_cancel: Status | None = None) -> Status:
    """Where `action` takes a statement in `status`; the caller checked `allowed()` first."""
    move = MOVES[action]
    if action is Action.UNCANCEL:
        return before_cancel or Status.OPEN
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
    label = INTERVENANT_LABELS[status]
    return f"Cette opération n'est pas possible pour un état de frais « {label} »."


INTERVENANT_LABELS: dict[Status, str] = {
    Status.OPEN: "Non validé",
    Status.NOT_PERFORMED: "Mission non effectuée (déclarée)",
    Status.SUBMITTED: "Validé",
    Status.RETURNED: "Renvoyé",
    Status.APPROVED: "Validé par gestionnaire",
    Status.DEC_ENTERED: "Traité par le gestionnaire",
    Status.CANCELLED: "Annulé",
    Status.IN_PAYMENT: "Mis en paiement",
    Status.PAID: "Payé",
}

DEC_LABELS: dict[Status, str] = {
    Status.OPEN: "Mission effectuée",
    Status.NOT_PERFORMED: "Mission non effectuée (déclarée)",
    Status.SUBMITTED: "À valider",
    Status.RETURNED: "Renvoyé à l'intervenant",
    Status.APPROVED: "Validé",
    Status.DEC_ENTERED: "Validé",
    Status.CANCELLED: "Annulé",
    Status.IN_PAYMENT: "Transmis à la liquidation",
    Status.PAID: "Payé",
}

MISSION_TYPE_LABELS: dict[MissionType, str] = {
    MissionType.CORRECTION: "Correction",
    MissionType.INTERROGATION: "Interrogation",
    MissionType.REUNION: "Réunion",
    MissionType.HARMONISATION: "Harmonisation",
    MissionType.SURVEILLANCE: "Surveillance",
    MissionType.SUBJECT_WRITING: "Élaboration de sujets",
    MissionType.DELIBERATION: "Délibération",
}


@dataclass(frozen=True)
class Timing:
    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def started(self) -> bool:
        return self.today >= self.start

    @property
    def over(self) -> bool:
        return self.today > self.end


def intervenant_label(status: Status, timing: Timing) -> str:
    if status is Status.OPEN and not timing.started:
        return "Mission non effectuée"
    if status is Status.OPEN and not timing.over:
        return "Mission en cours"
    return INTERVENANT_LABELS[status]


def dec_label(status: Status, timing: Timing) -> str:
    if status is Status.OPEN and not timing.over:
        return "Mission non encore effectuée"
    return DEC_LABELS[status]


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
