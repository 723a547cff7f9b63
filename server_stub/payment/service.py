"""Sending validated statements to payment, and the files that pay them.

DOMAIN §1: an interne's vacation indemnities go through payroll, their travel costs by bank
transfer; an externe's indemnities and travel costs both go by transfer, to the account of their
financial file. One transfer per person per batch sums everything the batch owes them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput, NotFound
from server_stub.core.settings import Settings
from server_stub.dec import actions, anomalies
from server_stub.dec.schemas import StatementRef
from server_stub.dec.service import in_scope, scope
from server_stub.payment import repository
from server_stub.payment.config import debtor
from server_stub.payment.models import BatchStatus, PaymentBatch
from server_stub.payment.payroll import payroll_csv
from server_stub.payment.schemas import BatchCreated, BatchIn, BatchOut, Excluded
from server_stub.payment.sepa import Transfer, credit_transfer_file
from server_stub.payment.summary import BatchSummary, ExamLine, summary_pdf
from server_stub.reference.models import ExamSession
from server_stub.rules.anomalies import financial_file_problem
from server_stub.rules.model import MissionType
from server_stub.statements.lifecycle import DEC_LABELS, MISSION_TYPE_LABELS, Action
from server_stub.statements.models import Status

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal("0.00")
ALL_OFFICES = "TOUS"
BATCH_LABELS = {
    BatchStatus.IN_PAYMENT: DEC_LABELS[Status.IN_PAYMENT],
    BatchStatus.PAID: DEC_LABELS[Status.PAID],
}
_NOT_FOUND = "Ce lot de paiement est introuvable."


def next_working_day(day: dt.date) -> dt.date:
    following = day + dt.timedelta(days=1)
    while following.weekday() >= 5:
        following += dt.timedelta(days=1)
    return following


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


def _split(row: Mapping[Any, Any]) -> tuple[Decimal, Decimal]:
    """(through payroll, by transfer) of a statement."""
    if row["academic"]:
        return row["pay_total"], row["travel_total"]
    return ZERO, row["total"]


def _problem(row: Mapping[Any, Any], transfer: Decimal, today: dt.date) -> str | None:
    if transfer <= 0:
        return None
    if row["academic"]:
        if not row["iban"]:
            return (
                "IBAN manquant : le remboursement des frais de déplacement ne peut pas être viré."
            )
        return None
    return financial_file_problem(
        row["iban"], _local_day(row["financial_file_updated"]), _local_day(row["last_paid"]), today
    )


def create_batch(session: Session, settings: Settings, actor: User, body: BatchIn) -> BatchCreated:
    """Sends the validated statements of the office (or of a session, or those listed) to
    payment: Transmis à la liquidation for the DEC, Mis en paiement for the intervenant."""
    today = clock.today(settings)
    execution = body.execution_date or next_working_day(today)
    if execution < today:
        message = "La date d'exécution des virements ne peut pas être passée."
        raise InvalidInput(message, fields={"execution_date": message})
    office = scope(actor)
    if body.session_id is not None:
        exam_session = session.get(ExamSession, body.session_id)
        if exam_session is None or not in_scope(actor, exam_session.office):
            message = "Cette session d'examen est introuvable."
            raise NotFound(message, fields={"session_id": message})
        office = exam_session.office
    rows = repository.candidates(session, office, body.session_id, body.statement_ids)
    excluded: list[Excluded] = []
    if body.statement_ids is not None:
        found = {r["id"] for r in rows}
        excluded += [
            Excluded(
                id=i,
                reason="Cet état de frais n'est pas validé ou est introuvable : il ne peut pas "
                "être mis en paiement.",
            )
            for i in dict.fromkeys(body.statement_ids)
            if i not in found
        ]
    eligible: dict[int, tuple[Mapping[Any, Any], Decimal, Decimal]] = {}
    for row in rows:
        payroll, transfer = _split(row)
        problem = _problem(row, transfer, today)
        if problem:
            excluded.append(Excluded(id=row["id"], reason=problem))
        else:
            eligible[row["id"]] = (row, payroll, transfer)
    if not eligible:
        raise Conflict(
            "Aucun état de frais validé ne peut être mis en paiement"
            + (f" ({len(excluded)} écartés : voyez leur motif)." if excluded else "."),
            excluded=[e.model_dump() for e in excluded],
        )

    now = clock.now()
    batch = PaymentBatch(
        office=office or ALL_OFFICES,
        session_id=body.session_id,
        status=BatchStatus.IN_PAYMENT,
        created_at=now,
        created_by=actor.id,
        execution_date=execution,
    )
    session.add(batch)
    session.flush()
    reference = batch.reference
    move = actions.BulkMove(
        Action.SEND_TO_PAYMENT,
        lambda _: {"status": Status.IN_PAYMENT.value, "payment_batch_id": batch.id},
        reason=f"Mis en paiement : lot {reference}.",
    )
    # The versions read above: a statement changed since is left out, not paid as it was.
    refs = [StatementRef(id=i, version=row["version"]) for i, (row, _, _) in eligible.items()]
    results = actions.bulk_move(session, settings, actor, refs, move, office=None, commit=False)
    moved = [eligible[r.id] for r in results if r.ok]
    excluded += [Excluded(id=r.id, reason=r.reason or "") for r in results if not r.ok]
    if not moved:
        raise Conflict(
            "Ces états de frais viennent d'être modifiés ou mis en paiement par quelqu'un "
            "d'autre : rechargez la liste."
        )
    _fill(session, batch, moved)
    session.flush()
    return BatchCreated(batch=out(session, batch), excluded=excluded)


def _fill(
    session: Session,
    batch: PaymentBatch,
    moved: list[tuple[Mapping[Any, Any], Decimal, Decimal]],
) -> None:
    lines = []
    people: dict[int, dict[str, Any]] = {}
    owed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    count: dict[int, int] = defaultdict(int)
    for row, payroll, transfer in moved:
        lines.append(
            {
                "batch_id": batch.id,
                "statement_id": row["id"],
                "user_id": row["user_id"],
                "payroll_amount": payroll,
                "transfer_amount": transfer,
            }
        )
        if transfer > 0:
            people[row["user_id"]] = dict(row)
            owed[row["user_id"]] += transfer
            count[row["user_id"]] += 1
    transfers = []
    for user_id, row in people.items():
        transfers.append(
            {
                "batch_id": batch.id,
                "user_id": user_id,
                "creditor_name": (
                    row["account_holder"] or f"{row['first_name']} {row['last_name']}"
                )[:140],
                "iban": row["iban"],
                "bic": row["bic"],
                "amount": owed[user_id],
                "statement_count": count[user_id],
            }
        )
    repository.add_lines(session, lines)
    repository.add_transfers(session, transfers)
    batch.statement_count = len(lines)
    batch.transfer_count = len(transfers)
    batch.transfer_total = sum((t["amount"] for t in transfers), ZERO)
    batch.payroll_count = sum(1 for line in lines if line["payroll_amount"] > 0)
    batch.payroll_total = sum((line["payroll_amount"] for line in lines), ZERO)
    batch.total = batch.transfer_total + batch.payroll_total


def _end_to_end(batch: PaymentBatch, user_id: int) -> str:
    return f"IMAGIN-{batch.id:06d}-{user_id:07d}"


def out(session: Session, batch: PaymentBatch) -> BatchOut:
    names = repository.people_names(session, [batch.created_by] if batch.created_by else [])
    return BatchOut(
        id=batch.id,
        reference=batch.reference,
        office=batch.office,
        session_id=batch.session_id,
        session=repository.session_name(session, batch.session_id),
        status=batch.status,
        status_label=BATCH_LABELS[BatchStatus(batch.status)],
        created_at=batch.created_at,
        created_by=names.get(batch.created_by) if batch.created_by else None,
        execution_date=batch.execution_date,
        paid_on=batch.paid_on,
        statement_count=batch.statement_count,
        transfer_count=batch.transfer_count,
        transfer_total=batch.transfer_total,
        payroll_count=batch.payroll_count,
        payroll_total=batch.payroll_total,
        total=batch.total,
    )


def listing(session: Session, actor: User) -> list[BatchOut]:
    return [out(session, b) for b in repository.batches(session, scope(actor))]


def scoped_batch(
    session: Session, actor: User, batch_id: int, *, for_update: bool = False
) -> PaymentBatch:
    batch = repository.batch(session, batch_id, for_update=for_update)
    if batch is None or not in_scope(actor, batch.office):
        raise NotFound(_NOT_FOUND)
    return batch


def mark_paid(
    session: Session, settings: Settings, actor: User, batch_id: int, paid_on: dt.date
) -> BatchOut:
    """The transfers and the payroll were paid: every statement of the batch becomes Payé, and
    each payee's last payment date moves (their financial file stays valid 12 more months)."""
    batch = scoped_batch(session, actor, batch_id, for_update=True)
    if batch.status == BatchStatus.PAID:
        raise Conflict(f"Ce lot est déjà payé (le {batch.paid_on:%d/%m/%Y}).")
    today = clock.today(settings)
    created = _local_day(batch.created_at) or today
    # A demo's fixed "today" may precede the batch's real creation time: never refuse both.
    if paid_on > max(today, created) or paid_on < created:
        message = (
            f"La date de paiement doit être comprise entre la création du lot "
            f"({created:%d/%m/%Y}) et aujourd'hui."
        )
        raise InvalidInput(message, fields={"paid_on": message})
    refs = [StatementRef(id=i) for i in repository.statement_ids(session, batch.id)]
    move = actions.BulkMove(
        Action.MARK_PAID,
        lambda _: {"status": Status.PAID.value},
        reason=f"Payé le {paid_on:%d/%m/%Y} : lot {batch.reference}.",
    )
    results = actions.bulk_move(session, settings, actor, refs, move, office=None, commit=False)
    if not all(r.ok for r in results):
        raise Conflict("Certains états de frais de ce lot ne sont plus en paiement : rechargez.")
    batch.status = BatchStatus.PAID
    batch.paid_on = paid_on
    batch.paid_at = clock.now()
    batch.paid_by = actor.id
    people = repository.payees(session, batch.id)
    at = dt.datetime.combine(paid_on, dt.time(12), tzinfo=PARIS).astimezone(dt.UTC)
    repository.mark_people_paid(session, people, at)
    session.flush()
    anomalies.refresh_people(session, people, today)
    return out(session, scoped_batch(session, actor, batch_id))


