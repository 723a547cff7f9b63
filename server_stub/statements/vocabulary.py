"""What every status and every recorded action reads as: one table, one French label for the
intervenant and one for the DEC (DOMAIN §3).

The lists, the filters, the dashboard, the history and the PDFs take their words from here; the
client reads them through the API (the rows' labels, `GET /dec/status-kinds`, the history's
labels) and keeps no table of its own. Pure: no database, no HTTP.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from server_stub.statements.models import Status


@dataclass(frozen=True)
class Timing:
    """Where the mission stands on `today`."""

    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def started(self) -> bool:
        return self.today >= self.start

    @property
    def over(self) -> bool:
        return self.today > self.end


class Stage(StrEnum):
    """A status as people read it: an open statement also says where its mission stands."""

    UPCOMING = "UPCOMING"  # OPEN, the mission not started
    ONGOING = "ONGOING"  # OPEN, the mission started, not over
    DONE = "DONE"  # OPEN, the mission over: the intervenant's to complete
    NOT_PERFORMED = "NOT_PERFORMED"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    DEC_ENTERED = "DEC_ENTERED"
    CANCELLED = "CANCELLED"
    IN_PAYMENT = "IN_PAYMENT"
    PAID = "PAID"


class Recorded(StrEnum):
    """Every action the history records: the lifecycle's moves and the DEC's other acts."""

    ISSUE = "ISSUE"  # the convocation created the statement
    SAVE = "SAVE"
    SUBMIT = "SUBMIT"
    DECLARE_NOT_PERFORMED = "DECLARE_NOT_PERFORMED"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    ENTER_INDEMNITY = "ENTER_INDEMNITY"
    CORRECT = "CORRECT"
    CANCEL = "CANCEL"
    UNCANCEL = "UNCANCEL"
    SEND_TO_PAYMENT = "SEND_TO_PAYMENT"
    MARK_PAID = "MARK_PAID"
    PART_PAID = "PART_PAID"  # one part of a statement paid (payment/settling.py)
    PAYMENT_REJECTED = "PAYMENT_REJECTED"
    INDEMNITY_CANCELLED = "INDEMNITY_CANCELLED"  # the mission declared not performed
    TRAVEL_AFTER_INDEMNITY = "TRAVEL_AFTER_INDEMNITY"  # travel typed after the DEC's indemnity
    SERVICE_DONE = "SERVICE_DONE"  # constat de service fait for the mission
    DOCUMENTS = "DOCUMENTS"  # the DEC ticked the supporting documents received


@dataclass(frozen=True)
class Words:
    """One thing's label for each audience."""

    intervenant: str
    dec: str


# DOMAIN §3. Within an audience two statuses never share a label (the dashboard's bars, the
# filter's entries); the two stages of a mission not yet done read the same to the DEC.
STAGES: dict[Stage, Words] = {
    Stage.UPCOMING: Words("Mission non effectuée", "Mission non encore effectuée"),
    Stage.ONGOING: Words("Mission en cours", "Mission non encore effectuée"),
    Stage.DONE: Words("Non validé", "Mission effectuée"),
    Stage.NOT_PERFORMED: Words(
        "Mission non effectuée (déclarée)", "Mission non effectuée (déclarée)"
    ),
    Stage.SUBMITTED: Words("Validé", "À valider"),
    Stage.RETURNED: Words("Renvoyé", "Renvoyé à l'intervenant"),
    Stage.APPROVED: Words("Validé par gestionnaire", "Validé"),
    Stage.DEC_ENTERED: Words("Traité par le gestionnaire", "Traité par le gestionnaire"),
    Stage.CANCELLED: Words("Annulé", "Annulé"),
    Stage.IN_PAYMENT: Words("Mis en paiement", "Transmis à la liquidation"),
    Stage.PAID: Words("Payé", "Payé"),
}

