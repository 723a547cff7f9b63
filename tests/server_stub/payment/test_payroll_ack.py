"""The payroll's acknowledgement settles the payroll export of a batch the way the bank's camt
settles its transfers: each line of the export carries a stable reference, a line paid becomes
Payé on its date, a line rejected goes back to "Paiement rejeté" with its reason and into the
next batch; importing the file twice answers nothing twice, and a bad file is refused in
French with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.notifications.models import OutboxMessage
from server_stub.payment.models import PaymentPart
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
IBAN = "FR7630004000031234567890143"
HEADER = "Référence;Statut;Date de paiement;Motif"


def export_references(
    client: TestClient, headers: dict[str, str], batch: dict[str, Any]
) -> dict[int, str]:
    """The payroll export's reference of each statement."""
    raw = client.get(f"{BATCHES}/{batch['id']}/payroll.csv", headers=headers).content
    rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    return {int(r["N° état de frais"]): r["Référence"] for r in rows}


def acknowledge(
    client: TestClient, headers: dict[str, str], batch: dict[str, Any], *lines: str
) -> Any:
    document = "\r\n".join((HEADER, *lines)) + "\r\n"  # the client drops the BOM
    return client.post(
        f"{BATCHES}/{batch['id']}/payroll-acknowledgement",
        json={"document": document},
        headers=headers,
    )


def test_the_payroll_acknowledgement_pays_and_rejects_its_lines(
    client: TestClient, world: World, db: Session
) -> None:
    paid_person, rejected_person, traveller = (
        intervenant(world, email="a@exemple.fr"),
        intervenant(world, email="b@exemple.fr"),
        intervenant(world, iban=IBAN, financial_file_updated=dt.datetime.now(dt.UTC)),
    )
    paid = submitted(world, paid_person, entry=copies(20), status=Status.APPROVED)
    rejected = submitted(world, rejected_person, entry=copies(30), status=Status.APPROVED)
    both = submitted(world, traveller, entry=car_trip(), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    created = client.post(BATCHES, json={}, headers=dec)
    assert created.status_code == 201, created.text
    batch = created.json()["batch"]
    references = export_references(client, dec, batch)
    assert references == {
        s.id: f"PAIE-{batch['id']:06d}-{s.id:07d}" for s in (paid, rejected, both)
    }
    # The same references on every download.
    assert export_references(client, dec, batch) == references

    today = dt.date.today()
    day = today.strftime("%d/%m/%Y")
    lines = (
        f"{references[paid.id]};PAYÉ;{day};",
        f"{references[rejected.id]};rejete;{day};Agent inconnu du fichier de paie",
        f"{references[both.id]};Payé;{day};",
        "PAIE-999999-0000001;PAYÉ;01/12/2026;",
    )
    response = acknowledge(client, dec, batch, *lines)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["paid"], result["rejected"], result["statements_paid"]) == (2, 1, 1)
    assert result["unknown"] == ["PAIE-999999-0000001"]
    assert result["already_settled"] == result["mismatched"] == []

    # Paid: the statement of indemnities only is Payé, with the date and the reference.
    done = status_of(db, paid.id)
    assert (done.status, done.pay_payment) == (Status.PAID, "PAID")
    [part] = db.scalars(select(PaymentPart).where(PaymentPart.statement_id == paid.id)).all()
    assert (part.settled_on, part.settled_reference) == (today, references[paid.id])
    [(reason,)] = db.execute(
        select(AuditEntry.reason).where(
            AuditEntry.statement_id == paid.id, AuditEntry.action == "MARK_PAID"
        )
    ).all()
    assert reason is not None and reason.endswith(f"lot {batch['reference']} (accusé de la paie).")
    # The indemnity of a statement with travel is paid; the statement waits for the bank.
    waiting = status_of(db, both.id)
    assert (waiting.status, waiting.pay_payment, waiting.travel_payment) == (
        Status.IN_PAYMENT,
        "PAID",
        "IN_PAYMENT",
    )
    # Rejected: back to "Paiement rejeté" with the reason, in the person's history.
    back = status_of(db, rejected.id)
    assert (back.status, back.pay_payment) == (Status.IN_PAYMENT, "REJECTED")
    mine = log_in(client, rejected_person)
    read = client.get(f"/api/v1/statements/{rejected.id}", headers=mine).json()
    assert read["labels"]["pay"] == "Paiement rejeté"
    assert read["payment_missing"] is None  # nothing for the interne to correct
    [rejection] = [h for h in read["history"] if h["action"] == "PAYMENT_REJECTED"]
    assert "Agent inconnu du fichier de paie" in rejection["reason"]
    assert rejection["reason"].endswith("Elles seront reprises dans le prochain lot.")
    # The person is not asked to correct a bank account they have nothing wrong with.
    kinds = db.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.user_id == rejected_person.id)
    ).all()
    assert "PAYMENT_REJECTED" not in kinds

    # The same file again answers nothing twice.
    again = acknowledge(client, dec, batch, *lines)
    assert again.status_code == 200, again.text
    assert (again.json()["paid"], again.json()["rejected"]) == (0, 0)
    assert sorted(again.json()["already_settled"]) == sorted(references.values())
    assert status_of(db, rejected.id).pay_payment == "REJECTED"

    # The rejected indemnity re-enters the next batch, through payroll.
    resent = client.post(BATCHES, json={}, headers=dec)
    assert resent.status_code == 201, resent.text
    assert Decimal(resent.json()["batch"]["payroll_total"]) == rejected.pay_total
    assert status_of(db, rejected.id).pay_payment == "IN_PAYMENT"