# --- the files -------------------------------------------------------------------------------


def sepa_file(session: Session, actor: User, batch_id: int) -> tuple[str, bytes]:
    batch = scoped_batch(session, actor, batch_id)
    transfers = repository.transfers(session, batch.id)
    if not transfers:
        raise Conflict("Ce lot ne comporte aucun virement : il n'a pas de fichier SEPA.")
    reference = batch.reference
    document = credit_transfer_file(
        debtor(),
        message_id=f"IMAGIN-{reference}",
        created_at=batch.created_at.astimezone(PARIS),
        execution_date=batch.execution_date,
        transfers=[
            Transfer(
                creditor_name=t.creditor_name,
                iban=t.iban,
                bic=t.bic,
                amount=t.amount,
                end_to_end_id=_end_to_end(batch, t.user_id),
                remittance=(
                    f"IMAG'IN {reference} frais de mission jurys d'examens "
                    f"({t.statement_count} état{'s' if t.statement_count > 1 else ''} de frais)"
                ),
            )
            for t in transfers
        ],
    )
    return f"IMAGIN-{reference}-virements.xml", document


def payroll_file(session: Session, actor: User, batch_id: int) -> tuple[str, bytes]:
    batch = scoped_batch(session, actor, batch_id)
    rows = repository.payroll_rows(session, batch.id)
    return f"IMAGIN-{batch.reference}-paie.csv", payroll_csv(batch.reference, rows)