ACTIONS: dict[Recorded, Words] = {
    Recorded.ISSUE: Words("Convocation reçue", "Convocation émise"),
    Recorded.SAVE: Words("Enregistrement", "Enregistrement par l'intervenant"),
    Recorded.SUBMIT: Words("Validation de l'état de frais", "Transmission à la DEC"),
    Recorded.DECLARE_NOT_PERFORMED: Words(
        "Mission déclarée non effectuée", "Mission déclarée non effectuée"
    ),
    Recorded.RETURN: Words("Renvoi par le gestionnaire", "Renvoi à l'intervenant"),
    Recorded.APPROVE: Words("Validation par le gestionnaire", "Validation"),
    Recorded.ENTER_INDEMNITY: Words(
        "Indemnité saisie par le gestionnaire", "Saisie de l'indemnité"
    ),
    Recorded.CORRECT: Words("Décompte corrigé par le gestionnaire", "Correction du décompte"),
    Recorded.CANCEL: Words("Annulation", "Annulation"),
    Recorded.UNCANCEL: Words("Rétablissement", "Rétablissement"),
    Recorded.SEND_TO_PAYMENT: Words("Mise en paiement", "Transmission à la liquidation"),
    Recorded.MARK_PAID: Words("Paiement", "Paiement"),
    Recorded.PART_PAID: Words("Paiement d'une part", "Paiement d'une part"),
    Recorded.PAYMENT_REJECTED: Words("Paiement rejeté", "Paiement rejeté"),
    Recorded.INDEMNITY_CANCELLED: Words(
        "Indemnité annulée (mission non effectuée)", "Indemnité annulée (mission non effectuée)"
    ),
    Recorded.TRAVEL_AFTER_INDEMNITY: Words(
        "Frais de déplacement ajoutés", "Frais de déplacement saisis par l'intervenant"
    ),
    Recorded.SERVICE_DONE: Words("Service fait constaté", "Service fait constaté"),
    Recorded.DOCUMENTS: Words("Pièces justificatives reçues", "Pièces reçues"),
}

# What the DEC says to the person about their statement, with the reason it must give: the
# statement's page shows the last of them beside its status (and the recap prints it).
DEC_COMMENTS = frozenset(
    {
        Recorded.RETURN,
        Recorded.CORRECT,
        Recorded.ENTER_INDEMNITY,
        Recorded.CANCEL,
        Recorded.UNCANCEL,
    }
)

_OPEN_STAGES = (Stage.UPCOMING, Stage.ONGOING, Stage.DONE)


def stage(status: Status, timing: Timing) -> Stage:
    if status is Status.OPEN:
        if not timing.started:
            return Stage.UPCOMING
        return Stage.DONE if timing.over else Stage.ONGOING
    return Stage(status.value)


def status_of(shown: Stage) -> Status:
    return Status.OPEN if shown in _OPEN_STAGES else Status(shown.value)


def intervenant_label(status: Status, timing: Timing) -> str:
    return STAGES[stage(status, timing)].intervenant


def dec_label(status: Status, timing: Timing) -> str:
    return STAGES[stage(status, timing)].dec


def action_words(action: str) -> Words:
    """An action's labels; an action this table does not know reads as itself, never raw."""
    try:
        return ACTIONS[Recorded(action)]
    except ValueError:
        return Words("Opération enregistrée", "Opération enregistrée")


@dataclass(frozen=True)
class StatusKind:
    """One entry of the DEC's status filter: a label, the status, and for an open statement
    whether its mission is over (None: either)."""

    status: Status
    done: bool | None
    label: str


def dec_status_kinds() -> list[StatusKind]:
    """Every label the DEC's lists can show, once each, in the lifecycle's order."""
    kinds: list[StatusKind] = []
    seen: set[str] = set()
    for shown, words in STAGES.items():
        if words.dec in seen:
            continue
        seen.add(words.dec)
        status = status_of(shown)
        done: bool | None = None
        if status is Status.OPEN:
            done = shown is Stage.DONE
        kinds.append(StatusKind(status=status, done=done, label=words.dec))
    return kinds
