"""The DEC's actions on statements, through HTTP: each with its success, the wrong role, a
statement of another office and a statement in the wrong status."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.core.settings import Settings
from server_stub.rules.model import MissionType
from server_stub.statements.models import AuditEntry, Statement, Status
from tests.server_stub.conftest import TODAY
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


def post(
    client: TestClient,
    headers: dict[str, str],
    action: str,
    body: dict[str, Any],
    key: str | None = None,
) -> Any:
    """A bulk action, under a new idempotency key unless `key` (a retry) is given."""
    return client.post(
        f"{API}/dec/statements/{action}",
        json=body,
        headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


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


@pytest.mark.parametrize(
    "bad",
    [
        # A day outside the mission's dates.
        {"days": [{"date": "2026-06-20", "copies": 40}]},
        # Candidates on a written paper.
        {"days": [{"date": JUNE_15, "candidates": {"AM": 6}}]},
        # A lunch whose window the trip does not cover.
        {
            "days": [{"date": JUNE_15, "copies": 40}],
            "travel": {
                "claimed": True,
                "trips": [
                    {
                        "depart_at": "2026-06-15T12:30:00",
                        "return_at": "2026-06-15T17:00:00",
                        "mode": "CAR",
                        "km": "112",
                    }
                ],
                "meals": [{"date": JUNE_15, "kind": "LUNCH"}],
            },
        },
    ],
)
def test_a_dec_correction_is_refused_with_the_same_field_errors_as_the_persons_entry(
    client: TestClient, world: World, dec: dict[str, str], bad: dict[str, Any]
) -> None:
    person = intervenant(world)
    own = world.statement(person, world.mission())
    headers = log_in(client, person)
    mine = client.get(f"{API}/statements/{own.id}", headers=headers).json()
    by_the_person = client.put(
        f"{API}/statements/{own.id}",
        json=bad,
        headers={**headers, "If-Match": f'"{mine["version"]}"'},
    )
    assert by_the_person.status_code == 422

    statement = submitted(world)
    by_the_dec = correct(client, dec, statement, bad)
    assert by_the_dec.status_code == 422
    assert by_the_dec.json()["fields"] == by_the_person.json()["fields"]
    assert by_the_dec.json()["detail"] == by_the_person.json()["detail"]
    assert status_of(world.db, statement.id).version == statement.version  # nothing stored


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


def declare_not_performed(
    client: TestClient, headers: dict[str, str], statement_id: int, reason: str
) -> Any:
    mine = client.get(f"{API}/statements/{statement_id}", headers=headers).json()
    return client.post(
        f"{API}/statements/{statement_id}/not-performed",
        json={"reason": reason},
        headers={**headers, "If-Match": f'"{mine["version"]}"'},
    )


@pytest.mark.parametrize(
    "mission_type",
    [MissionType.SURVEILLANCE, MissionType.SUBJECT_WRITING, MissionType.DELIBERATION],
)
def test_a_person_convened_who_did_not_come_declares_it_for_every_mission_type(
    client: TestClient, world: World, mission_type: MissionType
) -> None:
    user = intervenant(world)
    statement = world.statement(user, world.mission(mission_type))
    headers = log_in(client, user)
    mine = client.get(f"{API}/statements/{statement.id}", headers=headers).json()
    assert mine["permissions"]["declare_not_performed"] is True
    response = declare_not_performed(client, headers, statement.id, "Absent : enfant malade")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["labels"]["intervenant"] == "Mission non effectuée (déclarée)"
    assert body["reason"] == "Absent : enfant malade"


def test_declaring_not_performed_after_the_dec_entered_the_indemnity_cancels_it(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    user = intervenant(world)
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    entered = client.put(
        f"{API}/dec/statements/{statement.id}/indemnity",
        json={"amount": "45.50"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert entered.json()["statement"]["status"] == "DEC_ENTERED"
    headers = log_in(client, user)
    mine = client.get(f"{API}/statements/{statement.id}", headers=headers).json()
    assert mine["permissions"]["declare_not_performed"] is True

    response = declare_not_performed(client, headers, statement.id, "Je n'ai pas pu venir")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "NOT_PERFORMED"
    assert body["computation"]["lines"] == []
    assert body["computation"]["total"] == "0.00"
    cancelled, declared = body["history"][-2:]
    assert (cancelled["action"], cancelled["actor"]) == ("INDEMNITY_CANCELLED", user.full_name)
    assert cancelled["reason"] == (
        "Indemnité saisie par la DEC (45,50\xa0€) annulée : mission déclarée non effectuée par "
        "l'intervenant."
    )
    assert (declared["from_status"], declared["to_status"]) == ("DEC_ENTERED", "NOT_PERFORMED")
    db.expire_all()
    row = db.get(Statement, statement.id)
    assert row is not None
    assert (row.direct_indemnity, row.total) == (None, Decimal("0.00"))
    # The DEC sees the declaration, and can no longer enter an indemnity without returning it.
    again = client.put(
        f"{API}/dec/statements/{statement.id}/indemnity",
        json={"amount": "45.50"},
        headers={**dec, "If-Match": f'"{body["version"]}"'},
    )
    assert again.status_code == 409


def _travel_by_car(**extra: Any) -> dict[str, Any]:
    return {
        "travel": {
            "claimed": True,
            "trips": [
                {
                    "depart_at": "2026-06-15T07:15:00",
                    "return_at": "2026-06-15T18:30:00",
                    "mode": "CAR",
                    "km": "112",
                }
            ],
            "meals": [{"date": JUNE_15, "kind": "LUNCH"}],
        },
        **extra,
    }


def _indemnity(client: TestClient, dec: dict[str, str], statement_id: int, version: int) -> Any:
    return client.put(
        f"{API}/dec/statements/{statement_id}/indemnity",
        json={"amount": "45.50"},
        headers={**dec, "If-Match": f'"{version}"'},
    )


def test_the_dec_entered_indemnity_leaves_the_travel_part_to_the_person(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    user = intervenant(world)  # Amiens; the surveillance is at Beauvais: travel is due
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    entered = _indemnity(client, dec, statement.id, statement.version).json()
    assert entered["statement"]["status"] == "DEC_ENTERED"
    headers = log_in(client, user)
    mine = client.get(f"{API}/statements/{statement.id}", headers=headers).json()
    assert mine["permissions"]["edit"] is True
    assert mine["labels"]["pay"] == "Traité par le gestionnaire"

    # The pay part is the DEC's: the person cannot type one.
    days = _travel_by_car(days=[{"date": JUNE_15, "hours": "4"}])
    refused = client.put(
        f"{API}/statements/{statement.id}",
        json=days,
        headers={**headers, "If-Match": f'"{mine["version"]}"'},
    )
    assert refused.status_code == 422 and "days.0.hours" in refused.json()["fields"]

    saved = client.put(
        f"{API}/statements/{statement.id}",
        json=_travel_by_car(),
        headers={**headers, "If-Match": f'"{mine["version"]}"'},
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["status"] == "OPEN"
    kinds = [line["kind"] for line in body["computation"]["lines"]]
    assert kinds == ["DIRECT_INDEMNITY", "KILOMETRIC", "MEAL"]
    assert body["history"][-1]["from_status"] == "DEC_ENTERED"
    assert body["history"][-1]["to_status"] == "OPEN"
    assert "l'indemnité est conservée" in body["history"][-1]["reason"]

    validated = client.post(
        f"{API}/statements/{statement.id}/validate",
        json={"accurate": True, "no_overtime": True},
        headers={**headers, "If-Match": f'"{body["version"]}"'},
    )
    assert validated.status_code == 200, validated.text
    total = Decimal(validated.json()["computation"]["total"])
    assert validated.json()["status"] == "SUBMITTED" and total > Decimal("45.50")
    approved = post(client, dec, "approve", {"statements": refs(status_of(world.db, statement.id))})
    assert approved.status_code == 200, approved.text
    assert status_of(world.db, statement.id).status == Status.APPROVED


def test_an_indemnity_entered_while_the_person_fills_their_travel_leaves_it_with_them(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    user = intervenant(world)
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    headers = log_in(client, user)
    saved = client.put(
        f"{API}/statements/{statement.id}",
        json=_travel_by_car(),
        headers={**headers, "If-Match": f'"{statement.version}"'},
    ).json()
    entered = _indemnity(client, dec, statement.id, saved["version"])
    assert entered.status_code == 200, entered.text
    body = entered.json()
    assert body["statement"]["status"] == "OPEN"
    assert body["statement"]["computation"]["lines"][0]["kind"] == "DIRECT_INDEMNITY"
    assert body["statement"]["history"][-1]["action"] == "ENTER_INDEMNITY"
    mine = client.get(f"{API}/statements/{statement.id}", headers=headers).json()
    assert mine["permissions"]["edit"] and mine["permissions"]["validate"]


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
    response = post(client, dec, "indemnity", body)
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[first.id]["status"] == "DEC_ENTERED"
    assert results[second.id]["ok"] is True
    assert results[correction.id]["outcome"] == "transition_refused"


# --- the detail and its documents ------------------------------------------------------------


def test_the_detail_lists_the_documents_and_ticks_them(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    from tests.server_stub.dec.helpers import car_trip

    statement = submitted(world, entry=car_trip(), documents_received=False)
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
    chef = world.person(
        "Chloé", "Chef", role=Role.CHEF_CENTRE, fiscal_power=None, centres=[centre.id]
    )
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


# --- resumable bulk requests (idempotency keys) -----------------------------------------------


def test_a_bulk_action_without_an_idempotency_key_is_refused(
    client: TestClient, world: World, dec: dict[str, str]
) -> None:
    statement = submitted(world)
    response = client.post(
        f"{API}/dec/statements/approve", json={"statements": refs(statement)}, headers=dec
    )
    assert response.status_code == 428
    assert "Idempotency-Key" in response.json()["detail"]
    bad = post(client, dec, "approve", {"statements": refs(statement)}, key="court")
    assert bad.status_code == 422
    assert "Idempotency-Key" in bad.json()["fields"]


def test_a_retried_bulk_action_answers_the_same_report_and_does_nothing_twice(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    first, second = submitted(world), submitted(world)
    version = first.version
    body = {"statements": [*refs(first, second), {"id": 999_999}], "reason": "Doublon"}
    key = uuid.uuid4().hex
    answered = post(client, dec, "cancel", body, key=key).json()
    assert (answered["done"], answered["failed"]) == (2, 1)
    # The answer was lost on the way: the client sends the same request again.
    again = post(client, dec, "cancel", body, key=key).json()
    assert again == answered
    audits = db.scalars(
        select(AuditEntry).where(
            AuditEntry.statement_id.in_([first.id, second.id]), AuditEntry.action == "CANCEL"
        )
    ).all()
    assert len(audits) == 2
    assert status_of(db, first.id).version == version + 1


def test_a_retry_completes_what_the_first_try_left_undone(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    done_before, left = submitted(world), submitted(world)
    body = {"statements": refs(done_before, left)}
    key = uuid.uuid4().hex
    # The first try stopped after its first chunk (a crash): only `done_before` was committed,
    # with its outcome, as the real chunk loop writes them.
    from server_stub.dec import actions
    from server_stub.dec.schemas import ApproveIn, StatementRef

    me = db.scalar(select(User).where(User.role == Role.GESTIONNAIRE))
    assert me is not None
    request = actions.Resumable.open(db, me, key, "approve", ApproveIn.model_validate(body))
    actions.bulk_move(
        db,
        Settings(database_url="unused://", today=TODAY),
        me,
        [StatementRef(id=done_before.id, version=done_before.version)],
        actions.approve_move(),
        offices={"DEC"},
        resumable=request,
    )
    # A colleague returns the first one meanwhile: the report still says what this request did.
    db.execute(
        update(Statement).where(Statement.id == done_before.id).values(status=Status.RETURNED)
    )
    db.commit()
    report = post(client, dec, "approve", body, key=key).json()
    assert (report["done"], report["failed"]) == (2, 0)
    assert [r["id"] for r in report["results"]] == [done_before.id, left.id]
    assert status_of(db, left.id).status == Status.APPROVED
    assert status_of(db, done_before.id).status == Status.RETURNED  # not approved again
    approvals = db.scalars(select(AuditEntry).where(AuditEntry.action == "APPROVE")).all()
    assert sorted(a.statement_id for a in approvals) == [done_before.id, left.id]


def test_an_idempotency_key_reused_for_other_work_is_refused(
    client: TestClient, world: World, dec: dict[str, str], db: Session
) -> None:
    first, second = submitted(world), submitted(world)
    key = uuid.uuid4().hex
    assert post(client, dec, "approve", {"statements": refs(first)}, key=key).status_code == 200
    other = post(client, dec, "approve", {"statements": refs(second)}, key=key)
    assert other.status_code == 409
    assert "clé d'idempotence" in other.json()["detail"]
    assert status_of(db, second.id).status == Status.SUBMITTED


def test_bulk_moves_cost_the_same_few_statements_per_chunk(
    client: TestClient, world: World, dec: dict[str, str], engine: Engine
) -> None:
    """Linear cost: approving 3 or 60 statements (versions all different) runs as many SQL
    statements."""
    from tests.server_stub.dec.helpers import many_submitted

    counts = []
    for size in (3, 60):
        ids = many_submitted(world, size)
        # Versions all different: no grouping by version read may hide a loop.
        for n, statement_id in enumerate(ids):
            world.db.execute(
                update(Statement).where(Statement.id == statement_id).values(version=n + 1)
            )
        world.commit()
        body = {"statements": [{"id": i, "version": n + 1} for n, i in enumerate(ids)]}
        executed: list[str] = []

        def count(*args: Any, executed: list[str] = executed) -> None:
            executed.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            answer = post(client, dec, "approve", body).json()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert answer["done"] == size
        counts.append(len(executed))
    assert counts[0] == counts[1], counts