def summary_file(
    session: Session, settings: Settings, actor: User, batch_id: int
) -> tuple[str, bytes]:
    batch = scoped_batch(session, actor, batch_id)
    shown = out(session, batch)
    by_exam = sorted(
        (
            ExamLine(
                exam=r["exam"] or "",
                mission_type=MISSION_TYPE_LABELS[MissionType(r["mission_type"])],
                count=r["count"],
                payroll=r["payroll"] or ZERO,
                transfer=r["transfer"] or ZERO,
            )
            for r in repository.amounts_by_exam(session, batch.id)
        ),
        key=lambda line: (line.exam, line.mission_type),
    )
    account = debtor()
    document = summary_pdf(
        BatchSummary(
            academie=settings.academie,
            reference=batch.reference,
            office=batch.office,
            session=shown.session,
            status=shown.status_label,
            created_at=batch.created_at,
            created_by=shown.created_by,
            execution_date=batch.execution_date,
            paid_on=batch.paid_on,
            debtor=account.name,
            debtor_iban=account.iban,
            statement_count=batch.statement_count,
            transfer_count=batch.transfer_count,
            transfer_total=batch.transfer_total,
            payroll_count=batch.payroll_count,
            payroll_total=batch.payroll_total,
            total=batch.total,
            by_exam=by_exam,
        )
    )
    return f"IMAGIN-{batch.reference}-recapitulatif.pdf", document