def test_a_bad_acknowledgement_is_refused_with_its_line(
    client: TestClient, world: World, db: Session
) -> None:
    person = intervenant(world)
    statement = submitted(world, person, entry=copies(20), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    batch = client.post(BATCHES, json={}, headers=dec).json()["batch"]
    reference = f"PAIE-{batch['id']:06d}-{statement.id:07d}"
    url = f"{BATCHES}/{batch['id']}/payroll-acknowledgement"

    def refused(response: Any) -> str:
        assert response.status_code == 422, response.text
        detail: str = response.json()["detail"]
        return detail

    today = dt.date.today().strftime("%d/%m/%Y")
    assert refused(acknowledge(client, dec, batch, f"{reference};PAYÉ;{today};", "X;PAID;;")) == (
        "Ligne 3 : statut « PAID » inconnu (attendu PAYÉ ou REJETÉ)."
    )
    assert refused(acknowledge(client, dec, batch, f"{reference};PAYÉ;31/02/2026;")).startswith(
        "Ligne 2 : date de paiement illisible « 31/02/2026 »"
    )
    assert refused(acknowledge(client, dec, batch, f"{reference};PAYÉ;;")) == (
        "Ligne 2 : une ligne PAYÉ doit porter sa date de paiement."
    )
    assert "la référence" in refused(
        acknowledge(client, dec, batch, f"{reference};PAYÉ;{today};", f"{reference};PAYÉ;{today};")
    )
    assert refused(acknowledge(client, dec, batch, f"{reference};PAYÉ;01/01/2000;")).startswith(
        "Ligne 2 : la date 01/01/2000 doit être comprise entre la création du lot"
    )
    comma = client.post(url, json={"document": "Référence,Statut\nX,PAYÉ\n"}, headers=dec)
    assert refused(comma).startswith("Ligne 1 : l'en-tête de l'accusé de la paie doit nommer")
    xml = client.post(url, json={"document": "<Document/>"}, headers=dec)
    assert "pas un accusé de la paie" in refused(xml)
    other = acknowledge(client, dec, batch, "PAIE-999999-0000001;PAYÉ;01/12/2026;")
    assert refused(other).startswith("Aucune ligne de cet accusé ne concerne l'export de paie")
    # Nothing was recorded by any of them.
    assert status_of(db, statement.id).pay_payment == "IN_PAYMENT"
