"""The demonstration's payments are real: batches made by the payment services, with their files,
settled by the bank's camt.054 and by hand, and read by the DEC and by the intervenant."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.demo.accounts import DEMO_PASSWORD
from server_stub.demo.generate import generate
from server_stub.payment.models import BatchStatus, Channel, PaymentBatch, PaymentPart
from server_stub.statements.models import PartPayment, Statement, Status
from tests.server_stub.conftest import TODAY

# Enough statements for four batches and a camt.054 with rejections; small enough to be quick.
FIGURES = {"people": 60, "convocations": 400, "centres": 12}
BATCHES = "/api/v1/dec/payment-batches"


@pytest.fixture
def demo(db: Session) -> dict[str, int]:
    summary = generate(db, today=TODAY, **FIGURES)
    db.commit()
    return summary


def _headers(client: TestClient, login: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_every_statement_in_payment_belongs_to_a_batch(demo: dict[str, int], db: Session) -> None:
    in_payment = db.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.status.in_([Status.IN_PAYMENT.value, Status.PAID.value]))
    )
    orphans = db.scalar(
        select(func.count())
        .select_from(Statement)
        .where(
            Statement.status.in_([Status.IN_PAYMENT.value, Status.PAID.value]),
            ~exists().where(PaymentPart.statement_id == Statement.id),
        )
    )

    assert in_payment and in_payment > 20
    assert orphans == 0
    # Each statement paid has every part with an amount paid.
    unpaid = db.scalar(
        select(func.count())
        .select_from(Statement)
        .where(
            Statement.status == Status.PAID.value,
            exists().where(
                PaymentPart.statement_id == Statement.id,
                PaymentPart.status != PartPayment.PAID.value,
            ),
        )
    )
    assert unpaid == 0
    assert demo["payment_batches"] == db.scalar(select(func.count()).select_from(PaymentBatch))


def test_the_batches_have_their_files_and_the_bank_answers(
    demo: dict[str, int], client: TestClient, db: Session
) -> None:
    headers = _headers(client, "nathalie.caron")
    batches = client.get(BATCHES, headers=headers).json()

    assert {b["status"] for b in batches} == {BatchStatus.PAID, BatchStatus.IN_PAYMENT}
    assert len(batches) == demo["payment_batches"] >= 3
    for batch in batches:
        url = f"{BATCHES}/{batch['id']}"
        assert batch["statement_count"] > 0 and batch["total"] != "0.00"
        if batch["transfer_count"]:
            sepa = client.get(f"{url}/sepa.xml", headers=headers)
            assert sepa.status_code == 200, sepa.text
            assert sepa.content.count(b"<CdtTrfTxInf>") == batch["transfer_count"]
        payroll = client.get(f"{url}/payroll.csv", headers=headers)
        assert payroll.status_code == 200
        assert len(payroll.text.strip().splitlines()) == batch["payroll_count"] + 1  # a header
        summary = client.get(f"{url}/summary.pdf", headers=headers)
        assert summary.status_code == 200 and summary.content.startswith(b"%PDF")

    booked = db.scalars(
        select(PaymentPart).where(
            PaymentPart.channel == Channel.TRANSFER.value,
            PaymentPart.status == PartPayment.PAID.value,
        )
    ).all()
    assert booked and all(p.settled_reference and p.settled_on for p in booked)
    rejected = db.scalars(
        select(PaymentPart).where(PaymentPart.status == PartPayment.REJECTED.value)
    ).all()
    assert {p.return_code for p in rejected} == {"AC04", "AC01"}
    assert all(p.return_reason for p in rejected)
    assert demo["payment_rejected"] == len(rejected)  # parts: a transfer can carry two
    assert len({p.user_id for p in rejected}) == 2
    # The payroll answered its export line by line: each part paid through it names its line.
    payroll = db.scalars(
        select(PaymentPart).where(
            PaymentPart.channel == Channel.PAYROLL.value,
            PaymentPart.status == PartPayment.PAID.value,
            PaymentPart.amount > 0,
        )
    ).all()
    assert payroll and all(
        p.settled_on and (p.settled_reference or "").startswith("PAIE-") for p in payroll
    )


def test_internes_who_claim_travel_have_a_file_or_are_asked_for_it(
    demo: dict[str, int], client: TestClient, db: Session
) -> None:
    travelling = db.scalars(
        select(User)
        .where(User.academic.is_(True))
        .where(exists().where(Statement.user_id == User.id, Statement.travel_total > 0))
        .order_by(User.id)
    ).all()
    without = [u for u in travelling if not u.iban]

    assert travelling and demo["internes_filed"] > 0
    assert 0 < len(without) < len(travelling) / 3  # most gave their IBAN, a few are asked
    # Those waiting for their travel costs are told what is missing.
    waiting = db.scalars(
        select(User).where(
            User.id.in_([u.id for u in without]),
            exists().where(
                Statement.user_id == User.id,
                Statement.status == Status.IN_PAYMENT.value,
                Statement.travel_total > 0,
                Statement.travel_payment.is_(None),
            ),
        )
    ).all()
    assert waiting
    profile = client.get("/api/v1/me", headers=_headers(client, waiting[0].login)).json()
    assert profile["financial_file_missing"].startswith("RIB manquant")


def _statement(client: TestClient, headers: dict[str, str], statement_id: int) -> Any:
    response = client.get(f"/api/v1/statements/{statement_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_demo_intervenant_reads_her_payments(
    demo: dict[str, int], client: TestClient, db: Session
) -> None:
    elodie = db.scalar(select(User).where(User.login == "elodie.dupont-martin"))
    assert elodie is not None and elodie.iban
    headers = _headers(client, elodie.login)
    paid = db.scalars(
        select(Statement.id).where(
            Statement.user_id == elodie.id, Statement.status == Status.PAID.value
        )
    ).all()

    assert paid
    payments = [p for s in paid for p in _statement(client, headers, s)["payments"]]
    assert payments and all(p["status"] == PartPayment.PAID for p in payments if p["amount"])
    assert {p["channel"] for p in payments} >= {Channel.PAYROLL}
    assert all(p["batch_created_on"] and p["paid_on"] for p in payments if p["status"])
    year = client.get(f"/api/v1/me/payments/{TODAY.year}", headers=headers).json()
    assert year["missions"] and year["pay_total"] != "0.00"
