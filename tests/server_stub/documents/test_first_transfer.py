"""An externe's first transfer waits for the documents of their financial file (DOMAIN §6):
each attached (from the profile or the statement) or ticked received; the batch says, per
person, which are missing."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient

from server_stub.core import clock
from server_stub.statements.models import Status
from tests.server_stub.dec.helpers import copies, gestionnaire, intervenant, submitted
from tests.server_stub.documents import samples
from tests.server_stub.factories import World, log_in

BATCHES = "/api/v1/dec/payment-batches"
FINANCIAL_FILE = (
    "RIB au nom et à l'adresse personnelle de l'intervenant",
    "Notice de renseignements personnels signée",
    "Copie de la carte Vitale",
)


def test_a_first_transfer_to_an_externe_waits_for_the_documents_of_the_financial_file(
    client: TestClient, world: World
) -> None:
    externe = intervenant(
        world,
        academic=False,
        iban="FR7630006000011234567890189",
        financial_file_updated=clock.now() - dt.timedelta(days=30),
    )
    waiting = submitted(
        world, externe, entry=copies(20), status=Status.APPROVED, documents_received=False
    )
    paid_anyway = submitted(world, intervenant(world), entry=copies(10), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    # Two of the three already attached to the profile.
    owner = log_in(client, externe)
    for label in FINANCIAL_FILE[:2]:
        sent = client.put(
            f"/api/v1/me/documents/{uuid.uuid4().hex}",
            params={"label": label, "name": "piece.pdf"},
            content=samples.pdf(1),
            headers={**owner, "Content-Type": "application/octet-stream"},
        )
        assert sent.status_code == 201, sent.text

    first = client.post(BATCHES, json={}, headers=dec)

    assert first.status_code == 201, first.text
    excluded = {e["id"]: e for e in first.json()["excluded"]}
    assert set(excluded) == {waiting.id}
    told = excluded[waiting.id]
    assert told["person"] == f"{externe.first_name} {externe.last_name}"
    assert told["who"] == "L'intervenant"
    reason = told["reason"]
    assert "Premier virement" in reason
    assert "Copie de la carte Vitale" in reason and FINANCIAL_FILE[0] not in reason
    assert first.json()["batch"]["statement_count"] == 1
    assert paid_anyway.id not in excluded

    # The DEC received the carte Vitale by post.
    ticked = client.put(
        f"/api/v1/dec/statements/{waiting.id}/documents",
        json={"received": ["Copie de la carte Vitale"]},
        headers=dec,
    )
    assert ticked.status_code == 200, ticked.text
    second = client.post(BATCHES, json={}, headers=dec)
    assert second.status_code == 201, second.text
    assert second.json()["excluded"] == []
    assert second.json()["batch"]["statement_count"] == 1
