"""The intervenant reads, on their statement, where each part stands in payment (status, amount,
the batch's date, the execution date, the payment date and the bank's reference, or the
rejection and its reason), and the DEC's last return reason or correction comment."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from server_stub.core import clock
from server_stub.statements.models import Status
from tests.server_stub.dec.helpers import car_trip, copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in
from tests.server_stub.payment.test_reconcile import camt054, end_to_end

API = "/api/v1"
BATCHES = f"{API}/dec/payment-batches"
IBAN = "FR7630004000031234567890143"


def _create(client: TestClient, dec: dict[str, str]) -> dict[str, Any]:
    response = client.post(BATCHES, json={}, headers=dec)
    assert response.status_code == 201, response.text
    batch: dict[str, Any] = response.json()["batch"]
    return batch


def _by_part(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["part"]: p for p in statement["payments"]}


def test_the_pay_part_paid_and_the_travel_part_rejected_each_say_so(
    client: TestClient, world: World, engine: Engine
) -> None:
    interne = intervenant(world, iban=IBAN)
    statement = submitted(world, interne, entry=car_trip(), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    mine = log_in(client, interne)
    url = f"{API}/statements/{statement.id}"

    # Validated, not sent yet: each part shows its amount, no date.
    waiting = _by_part(client.get(url, headers=mine).json())
    assert waiting["PAY"]["status"] is None
    assert waiting["PAY"]["status_label"] == "Validé par gestionnaire"
    assert Decimal(waiting["PAY"]["amount"]) == statement.pay_total
    assert Decimal(waiting["TRAVEL"]["amount"]) == statement.travel_total
    assert waiting["TRAVEL"]["batch_created_on"] is None

    batch = _create(client, dec)
    booked = dt.date.today()
    # The bank returns the travel transfer (AC04); the payroll's part is then marked paid.
    document = camt054([(end_to_end(batch, interne.id), statement.travel_total, "AC04")], booked)
    returned = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    )
    assert returned.status_code == 200, returned.text
    paid = client.post(f"{BATCHES}/{batch['id']}/paid", json={"paid_on": str(booked)}, headers=dec)
    assert paid.status_code == 200, paid.text

    executed: list[str] = []

    def count(*args: Any) -> None:
        executed.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        read = client.get(url, headers=mine)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert read.status_code == 200, read.text
    parts = _by_part(read.json())
    assert [p["part_label"] for p in read.json()["payments"]] == [
        "Indemnités",
        "Frais de déplacement",
    ]
    # The parts and their batches in one query.
    assert sum("payment_parts" in sql for sql in executed) == 1, executed

    pay = parts["PAY"]
    assert (pay["status"], pay["status_label"]) == ("PAID", "Payé")
    assert (pay["channel"], pay["channel_label"]) == ("PAYROLL", "Par la paie")
    assert Decimal(pay["amount"]) == statement.pay_total
    assert pay["batch_created_on"] == str(dt.date.today())
    assert pay["execution_date"] == batch["execution_date"]
    assert pay["paid_on"] == str(booked)
    assert (pay["rejected_on"], pay["rejection_reason"]) == (None, None)

    travel = parts["TRAVEL"]
    assert (travel["status"], travel["status_label"]) == ("REJECTED", "Paiement rejeté")
    assert (travel["channel"], travel["channel_label"]) == ("TRANSFER", "Par virement")
    assert Decimal(travel["amount"]) == statement.travel_total
    assert travel["rejected_on"] == str(booked)
    assert travel["rejection_reason"] == "compte clôturé"
    assert (travel["paid_on"], travel["reference"]) == (None, None)


def test_a_transfer_booked_by_the_bank_gives_its_date_and_reference(
    client: TestClient, world: World
) -> None:
    recent = clock.now() - dt.timedelta(days=30)
    externe = intervenant(world, academic=False, iban=IBAN, financial_file_updated=recent)
    statement = submitted(world, externe, entry=copies(20), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    batch = _create(client, dec)
    sent = client.get(f"{API}/statements/{statement.id}", headers=log_in(client, externe)).json()
    [in_payment] = sent["payments"]
    assert (in_payment["status_label"], in_payment["paid_on"]) == ("Mis en paiement", None)
    assert in_payment["execution_date"] == batch["execution_date"]

    booked = dt.date.today()
    document = camt054([(end_to_end(batch, externe.id), statement.total, None)], booked)
    response = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    )
    assert response.status_code == 200, response.text
    read = client.get(f"{API}/statements/{statement.id}", headers=log_in(client, externe)).json()
    [pay] = read["payments"]
    assert (pay["part"], pay["status_label"], pay["channel"]) == ("PAY", "Payé", "TRANSFER")
    assert (pay["paid_on"], pay["reference"]) == (str(booked), f"BQ-{externe.id:07d}")


def test_a_statement_the_dec_has_not_validated_has_no_payment(
    client: TestClient, world: World
) -> None:
    statement = submitted(world)
    read = client.get(
        f"{API}/statements/{statement.id}", headers=log_in(client, statement.convocation.user)
    ).json()
    assert read["payments"] == []
    assert read["dec_comment"] is None


def test_the_decs_return_reason_and_correction_comment_reach_the_person(
    client: TestClient, world: World
) -> None:
    statement = submitted(world, entry=copies(95))
    person = statement.convocation.user
    dec = log_in(client, gestionnaire(world))
    url = f"{API}/statements/{statement.id}"

    corrected = client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": copies(40), "comment": "Lot de 40 copies selon le centre"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert corrected.status_code == 200, corrected.text
    read = client.get(url, headers=log_in(client, person)).json()
    comment = read["dec_comment"]
    assert comment["label"] == "Décompte corrigé par le gestionnaire"
    assert "Lot de 40 copies selon le centre" in comment["text"]
    assert comment["actor"] == "Gérard Lemaire"
    [correction] = [h for h in read["history"] if h["action"] == "CORRECT"]
    assert correction["reason"] == comment["text"]

    reason = "Merci de joindre l'attestation du centre."
    returned = client.post(
        f"{API}/dec/statements/return",
        json={"statements": [{"id": statement.id, "version": read["version"]}], "reason": reason},
        headers={**dec, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert returned.json()["done"] == 1, returned.text
    read = client.get(url, headers=log_in(client, person)).json()
    assert (read["dec_comment"]["label"], read["dec_comment"]["text"]) == (
        "Renvoi par le gestionnaire",
        reason,
    )
    assert read["history"][-1]["reason"] == reason
