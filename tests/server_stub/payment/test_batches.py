"""Payment batches: what goes to payroll and what by transfer, the files and their totals to the
cent, the SEPA file against the official ISO 20022 schema, marking a batch paid."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from fastapi.testclient import TestClient
from pypdf import PdfReader
from schwifty import IBAN
from sqlalchemy.orm import Session

from server_stub.core import clock
from server_stub.statements.models import Statement, Status
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
XSD = Path(__file__).parents[3] / "docs" / "xsd" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def iban(n: int) -> str:
    return IBAN.generate(
        "FR", bank_code="30004", branch_code="00003", account_code=f"{n:011d}"
    ).compact


class Office:
    """An office's validated statements: internes and externes, paid or left out."""

    def __init__(self, world: World) -> None:
        recent = clock.now() - dt.timedelta(days=30)
        self.interne = intervenant(world, iban=iban(1), bic="BNPAFRPP")
        self.interne_no_iban = intervenant(world)
        self.interne_travel_no_iban = intervenant(world)
        self.externe = intervenant(
            world,
            academic=False,
            iban=iban(2),
            account_holder="Éloïse N'Guyen-Müller",
            financial_file_updated=recent,
        )
        self.externe_no_iban = intervenant(world, academic=False)
        approved = Status.APPROVED
        self.statements: dict[str, Statement] = {
            "interne": submitted(world, self.interne, entry=car_trip(), status=approved),
            "interne_pay_only": submitted(
                world, self.interne_no_iban, entry=copies(10), status=approved
            ),
            "interne_travel_no_iban": submitted(
                world, self.interne_travel_no_iban, entry=car_trip(), status=approved
            ),
            "externe_1": submitted(world, self.externe, entry=copies(20), status=approved),
            "externe_2": submitted(world, self.externe, entry=car_trip(), status=approved),
            "externe_no_iban": submitted(
                world, self.externe_no_iban, entry=copies(5), status=approved
            ),
            "not_validated": submitted(world, intervenant(world), entry=copies(5)),
        }

    def id(self, name: str) -> int:
        return self.statements[name].id

    def total(self, *names: str, part: str = "total") -> Decimal:
        return sum((getattr(self.statements[n], part) for n in names), Decimal("0.00"))


@pytest.fixture
def office(world: World) -> Office:
    return Office(world)


@pytest.fixture
def dec(world: World, client: TestClient) -> dict[str, str]:
    return log_in(client, gestionnaire(world))


@pytest.fixture
def batch(client: TestClient, office: Office, dec: dict[str, str]) -> dict[str, Any]:
    response = client.post(BATCHES, json={}, headers=dec)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_a_batch_takes_the_validated_statements_it_can_pay(
    batch: dict[str, Any], office: Office, db: Session, client: TestClient
) -> None:
    paid = ["interne", "interne_pay_only", "externe_1", "externe_2"]
    body = batch["batch"]
    assert body["reference"] == f"LOT-{dt.date.today().year}-{body['id']:06d}"
    assert body["status_label"] == "Transmis à la liquidation"
    assert body["statement_count"] == 4
    excluded = {e["id"]: e["reason"] for e in batch["excluded"]}
    assert set(excluded) == {office.id("interne_travel_no_iban"), office.id("externe_no_iban")}
    assert excluded[office.id("externe_no_iban")] == (
        "Intervenant externe sans dossier financier : aucun IBAN n'est renseigné."
    )
    assert "IBAN manquant" in excluded[office.id("interne_travel_no_iban")]
    # Internes' indemnities through payroll; their travel and everything of externes by transfer.
    payroll = office.total("interne", "interne_pay_only", part="pay_total")
    transfers = office.total("interne", part="travel_total") + office.total(
        "externe_1", "externe_2"
    )
    assert Decimal(body["payroll_total"]) == payroll
    assert Decimal(body["transfer_total"]) == transfers
    assert Decimal(body["total"]) == office.total(*paid) == payroll + transfers
    assert (body["transfer_count"], body["payroll_count"]) == (2, 2)
    for name in paid:
        statement = status_of(db, office.id(name))
        assert (statement.status, statement.payment_batch_id) == (Status.IN_PAYMENT, body["id"])
    assert status_of(db, office.id("not_validated")).status == Status.SUBMITTED
    mine = client.get(
        f"/api/v1/statements/{office.id('externe_1')}", headers=log_in(client, office.externe)
    ).json()
    assert mine["labels"]["intervenant"] == "Mis en paiement"


def test_the_sepa_file_follows_the_official_schema_and_adds_up(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], office: Office
) -> None:
    response = client.get(f"{BATCHES}/{batch['batch']['id']}/sepa.xml", headers=dec)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    assert "virements.xml" in response.headers["content-disposition"]
    document = response.content
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(document.decode())

    from lxml import etree

    root = etree.fromstring(document)
    amounts = [
        Decimal(a) for a in root.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS)
    ]
    [control_sum] = root.xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=NS)
    [count] = root.xpath("//p:GrpHdr/p:NbOfTxs/text()", namespaces=NS)
    assert int(count) == len(amounts) == 2
    assert Decimal(control_sum) == sum(amounts) == Decimal(batch["batch"]["transfer_total"])
    # One transfer per person: the externe's two statements in one, to the financial file's name.
    names = root.xpath("//p:Cdtr/p:Nm/text()", namespaces=NS)
    assert "Eloise N'Guyen-Muller" in names
    by_name = dict(zip(names, amounts, strict=True))
    assert by_name["Eloise N'Guyen-Muller"] == office.total("externe_1", "externe_2")
    [debtor] = root.xpath("//p:DbtrAcct/p:Id/p:IBAN/text()", namespaces=NS)
    assert debtor == "FR7630001007941234567890185"
    # The same file again: same message identifier, so a bank refuses a duplicate.
    again = client.get(f"{BATCHES}/{batch['batch']['id']}/sepa.xml", headers=dec).content
    assert again == document


