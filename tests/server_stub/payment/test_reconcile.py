"""The bank's camt.054 settles a batch: transfers booked are paid with their date and reference,
a transfer rejected goes back to "Paiement rejeté" with its reason in French, the person is told,
and the part is sent again once they corrected their account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.notifications.models import OutboxMessage
from server_stub.payment.models import PaymentPart
from server_stub.rules.money import format_euros
from server_stub.statements.models import AuditEntry, Status
from tests.server_stub.dec.helpers import (
    car_trip,
    copies,
    gestionnaire,
    intervenant,
    status_of,
    submitted,
)
from tests.server_stub.factories import World, log_in

BATCHES = "/api/v1/dec/payment-batches"
IBAN_1 = "FR7630004000031234567890143"
IBAN_2 = "FR7610071800000000000012364"
IBAN_NEW = "FR7630006000011234567890189"
CAMT = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


def transaction(end_to_end: str, amount: Decimal, *, code: str | None = None) -> str:
    returned = (
        f"<RtrInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Retour</AddtlInf></RtrInf>" if code else ""
    )
    return (
        "<TxDtls><Refs><AcctSvcrRef>BQ-"
        f"{end_to_end[-7:]}</AcctSvcrRef><EndToEndId>{end_to_end}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount:.2f}</Amt></TxAmt></AmtDtls>{returned}</TxDtls>'
    )


def camt054(entries: list[tuple[str, Decimal, str | None]], booked: dt.date) -> str:
    """A debit notification: one entry per transaction, booked, some returned."""
    body = "".join(
        f'<Ntry><Amt Ccy="EUR">{amount:.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if code else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{booked.isoformat()}</Dt></BookgDt><ValDt><Dt>{booked.isoformat()}</Dt>"
        "</ValDt><AcctSvcrRef>ENTRY</AcctSvcrRef><BkTxCd/><NtryDtls>"
        f"{transaction(end_to_end, amount, code=code)}</NtryDtls></Ntry>"
        for end_to_end, amount, code in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{CAMT}"><BkToCstmrDbtCdtNtfctn>'
        "<GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2026-12-02T10:00:00</CreDtTm></GrpHdr><Ntfctn>"
        "<Id>NTF-1</Id><CreDtTm>2026-12-02T10:00:00</CreDtTm><Acct><Id><IBAN>"
        f"FR7610071800000000000012364</IBAN></Id></Acct>{body}</Ntfctn>"
        "</BkToCstmrDbtCdtNtfctn></Document>"
    )


def end_to_end(batch: dict[str, Any], user_id: int) -> str:
    return f"IMAGIN-{batch['id']:06d}-{user_id:07d}"


def test_a_camt054_pays_the_booked_and_returns_the_rejected(
    client: TestClient, world: World, db: Session
) -> None:
    recent = clock.now() - dt.timedelta(days=30)
    interne = intervenant(world, iban=IBAN_1, financial_file_updated=recent - dt.timedelta(1))
    externe = intervenant(world, academic=False, iban=IBAN_2, financial_file_updated=recent)
    travel = submitted(world, interne, entry=car_trip(), status=Status.APPROVED)
    fees = submitted(world, externe, entry=copies(20), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    created = client.post(BATCHES, json={}, headers=dec)
    assert created.status_code == 201, created.text
    batch = created.json()["batch"]
    booked = dt.date.today()
    document = camt054(
        [
            (end_to_end(batch, externe.id), fees.total, None),
            (end_to_end(batch, interne.id), travel.travel_total, "AC04"),
            ("IMAGIN-999999-0000001", Decimal("12.00"), None),
        ],
        booked,
    )
    response = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["paid"], result["rejected"], result["statements_paid"]) == (1, 1, 1)
    assert result["unknown"] == ["IMAGIN-999999-0000001"]
    # Booked: the externe's statement is paid, with the booking date and the bank's reference.
    paid = status_of(db, fees.id)
    assert (paid.status, paid.pay_payment) == (Status.PAID, "PAID")
    [part] = db.scalars(select(PaymentPart).where(PaymentPart.statement_id == fees.id)).all()
    assert (part.settled_on, part.settled_reference) == (booked, f"BQ-{externe.id:07d}")
    # Rejected: the interne's travel goes back, with the reason in French; payroll still waits.
    back = status_of(db, travel.id)
    assert (back.status, back.pay_payment, back.travel_payment) == (
        Status.IN_PAYMENT,
        "IN_PAYMENT",
        "REJECTED",
    )
    mine = log_in(client, interne)
    read = client.get(f"/api/v1/statements/{travel.id}", headers=mine).json()
    assert read["labels"]["travel"] == "Paiement rejeté"
    assert read["payment_missing"].startswith("Paiement rejeté par la banque")
    [rejection] = [h for h in read["history"] if h["action"] == "PAYMENT_REJECTED"]
    assert "AC04 : compte clôturé" in rejection["reason"]
    assert rejection["reason"].endswith("Ils seront repris dans le prochain lot.")
    # The same notification again settles nothing twice.
    again = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    ).json()
    assert again["paid"] == again["rejected"] == 0
    assert len(again["already_settled"]) == 2

    # Until the person corrects their account, the rejected part waits, and says why.
    waiting = client.post(f"{BATCHES}/preview", json={}, headers=dec).json()
    [excluded] = waiting["excluded"]
    assert (excluded["id"], excluded["part"], excluded["who"]) == (
        travel.id,
        "TRAVEL",
        "L'intervenant",
    )
    assert excluded["reason"].startswith("Virement rejeté par la banque le ")
    assert client.patch("/api/v1/me", json={"iban": IBAN_NEW}, headers=mine).status_code == 200
    resent = client.post(BATCHES, json={}, headers=dec)
    assert resent.status_code == 201, resent.text
    assert Decimal(resent.json()["batch"]["transfer_total"]) == travel.travel_total
    assert status_of(db, travel.id).travel_payment == "IN_PAYMENT"


def test_a_document_that_is_not_a_bank_statement_is_refused(
    client: TestClient, world: World
) -> None:
    person = intervenant(world, iban=IBAN_1)
    submitted(world, person, entry=car_trip(), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    batch = client.post(BATCHES, json={}, headers=dec).json()["batch"]
    url = f"{BATCHES}/{batch['id']}/bank-statement"
    broken = client.post(url, json={"document": "<Document>"}, headers=dec)
    assert broken.status_code == 422
    assert broken.json()["detail"].startswith("Le relevé n'est pas un document XML lisible")
    other = client.post(url, json={"document": "<Document xmlns='urn:x'/>"}, headers=dec)
    assert other.status_code == 422
    assert "ni un relevé camt.053 ni un avis d'opérations camt.054" in other.json()["detail"]
    nothing = client.post(url, json={"document": camt054([], dt.date.today())}, headers=dec).json()
    assert nothing["detail"].startswith("Aucune opération de ce relevé ne concerne")


def test_a_camt054_settles_each_part_once_with_its_audit_and_messages(
    client: TestClient, world: World, db: Session
) -> None:
    """What the set-based settling writes, pinned: each part answered moves its statement's
    version by one, a statement whose every part is paid becomes Payé (one more version, one
    MARK_PAID entry, one message to the person), the others keep one audit entry per part."""
    recent = clock.now() - dt.timedelta(days=30)
    externe = intervenant(
        world, academic=False, iban=IBAN_2, financial_file_updated=recent, email="e@exemple.fr"
    )
    interne = intervenant(world, iban=IBAN_1, financial_file_updated=recent, email="i@exemple.fr")
    rejected = intervenant(world, iban=IBAN_NEW, financial_file_updated=recent)
    both = submitted(world, externe, entry=car_trip(), status=Status.APPROVED)
    travel = submitted(world, interne, entry=car_trip(), status=Status.APPROVED)
    returned = submitted(world, rejected, entry=car_trip(), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    batch = client.post(BATCHES, json={}, headers=dec).json()["batch"]
    before = {s.id: status_of(db, s.id).version for s in (both, travel, returned)}
    booked = dt.date(2026, 12, 1)
    document = camt054(
        [
            (end_to_end(batch, externe.id), both.total, None),
            (end_to_end(batch, interne.id), travel.travel_total, None),
            (end_to_end(batch, rejected.id), returned.travel_total, "MD07"),
        ],
        booked,
    )
    response = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    )
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in ("paid", "rejected", "statements_paid")} == {
        "paid": 3,  # the externe's two parts, the interne's travel
        "rejected": 1,
        "statements_paid": 1,
    }
    paid, waiting, back = (status_of(db, s.id) for s in (both, travel, returned))
    assert (paid.status, paid.pay_payment, paid.travel_payment) == (Status.PAID, "PAID", "PAID")
    assert paid.version == before[both.id] + 3
    assert (waiting.status, waiting.pay_payment, waiting.travel_payment) == (
        Status.IN_PAYMENT,
        "IN_PAYMENT",
        "PAID",
    )
    assert waiting.version == before[travel.id] + 1
    assert (back.travel_payment, back.version) == ("REJECTED", before[returned.id] + 1)

    def audit(statement_id: int) -> list[tuple[str, str | None]]:
        query = (
            select(AuditEntry.action, AuditEntry.reason)
            .where(AuditEntry.statement_id == statement_id, AuditEntry.at > recent)
            .where(AuditEntry.action.in_(["MARK_PAID", "PART_PAID", "PAYMENT_REJECTED"]))
            .order_by(AuditEntry.id)
        )
        return [(a, r) for a, r in db.execute(query)]

    reference = batch["reference"]
    assert audit(both.id) == [
        ("MARK_PAID", f"Payé le 01/12/2026 : lot {reference} (relevé bancaire).")
    ]
    assert audit(travel.id) == [
        (
            "PART_PAID",
            f"Frais de déplacement payés le 01/12/2026 : lot {reference} (relevé bancaire).",
        )
    ]
    [(action, reason)] = audit(returned.id)
    assert action == "PAYMENT_REJECTED"
    assert reason is not None and reason.startswith(
        "Frais de déplacement : paiement rejeté le 01/12/2026, lot "
    )
    messages = db.execute(
        select(OutboxMessage.user_id, OutboxMessage.kind, OutboxMessage.body_text).where(
            OutboxMessage.user_id.in_([externe.id, interne.id, rejected.id])
        )
    ).all()
    sent = {(u, k) for u, k, _ in messages}
    assert (externe.id, "PAYMENT_SENT") in sent
    assert (interne.id, "PAYMENT_SENT") not in sent  # the payroll part still to come
    [body] = [b for u, k, b in messages if (u, k) == (externe.id, "PAYMENT_SENT")]
    assert format_euros(both.total) in body
    db.expire_all()
    assert db.get(User, externe.id).last_paid is not None  # type: ignore[union-attr]
