"""What the bank or the payroll answered for the parts of a batch: paid, or rejected.

A part paid is recorded with its date and the payer's reference; a statement becomes Payé when
every part with an amount is paid. A part rejected goes back to "Paiement rejeté" with its
reason: the statement stays in payment and the part is sent again in a later batch. Each
answer is audited on the statement; the batch is Payé when no part awaits an answer. Marking a
batch paid by hand, the bank's statements (camt.053/054) and the payroll's acknowledgement all
come through `settle`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock, collector
from server_stub.core.settings import Settings
from server_stub.dec import repository as dec_repository
from server_stub.notifications import outbox
from server_stub.notifications.kinds import Kind
from server_stub.payment import planning, repository
from server_stub.payment.models import BatchStatus, Channel, PaymentBatch
from server_stub.rules.french import format_date
from server_stub.rules.model import Part
from server_stub.statements import anomalies
from server_stub.statements.lifecycle import Action
from server_stub.statements.models import PartPayment, Status

PARIS = ZoneInfo("Europe/Paris")
# "Indemnités payées", "Frais de déplacement payés"; "elles seront reprises", "ils seront repris".
_PAID = {Part.PAY: "payées", Part.TRAVEL: "payés"}
_AGAIN = {
    Part.PAY: "Elles seront reprises dans le prochain lot.",
    Part.TRAVEL: "Ils seront repris dans le prochain lot.",
}


@dataclass(frozen=True)
class Answer:
    """The answer for one part of the batch (a row of `repository.open_parts`)."""

    part_id: int
    paid: bool
    on: dt.date
    reference: str | None = None
    code: str | None = None  # a rejection's ISO 20022 reason code
    reason: str | None = None  # its French meaning


@dataclass(frozen=True)
class Settled:
    paid: int
    rejected: int
    statements_paid: int


@collector.paused()
def settle(
    session: Session,
    settings: Settings,
    actor: User,
    batch: PaymentBatch,
    parts: Sequence[Mapping[Any, Any]],
    answers: Sequence[Answer],
    *,
    source: str,
) -> Settled:
    """Records `answers` for `parts` (those of the batch awaiting one); `source` says where the
    answers come from in the audit trail ("relevé camt.054 …", "saisie manuelle")."""
    by_id = {p["id"]: p for p in parts}
    chosen = [(by_id[a.part_id], a) for a in answers if a.part_id in by_id]
    paid_value, rejected_value = PartPayment.PAID.value, PartPayment.REJECTED.value
    repository.settle_parts(
        session,
        [
            {
                "id": a.part_id,
                "status": paid_value if a.paid else rejected_value,
                "settled_on": a.on,
                "settled_reference": a.reference,
                "return_code": a.code,
                "return_reason": a.reason,
            }
            for _, a in chosen
        ],
    )
    pay: dict[int, PartPayment] = {}
    travel: dict[int, PartPayment] = {}
    for part, answer in chosen:
        side = pay if part["part"] == Part.PAY.value else travel
        side[part["statement_id"]] = PartPayment.PAID if answer.paid else PartPayment.REJECTED
    # Each statement is written once: its parts' states, and Payé when every part with an
    # amount is paid; its version moves by one per part and one for the move, as it would
    # change by change.
    states = repository.payment_states(session, pay.keys() | travel.keys())
    rows: list[dict[str, Any]] = []
    complete: list[Mapping[Any, Any]] = []
    for state in states:
        row = {
            "id": state["id"],
            "pay_payment": state["pay_payment"],
            "travel_payment": state["travel_payment"],
            "pay_total": state["pay_total"],
            "travel_total": state["travel_total"],
            "status": state["status"],
            "version": state["version"],
        }
        for side, column in ((pay, "pay_payment"), (travel, "travel_payment")):
            if state["id"] in side:
                row[column] = side[state["id"]].value
                row["version"] += 1
        if Status(state["status"]) is Status.IN_PAYMENT and _all_paid(row):
            row["status"] = Status.PAID.value
            row["version"] += 1
            complete.append(state)
        rows.append(row)
    repository.write_payment_states(session, rows)
    last_day = max((a.on for _, a in chosen if a.paid), default=None)
    today = clock.today(settings)
    now = clock.now()
    paid_reason = f"Payé le {format_date(last_day or today)} : lot {batch.reference} ({source})."
    done = {s["id"] for s in complete}
    dec_repository.audit_many(
        session,
        [
            {
                "statement_id": s["id"],
                "actor_id": actor.id,
                "at": now,
                "action": Action.MARK_PAID.value,
                "from_status": s["status"],
                "to_status": Status.PAID.value,
                "reason": paid_reason,
            }
            for s in complete
        ]
        + _part_entries(actor, batch, chosen, done, source, now),
    )
    # Each owner of a statement Payé is told, once for all of theirs.
    if complete:
        outbox.about_amounts(
            session, Kind.PAYMENT_SENT, [(s["user_id"], s["total"]) for s in complete], today
        )
    # The people whose transfer the bank rejected are told, in this transaction (statutory).
    # A line the payroll rejected is the DEC's to correct (the person has nothing to change):
    # it is audited on the statement and sent again, without asking them for their account.
    outbox.payments_rejected(
        session,
        [
            (p["user_id"], p["amount"], a.reason or a.code or "motif non précisé par la banque")
            for p, a in chosen
            if not a.paid and p["channel"] == Channel.TRANSFER.value
        ],
        max((a.on for _, a in chosen if not a.paid), default=clock.today(settings)),
    )

    paid_people = {p["user_id"] for p, a in chosen if a.paid}
    if paid_people and last_day is not None:
        at = dt.datetime.combine(last_day, dt.time(12), tzinfo=PARIS).astimezone(dt.UTC)
        repository.mark_people_paid(session, paid_people, at)
    if repository.count_open_parts(session, batch.id) == 0:
        batch.status = BatchStatus.PAID
        batch.paid_on = last_day or max((a.on for _, a in chosen), default=None)
        batch.paid_at = clock.now()
        batch.paid_by = actor.id
    session.flush()
    # Only the financial file's anomaly depends on a payment (its 12 months start again).
    flagged = repository.flagged_for_financial_file(session, paid_people)
    anomalies.refresh_people(session, flagged, clock.today(settings))
    paid = sum(1 for _, a in chosen if a.paid)
    return Settled(paid=paid, rejected=len(chosen) - paid, statements_paid=len(complete))


def _all_paid(state: Mapping[Any, Any]) -> bool:
    return all(
        planning.payment_state(state, part) is PartPayment.PAID
        for part in _parts_with_amount(state)
    )


def _parts_with_amount(state: Mapping[Any, Any]) -> list[Part]:
    parts = []
    if state["pay_total"] > 0 or state["travel_total"] <= 0:
        parts.append(Part.PAY)
    if state["travel_total"] > 0:
        parts.append(Part.TRAVEL)
    return parts


def _part_entries(
    actor: User,
    batch: PaymentBatch,
    chosen: Sequence[tuple[Mapping[Any, Any], Answer]],
    complete: set[int],
    source: str,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """An entry for each part paid on a statement that stays in payment, and for each part
    rejected (the statement's own move to Payé has its own entry)."""
    rows: list[dict[str, Any]] = []
    # Thousands of answers share a few dates and reasons: each sentence is written once.
    reasons: dict[tuple[str, bool, dt.date, str | None, str | None], str] = {}
    for part, answer in chosen:
        if answer.paid and part["statement_id"] in complete:
            continue
        key = (part["part"], answer.paid, answer.on, answer.code, answer.reason)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = _part_reason(batch, answer, Part(part["part"]), source)
        rows.append(
            {
                "statement_id": part["statement_id"],
                "actor_id": actor.id,
                "at": now,
                "action": (Action.PART_PAID if answer.paid else Action.PAYMENT_REJECTED).value,
                "from_status": Status.IN_PAYMENT.value,
                "to_status": Status.IN_PAYMENT.value,
                "reason": reason,
            }
        )
    return rows


def _part_reason(batch: PaymentBatch, answer: Answer, name: Part, source: str) -> str:
    label = planning.PART_LABELS[name]
    if answer.paid:
        return (
            f"{label} {_PAID[name]} le {format_date(answer.on)} : lot {batch.reference} ({source})."
        )
    return (
        f"{label} : paiement rejeté le {format_date(answer.on)}, lot {batch.reference} "
        f"({answer.code + ' : ' if answer.code else ''}{answer.reason or 'motif inconnu'})"
        f". {_AGAIN[name]}"
    )
