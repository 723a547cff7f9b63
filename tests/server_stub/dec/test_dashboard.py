"""The dashboard of a session, for the DEC's charts."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from server_stub.rules.model import MissionType
from server_stub.statements.models import Status
from tests.server_stub.dec.helpers import copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in


def test_counts_amounts_and_progress_of_a_session(client: TestClient, world: World) -> None:
    headers = log_in(client, gestionnaire(world))
    mission = world.mission()
    submitted(world, intervenant(world), mission, copies(10))  # 50.00 €
    submitted(world, intervenant(world), mission, copies(20))  # 100.00 €
    approved = submitted(world, intervenant(world), mission, copies(30))  # 150.00 €
    world.statement(intervenant(world), world.mission(MissionType.SURVEILLANCE))
    response = client.post(
        "/api/v1/dec/statements/approve",
        json={"statements": [{"id": approved.id}]},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.json()["done"] == 1

    body = client.get(
        "/api/v1/dec/dashboard", params={"session_id": world.session.id}, headers=headers
    ).json()
    assert body["session"] == "Baccalauréat professionnel, session juin 2026"
    assert body["statement_count"] == 4
    assert (body["to_validate"], body["validated"]) == (2, 1)
    assert body["validated_share"] == "0.3333"
    by_status = {s["status"]: s for s in body["by_status"]}
    assert by_status[Status.SUBMITTED]["count"] == 2
    assert by_status[Status.SUBMITTED]["total"] == "150.00"
    assert by_status[Status.APPROVED]["label"] == "Validé"
    assert by_status[Status.OPEN]["count"] == 1
    labels = [s["label"] for s in body["by_status"]]
    assert len(labels) == len(set(labels))  # no two bars read alike
    [exam] = body["by_exam"]
    assert exam["exam"] == "Baccalauréat professionnel"
    assert (exam["mission_type_label"], exam["count"], exam["total"]) == ("Correction", 3, "300.00")
    assert body["by_mission_type"] == [
        {"mission_type": "CORRECTION", "label": "Correction", "count": 3, "total": "300.00"}
    ]
    [*_, today] = body["progress"]
    assert today["approved"] == 1
    assert body["progress"][-1]["approved_cumulative"] == 1
    assert sum(day["submitted"] for day in body["progress"]) == 3


def test_the_dashboard_of_another_office_is_introuvable(client: TestClient, world: World) -> None:
    headers = log_in(client, gestionnaire(world, office="DEC-LILLE"))
    response = client.get(
        "/api/v1/dec/dashboard", params={"session_id": world.session.id}, headers=headers
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Cette session n'existe pas."


def test_the_dashboard_is_for_the_dec(client: TestClient, world: World) -> None:
    user = intervenant(world)
    world.commit()
    response = client.get(
        "/api/v1/dec/dashboard",
        params={"session_id": world.session.id},
        headers=log_in(client, user),
    )
    assert response.status_code == 403
