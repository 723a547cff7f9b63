"""Required supporting documents at the DEC, through HTTP: "pièces manquantes" when a document
has neither a file nor a "received" tick, the files in the detail, and the office setting that
keeps approval from statements with missing documents (the report says which)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from server_stub.statements.models import Status
from tests.server_stub.dec.helpers import car_trip, gestionnaire, intervenant, submitted
from tests.server_stub.documents import samples
from tests.server_stub.factories import World, log_in

API = "/api/v1"
AUTHORISATION = "Autorisation préalable d'utiliser son véhicule personnel"
REGISTRATION = "Copie de la carte grise du véhicule (puissance fiscale)"
# Internes with an account: their financial file asks for no document.
IBAN = "FR7630006000011234567890189"


def _detail(client: TestClient, dec: dict[str, str], statement_id: int) -> dict[str, Any]:
    response = client.get(f"{API}/dec/statements/{statement_id}", headers=dec)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _codes(detail: dict[str, Any]) -> list[str]:
    return [a["code"] for a in detail["anomalies"]]


def _approve(client: TestClient, dec: dict[str, str], statement_id: int) -> dict[str, Any]:
    response = client.post(
        f"{API}/dec/statements/approve",
        json={"statements": [{"id": statement_id}]},
        headers={**dec, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    return dict(result)


def test_a_document_with_neither_file_nor_tick_is_missing_until_attached_or_received(
    client: TestClient, world: World
) -> None:
    person = intervenant(world, iban=IBAN)
    statement = submitted(
        world, person, entry=car_trip(), status=Status.RETURNED, documents_received=False
    )
    dec = log_in(client, gestionnaire(world))
    before = _detail(client, dec, statement.id)
    assert "MISSING_DOCUMENTS" in _codes(before)
    [missing] = [a for a in before["anomalies"] if a["code"] == "MISSING_DOCUMENTS"]
    assert missing["label"] == "Pièces manquantes"
    assert AUTHORISATION in missing["message"] and REGISTRATION in missing["message"]

    attached = client.put(
        f"{API}/statements/{statement.id}/documents/{uuid.uuid4().hex}",
        params={"label": AUTHORISATION, "name": "autorisation.pdf"},
        content=samples.pdf(1),
        headers={**log_in(client, person), "Content-Type": "application/octet-stream"},
    )
    assert attached.status_code == 201, attached.text
    after_file = _detail(client, dec, statement.id)
    [still] = [a for a in after_file["anomalies"] if a["code"] == "MISSING_DOCUMENTS"]
    assert AUTHORISATION not in still["message"] and REGISTRATION in still["message"]
    files = {d["label"]: d["files"] for d in after_file["documents"]}
    assert [f["name"] for f in files[AUTHORISATION]] == ["autorisation.pdf"]
    assert files[REGISTRATION] == []

    ticked = client.put(
        f"{API}/dec/statements/{statement.id}/documents",
        json={"received": [REGISTRATION]},
        headers=dec,
    )
    assert ticked.status_code == 200, ticked.text
    assert "MISSING_DOCUMENTS" not in _codes(ticked.json())


def test_a_statement_still_being_filled_has_no_missing_documents(
    client: TestClient, world: World
) -> None:
    statement = submitted(world, entry=car_trip(), status=Status.OPEN, documents_received=False)
    dec = log_in(client, gestionnaire(world))
    assert "MISSING_DOCUMENTS" not in _codes(_detail(client, dec, statement.id))


def test_an_office_may_refuse_to_approve_statements_with_missing_documents(
    client: TestClient, world: World
) -> None:
    statement = submitted(
        world, intervenant(world, iban=IBAN), entry=car_trip(), documents_received=False
    )
    dec = log_in(client, gestionnaire(world))
    lenient = submitted(
        world, intervenant(world, iban=IBAN), entry=car_trip(), documents_received=False
    )
    assert _approve(client, dec, lenient.id)["ok"] is True  # by default, the ticks are advisory

    setting = client.put(
        f"{API}/dec/offices/DEC/settings",
        json={"service_done_required": False, "documents_required": True},
        headers=dec,
    )
    assert setting.status_code == 200, setting.text
    assert setting.json()["documents_required"] is True
    assert client.get(f"{API}/dec/offices/DEC/settings", headers=dec).json() == setting.json()
    # A client that knows only the service-done setting leaves this one as it is.
    kept = client.put(
        f"{API}/dec/offices/DEC/settings", json={"service_done_required": False}, headers=dec
    )
    assert kept.json()["documents_required"] is True
    refused = _approve(client, dec, statement.id)

    assert refused["ok"] is False and refused["outcome"] == "anomalies"
    assert "exige toutes les pièces" in refused["reason"]
    assert AUTHORISATION in refused["reason"] and REGISTRATION in refused["reason"]

    client.put(
        f"{API}/dec/statements/{statement.id}/documents",
        json={"received": [AUTHORISATION, REGISTRATION]},
        headers=dec,
    )
    assert _approve(client, dec, statement.id)["ok"] is True
