"""Each part of a statement is paid on its own: an interne without an account has their
indemnity paid through payroll at once, is told what is missing, and their travel costs follow
in a later batch once they give their account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server_stub.statements.models import Status
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
IBAN = "FR7630004000031234567890143"


def _create(client: TestClient, dec: dict[str, str]) -> dict[str, Any]:
    response = client.post(BATCHES, json={}, headers=dec)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _pay(client: TestClient, dec: dict[str, str], batch_id: int) -> None:
    today = str(dt.date.today())
    response = client.post(f"{BATCHES}/{batch_id}/paid", json={"paid_on": today}, headers=dec)
    assert response.status_code == 200, response.text


def test_an_interne_without_an_account_is_paid_part_by_part(
    client: TestClient, world: World, db: Session
) -> None:
    person = intervenant(world)
    statement = submitted(world, person, entry=car_trip(), status=Status.APPROVED)
    assert statement.pay_total > 0 and statement.travel_total > 0
    dec = log_in(client, gestionnaire(world))
    mine = log_in(client, person)

    # Before any batch: the DEC's queue names the reason, the person is told what to give.
    [row] = client.get("/api/v1/dec/statements", headers=dec).json()["items"]
    assert "RIB_MISSING" in row["anomaly_codes"]
    listed = client.get("/api/v1/dec/anomaly-kinds", headers=dec).json()
    kinds = {k["code"]: k["label"] for k in listed}
    assert kinds["RIB_MISSING"] == "RIB manquant"
    profile = client.get("/api/v1/me", headers=mine).json()
    assert profile["financial_file_needed"] is True
    assert profile["financial_file_missing"].startswith("RIB manquant : vos frais de déplacement")
    [mission] = client.get("/api/v1/convocations", headers=mine).json()
    assert "« Mon profil »" in mission["payment_missing"]
    documents = client.get(f"/api/v1/statements/{statement.id}", headers=mine).json()
    assert any(d.startswith("RIB") for d in documents["computation"]["documents"])

    # The first batch pays the indemnity through payroll; the travel part waits for the account.
    first = _create(client, dec)
    assert Decimal(first["batch"]["payroll_total"]) == statement.pay_total
    assert first["batch"]["transfer_count"] == 0
    [excluded] = first["excluded"]
    assert (excluded["id"], excluded["part"], excluded["who"]) == (
        statement.id,
        "TRAVEL",
        "L'intervenant",
    )
    read = client.get(f"/api/v1/statements/{statement.id}", headers=mine).json()
    assert read["labels"]["pay"] == "Mis en paiement"
    assert read["labels"]["travel"] == "Validé par gestionnaire"
    assert read["payment_missing"].startswith("RIB manquant")
    _pay(client, dec, first["batch"]["id"])
    paid_pay = status_of(db, statement.id)
    assert (paid_pay.status, paid_pay.pay_payment, paid_pay.travel_payment) == (
        Status.IN_PAYMENT,
        "PAID",
        None,
    )
    read = client.get(f"/api/v1/statements/{statement.id}", headers=mine).json()
    assert (read["labels"]["pay"], read["labels"]["travel"]) == ("Payé", "Validé par gestionnaire")

    # The person gives their account: nothing is missing any more, the travel part goes.
    patched = client.patch("/api/v1/me", json={"iban": IBAN}, headers=mine)
    assert patched.status_code == 200, patched.text
    assert patched.json()["financial_file_missing"] is None
    assert client.get("/api/v1/convocations", headers=mine).json()[0]["payment_missing"] is None
    second = _create(client, dec)
    assert second["excluded"] == []
    assert second["batch"]["statement_count"] == 1
    assert second["batch"]["payroll_count"] == 0
    assert Decimal(second["batch"]["transfer_total"]) == statement.travel_total
    _pay(client, dec, second["batch"]["id"])
    done = status_of(db, statement.id)
    assert (done.status, done.pay_payment, done.travel_payment) == (Status.PAID, "PAID", "PAID")
    history = client.get(f"/api/v1/statements/{statement.id}", headers=mine).json()["history"]
    actions = [h["action"] for h in history]
    assert actions.count("SEND_TO_PAYMENT") == 2
    assert "PART_PAID" in actions and actions[-1] == "MARK_PAID"
    part_paid = next(h for h in history if h["action"] == "PART_PAID")
    assert part_paid["reason"].startswith("Indemnités payées le ")
    # Nothing left to send.
    assert client.post(BATCHES, json={}, headers=dec).status_code == 409


def test_an_interne_without_travel_needs_no_account(client: TestClient, world: World) -> None:
    person = intervenant(world)
    submitted(world, person, entry=copies(12), status=Status.APPROVED)
    mine = log_in(client, person)
    profile = client.get("/api/v1/me", headers=mine).json()
    assert profile["financial_file_needed"] is False
    assert profile["financial_file_missing"] is None
    [mission] = client.get("/api/v1/convocations", headers=mine).json()
    assert mission["payment_missing"] is None


def test_an_externe_is_told_to_give_their_whole_financial_file(
    client: TestClient, world: World
) -> None:
    person = intervenant(world, academic=False)
    statement = submitted(world, person, entry=copies(12))
    read = client.get(f"/api/v1/statements/{statement.id}", headers=log_in(client, person)).json()
    assert read["payment_missing"].startswith("RIB manquant : vos indemnités et vos frais")
    assert "carte Vitale" in read["payment_missing"]
