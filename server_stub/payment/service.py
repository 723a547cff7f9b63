"""Sending validated statements to payment, and the files that pay them.

DOMAIN §1: an interne's vacation indemnities go through payroll, their travel costs by bank
transfer; an externe's indemnities and travel costs both go by transfer, to the account of their
financial file. One transfer per person per batch sums everything the batch owes them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth.access import Scope
from server_stub.auth.models import User
from server_stub.core import clock, collector
from server_stub.core.errors import Conflict, InvalidInput, PaymentNotConfigured
from server_stub.core.settings import Settings
from server_stub.dec import actions
from server_stub.dec.schemas import StatementRef
from server_stub.payment import acknowledgement, camt, planning, repository, settling, target2
from server_stub.payment.config import Debtor, debtor, example_debtor
from server_stub.payment.models import BatchStatus, Channel, PaymentBatch
from server_stub.payment.payroll import payroll_csv
from server_stub.payment.schemas import (
    BatchCreated,
    BatchIn,
    BatchOut,
    BatchPreview,
    Excluded,
    Reconciled,
)
from server_stub.payment.sepa import Transfer, credit_transfer_file
from server_stub.payment.summary import BatchSummary, ExamLine, summary_pdf
from server_stub.people.service import financial_documents
from server_stub.reference.models import ExamSession
from server_stub.referential import values as referential
from server_stub.rules.french import format_date
from server_stub.rules.model import MissionType, Part
from server_stub.rules.money import format_euros
from server_stub.statements import repository as statements_repository
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS, Action
from server_stub.statements.models import PartPayment, Status
from server_stub.statements.vocabulary import STAGES, Stage

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal("0.00")
ALL_OFFICES = "TOUS"
BATCH_LABELS = {
    BatchStatus.IN_PAYMENT: STAGES[Stage.IN_PAYMENT].dec,
    BatchStatus.PAID: STAGES[Stage.PAID].dec,
}
_NOT_FOUND = "Ce lot de paiement est introuvable."


def paying_account(session: Session, account: Debtor | None = None) -> Debtor:
    """The académie's account (or `account`, the demo's when none is configured), unless it is
    still the example one of the shipped file: the one its administrator set (Référentiel),
    else the one the server settings name."""
    account = account or configured_debtor(session)
    if account.example:
        raise PaymentNotConfigured(
            "Le compte payeur de l'académie n'est pas configuré : c'est encore le compte "
            f"d'exemple ({account.iban[:4]} … {account.iban[-4:]}). Aucun fichier de paiement "
            "ne peut être produit tant que l'administrateur n'a pas renseigné le compte du "
            "comptable de l'académie (Administration, onglet Référentiel, ou fichier "
            "IMAGIN_PAYMENT_DEBTOR_FILE des réglages du serveur)."
        )
    return account


def configured_debtor(session: Session) -> Debtor:
    """The debtor account in force: the académie's (stored), else the settings' one."""
    stored = referential.debtor_account(session)
    if stored is None:
        return debtor()
    return Debtor(
        name=stored.name,
        iban=stored.iban,
        bic=stored.bic,
        initiating_party=stored.initiating_party,
        source=referential.ACADEMIE_SOURCE,
        sepa_schema=stored.sepa_schema,
        example=stored.iban == example_debtor().iban,
    )


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


def _batch_office(session: Session, scope: Scope, body: BatchIn) -> str | None:
    """The office the batch is for: the session's, the one asked, or the caller's only one;
    None for an administrator's batch of every office."""
    if body.session_id is not None:
        exam_session = session.get(ExamSession, body.session_id)
        assert exam_session is not None  # within reach (payment.router)
        return exam_session.office
    if body.office is not None:
        if scope.offices is not None and body.office not in scope.offices:
            message = "Vous ne travaillez pas pour ce service."
            raise InvalidInput(message, fields={"office": message})
        return body.office
    if scope.offices is not None and len(scope.offices) != 1:
        message = "Précisez le service dont les états de frais sont mis en paiement."
        raise InvalidInput(message, fields={"office": message})
    return None if scope.offices is None else next(iter(scope.offices))


@dataclass(frozen=True)
class _Planned:
    office: str | None
    execution: dt.date
    plan: planning.Plan
    excluded: list[Excluded]  # the plan's, and the statements asked for that cannot go


