"""The chef de centre's missions and the constat de service fait through the API; the office's
rule that the service be recorded before approval, enforced and shown in the DEC's queue."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server_stub.audit.models import AuditEvent
from server_stub.auth.models import Role
from server_stub.reference.models import Centre, Mission
from server_stub.statements.models import Statement, Status
from tests.server_stub.dec.helpers import gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in

API = "/api/v1/dec"


class Centres:
    def __init__(self, world: World, client: TestClient) -> None:
        self.here: Centre = world.centre()
        self.elsewhere: Centre = world.centre()
        self.mission: Mission = world.mission(centre=self.here, start=dt.date(2026, 6, 15))
        self.later: Mission = world.mission(centre=self.here, start=dt.date(2026, 9, 8))
        self.other: Mission = world.mission(centre=self.elsewhere)
        self.present = intervenant(world)
        self.absent = intervenant(world)
        self.statement = submitted(world, self.present, self.mission)
        absent = world.statement(self.absent, self.mission)
        world.db.execute(
            update(Statement)
            .where(Statement.id == absent.id)
            .values(status=Status.NOT_PERFORMED, reason="Malade ce jour-là")
        )
        chef = world.person("Claire", "Chef", role=Role.CHEF_CENTRE, centres=[self.here.id])
        world.commit()
        self.chef = log_in(client, chef)
        self.dec = log_in(client, gestionnaire(world))


@pytest.fixture
def centres(world: World, client: TestClient) -> Centres:
    return Centres(world, client)


def test_a_chef_lists_the_missions_of_their_centre_with_who_came(
    client: TestClient, centres: Centres
) -> None:
    listed = client.get(f"{API}/centre-missions", headers=centres.chef)

    assert listed.status_code == 200, listed.text
    missions = {m["id"]: m for m in listed.json()}
    assert set(missions) == {centres.mission.id, centres.later.id}
    june = missions[centres.mission.id]
    assert june["title"].startswith("Correction – épreuve E")
    assert june["missing"] is True and june["service"] is None
    assert missions[centres.later.id]["missing"] is False  # not begun
    states = {p["name"]: (p["state_label"], p["reason"]) for p in june["people"]}
    assert states == {
        centres.present.full_name: ("Convoqué(e)", None),
        centres.absent.full_name: ("Mission déclarée non effectuée", "Malade ce jour-là"),
    }
    by_day = client.get(
        f"{API}/centre-missions", params={"day": "2026-09-08"}, headers=centres.chef
    )
    assert [m["id"] for m in by_day.json()] == [centres.later.id]
    # The missions list itself, which answered 403 to a chef de centre.
    plain = client.get(f"{API}/missions", headers=centres.chef)
    assert plain.status_code == 200
    assert {m["id"] for m in plain.json()} == {centres.mission.id, centres.later.id}


def test_the_chef_records_the_service_with_a_date_and_a_remark_then_corrects_it(
    client: TestClient, centres: Centres
) -> None:
    body = {
        "mission_ids": [centres.mission.id, centres.other.id, centres.later.id],
        "date": "2026-06-15",
        "remark": "Une copie rendue en retard",
    }
    recorded = client.post(f"{API}/missions/service-done", json=body, headers=centres.chef)

    assert recorded.status_code == 200, recorded.text
    results = {r["mission_id"]: r for r in recorded.json()["results"]}
    assert results[centres.mission.id]["ok"] is True
    assert results[centres.other.id]["reason"] == "Cette mission est introuvable."
    assert "ne peut pas encore être constaté" in results[centres.later.id]["reason"]
    [june] = [
        m
        for m in client.get(f"{API}/centre-missions", headers=centres.chef).json()
        if m["id"] == centres.mission.id
    ]
    assert june["service"]["date"] == "2026-06-15"
    assert june["service"]["remark"] == "Une copie rendue en retard"
    assert june["service"]["recorded_by"] == "Claire Chef"
    assert june["missing"] is False

    before = client.put(
        f"{API}/missions/{centres.mission.id}/service-done",
        json={"date": "2026-06-01"},
        headers=centres.chef,
    )
    assert before.status_code == 422
    assert before.json()["fields"]["date"].startswith("La date du constat doit être comprise")
    corrected = client.put(
        f"{API}/missions/{centres.mission.id}/service-done",
        json={"date": "2026-06-16", "remark": None},
        headers=centres.chef,
    )
    assert corrected.status_code == 204, corrected.text
    [june] = [
        m
        for m in client.get(f"{API}/centre-missions", headers=centres.chef).json()
        if m["id"] == centres.mission.id
    ]
    assert (june["service"]["date"], june["service"]["remark"]) == ("2026-06-16", None)
    assert june["service"]["corrected"] is True
    later = client.put(
        f"{API}/missions/{centres.later.id}/service-done",
        json={"date": "2026-06-30"},
        headers=centres.chef,
    )
    assert later.status_code == 422  # begins in September
    elsewhere = client.put(
        f"{API}/missions/{centres.other.id}/service-done",
        json={"date": "2026-06-16"},
        headers=centres.chef,
    )
    assert elsewhere.status_code == 404


def _approve(client: TestClient, headers: dict[str, str], statement: Statement) -> Any:
    response = client.post(
        f"{API}/statements/approve",
        json={"statements": [{"id": statement.id}]},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def test_an_office_that_requires_the_service_refuses_approval_until_it_is_recorded(
    client: TestClient, centres: Centres, db: Session
) -> None:
    read = client.get(f"{API}/offices/DEC/settings", headers=centres.dec)
    assert read.json()["service_done_required"] is False
    changed = client.put(
        f"{API}/offices/DEC/settings", json={"service_done_required": True}, headers=centres.dec
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["updated_by"] == "Gérard Lemaire"

    queue = client.get(f"{API}/statements", headers=centres.dec).json()["items"]
    [row] = [r for r in queue if r["id"] == centres.statement.id]
    assert "SERVICE_NOT_DONE" in row["anomaly_codes"]
    flagged = client.get(
        f"{API}/statements", params={"anomaly": "SERVICE_NOT_DONE"}, headers=centres.dec
    )
    assert [r["id"] for r in flagged.json()["items"]] == [centres.statement.id]

    refused = _approve(client, centres.dec, centres.statement)
    assert refused["ok"] is False
    assert refused["reason"].startswith("Non validé : le service fait de la mission")

    client.post(
        f"{API}/missions/service-done",
        json={"mission_ids": [centres.mission.id]},
        headers=centres.chef,
    )
    queue = client.get(f"{API}/statements", headers=centres.dec).json()["items"]
    [row] = [r for r in queue if r["id"] == centres.statement.id]
    assert "SERVICE_NOT_DONE" not in row["anomaly_codes"]
    assert _approve(client, centres.dec, centres.statement)["ok"] is True
    db.expire_all()
    [event] = db.scalars(select(AuditEvent)).all()
    assert event.summary == (
        "Bureau DEC : le service fait est désormais exigé avant la validation des états de frais."
    )


def test_the_settings_of_another_office_are_introuvable(
    world: World, client: TestClient, centres: Centres
) -> None:
    lille = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))

    assert client.get(f"{API}/offices/DEC/settings", headers=lille).status_code == 404
    assert client.get(f"{API}/offices/NULLE-PART/settings", headers=centres.dec).status_code == 404
    refused = client.put(
        f"{API}/offices/DEC/settings", json={"service_done_required": True}, headers=lille
    )
    assert refused.status_code == 404
    assert client.get(f"{API}/offices/DEC/settings", headers=centres.chef).status_code == 403
