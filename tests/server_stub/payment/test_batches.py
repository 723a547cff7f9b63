"""Payment batches: what goes to payroll and what by transfer, the files and their totals to the
cent, the SEPA file against the official ISO 20022 schema, marking a batch paid."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from schwifty import IBAN
from sqlalchemy.orm import Session

from server_stub.core import clock
from server_stub.payment.config import debtor
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
DOCS_XSD = Path(__file__).parents[3] / "docs" / "xsd"
XSD = DOCS_XSD / "pain.001.001.09.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


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
    # The interne without an account: their indemnity goes to payroll, their travel waits.
    sent = ["interne", "interne_pay_only", "interne_travel_no_iban", "externe_1", "externe_2"]
    body = batch["batch"]
    assert body["reference"] == f"LOT-{dt.date.today().year}-{body['id']:06d}"
    assert body["status_label"] == "Transmis à la liquidation"
    assert body["statement_count"] == 5
    excluded = {(e["id"], e["part"]): e for e in batch["excluded"]}
    assert set(excluded) == {
        (office.id("interne_travel_no_iban"), "TRAVEL"),
        (office.id("externe_no_iban"), "PAY"),
    }
    externe = excluded[(office.id("externe_no_iban"), "PAY")]
    assert externe["reason"] == (
        "Intervenant externe sans dossier financier : aucun IBAN n'est renseigné."
    )
    assert externe["who"] == "L'intervenant"
    travel = excluded[(office.id("interne_travel_no_iban"), "TRAVEL")]
    assert travel["reason"].startswith("RIB manquant")
    assert travel["part_label"] == "Frais de déplacement"
    assert Decimal(travel["amount"]) == office.total("interne_travel_no_iban", part="travel_total")
    # Internes' indemnities through payroll; their travel and everything of externes by transfer.
    payroll = office.total(
        "interne", "interne_pay_only", "interne_travel_no_iban", part="pay_total"
    )
    transfers = office.total("interne", part="travel_total") + office.total(
        "externe_1", "externe_2"
    )
    assert Decimal(body["payroll_total"]) == payroll
    assert Decimal(body["transfer_total"]) == transfers
    assert Decimal(body["total"]) == payroll + transfers
    assert (body["transfer_count"], body["payroll_count"]) == (2, 3)
    for name in sent:
        statement = status_of(db, office.id(name))
        assert (statement.status, statement.payment_batch_id) == (Status.IN_PAYMENT, body["id"])
    waiting = status_of(db, office.id("interne_travel_no_iban"))
    assert (waiting.pay_payment, waiting.travel_payment) == ("IN_PAYMENT", None)
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
    from lxml import etree

    root = etree.fromstring(document)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
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
    # Version 09: the execution date is a choice, the banks are named by BICFI.
    [day] = root.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=NS)
    assert day == batch["batch"]["execution_date"]
    assert root.xpath("//p:CdtrAgt/p:FinInstnId/p:BICFI/text()", namespaces=NS)
    [debtor] = root.xpath("//p:DbtrAcct/p:Id/p:IBAN/text()", namespaces=NS)
    assert debtor == "FR7610071800000000000012364"  # the account configured (tests/data)
    # The same file again: same message identifier, so a bank refuses a duplicate.
    again = client.get(f"{BATCHES}/{batch['batch']['id']}/sepa.xml", headers=dec).content
    assert again == document


@pytest.mark.parametrize("version", ["pain.001.001.03", "pain.001.001.09"])
def test_the_server_checks_with_the_schema_of_the_docs(version: str) -> None:
    from importlib import resources

    shipped = resources.files("server_stub.payment.xsd").joinpath(f"{version}.xsd")
    assert (DOCS_XSD / f"{version}.xsd").read_bytes() == shipped.read_bytes()


@pytest.fixture
def version_03(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A bank that still takes pain.001.001.03, as the payment configuration says."""
    configured = Path(__file__).parents[2] / "data" / "debtor.toml"
    copied = tmp_path / "debtor.toml"
    copied.write_text(
        configured.read_text(encoding="utf-8") + '\nsepa_schema = "pain.001.001.03"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("IMAGIN_PAYMENT_DEBTOR_FILE", str(copied))
    debtor.cache_clear()
    yield
    monkeypatch.undo()
    debtor.cache_clear()


def test_the_sepa_file_in_version_03_follows_its_schema(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], version_03: None
) -> None:
    from lxml import etree

    response = client.get(f"{BATCHES}/{batch['batch']['id']}/sepa.xml", headers=dec)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
    assert root.tag == f"{{{namespace}}}Document"
    schema = etree.XMLSchema(etree.parse(str(DOCS_XSD / "pain.001.001.03.xsd")))
    assert schema.validate(root), schema.error_log
    [day] = root.xpath("//p:ReqdExctnDt/text()", namespaces={"p": namespace})
    assert day == batch["batch"]["execution_date"]
    assert root.xpath("//p:CdtrAgt/p:FinInstnId/p:BIC/text()", namespaces={"p": namespace})


