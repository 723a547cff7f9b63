"""Abuse limits, through HTTP: rate limits of the log-in and password routes (per address,
per account, held in the database), the wait after repeated failures (the same for unknown
identifiers, ending by itself), the request body limit, security headers, API docs."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from server_stub.auth.models import LoginFailure, RateLimitCounter
from server_stub.core import clock
from server_stub.core.settings import Settings
from server_stub.main import create_app
from tests.server_stub.conftest import TODAY
from tests.server_stub.factories import PASSWORD, World, log_in

LOGIN = "/api/v1/auth/login"


def attempt(client: TestClient, login: str, password: str = "faux") -> Any:
    return client.post(LOGIN, json={"login": login, "password": password})


@pytest.fixture
def app_with(engine: Engine, db: Session) -> Iterator[Any]:
    """Test clients on an application with some settings changed, from a chosen address."""
    clients: list[TestClient] = []

    def make(address: str = "192.0.2.10", **changes: Any) -> TestClient:
        settings = Settings(database_url="unused://", today=TODAY, **changes)
        client = TestClient(create_app(settings, engine), client=(address, 40000))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


# --- the wait after repeated failures --------------------------------------------------------


def test_unknown_and_existing_identifiers_get_exactly_the_same_answers(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clock stands still: the waits announced depend on the failures alone, not on how long
    # a busy machine takes to check each password.
    instant = clock.now()
    monkeypatch.setattr(clock, "now", lambda: instant)
    user = world.person()
    world.commit()
    for n in range(7):
        known, unknown = attempt(client, user.login), attempt(client, "personne.inconnue")
        assert known.status_code == unknown.status_code, n
        assert known.json() == unknown.json(), n
        assert known.headers.get("Retry-After") == unknown.headers.get("Retry-After"), n
    assert known.status_code == 429
    assert "attendez" in known.json()["detail"]


def test_the_wait_doubles_then_stops_growing_and_ends_by_itself(
    app_with: Any, world: World, db: Session
) -> None:
    client = app_with(login_limit_per_account="100/minute")
    user = world.person()
    world.commit()
    waits = []
    for _ in range(12):
        response = attempt(client, user.login)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            # The time passes: the wait is over.
            db.execute(update(LoginFailure).values(wait_until=dt.datetime.now(dt.UTC)))
            db.commit()
    # 1, 2, 4, 8 minutes, then never more than 15: no permanent lock.
    assert [round(w / 60) for w in waits] == [1, 2, 4, 8, 15, 15, 15, 15]
    db.execute(update(LoginFailure).values(wait_until=dt.datetime.now(dt.UTC)))
    db.commit()
    assert attempt(client, user.login, PASSWORD).status_code == 200
    # A success forgets the failures: the next mistake is a plain one.
    assert attempt(client, user.login).status_code == 401


def test_failures_from_one_address_do_not_lock_the_owner_out(app_with: Any, world: World) -> None:
    admin = world.person("Martine", "Leroux", fiscal_power=None)
    world.commit()
    attacker, owner = app_with("203.0.113.66"), app_with("192.0.2.10")
    for _ in range(6):
        attempt(attacker, admin.login)
    assert attempt(attacker, admin.login, PASSWORD).status_code == 429
    assert attempt(owner, admin.login, PASSWORD).status_code == 200


# --- rate limits ------------------------------------------------------------------------------


def test_an_address_is_limited_whatever_the_identifiers(app_with: Any) -> None:
    client = app_with(login_limit_per_address="3/minute")
    answers = [attempt(client, f"inconnu{n}").status_code for n in range(4)]
    assert answers == [401, 401, 401, 429]
    refused = attempt(client, "encore")
    assert refused.json()["type"] == "too_many_attempts"
    assert refused.json()["detail"].startswith("Trop de tentatives de connexion")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_an_account_is_limited_across_addresses_and_server_processes(
    app_with: Any, world: World
) -> None:
    user = world.person()
    world.commit()
    # Two applications on the same database stand for two server processes.
    first = app_with("198.51.100.1", login_limit_per_account="3/minute")
    second = app_with("198.51.100.2", login_limit_per_account="3/minute")
    assert attempt(first, user.login).status_code == 401
    assert attempt(second, user.login).status_code == 401
    assert attempt(first, user.login.upper()).status_code == 401
    refused = attempt(second, user.login, PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1


def test_the_counters_live_in_the_database(client: TestClient, db: Session) -> None:
    attempt(client, "quelquun")
    keys = {c.key for c in db.query(RateLimitCounter).all()}
    assert any("address" in k and "testclient" in k for k in keys)
    assert any("account" in k and "quelquun" in k for k in keys)


def test_the_password_route_is_limited_per_account(app_with: Any, world: World) -> None:
    client = app_with(login_limit_per_account="2/minute")
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    body = {"current_password": "faux", "new_password": "Nouveau-Mot2passe!"}
    answers = [
        client.post("/api/v1/auth/password", json=body, headers=headers).status_code
        for _ in range(3)
    ]
    assert answers == [422, 422, 429]


def test_other_people_are_served_while_every_hashing_thread_is_busy(
    client: TestClient, world: World
) -> None:
    """Log-ins wait for a hashing thread; the requests of everyone else never do."""
    reader = world.person("Karim", "Benali")
    world.commit()
    headers = log_in(client, reader)
    throttle = client.app.state.throttle  # type: ignore[attr-defined]
    portal = client.portal  # type: ignore[attr-defined]
    assert portal is not None
    # Take every hashing thread, as a flood of log-ins would.
    holders = [object() for _ in range(throttle.hashing_threads)]
    limiter = portal.call(_limiter, throttle)
    for holder in holders:
        portal.call(limiter.acquire_on_behalf_of, holder)
    answers: list[int] = []
    waiting = threading.Thread(
        target=lambda: answers.append(attempt(client, reader.login).status_code)
    )
    waiting.start()
    try:
        time.sleep(0.2)
        assert answers == []  # the log-in waits for a hashing thread
        for _ in range(20):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert answers == []
    finally:
        for holder in holders:
            portal.call(_release, limiter, holder)
    waiting.join(timeout=30)
    assert answers == [401]


async def _limiter(throttle: Any) -> anyio.CapacityLimiter:
    await throttle.hash_off_the_workers(lambda: None)
    limiter: anyio.CapacityLimiter = throttle._hashing
    return limiter


async def _release(limiter: anyio.CapacityLimiter, holder: object) -> None:
    limiter.release_on_behalf_of(holder)


# --- the body limit ----------------------------------------------------------------------------


def test_a_large_body_is_refused_before_authentication(client: TestClient) -> None:
    body = b'{"statements": [' + b'{"id": 1},' * 200_000 + b'{"id": 1}]}'
    response = client.post(
        "/api/v1/dec/statements/approve",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    # 413 and not 401: nothing was parsed, nobody authenticated.
    assert response.status_code == 413
    assert response.json() == {
        "type": "payload_too_large",
        "detail": "La requête dépasse la taille permise (1 Mo). Envoyez moins d'éléments à la "
        "fois.",
        "fields": {},
    }


def test_a_large_body_without_a_length_is_refused_as_it_arrives(app_with: Any) -> None:
    client = app_with(max_body_bytes=10_000)

    def chunks() -> Iterator[bytes]:
        yield b'{"login": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'", "password": "y"}'

    response = client.post(LOGIN, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("La requête dépasse la taille permise (9,77 Ko)")
    assert attempt(client, "petit").status_code == 401


# --- headers and docs ---------------------------------------------------------------------------


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for response in (
        client.get("/api/v1/health"),
        client.get("/api/v1/me"),
        client.get("/nulle-part"),
        attempt(client, "x"),
    ):
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert headers["Cache-Control"] == "no-store"


def test_api_docs_are_off_unless_enabled(client: TestClient, app_with: Any) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404
    enabled = app_with(api_docs=True)
    assert enabled.get("/openapi.json").json()["info"]["title"] == "IMAG'IN"
    docs = enabled.get("/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" in docs.headers["Content-Security-Policy"]
