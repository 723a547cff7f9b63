"""The administrator's accounts and audit log through the API: search, create, roles with
offices or centres, deactivation, unlocking; each change in the audit log, read with filters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from server_stub.auth.models import Role, User
from tests.server_stub.factories import PASSWORD, World, log_in

API = "/api/v1/admin"


@pytest.fixture
def admin(world: World, client: TestClient) -> dict[str, str]:
    user = world.person("Adèle", "Admin", role=Role.ADMIN)
    world.commit()
    return log_in(client, user)


def _accounts(client: TestClient, admin: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"{API}/accounts", params=params, headers=admin)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_an_administrator_creates_an_account_and_gives_it_its_role(
    world: World, client: TestClient, admin: dict[str, str]
) -> None:
    centre = world.centre()
    world.commit()
    created = client.post(
        f"{API}/accounts",
        json={"first_name": "Hélène", "last_name": "Roux", "role": "GESTIONNAIRE",
              "academic": False, "offices": ["DEC"], "email": "h.roux@ac-amiens.fr"},
        headers=admin,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    account, password = body["account"], body["temporary_password"]
    assert (account["login"], account["offices"], account["active"]) == ("hroux", ["DEC"], True)
    login = client.post("/api/v1/auth/login", json={"login": "hroux", "password": password})
    assert login.json()["user"]["must_change_password"] is True

    no_centre = client.put(
        f"{API}/accounts/{account['id']}/roles", json={"role": "CHEF_CENTRE"}, headers=admin
    )
    assert no_centre.status_code == 422
    assert no_centre.json()["fields"]["centres"].startswith("Un chef de centre répond")
    chef = client.put(
        f"{API}/accounts/{account['id']}/roles",
        json={"role": "CHEF_CENTRE", "centres": [centre.id]},
        headers=admin,
    )
    assert chef.status_code == 200, chef.text
    assert (chef.json()["role"], chef.json()["offices"], chef.json()["centres"]) == (
        "CHEF_CENTRE", [], [centre.id]
    )  # fmt: skip
    assert [a["login"] for a in _accounts(client, admin, q="ROUX")] == ["hroux"]
    assert [a["login"] for a in _accounts(client, admin, role="CHEF_CENTRE")] == ["hroux"]

    log = client.get(f"{API}/audit", params={"target_id": str(account["id"])}, headers=admin)
    summaries = [e["summary"] for e in log.json()]
    assert summaries[0] == (
        f"Hélène Roux (hroux) : gestionnaire de la DEC (bureaux DEC) → chef de centre "
        f"(centres n° {centre.id})."
    )
    assert summaries[1].startswith("Compte hroux créé pour Hélène Roux : gestionnaire de la DEC")
    assert {e["actor"] for e in log.json()} == {"Adèle Admin"}
    only = client.get(f"{API}/audit", params={"action": "ACCOUNT_CREATED"}, headers=admin)
    assert [e["action"] for e in only.json()] == ["ACCOUNT_CREATED"]


def test_a_deactivated_account_cannot_log_in_and_its_sessions_end(
    world: World, client: TestClient, admin: dict[str, str]
) -> None:
    person: User = world.person("Paul", "Martin")
    world.commit()
    session = log_in(client, person)

    off = client.put(f"{API}/accounts/{person.id}/active", json={"active": False}, headers=admin)

    assert off.status_code == 200 and off.json()["active"] is False
    assert client.get("/api/v1/me", headers=session).status_code == 401
    refused = client.post("/api/v1/auth/login", json={"login": person.login, "password": PASSWORD})
    assert refused.status_code == 401
    assert _accounts(client, admin, active="false")[0]["login"] == person.login
    client.put(f"{API}/accounts/{person.id}/active", json={"active": True}, headers=admin)
    assert log_in(client, person)


def test_an_account_locked_by_failed_log_ins_is_unlocked(
    world: World, client: TestClient, admin: dict[str, str]
) -> None:
    person: User = world.person("Paul", "Martin")
    world.commit()
    for _ in range(6):
        client.post("/api/v1/auth/login", json={"login": person.login, "password": "faux"})
    [locked] = _accounts(client, admin, q=person.login)
    assert locked["locked"] is True

    unlocked = client.post(f"{API}/accounts/{person.id}/unlock", headers=admin)

    assert unlocked.json()["locked"] is False
    assert log_in(client, person)


def test_administration_is_for_administrators_only(world: World, client: TestClient) -> None:
    manager = world.gestionnaire()
    world.commit()
    headers = log_in(client, manager)

    assert client.get(f"{API}/accounts", headers=headers).status_code == 403
    assert client.get(f"{API}/audit", headers=headers).status_code == 403