def _planned(session: Session, settings: Settings, scope: Scope, body: BatchIn) -> _Planned:
    today = clock.today(settings)
    execution = body.execution_date or target2.next_business_day(today)
    if execution < today:
        message = "La date d'exécution des virements ne peut pas être passée."
        raise InvalidInput(message, fields={"execution_date": message})
    closed = target2.closing_reason(execution)
    if closed is not None:
        message = (
            f"Le {format_date(execution)} ({closed}) n'est pas un jour ouvré TARGET2 : les "
            f"virements ne sont pas exécutés ce jour-là. Choisissez par exemple le "
            f"{format_date(target2.next_business_day(execution))}."
        )
        raise InvalidInput(message, fields={"execution_date": message})
    office = _batch_office(session, scope, body)
    rows = repository.candidates(session, office, body.session_id, body.statement_ids)
    excluded: list[Excluded] = []
    if body.statement_ids is not None:
        found = {r["id"] for r in rows}
        excluded += [
            Excluded(
                id=i,
                reason="Cet état de frais n'est pas validé ou est introuvable : il ne peut pas "
                "être mis en paiement.",
                who=planning.GESTIONNAIRE,
            )
            for i in dict.fromkeys(body.statement_ids)
            if i not in found
        ]
    rejected = repository.rejections(
        session, {r["user_id"] for r in rows if PartPayment.REJECTED.value in _states(r)}
    )
    found_plan = planning.plan(rows, today, rejected, _financial_documents_lacking(session, rows))
    return _Planned(office, execution, found_plan, excluded + found_plan.excluded)


def _states(row: Mapping[Any, Any]) -> tuple[Any, Any]:
    return row["pay_payment"], row["travel_payment"]


def _financial_documents_lacking(
    session: Session, rows: Sequence[Mapping[Any, Any]]
) -> dict[int, list[str]]:
    """For each statement of an externe never paid, the documents of the financial file with
    neither a file (on the profile or the statement) nor a "received" tick (DOMAIN §6)."""
    first = [r for r in rows if not r["academic"] and r["last_paid"] is None]
    if not first:
        return {}
    attached = statements_repository.attached_labels(session, {r["user_id"] for r in first})
    wanted = financial_documents()
    lacking: dict[int, list[str]] = {}
    for row in first:
        present = (
            attached.get((row["user_id"], None), set())
            | attached.get((row["user_id"], row["id"]), set())
            | set(row["documents_received"] or {})
        )
        missing = [label for label in wanted if label not in present]
        if missing:
            lacking[row["id"]] = missing
    return lacking


def _totals(plan: planning.Plan) -> dict[str, Any]:
    transfers = plan.transfers
    transfer_total = sum(transfers.values(), ZERO)
    payroll_total = sum((d.amount for d in plan.payroll), ZERO)
    return {
        "statement_count": len(plan.statement_ids),
        "transfer_count": len(transfers),
        "transfer_total": transfer_total,
        "payroll_count": len(plan.payroll),
        "payroll_total": payroll_total,
        "total": transfer_total + payroll_total,
    }


def preview_batch(
    session: Session, settings: Settings, scope: Scope, body: BatchIn
) -> BatchPreview:
    """What "Créer" would make now, changing nothing: the same plan as `create_batch`."""
    planned = _planned(session, settings, scope, body)
    return BatchPreview(
        office=planned.office or ALL_OFFICES,
        session_id=body.session_id,
        session=repository.session_name(session, body.session_id),
        execution_date=planned.execution,
        excluded=planned.excluded,
        **_totals(planned.plan),
    )