def test_an_unknown_sepa_version_is_refused_in_the_configuration() -> None:
    from server_stub.payment.config import parse_debtor

    with pytest.raises(ValueError, match="sepa_schema"):
        parse_debtor(
            'name = "Rectorat"\niban = "FR7610071800000000000012364"\n'
            'sepa_schema = "pain.001.001.02"\n'
        )


def test_the_payroll_export_adds_up_to_the_cent(
    client: TestClient, dec: dict[str, str], batch: dict[str, Any], office: Office
) -> None:
    response = client.get(f"{BATCHES}/{batch['batch']['id']}/payroll.csv", headers=dec)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    internes = ("interne", "interne_pay_only", "interne_travel_no_iban")
    assert {r["N° état de frais"] for r in rows} == {str(office.id(n)) for n in internes}
    total = sum(Decimal(r["Montant"].replace(",", ".")) for r in rows)
    assert total == Decimal(batch["batch"]["payroll_total"])
    assert total == office.total(*internes, part="pay_total")
    first = rows[0]
    assert first["Lot"] == batch["batch"]["reference"]
    assert first["Début"] == "15/06/2026"
    assert first["Type de mission"] == "Correction"
    assert first["Nature"] == "Indemnité de vacation"
    assert "," in first["Montant"]
    assert first["Référence"] == (
        f"PAIE-{batch['batch']['id']:06d}-{int(first['N° état de frais']):07d}"
    )


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
        headers={**dec, "Idempotency-Key": uuid.uuid4().hex},
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


def test_sepa_text_keeps_what_a_bank_reads() -> None:
    from server_stub.payment.sepa import sepa_text

    assert sepa_text("Éloïse N’Guyen-Müller", 70) == "Eloise N'Guyen-Muller"
    assert sepa_text("Cœur — Straße, Æsa Øst Łukasz", 70) == "Coeur - Strasse, AEsa Ost Lukasz"
    assert sepa_text("Frais & débours : 12 € ; n° 3", 140) == "Frais debours : 12 n 3"
    assert sepa_text("€€€", 70) == "-"
    assert sepa_text("a" * 80, 70) == "a" * 70


