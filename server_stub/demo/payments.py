"""The demonstration's payments, made as the DEC makes them.

The statements `lives` validated for payment go through `payment.service`, on past days fixed
with `clock.fixed`: "Préparer" then "Créer le lot" (with the figures announced), the SEPA
pain.001 file and the payroll export downloaded, then, for the older batches, the bank's
camt.054 answering that very file (every transfer booked but one or two rejected, AC04 …)
through the reconciliation, and the payroll's acknowledgement answering the payroll export
line by line; what neither answers (a demo account's transfer, a payroll part of 0 €) is confirmed
by hand ("Marquer payé"). The newest
batches stay sent (Transmis à la liquidation). So every statement "Mis en paiement" or "Payé"
belongs to a batch with its files, and what the intervenant reads of their payments is real.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from sqlalchemy.orm import Session

from server_stub.auth.access import Scope
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.settings import Settings
from server_stub.demo.days import utc, working_day
from server_stub.demo.lives import Payable
from server_stub.demo.plans import Plan
from server_stub.payment import acknowledgement, service
from server_stub.payment.config import Debtor, debtor
from server_stub.payment.models import BatchStatus, PaymentBatch
from server_stub.payment.schemas import BatchIn
from server_stub.people.service import financial_documents

OFFICE = "DEC"
# The demonstration's paying account when the server has none configured (the same as
# `imagin --demo` configures, client/demo.py): the shipped example account pays nothing.
DEMO_DEBTOR = Debtor(
    name="Rectorat de l'académie d'Amiens (démonstration)",
    iban="FR7610071800000000123456795",
    bic="TRPUFRP1",
    initiating_party="Rectorat de l'académie d'Amiens - DEC (démonstration)",
    source="Démonstration IMAG'IN",
)
# Why the bank sends a transfer back, for the one or two the demo's camt.054 rejects.
REJECTIONS = ("AC04", "AC01")
PAIN = "{*}"  # any version of pain.001
CAMT = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


@dataclass(frozen=True)
class _Batch:
    payable: list[Payable]
    settled: bool


def _account() -> Debtor:
    configured = debtor()
    return DEMO_DEBTOR if configured.example else configured


def _groups(payable: Sequence[Payable]) -> list[_Batch]:
    """Two batches paid (the older validations first), then two still sent."""
    groups = []
    for plan, settled in ((Plan.PAID, True), (Plan.IN_PAYMENT, False)):
        chosen = sorted((p for p in payable if p.plan is plan), key=lambda p: p.validated)
        half = (len(chosen) + 1) // 2
        groups += [_Batch(part, settled) for part in (chosen[:half], chosen[half:]) if part]
    return groups


def _office_hour(day: dt.date, hour: int) -> dt.datetime:
    return utc(working_day(day), hour)


def debit_notification(
    pain001: bytes, booked: dt.date, rejected: dict[str, str], message_id: str
) -> str:
    """The bank's camt.054 for a pain.001 file: each transfer booked on `booked`, except those
    of `rejected` (end-to-end identifier to ISO reason code), returned."""
    root = etree.fromstring(pain001)
    entries = []
    for n, transaction in enumerate(root.iter(f"{PAIN}CdtTrfTxInf"), start=1):
        end_to_end = transaction.findtext(f"{PAIN}PmtId/{PAIN}EndToEndId") or ""
        amount = transaction.findtext(f"{PAIN}Amt/{PAIN}InstdAmt") or "0.00"
        code = rejected.get(end_to_end)
        returned = f"<RtrInf><Rsn><Cd>{code}</Cd></Rsn></RtrInf>" if code else ""
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{"CRDT" if code else "DBIT"}'
            f"</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{booked.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{booked.isoformat()}</Dt></ValDt><AcctSvcrRef>{message_id}-{n:05d}"
            f"</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><Refs><AcctSvcrRef>{message_id}-{n:05d}"
            f"</AcctSvcrRef><EndToEndId>{end_to_end}</EndToEndId></Refs><AmtDtls><TxAmt>"
            f'<Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>{returned}</TxDtls></NtryDtls>'
            "</Ntry>"
        )
    created = f"{booked.isoformat()}T18:00:00"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{CAMT}"><BkToCstmrDbtCdtNtfctn>'
        f"<GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr><Ntfctn>"
        f"<Id>{message_id}</Id><CreDtTm>{created}</CreDtTm><Acct><Id><IBAN>"
        f"{_account().iban}</IBAN></Id></Acct>{''.join(entries)}</Ntfctn>"
        "</BkToCstmrDbtCdtNtfctn></Document>"
    )


def created_batch(db: Session, batch_id: int) -> PaymentBatch:
    batch = db.get(PaymentBatch, batch_id)
    assert batch is not None
    return batch


class Payments:
    def __init__(
        self,
        db: Session,
        settings: Settings,
        rng: random.Random,
        today: dt.date,
        gestionnaire: User,
    ) -> None:
        self.db = db
        self.settings = settings
        self.rng = rng
        self.today = today
        self.scope = Scope(user=gestionnaire, offices=frozenset((OFFICE,)))
        self.rejected = 0
        self.demo_people: set[int] = set()
        self.pain001: dict[int, bytes] = {}
        self.payroll: dict[int, bytes] = {}

    def on(self, day: dt.date) -> Settings:
        return self.settings.model_copy(update={"today": day})

    def pay(self, payable: Sequence[Payable]) -> dict[str, int]:
        """Batches for `payable` (statements validated by the DEC); what was made, counted."""
        self.receive_documents(payable)
        # The demo accounts' payments go through: the documented screens show them paid.
        self.demo_people = {p.person.user.id for p in payable if p.person.demo}
        groups = _groups(payable)
        counts = {"payment_batches": 0, "payment_batches.paid": 0, "payment_rejected": 0}
        # The newest batch two days before today, each earlier one a week before the next at
        # the latest, and after the one before; a statement validated after its batch was made
        # stays Validé, for the DEC's next one.
        latest = self.today - dt.timedelta(days=2)
        previous = dt.date.min
        for n, group in enumerate(groups):
            cap = latest - dt.timedelta(days=7 * (len(groups) - 1 - n))
            ready = max(p.validated for p in group.payable).date() + dt.timedelta(days=2)
            day = working_day(min(max(ready, previous + dt.timedelta(days=1)), cap))
            previous = day
            moment = _office_hour(day, 9 + n)
            batch = self.create([p for p in group.payable if p.validated < moment], moment)
            if batch is None:
                continue
            counts["payment_batches"] += 1
            if group.settled:
                self.settle(batch, first=n == 0)
                counts["payment_batches.paid"] += batch.status == BatchStatus.PAID
        counts["payment_rejected"] = self.rejected
        return counts

    def receive_documents(self, payable: Sequence[Payable]) -> None:
        """An externe's first transfer waits for the documents of their financial file
        (DOMAIN §6): the DEC received them with the statement."""
        labels = financial_documents()
        for item in payable:
            if not item.person.user.academic and item.person.bank_details:
                at = (item.validated - dt.timedelta(hours=1)).isoformat()
                item.statement.documents_received = {
                    label: {"at": at, "by": self.scope.user.full_name} for label in labels
                }
        self.db.flush()

    def create(self, payable: Sequence[Payable], moment: dt.datetime) -> PaymentBatch | None:
        """Préparer, then "Créer le lot" with the figures announced, and the files downloaded;
        None when nothing could go."""
        if not payable:
            return None
        day = moment.date()
        body = BatchIn(office=OFFICE, statement_ids=[p.statement.id for p in payable])
        with clock.fixed(moment):
            preview = service.preview_batch(self.db, self.on(day), self.scope, body)
            if preview.statement_count == 0:
                return None
            confirmed = body.model_copy(
                update={
                    "expected_statement_count": preview.statement_count,
                    "expected_total": preview.total,
                }
            )
            created = service.create_batch(
                self.db, self.on(day), self.scope, confirmed, account=_account()
            )
            batch = created_batch(self.db, created.batch.id)
            # The files the DEC downloads and sends: the transfers to the bank, the rest to payroll.
            if batch.transfer_count:
                self.pain001[batch.id] = service.sepa_file(self.db, batch, account=_account())[1]
            self.payroll[batch.id] = service.payroll_file(self.db, batch)[1]
        return batch

    def settle(self, batch: PaymentBatch, *, first: bool) -> None:
        """The bank's camt.054 answering the batch's SEPA file (the first batch has one or two
        transfers rejected), then the payroll's acknowledgement of its export, then what neither
        answered marked paid by hand."""
        booked = batch.execution_date
        answered = working_day(booked + dt.timedelta(days=1))
        if batch.transfer_count:
            pain001 = self.pain001[batch.id]
            ends = [
                e.text
                for e in etree.fromstring(pain001).iter(f"{PAIN}EndToEndId")
                if e.text and int(e.text.rsplit("-", 1)[1]) not in self.demo_people
            ]
            rejected: dict[str, str] = {}
            if first and len(ends) > 3:
                for code, end in zip(REJECTIONS, self.rng.sample(ends, 2), strict=True):
                    rejected[end] = code
            document = debit_notification(pain001, booked, rejected, f"NTF-{batch.id:06d}")
            with clock.fixed(_office_hour(answered, 8)):
                found = service.reconcile(
                    self.db, self.on(answered), self.scope.user, batch, document
                )
            self.rejected += found.rejected
        paid_on = working_day(booked + dt.timedelta(days=2))
        references = _payroll_references(self.payroll[batch.id])
        if references and batch.status != BatchStatus.PAID:
            with clock.fixed(_office_hour(paid_on, 11)):
                service.acknowledge_payroll(
                    self.db,
                    self.on(paid_on),
                    self.scope.user,
                    batch,
                    _payroll_acknowledgement(references, paid_on),
                )
        if batch.status != BatchStatus.PAID:
            with clock.fixed(_office_hour(paid_on, 14)):
                service.mark_paid(self.db, self.on(paid_on), self.scope.user, batch, paid_on)


def _payroll_references(export: bytes) -> list[str]:
    """The line references of a payroll export, as the payroll reads them back."""
    rows = csv.DictReader(io.StringIO(export.decode("utf-8-sig")), delimiter=";")
    return [row[acknowledgement.REFERENCE] for row in rows]


def _payroll_acknowledgement(references: Sequence[str], paid_on: dt.date) -> str:
    """What the payroll sends back: every line of the export paid on `paid_on`."""
    day = paid_on.strftime("%d/%m/%Y")
    lines = [";".join(acknowledgement.HEADER)]
    lines += [f"{reference};{acknowledgement.PAID};{day};" for reference in references]
    return "\r\n".join(lines) + "\r\n"