def create_batch(
    session: Session,
    settings: Settings,
    scope: Scope,
    body: BatchIn,
    account: Debtor | None = None,
    *,
    scheduled_on: dt.date | None = None,
) -> BatchCreated:
    """Sends every part of the office's (or the session's) validated statements that can be
    paid: Transmis à la liquidation for the DEC, Mis en paiement for the intervenant. A part
    that cannot go yet (no account to transfer it to) is left out with its reason; the other
    part of the same statement goes. With the figures "Préparer" announced, the batch is made
    only if they are still those. `scheduled_on`: the day of a batch created on schedule
    (payment/scheduled.py), one per office and day."""
    paying_account(session, account)
    actor = scope.user
    planned = _planned(session, settings, scope, body)
    found_plan, excluded, office = planned.plan, list(planned.excluded), planned.office
    execution = planned.execution
    totals = _totals(found_plan)
    if (
        body.expected_statement_count is not None
        and body.expected_statement_count != totals["statement_count"]
    ) or (body.expected_total is not None and body.expected_total != totals["total"]):
        raise Conflict(
            "Les états de frais à mettre en paiement ont changé depuis la préparation du lot "
            f"({totals['statement_count']} pour {format_euros(totals['total'])} maintenant) : "
            "préparez le lot à nouveau."
        )
    if not found_plan.dues:
        raise Conflict(
            "Aucun état de frais validé ne peut être mis en paiement"
            + (f" ({len(excluded)} écartés : voyez leur motif)." if excluded else "."),
            excluded=[e.model_dump(mode="json") for e in excluded],
        )

    now = clock.now()
    batch = PaymentBatch(
        office=office or ALL_OFFICES,
        session_id=body.session_id,
        status=BatchStatus.IN_PAYMENT,
        created_at=now,
        created_by=actor.id,
        execution_date=execution,
        scheduled_on=scheduled_on,
    )
    session.add(batch)
    session.flush()
    moved, refused = _send(session, settings, actor, batch, found_plan.dues)
    excluded += refused
    if not moved:
        raise Conflict(
            "Ces états de frais viennent d'être modifiés ou mis en paiement par quelqu'un "
            "d'autre : rechargez la liste."
        )
    _fill(session, batch, moved)
    session.flush()
    return BatchCreated(batch=out(session, batch), excluded=excluded)


def _send(
    session: Session,
    settings: Settings,
    actor: User,
    batch: PaymentBatch,
    dues: list[planning.Due],
) -> tuple[list[planning.Due], list[Excluded]]:
    """Moves the statements of `dues` to payment, each with the parts it sends; answers the
    parts sent and the statements changed since they were read (left out, not paid as read)."""
    sent: dict[int, list[planning.Due]] = defaultdict(list)
    for due in dues:
        sent[due.statement_id].append(due)
    groups: dict[frozenset[Part], list[int]] = defaultdict(list)
    for statement_id, sent_parts in sent.items():
        groups[frozenset(d.part for d in sent_parts)].append(statement_id)
    moved: list[planning.Due] = []
    refused: list[Excluded] = []
    for parts, ids in groups.items():
        values: dict[str, Any] = {
            "status": Status.IN_PAYMENT.value,
            "payment_batch_id": batch.id,
        }
        for part in parts:
            values[_PAYMENT_COLUMN[part]] = PartPayment.IN_PAYMENT.value
        names = " et ".join(planning.PART_LABELS[p].lower() for p in sorted(parts))
        move = actions.BulkMove(
            Action.SEND_TO_PAYMENT,
            values,
            reason=f"Mis en paiement ({names}) : lot {batch.reference}.",
        )
        refs = [StatementRef(id=i, version=sent[i][0].version) for i in ids]
        results = actions.bulk_move(
            session, settings, actor, refs, move, offices=None, commit=False
        )
        for result in results:
            if result.ok:
                moved += sent[result.id]
            else:
                refused.append(
                    Excluded(id=result.id, reason=result.reason or "", who=planning.GESTIONNAIRE)
                )
    return moved, refused


_PAYMENT_COLUMN = {Part.PAY: "pay_payment", Part.TRAVEL: "travel_payment"}


def _fill(session: Session, batch: PaymentBatch, moved: list[planning.Due]) -> None:
    parts = [
        {
            "batch_id": batch.id,
            "statement_id": d.statement_id,
            "user_id": d.user_id,
            "part": d.part.value,
            "channel": d.channel.value,
            "amount": d.amount,
            "status": PartPayment.IN_PAYMENT.value,
        }
        for d in moved
    ]
    sent = planning.Plan(moved, [])
    rows = {d.user_id: d.row for d in moved}
    statements: dict[int, set[int]] = defaultdict(set)
    for d in moved:
        if d.channel is Channel.TRANSFER and d.amount > 0:
            statements[d.user_id].add(d.statement_id)
    transfers = []
    for user_id, amount in sent.transfers.items():
        row = rows[user_id]
        transfers.append(
            {
                "batch_id": batch.id,
                "user_id": user_id,
                "creditor_name": (
                    row["account_holder"] or f"{row['first_name']} {row['last_name']}"
                )[:140],
                "iban": row["iban"],
                "bic": row["bic"],
                "amount": amount,
                "statement_count": len(statements[user_id]),
            }
        )
    repository.add_parts(session, parts)
    repository.add_transfers(session, transfers)
    batch.statement_count = len(sent.statement_ids)
    batch.transfer_count = len(transfers)
    batch.transfer_total = sum((t["amount"] for t in transfers), ZERO)
    batch.payroll_count = len(sent.payroll)
    batch.payroll_total = sum((d.amount for d in sent.payroll), ZERO)
    batch.total = batch.transfer_total + batch.payroll_total