@pytest.fixture
def example_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server as shipped: no paying account configured, the example one in its place."""
    monkeypatch.setenv("IMAGIN_PAYMENT_DEBTOR_FILE", "")
    debtor.cache_clear()
    yield
    monkeypatch.undo()
    debtor.cache_clear()


def test_no_payment_file_is_made_from_the_example_account(
    client: TestClient, office: Office, dec: dict[str, str], example_account: None
) -> None:
    response = client.post(BATCHES, json={}, headers=dec)
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "payment_not_configured"
    assert body["detail"].startswith(
        "Le compte payeur de l'académie n'est pas configuré : c'est encore le compte d'exemple "
        "(FR76 … 0185)."
    )
    assert "IMAGIN_PAYMENT_DEBTOR_FILE" in body["detail"]
    assert office.statements["interne"].status == Status.APPROVED


def test_a_configured_file_naming_the_example_account_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = tmp_path / "debtor.toml"
    copied.write_text(
        'name = "Rectorat"\niban = "FR76 3000 1007 9412 3456 7890 185"\n', encoding="utf-8"
    )
    monkeypatch.setenv("IMAGIN_PAYMENT_DEBTOR_FILE", str(copied))
    debtor.cache_clear()
    try:
        assert debtor().example is True
    finally:
        monkeypatch.undo()
        debtor.cache_clear()
    assert debtor().example is False


def test_the_batch_holds_exactly_what_preparing_announced(
    client: TestClient, office: Office, dec: dict[str, str], db: Session
) -> None:
    response = client.post(f"{BATCHES}/preview", json={}, headers=dec)
    assert response.status_code == 200, response.text
    preview = response.json()
    # Preparing changes nothing.
    assert status_of(db, office.id("interne")).status == Status.APPROVED
    assert client.get(BATCHES, headers=dec).json() == []
    announced = {(e["id"], e["part"]): (e["reason"], e["who"]) for e in preview["excluded"]}
    assert set(announced) == {
        (office.id("interne_travel_no_iban"), "TRAVEL"),
        (office.id("externe_no_iban"), "PAY"),
    }
    expected = {
        "expected_statement_count": preview["statement_count"],
        "expected_total": preview["total"],
    }
    created = client.post(BATCHES, json=expected, headers=dec)
    assert created.status_code == 201, created.text
    body = created.json()
    made = {(e["id"], e["part"]): (e["reason"], e["who"]) for e in body["excluded"]}
    assert made == announced
    for key in (
        "statement_count",
        "transfer_count",
        "transfer_total",
        "payroll_count",
        "payroll_total",
        "total",
    ):
        assert body["batch"][key] == preview[key], key
    assert body["batch"]["execution_date"] == preview["execution_date"]


def test_a_batch_that_changed_since_preparing_is_not_made(
    client: TestClient, office: Office, dec: dict[str, str], world: World, db: Session
) -> None:
    preview = client.post(f"{BATCHES}/preview", json={}, headers=dec).json()
    # Meanwhile another statement is validated.
    late = submitted(world, office.interne, entry=copies(7), status=Status.APPROVED)
    expected = {
        "expected_statement_count": preview["statement_count"],
        "expected_total": preview["total"],
    }
    response = client.post(BATCHES, json=expected, headers=dec)
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "Les états de frais à mettre en paiement ont changé depuis la préparation du lot"
    )
    assert client.get(BATCHES, headers=dec).json() == []
    assert status_of(db, late.id).status == Status.APPROVED


def test_the_execution_date_is_a_target2_business_day(
    client: TestClient, office: Office, dec: dict[str, str], settings: Any
) -> None:
    # Easter Monday 2027, 1 May 2028 (a Monday), Christmas and the day after.
    for closed, reason in (
        ("2027-03-29", "lundi de Pâques"),
        ("2028-05-01", "fête du Travail"),
        ("2026-12-25", "Noël"),
        ("2026-12-26", "samedi"),
    ):
        response = client.post(f"{BATCHES}/preview", json={"execution_date": closed}, headers=dec)
        assert response.status_code == 422, closed
        message = response.json()["fields"]["execution_date"]
        assert reason in message and "n'est pas un jour ouvré TARGET2" in message
    assert (
        "Choisissez par exemple le 30/03/2027."
        in client.post(
            f"{BATCHES}/preview", json={"execution_date": "2027-03-29"}, headers=dec
        ).json()["detail"]
    )
    opened = client.post(f"{BATCHES}/preview", json={"execution_date": "2027-03-30"}, headers=dec)
    assert opened.status_code == 200


def test_the_default_execution_date_skips_target2_holidays() -> None:
    from server_stub.payment.target2 import next_business_day

    assert next_business_day(dt.date(2027, 3, 25)) == dt.date(2027, 3, 30)  # Good Friday, Monday
    assert next_business_day(dt.date(2026, 12, 24)) == dt.date(2026, 12, 28)
    assert next_business_day(dt.date(2027, 4, 30)) == dt.date(2027, 5, 3)
    assert next_business_day(dt.date(2026, 12, 31)) == dt.date(2027, 1, 4)