def test_the_shipped_schema_is_the_one_sepaxml_provides() -> None:
    from importlib import resources

    shipped = resources.files("sepaxml").joinpath("schemas", "pain.001.001.03.xsd").read_bytes()
    assert XSD.read_bytes() == shipped


def test_the_payroll_export_adds_up_to_the_cent(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], office: Office
) -> None:
    response = client.get(f"{BATCHES}/{batch['batch']['id']}/payroll.csv", headers=dec)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert {r["N° état de frais"] for r in rows} == {
        str(office.id("interne")),
        str(office.id("interne_pay_only")),
    }
    total = sum(Decimal(r["Montant"].replace(",", ".")) for r in rows)
    assert total == Decimal(batch["batch"]["payroll_total"])
    assert total == office.total("interne", "interne_pay_only", part="pay_total")
    first = rows[0]
    assert first["Lot"] == batch["batch"]["reference"]
    assert first["Début"] == "15/06/2026"
    assert first["Type de mission"] == "Correction"
    assert first["Nature"] == "Indemnité de vacation"
    assert "," in first["Montant"]


def test_the_summary_pdf_states_the_totals(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any]
) -> None:
    response = client.get(f"{BATCHES}/{batch['batch']['id']}/summary.pdf", headers=dec)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert batch["batch"]["reference"] in text
    total = Decimal(batch["batch"]["total"])
    assert f"{total:.2f}".replace(".", ",") in text.replace("\u00a0", "").replace(" ", "")
    assert "Transmis à la liquidation" in text


def test_statements_in_payment_are_locked(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], office: Office
) -> None:
    statement_id = office.id("interne")
    cancel = client.post(
        "/api/v1/dec/statements/cancel",
        json={"statements": [{"id": statement_id}], "reason": "Erreur"},
        headers=dec,
    ).json()["results"][0]
    assert cancel["outcome"] == "transition_refused"
    again = client.post(BATCHES, json={"statement_ids": [statement_id]}, headers=dec)
    assert again.status_code == 409
    assert again.json()["excluded"][0]["id"] == statement_id


def test_marking_paid_closes_the_batch_and_renews_the_financial_files(
    client: TestClient,
    dec: dict[str, str],
    batch: dict[str, Any],
    office: Office,
    db: Session,
) -> None:
    batch_id = batch["batch"]["id"]
    paid_on = dt.date.today()
    response = client.post(
        f"{BATCHES}/{batch_id}/paid", json={"paid_on": str(paid_on)}, headers=dec
    )
    assert response.status_code == 200, response.text
    assert response.json()["status_label"] == "Payé"
    assert response.json()["paid_on"] == str(paid_on)
    assert status_of(db, office.id("externe_1")).status == Status.PAID
    db.expire_all()
    assert office.externe.last_paid is not None
    assert office.externe.last_paid.date() == paid_on
    assert office.externe_no_iban.last_paid is None
    twice = client.post(f"{BATCHES}/{batch_id}/paid", json={"paid_on": str(paid_on)}, headers=dec)
    assert twice.status_code == 409
    mine = client.get(
        f"/api/v1/statements/{office.id('externe_2')}", headers=log_in(client, office.externe)
    ).json()
    assert mine["labels"]["intervenant"] == "Payé"


def test_a_payment_date_in_the_future_is_refused(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], settings: Any
) -> None:
    future = dt.date.today() + dt.timedelta(days=400)
    response = client.post(
        f"{BATCHES}/{batch['batch']['id']}/paid", json={"paid_on": str(future)}, headers=dec
    )
    assert response.status_code == 422
    assert "paid_on" in response.json()["fields"]


def test_batches_of_another_office_are_introuvable(
    client: TestClient, world: World, batch: dict[str, Any]
) -> None:
    other = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))
    batch_id = batch["batch"]["id"]
    assert client.get(BATCHES, headers=other).json() == []
    for path in ("", "/sepa.xml", "/payroll.csv", "/summary.pdf"):
        response = client.get(f"{BATCHES}/{batch_id}{path}", headers=other)
        assert response.status_code == 404
        assert response.json()["detail"] == "Ce lot de paiement est introuvable."
    nothing = client.post(BATCHES, json={}, headers=other)
    assert nothing.status_code == 409


def test_payment_is_for_the_dec(client: TestClient, world: World, office: Office) -> None:
    headers = log_in(client, office.interne)
    assert client.post(BATCHES, json={}, headers=headers).status_code == 403
    assert client.get(BATCHES, headers=headers).status_code == 403


def test_the_batch_list_and_detail(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any]
) -> None:
    [listed] = client.get(BATCHES, headers=dec).json()
    assert listed == batch["batch"]
    assert client.get(f"{BATCHES}/{listed['id']}", headers=dec).json() == listed
    assert listed["created_by"] == "Gérard Lemaire"