def _end_to_end(batch: PaymentBatch, user_id: int) -> str:
    return f"IMAGIN-{batch.id:06d}-{user_id:07d}"


# Who created a batch that no one created: the schedule (payment/scheduled.py).
SCHEDULED_BY = "la planification automatique"


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
        created_by=names.get(batch.created_by)
        if batch.created_by
        else (SCHEDULED_BY if batch.scheduled_on is not None else None),
        execution_date=batch.execution_date,
        paid_on=batch.paid_on,
        statement_count=batch.statement_count,
        transfer_count=batch.transfer_count,
        transfer_total=batch.transfer_total,
        payroll_count=batch.payroll_count,
        payroll_total=batch.payroll_total,
        total=batch.total,
    )


def listing(session: Session, offices: Collection[str] | None) -> list[BatchOut]:
    return [out(session, b) for b in repository.batches(session, offices)]


def mark_paid(
    session: Session, settings: Settings, actor: User, batch: PaymentBatch, paid_on: dt.date
) -> BatchOut:
    """The transfers and the payroll were paid: every statement of the batch becomes Payé, and
    each payee's last payment date moves (their financial file stays valid 12 more months)."""
    batch = repository.batch(session, batch.id, for_update=True) or batch
    if batch.status == BatchStatus.PAID:
        on = f" (le {format_date(batch.paid_on)})" if batch.paid_on is not None else ""
        raise Conflict(f"Ce lot est déjà payé{on}.")
    today = clock.today(settings)
    created = _local_day(batch.created_at) or today
    # A demo's fixed "today" may precede the batch's real creation time: never refuse both.
    if paid_on > max(today, created) or paid_on < created:
        message = (
            f"La date de paiement doit être comprise entre la création du lot "
            f"({format_date(created)}) et aujourd'hui."
        )
        raise InvalidInput(message, fields={"paid_on": message})
    parts = repository.open_parts(session, batch.id)
    answers = [settling.Answer(part_id=p["id"], paid=True, on=paid_on) for p in parts]
    settling.settle(session, settings, actor, batch, parts, answers, source="saisie manuelle")
    return out(session, batch)


@collector.paused()
def reconcile(
    session: Session, settings: Settings, actor: User, batch: PaymentBatch, document: str
) -> Reconciled:
    """The bank's camt.054 or camt.053 for the batch: each transfer booked is paid on its
    booking date with the bank's reference; each one rejected or returned goes back to
    "Paiement rejeté" with its reason, and its parts into the next batch."""
    batch = repository.batch(session, batch.id, for_update=True) or batch
    found = camt.entries(document.encode("utf-8"))
    prefix = f"IMAGIN-{batch.id:06d}-"
    parts = repository.open_parts(session, batch.id)
    by_person: dict[int, list[Mapping[Any, Any]]] = defaultdict(list)
    for part in parts:
        if part["channel"] == Channel.TRANSFER.value:
            by_person[part["user_id"]].append(part)
    owed = repository.owed(session, batch.id)
    answers: list[settling.Answer] = []
    unknown: list[str] = []
    already: list[str] = []
    mismatched: list[str] = []
    today = clock.today(settings)
    for entry in found:
        suffix = entry.end_to_end_id.removeprefix(prefix)
        if suffix == entry.end_to_end_id or not suffix.isdigit() or int(suffix) not in owed:
            unknown.append(entry.end_to_end_id)
            continue
        person = int(suffix)
        if person not in by_person:
            already.append(entry.end_to_end_id)
            continue
        if not entry.rejected and entry.amount != owed[person]:
            mismatched.append(entry.end_to_end_id)
            continue
        reason = camt.reason_label(entry.code) if entry.rejected else None
        for owed_part in by_person.pop(person):
            answers.append(
                settling.Answer(
                    part_id=owed_part["id"],
                    paid=not entry.rejected,
                    on=entry.booked_on or today,
                    reference=(entry.reference or "")[:35] or None,
                    code=((entry.code or "")[:4] or None) if entry.rejected else None,
                    reason=reason,
                )
            )
    if not answers and not already:
        message = (
            f"Aucune opération de ce relevé ne concerne les virements du lot {batch.reference}"
            f" ({len(found)} opération{'s' if len(found) > 1 else ''} lue"
            f"{'s' if len(found) > 1 else ''}) : vérifiez le lot choisi."
        )
        raise InvalidInput(message, fields={"document": message})
    settled = settling.settle(
        session, settings, actor, batch, parts, answers, source="relevé bancaire"
    )
    return Reconciled(
        batch=out(session, batch),
        paid=settled.paid,
        rejected=settled.rejected,
        statements_paid=settled.statements_paid,
        already_settled=already,
        unknown=unknown,
        mismatched=mismatched,
    )


