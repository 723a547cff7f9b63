"""Anomalies stored on statements: kept up to date when a statement changes, for the person's
other statements too."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server_stub.core import clock
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

IBAN = "FR7630004000031234567890143"


def codes(db: Session, statement_id: int) -> list[str]:
    return [a["code"] for a in status_of(db, statement_id).anomalies]


def test_travel_claimed_twice_flags_both_statements_until_one_is_cancelled(
    client: TestClient, world: World, db: Session
) -> None:
    person = intervenant(world, iban=IBAN)  # an account: the travel costs can be transferred
    morning = submitted(world, person, world.mission(end_time=dt.time(12)), car_trip())
    afternoon = submitted(world, person, world.mission(start_time=dt.time(13)), car_trip())
    assert codes(db, morning.id) == ["TRAVEL_TWICE"]
    assert codes(db, afternoon.id) == ["TRAVEL_TWICE"]
    assert f"n° {morning.id}" in status_of(db, afternoon.id).anomalies[0]["message"]

    headers = log_in(client, gestionnaire(world))
    response = client.post(
        "/api/v1/dec/statements/cancel",
        json={"statements": [{"id": afternoon.id}], "reason": "Convocation en double"},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.json()["done"] == 1
    assert codes(db, morning.id) == []


def test_the_detail_brings_stale_anomalies_up_to_date(
    client: TestClient, world: World, db: Session
) -> None:
    externe = intervenant(world, academic=False)
    statement = submitted(world, externe, entry=copies(10))
    assert codes(db, statement.id) == ["RIB_MISSING"]
    # The person sends their financial file: the next reading of the statement says so.
    externe.iban = "FR7630004000031234567890143"
    externe.financial_file_updated = clock.now()
    world.commit()
    headers = log_in(client, gestionnaire(world))
    detail = client.get(f"/api/v1/dec/statements/{statement.id}", headers=headers).json()
    assert detail["anomalies"] == []
    assert detail["intervenant"]["has_iban"] is True
    assert codes(db, statement.id) == []


def test_declaring_not_performed_clears_the_journey_of_the_other(
    client: TestClient, world: World, db: Session
) -> None:
    person = intervenant(world, iban=IBAN)
    first = submitted(world, person, world.mission(end_time=dt.time(12)), car_trip())
    second = submitted(
        world, person, world.mission(start_time=dt.time(13)), car_trip(), status=Status.RETURNED
    )
    assert codes(db, first.id) == ["TRAVEL_TWICE"]
    owner = log_in(client, person)
    version = client.get(f"/api/v1/statements/{second.id}", headers=owner).json()["version"]
    response = client.post(
        f"/api/v1/statements/{second.id}/not-performed",
        json={"reason": "Annulé par le centre"},
        headers={**owner, "If-Match": f'"{version}"'},
    )
    assert response.status_code == 200, response.text
    assert codes(db, first.id) == []
