"""The DEC's actions on statements, through HTTP: each with its success, the wrong role, a
statement of another office and a statement in the wrong status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server_stub.auth.models import Role
from server_stub.rules.model import MissionType
from server_stub.statements.models import AuditEntry, Statement, Status
from tests.server_stub.dec.helpers import (
    JUNE_15,
    copies,
    gestionnaire,
    intervenant,
    status_of,
    submitted,
)
from tests.server_stub.factories import World, log_in

API = "/api/v1"


def refs(*statements: Statement) -> list[dict[str, Any]]:
    return [{"id": s.id, "version": s.version} for s in statements]


def post(client: TestClient, headers: dict[str, str], action: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/dec/statements/{action}", json=body, headers=headers)


@pytest.fixture
def dec(world: World, client: TestClient) -> dict[str, str]:
    user = gestionnaire(world)
    world.commit()
    return log_in(client, user)


@pytest.fixture
def other_office(world: World, client: TestClient) -> dict[str, str]:
    user = gestionnaire(world, office="DEC-LILLE", name="Martin")
    world.commit()
    return log_in(client, user)


# --- approve -----------------------------------------------------------------------------


def test_approving_validates_and_audits_each_statement(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    first, second = submitted(world), submitted(world)
    response = post(client, dec, "approve", {"statements": refs(first, second)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["done"], body["failed"]) == (2, 0)
    assert [r["outcome"] for r in body["results"]] == ["ok", "ok"]
    assert body["results"][0]["version"] == first.version + 1
    assert status_of(db, first.id).status == Status.APPROVED
    audit = db.scalars(
        select(AuditEntry).where(
            AuditEntry.statement_id == first.id, AuditEntry.action == "APPROVE"
        )
    ).one()
    assert (audit.from_status, audit.to_status) == ("SUBMITTED", "APPROVED")


def test_approving_answers_each_failure_in_french(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    good = submitted(world)
    returned = submitted(world, status=Status.RETURNED)
    stale = submitted(world)
    body = {
        "statements": [
            {"id": good.id},
            {"id": returned.id},
            {"id": stale.id, "version": stale.version - 1},
            {"id": 999_999},
        ]
    }
    results = {r["id"]: r for r in post(client, dec, "approve", body).json()["results"]}
    assert results[good.id]["ok"] is True
    assert results[returned.id]["outcome"] == "transition_refused"
    assert results[returned.id]["reason"] == (
        "Cet état de frais est « Renvoyé à l'intervenant » : il ne peut pas être validé."
    )
    assert results[stale.id]["outcome"] == "stale_version"
    assert "rechargez" in results[stale.id]["reason"]
    assert results[999_999] == {
        "id": 999_999,
        "ok": False,
        "outcome": "not_found",
        "status": None,
        "version": None,
        "reason": "Cet état de frais est introuvable.",
    }


def test_approving_twice_says_who_approved_first(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world)
    post(client, dec, "approve", {"statements": [{"id": statement.id}]})
    [again] = post(client, dec, "approve", {"statements": [{"id": statement.id}]}).json()["results"]
    assert again["outcome"] == "already_done"
    assert again["reason"].startswith("Déjà validé par Gérard Lemaire le ")


def test_only_clean_leaves_statements_with_anomalies(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    clean = submitted(world)
    above_lot = submitted(world, entry=copies(95))
    body = {"statements": refs(clean, above_lot), "only_clean": True}
    results = {r["id"]: r for r in post(client, dec, "approve", body).json()["results"]}
    assert results[clean.id]["ok"] is True
    assert results[above_lot.id]["outcome"] == "anomalies"
    assert "copies au-delà du lot" in results[above_lot.id]["reason"]
    # Without the option an anomaly does not block validation.
    body = {"statements": refs(above_lot)}
    assert post(client, dec, "approve", body).json()["done"] == 1


def test_a_statement_of_another_office_is_introuvable(
    client: TestClient, world: World, other_office: dict[str, str], db: Session
) -> None:
    statement = submitted(world)
    [result] = post(client, other_office, "approve", {"statements": refs(statement)}).json()[
        "results"
    ]
    assert result["outcome"] == "not_found"
    assert status_of(db, statement.id).status == Status.SUBMITTED


def test_an_intervenant_cannot_use_the_dec_actions(client: TestClient, world: World) -> None:
    statement = submitted(world)
    headers = log_in(client, statement.convocation.user)
    for action in ("approve", "return", "cancel", "uncancel"):
        body: dict[str, Any] = {"statements": refs(statement)}
        if action in ("return", "cancel"):
            body["reason"] = "Motif"
        response = post(client, headers, action, body)
        assert response.status_code == 403
        assert response.json()["type"] == "forbidden"
    assert client.get(f"{API}/dec/statements/{statement.id}", headers=headers).status_code == 403


def test_an_administrator_acts_on_every_office(client: TestClient, world: World) -> None:
    statement = submitted(world)
    admin = world.person("Alice", "Admin", role=Role.ADMIN, fiscal_power=None)
    world.commit()
    body = {"statements": refs(statement)}
    assert post(client, log_in(client, admin), "approve", body).json()["done"] == 1


# --- return ------------------------------------------------------------------------------


def test_returning_with_a_reason_the_intervenant_reads(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world)
    reasons = client.get(f"{API}/dec/return-reasons", headers=dec).json()
    assert reasons and all(r["label"] and r["code"] for r in reasons)
    reason = reasons[0]["label"]
    body = {"statements": refs(statement), "reason": reason}
    assert post(client, dec, "return", body).json()["done"] == 1
    mine = client.get(
        f"{API}/statements/{statement.id}", headers=log_in(client, statement.convocation.user)
    ).json()
    assert mine["labels"]["intervenant"] == "Renvoyé"
    assert mine["reason"] == reason
    assert mine["history"][-1]["reason"] == reason
    assert mine["permissions"]["edit"] is True


def test_returning_requires_a_reason_and_a_returnable_status(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world, status=Status.APPROVED)
    blank = post(client, dec, "return", {"statements": refs(statement), "reason": "  "})
    assert blank.status_code == 422
    assert "reason" in blank.json()["fields"]
    [result] = post(
        client, dec, "return", {"statements": refs(statement), "reason": "Pièces manquantes"}
    ).json()["results"]
    assert result["outcome"] == "transition_refused"


# --- cancel and un-cancel ----------------------------------------------------------------


def test_cancelling_then_restoring_gives_back_the_status(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    statement = submitted(world)
    body = {"statements": [{"id": statement.id}], "reason": "Convocation en double"}
    assert post(client, dec, "cancel", body).json()["done"] == 1
    cancelled = status_of(db, statement.id)
    assert (cancelled.status, cancelled.status_before_cancel) == (
        Status.CANCELLED,
        Status.SUBMITTED,
    )
    [again] = post(client, dec, "cancel", body).json()["results"]
    assert again["reason"].startswith("Déjà annulé par Gérard Lemaire")
    restored = post(client, dec, "uncancel", {"statements": [{"id": statement.id}]}).json()
    assert restored["results"][0]["status"] == "SUBMITTED"
    assert status_of(db, statement.id).status_before_cancel is None


def test_a_statement_in_payment_cannot_be_cancelled(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world, status=Status.IN_PAYMENT)
    body = {"statements": refs(statement), "reason": "Erreur"}
    [result] = post(client, dec, "cancel", body).json()["results"]
    assert result["outcome"] == "transition_refused"
    assert "Transmis à la liquidation" in result["reason"]
    [result] = post(client, dec, "uncancel", {"statements": refs(statement)}).json()["results"]
    assert result["outcome"] == "transition_refused"


# --- correcting the counts ------------------------------------------------------------------


def correct(
    client: TestClient,
    headers: dict[str, str],
    statement: Statement,
    entry: dict[str, Any],
    comment: str = "Lot de 40 copies selon le centre",
    version: int | None = None,
) -> Any:
    return client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": entry, "comment": comment},
        headers={**headers, "If-Match": f'"{version or statement.version}"'},
    )


def test_correcting_counts_recomputes_and_tells_the_intervenant(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    statement = submitted(world, entry=copies(95))
    response = correct(client, dec, statement, copies(40))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["statement"]["computation"]["total"] == "200.00"
    assert body["dec_corrected"] is True
    assert [a["code"] for a in body["anomalies"]] == ["DEC_CORRECTION_UNSEEN"]
    assert response.headers["ETag"] == f'"{body["statement"]["version"]}"'
    audit = db.scalars(
        select(AuditEntry).where(
            AuditEntry.statement_id == statement.id, AuditEntry.action == "CORRECT"
        )
    ).one()
    assert audit.details is not None
    assert audit.details["before"]["days"][0]["copies"] == 95
    assert audit.details["after"]["days"][0]["copies"] == 40
    assert "Copies du 15/06/2026 : 95 → 40" in (audit.reason or "")

    # The intervenant reads it: the flag goes, the correction stays in the history.
    owner = log_in(client, statement.convocation.user)
    mine = client.get(f"{API}/statements/{statement.id}", headers=owner).json()
    [correction] = [h for h in mine["history"] if h["action"] == "CORRECT"]
    assert "Lot de 40 copies selon le centre" in correction["reason"]
    assert correction["actor"] == "Gérard Lemaire"
    after = client.get(f"{API}/dec/statements/{statement.id}", headers=dec).json()
    assert after["dec_corrected"] is False
    assert after["anomalies"] == []
    # Reading changed no version: the DEC's next action still holds.
    assert after["statement"]["version"] == body["statement"]["version"]


def test_a_correction_needs_a_comment_and_the_version_read(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world)
    assert correct(client, dec, statement, copies(30), comment=" ").status_code == 422
    stale = correct(client, dec, statement, copies(30), version=statement.version + 5)
    assert stale.status_code == 409
    assert stale.json()["type"] == "stale_version"
    no_version = client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": copies(30), "comment": "x"},
        headers=dec,
    )
    assert no_version.status_code == 428


def test_a_correction_is_checked_by_the_rules(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world)
    response = correct(client, dec, statement, {"days": [{"date": "2026-06-20", "copies": 3}]})
    assert response.status_code == 422
    assert response.json()["fields"]


def test_correcting_is_refused_out_of_scope_by_role_and_by_status(
    client: TestClient, world: World, dec: dict[str, str], other_office: dict[str, str]
) -> None:
    statement = submitted(world)
    assert correct(client, other_office, statement, copies(30)).status_code == 404
    owner = log_in(client, statement.convocation.user)
    assert correct(client, owner, statement, copies(30)).status_code == 403
    paid = submitted(world, status=Status.PAID)
    refused = correct(client, dec, paid, copies(30))
    assert refused.status_code == 409
    assert (
        refused.json()["detail"] == "Cet état de frais est « Payé » : il ne peut pas être corrigé."
    )


# --- entering the indemnity -----------------------------------------------------------------


def test_entering_the_indemnity_of_a_surveillance(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    user = intervenant(world)
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    response = client.put(
        f"{API}/dec/statements/{statement.id}/indemnity",
        json={"amount": "45.50", "comment": "Surveillance d'une demi-journée"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["statement"]["status"] == "DEC_ENTERED"
    assert body["direct_indemnity"] == "45.50"
    [line] = body["statement"]["computation"]["lines"]
    assert (line["kind"], line["amount"]) == ("DIRECT_INDEMNITY", "45.50")
    mine = client.get(f"{API}/statements/{statement.id}", headers=log_in(client, user)).json()
    assert mine["labels"]["intervenant"] == "Traité par le gestionnaire"


def test_the_indemnity_only_for_the_mission_types_the_dec_pays(
    client: TestClient, world: World, dec: dict[str, str], other_office: dict[str, str]
) -> None:
    correction = submitted(world)
    response = client.put(
        f"{API}/dec/statements/{correction.id}/indemnity",
        json={"amount": "45.50"},
        headers={**dec, "If-Match": f'"{correction.version}"'},
    )
    assert response.status_code == 409
    assert "surveillance" in response.json()["detail"]
    user = intervenant(world)
    surveillance = world.statement(user, world.mission(MissionType.DELIBERATION))
    out_of_scope = client.put(
        f"{API}/dec/statements/{surveillance.id}/indemnity",
        json={"amount": "45.50"},
        headers={**other_office, "If-Match": f'"{surveillance.version}"'},
    )
    assert out_of_scope.status_code == 404


def test_entering_the_same_indemnity_for_many(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    mission = world.mission(MissionType.SURVEILLANCE)
    first = world.statement(intervenant(world), mission)
    second = world.statement(intervenant(world), mission)
    correction = submitted(world)
    body = {"statements": refs(first, second, correction), "amount": "30.00"}
    response = client.post(f"{API}/dec/statements/indemnity", json=body, headers=dec)
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[first.id]["status"] == "DEC_ENTERED"
    assert results[second.id]["ok"] is True
    assert results[correction.id]["outcome"] == "transition_refused"


# --- the detail and its documents ------------------------------------------------------------


def test_the_detail_lists_the_documents_and_ticks_them(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    from tests.server_stub.dec.helpers import car_trip

    statement = submitted(world, entry=car_trip())
    detail = client.get(f"{API}/dec/statements/{statement.id}", headers=dec)
    assert detail.status_code == 200
    body = detail.json()
    labels = [d["label"] for d in body["documents"]]
    assert labels and not any(d["received"] for d in body["documents"])
    assert body["actions"] == {
        "approve": True,
        "return": True,
        "correct": True,
        "enter_indemnity": False,
        "cancel": True,
        "uncancel": False,
    }
    ticked = client.put(
        f"{API}/dec/statements/{statement.id}/documents",
        json={"received": labels[:1]},
        headers=dec,
    ).json()
    assert [d["received"] for d in ticked["documents"]][:1] == [True]
    assert ticked["documents"][0]["received_by"] == "Gérard Lemaire"
    assert ticked["statement"]["version"] == body["statement"]["version"]
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "DOCUMENTS")).one()
    assert labels[0] in (audit.reason or "")
    unknown = client.put(
        f"{API}/dec/statements/{statement.id}/documents",
        json={"received": ["Une pièce inventée"]},
        headers=dec,
    )
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {
        "received.0": "Cette pièce n'est pas demandée pour cet état de frais."
    }


def test_the_detail_is_introuvable_out_of_scope(
    client: TestClient, world: World, other_office: dict[str, str]
) -> None:
    statement = submitted(world)
    response = client.get(f"{API}/dec/statements/{statement.id}", headers=other_office)
    assert response.status_code == 404
    assert response.json()["detail"] == "Cet état de frais est introuvable."


# --- the constat de service fait -------------------------------------------------------------


def test_recording_service_done_in_bulk(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    done = submitted(world)
    future = world.mission(start=dt.date(2026, 12, 1))
    world.commit()
    mission_id = done.convocation.mission_id
    body = {"mission_ids": [mission_id, future.id, 999_999]}
    response = client.post(f"{API}/dec/missions/service-done", json=body, headers=dec)
    assert response.status_code == 200, response.text
    results = {r["mission_id"]: r for r in response.json()["results"]}
    assert results[mission_id]["ok"] is True
    assert results[future.id]["outcome"] == "transition_refused"
    assert results[999_999]["reason"] == "Cette mission est introuvable."
    again = client.post(
        f"{API}/dec/missions/service-done", json={"mission_ids": [mission_id]}, headers=dec
    ).json()
    assert again["results"][0]["reason"].startswith("Service fait déjà constaté par Gérard Lemaire")
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "SERVICE_DONE")).all()
    row = client.get(f"{API}/dec/statements", headers=dec).json()["items"][0]
    assert row["service_done"] is True


def test_a_chef_de_centre_records_the_missions_of_their_centre_only(
    client: TestClient, world: World
) -> None:
    centre = world.centre()
    own = world.mission(centre=centre)
    elsewhere = world.mission()
    chef = world.person("Chloé", "Chef", role=Role.CHEF_CENTRE, fiscal_power=None)
    chef.centre_id = centre.id
    world.commit()
    headers = log_in(client, chef)
    response = client.post(
        f"{API}/dec/missions/service-done",
        json={"mission_ids": [own.id, elsewhere.id]},
        headers=headers,
    )
    results = {r["mission_id"]: r for r in response.json()["results"]}
    assert results[own.id]["ok"] is True
    assert results[elsewhere.id]["outcome"] == "not_found"
    # The rest of the DEC's workstation stays closed to a chef de centre.
    assert client.get(f"{API}/dec/statements", headers=headers).status_code == 403


def test_an_intervenant_cannot_record_service_done(client: TestClient, world: World) -> None:
    statement = submitted(world)
    headers = log_in(client, statement.convocation.user)
    response = client.post(
        f"{API}/dec/missions/service-done",
        json={"mission_ids": [statement.convocation.mission_id]},
        headers=headers,
    )
    assert response.status_code == 403
    assert "chefs de centre" in response.json()["detail"]


def test_other_office_cannot_record_service_done(
    client: TestClient, world: World, other_office: dict[str, str]
) -> None:
    statement = submitted(world)
    response = client.post(
        f"{API}/dec/missions/service-done",
        json={"mission_ids": [statement.convocation.mission_id]},
        headers=other_office,
    )
    assert response.json()["results"][0]["outcome"] == "not_found"


def test_saving_stores_the_anomalies_for_the_queue(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    user = intervenant(world)
    statement = world.statement(user)
    owner = log_in(client, user)
    current = client.get(f"{API}/statements/{statement.id}", headers=owner).json()
    saved = client.put(
        f"{API}/statements/{statement.id}",
        json={"days": [{"date": JUNE_15, "copies": 90}]},
        headers={**owner, "If-Match": f'"{current["version"]}"'},
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == current["version"] + 1
    [row] = client.get(f"{API}/dec/statements", headers=dec).json()["items"]
    assert row["anomaly_codes"] == ["COPIES_ABOVE_LOT"]
    assert row["anomaly_count"] == 1
    assert Decimal(row["total"]) == Decimal("450.00")


@pytest.mark.parametrize("action", ["return", "cancel", "uncancel"])
def test_every_bulk_action_ignores_another_office(
    client: TestClient,
    world: World,
    other_office: dict[str, str],
    db: Session,
    action: str,
) -> None:
    statement = submitted(
        world, status=Status.CANCELLED if action == "uncancel" else Status.SUBMITTED
    )
    body: dict[str, Any] = {"statements": refs(statement)}
    if action != "uncancel":
        body["reason"] = "Motif"
    [result] = post(client, other_office, action, body).json()["results"]
    assert result["outcome"] == "not_found"
    assert result["reason"] == "Cet état de frais est introuvable."
    assert status_of(db, statement.id).status == statement.status


def test_the_indemnity_of_a_statement_in_payment_or_by_an_intervenant_is_refused(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    user = intervenant(world)
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    owner = client.put(
        f"{API}/dec/statements/{statement.id}/indemnity",
        json={"amount": "10.00"},
        headers={**log_in(client, user), "If-Match": f'"{statement.version}"'},
    )
    assert owner.status_code == 403
    world.db.execute(
        update(Statement).where(Statement.id == statement.id).values(status=Status.IN_PAYMENT)
    )
    world.commit()
    locked = client.put(
        f"{API}/dec/statements/{statement.id}/indemnity",
        json={"amount": "10.00"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert locked.status_code == 409
    assert locked.json()["detail"] == (
        "Cet état de frais est « Transmis à la liquidation » : il ne peut pas être traité par "
        "le gestionnaire."
    )


def test_documents_are_ticked_only_by_the_dec_of_the_office(
    client: TestClient, world: World, other_office: dict[str, str]
) -> None:
    statement = submitted(world)
    body: dict[str, list[str]] = {"received": []}
    path = f"{API}/dec/statements/{statement.id}/documents"
    assert client.put(path, json=body, headers=other_office).status_code == 404
    owner = log_in(client, statement.convocation.user)
    assert client.put(path, json=body, headers=owner).status_code == 403