def acknowledge_payroll(
    session: Session, settings: Settings, actor: User, batch: PaymentBatch, document: str
) -> Reconciled:
    """The payroll's acknowledgement of the batch's payroll export (docs/payroll-export.md):
    each line paid becomes Payé on its payment date, each line rejected goes back to "Paiement
    rejeté" with its reason, and its indemnity into the next batch. A line answered before is
    reported, not answered twice; a reference that is no line of this batch is reported."""
    batch = repository.batch(session, batch.id, for_update=True) or batch
    found = acknowledgement.lines(document)
    parts = repository.open_parts(session, batch.id)
    waiting = {
        acknowledgement.line_reference(batch.id, p["statement_id"]): p
        for p in parts
        if p["channel"] == Channel.PAYROLL.value
    }
    listed = {
        acknowledgement.line_reference(batch.id, statement_id)
        for statement_id in repository.payroll_statements(session, batch.id)
    }
    today = clock.today(settings)
    created = _local_day(batch.created_at) or today
    answers: list[settling.Answer] = []
    unknown: list[str] = []
    already: list[str] = []
    for line in found:
        if line.reference not in listed:
            unknown.append(line.reference)
            continue
        part = waiting.get(line.reference)
        if part is None:
            already.append(line.reference)
            continue
        on = line.on or today
        if on > max(today, created) or on < created:
            message = (
                f"Ligne {line.line} : la date {format_date(on)} doit être comprise entre la "
                f"création du lot ({format_date(created)}) et aujourd'hui."
            )
            raise InvalidInput(message, fields={"document": message})
        answers.append(
            settling.Answer(
                part_id=part["id"],
                paid=line.paid,
                on=on,
                reference=line.reference,
                reason=None
                if line.paid
                else (line.reason or "motif non communiqué par la paie")[:500],
            )
        )
    if not answers and not already:
        count = len(found)
        message = (
            f"Aucune ligne de cet accusé ne concerne l'export de paie du lot {batch.reference}"
            f" ({count} ligne{'s' if count > 1 else ''} lue{'s' if count > 1 else ''}) : "
            "vérifiez le lot choisi."
        )
        raise InvalidInput(message, fields={"document": message})
    settled = settling.settle(
        session, settings, actor, batch, parts, answers, source="accusé de la paie"
    )
    return Reconciled(
        batch=out(session, batch),
        paid=settled.paid,
        rejected=settled.rejected,
        statements_paid=settled.statements_paid,
        already_settled=already,
        unknown=unknown,
        mismatched=[],
    )


# --- the files -------------------------------------------------------------------------------


def sepa_file(
    session: Session, batch: PaymentBatch, account: Debtor | None = None
) -> tuple[str, bytes]:
    transfers = repository.transfers(session, batch.id)
    if not transfers:
        raise Conflict("Ce lot ne comporte aucun virement : il n'a pas de fichier SEPA.")
    reference = batch.reference
    account = paying_account(session, account)
    document = credit_transfer_file(
        account,
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
        schema=account.sepa_schema,
    )
    return f"IMAGIN-{reference}-virements.xml", document


def payroll_file(session: Session, batch: PaymentBatch) -> tuple[str, bytes]:
    rows = repository.payroll_rows(session, batch.id)
    return f"IMAGIN-{batch.reference}-paie.csv", payroll_csv(batch.reference, batch.id, rows)


def summary_file(session: Session, settings: Settings, batch: PaymentBatch) -> tuple[str, bytes]:
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
    account = paying_account(session)
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
            sepa_schema=account.sepa_schema,
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
