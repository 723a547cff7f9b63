"""The API client against the real server, run in-process on a temporary SQLite database."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from client.api.client import ImaginClient, make_http
from client.api.errors import (
    UNREACHABLE,
    UNREADABLE,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PasswordChangeRequired,
    ServerError,
    ServerUnreachable,
    SessionExpired,
    StaleVersion,
    TooManyAttempts,
    TransitionRefused,
    WrongCredentials,
)
from client.api.models import Entry, PayDay, Status
from client.api.tokens import SERVICE, TokenStore, keyring_username
from server_stub.auth.models import Token, TokenKind, User
from tests.client.api.conftest import TODAY
from tests.fixtures import MemoryKeyring
from tests.server_stub.factories import AMIENS, PASSWORD, World

JUNE_15 = dt.date(2026, 6, 15)
NEW_PASSWORD = "Nouveau-Mot2passe!"


@pytest.fixture
def api(http: TestClient, memory_keyring: MemoryKeyring) -> ImaginClient:
    return ImaginClient(http, TokenStore())


def copies(count: int) -> Entry:
    return Entry(days=[PayDay(date=JUNE_15, copies=count)])


def logged_in(api: ImaginClient, world: World, **person: object) -> User:
    user = world.person(**person)  # type: ignore[arg-type]
    world.commit()
    api.log_in(user.login, PASSWORD, remember=False)
    return user


def with_statement(api: ImaginClient, world: World) -> int:
    user = world.person()
    statement = world.statement(user)
    api.log_in(user.login, PASSWORD, remember=False)
    return statement.id


def expire(db: Session, kind: TokenKind) -> None:
    db.execute(
        update(Token)
        .where(Token.kind == kind)
        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    db.commit()


def live_tokens(db: Session, kind: TokenKind) -> int:
    db.expire_all()
    tokens = db.scalars(select(Token).where(Token.kind == kind, Token.revoked_at.is_(None)))
    return len(tokens.all())


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- logging in ----------------------------------------------------------------------------


def test_logging_in_opens_a_session(api: ImaginClient, world: World) -> None:
    user = world.person()
    world.commit()
    tokens = api.log_in(user.login, PASSWORD, remember=False)
    assert tokens.user.login == "edupontm"
    assert "12 caractères" in tokens.password_rules
    profile = api.me()
    assert (profile.first_name, profile.administrative_residence) == (
        "Élodie",
        profile.family_residence,
    )
    assert profile.administrative_residence is not None
    assert profile.administrative_residence.insee == AMIENS


def test_a_wrong_password_is_refused_in_french(api: ImaginClient, world: World) -> None:
    user = world.person()
    world.commit()
    with pytest.raises(WrongCredentials) as refused:
        api.log_in(user.login, "pas le bon", remember=False)
    assert refused.value.detail.startswith("Identifiant ou mot de passe incorrect.")
    assert refused.value.status == 401
    assert isinstance(refused.value, NotAuthenticated)
    assert api.tokens.access_token is None


def test_repeated_failures_say_how_long_to_wait(api: ImaginClient, world: World) -> None:
    user = world.person()
    world.commit()
    for _ in range(4):
        with pytest.raises(WrongCredentials):
            api.log_in(user.login, "faux", remember=False)
    with pytest.raises(TooManyAttempts) as waiting:
        api.log_in(user.login, "faux", remember=False)
    assert "attendez 1 minute" in waiting.value.detail
    assert waiting.value.retry_after is not None and 55 <= waiting.value.retry_after <= 60
    with pytest.raises(TooManyAttempts):
        api.log_in(user.login, PASSWORD, remember=False)


def test_a_temporary_password_must_be_changed_before_anything_else(
    api: ImaginClient, world: World
) -> None:
    user = world.person(temporary=True)
    world.commit()
    tokens = api.log_in(user.login, PASSWORD, remember=False)
    assert tokens.user.must_change_password
    with pytest.raises(PasswordChangeRequired) as blocked:
        api.convocations()
    assert "mot de passe temporaire" in blocked.value.detail
    changed = api.change_password(PASSWORD, NEW_PASSWORD)
    assert not changed.user.must_change_password
    assert api.tokens.access_token == changed.access_token
    assert api.convocations() == []


def test_a_weak_new_password_is_refused_beside_the_field(api: ImaginClient, world: World) -> None:
    logged_in(api, world, temporary=True)
    with pytest.raises(InvalidInput) as refused:
        api.change_password(PASSWORD, "court")
    assert "au moins 12 caractères" in refused.value.fields["new_password"]


def test_remember_me_survives_a_restart(
    api: ImaginClient, http: TestClient, world: World, memory_keyring: MemoryKeyring
) -> None:
    user = world.person()
    world.commit()
    first = api.log_in(user.login, PASSWORD, remember=True)
    key = (SERVICE, keyring_username(api.server, user.login))
    assert memory_keyring.entries == {key: first.refresh_token}

    restarted = ImaginClient(http, TokenStore())
    assert restarted.tokens.load_remembered(restarted.server, user.login) is not None
    assert restarted.me().login == user.login
    # Refresh tokens are used once: the keyring follows the new one.
    assert memory_keyring.entries[key] == restarted.tokens.refresh_token != first.refresh_token


def test_logging_out_revokes_the_session_and_forgets_it(
    api: ImaginClient, world: World, db: Session, memory_keyring: MemoryKeyring
) -> None:
    user = world.person()
    world.commit()
    api.log_in(user.login, PASSWORD, remember=True)
    api.log_out()
    assert api.tokens.access_token is None
    assert memory_keyring.entries == {}
    assert live_tokens(db, TokenKind.ACCESS) == live_tokens(db, TokenKind.REFRESH) == 0
    with pytest.raises(NotAuthenticated):
        api.me()


def test_logging_out_an_expired_session_still_revokes_it(
    api: ImaginClient, world: World, db: Session
) -> None:
    logged_in(api, world)
    expire(db, TokenKind.ACCESS)
    api.log_out()
    assert live_tokens(db, TokenKind.REFRESH) == 0


def test_logging_out_without_the_server_still_forgets_the_session(
    memory_keyring: MemoryKeyring,
) -> None:
    tokens = TokenStore()
    tokens.keep("http://127.0.0.1", "edupontm", "access", "refresh", remember=True)
    with make_http(f"http://127.0.0.1:{closed_port()}") as http:
        ImaginClient(http, tokens).log_out()
    assert (tokens.access_token, tokens.refresh_token) == (None, None)
    assert memory_keyring.entries == {}


# --- sessions that expire ------------------------------------------------------------------


def test_an_expired_access_token_is_renewed_without_a_word(
    api: ImaginClient, world: World, db: Session
) -> None:
    logged_in(api, world)
    before = api.tokens.access_token
    expire(db, TokenKind.ACCESS)
    assert api.me().login == "edupontm"
    assert api.tokens.access_token != before
    assert live_tokens(db, TokenKind.REFRESH) == 1


class GatedClient(TestClient):
    """Holds each thread's first request until every thread has sent one: they all meet the
    expired session together."""

    gate: threading.Barrier | None = None
    held = threading.local()

    def request(self, *args: Any, **kwargs: Any) -> httpx.Response:
        if self.gate is not None and not getattr(self.held, "done", False):
            self.held.done = True
            self.gate.wait(timeout=10)
        return super().request(*args, **kwargs)


def test_threads_meeting_an_expired_session_refresh_it_once(
    app: FastAPI, world: World, db: Session, memory_keyring: MemoryKeyring
) -> None:
    threads = 4
    with GatedClient(app) as http:
        api = ImaginClient(http, TokenStore())
        logged_in(api, world)
        expire(db, TokenKind.ACCESS)
        http.gate = threading.Barrier(threads)
        failures: list[BaseException] = []

        def work() -> None:
            try:
                api.convocations()
            except BaseException as error:
                failures.append(error)

        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert failures == []
    # One refresh for all: the log-in's refresh token and a single new one.
    assert len(db.scalars(select(Token).where(Token.kind == TokenKind.REFRESH)).all()) == 2
    assert live_tokens(db, TokenKind.REFRESH) == 1


def test_an_expired_refresh_token_ends_the_session(
    api: ImaginClient, world: World, db: Session
) -> None:
    logged_in(api, world)
    expire(db, TokenKind.ACCESS)
    expire(db, TokenKind.REFRESH)
    with pytest.raises(SessionExpired) as ended:
        api.me()
    assert "Reconnectez-vous" in ended.value.detail
    assert api.tokens.refresh_token is None


# --- the statement, from reading to validation ---------------------------------------------


def test_a_statement_goes_from_convocation_to_validation(api: ImaginClient, world: World) -> None:
    statement_id = with_statement(api, world)
    [convocation] = api.convocations()
    assert convocation.statement_id == statement_id
    assert convocation.mission.commune == "Beauvais"

    statement = api.statement(statement_id)
    assert statement.permissions.edit and statement.permissions.validate_

    preview = api.preview(statement_id, copies(3))
    assert preview.computation.total == Decimal("15.00")
    assert api.statement(statement_id).computation.total == Decimal("0.00")

    saved = api.save_statement(statement_id, statement.version, copies(42))
    # arrêté du 13 avril 2012: bac copies at taux 5, 5.00 € each; 42 × 5.00 = 210.00
    assert saved.computation.total == Decimal("210.00")
    assert saved.version == statement.version + 1
    assert saved.entry == copies(42)

    validated = api.validate_statement(statement_id, saved.version, accurate=True, no_overtime=True)
    assert validated.status is Status.SUBMITTED
    assert not validated.permissions.edit
    with pytest.raises(TransitionRefused) as refused:
        api.save_statement(statement_id, validated.version, copies(99))
    assert "validé" in refused.value.detail


def test_a_stale_version_brings_back_the_stored_statement(api: ImaginClient, world: World) -> None:
    statement_id = with_statement(api, world)
    opened = api.statement(statement_id)
    api.save_statement(statement_id, opened.version, copies(10))
    with pytest.raises(StaleVersion) as stale:
        api.save_statement(statement_id, opened.version, copies(20))
    assert "modifié depuis que vous l'avez ouvert" in stale.value.detail
    assert stale.value.current is not None
    assert stale.value.current.entry == copies(10)
    assert stale.value.current.version == opened.version + 1


def test_a_stale_version_without_the_statement_reads_it_again(
    api: ImaginClient, http: TestClient, world: World
) -> None:
    # A write race caught at commit answers 409 without `current`.
    statement_id = with_statement(api, world)
    stored = http.get(
        f"/api/v1/statements/{statement_id}",
        headers={"Authorization": f"Bearer {api.tokens.access_token}"},
    )

    def server(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            body = {"type": "stale_version", "detail": "Rechargez-le.", "fields": {}}
            return httpx.Response(409, json=body)
        return httpx.Response(200, content=stored.content)

    with httpx.Client(transport=httpx.MockTransport(server), base_url="http://x") as mock:
        racing = ImaginClient(mock, api.tokens)
        with pytest.raises(StaleVersion) as stale:
            racing.save_statement(statement_id, 1, copies(3))
    assert stale.value.current is not None
    assert stale.value.current.id == statement_id


def test_invalid_input_names_the_field_in_french(api: ImaginClient, world: World) -> None:
    statement_id = with_statement(api, world)
    statement = api.statement(statement_id)
    with pytest.raises(InvalidInput) as refused:
        api.save_statement(statement_id, statement.version, copies(-3))
    assert refused.value.fields == {"days.0.copies": "La valeur ne peut pas être négative."}
    assert refused.value.detail == "Un champ est invalide : corrigez-le puis réessayez."
    assert api.statement(statement_id).version == statement.version


def test_declaring_a_mission_not_performed_keeps_the_reason(
    api: ImaginClient, world: World
) -> None:
    statement_id = with_statement(api, world)
    statement = api.statement(statement_id)
    declared = api.declare_not_performed(statement_id, statement.version, "Malade ce jour-là")
    assert declared.status is Status.NOT_PERFORMED
    assert declared.reason == "Malade ce jour-là"


def test_someone_elses_statement_is_not_found(api: ImaginClient, world: World) -> None:
    statement_id = with_statement(api, world)
    api.log_out()
    logged_in(api, world, first_name="Marc", last_name="Durand")
    with pytest.raises(NotFound) as missing:
        api.statement(statement_id)
    assert missing.value.detail == "Cet état de frais n'existe pas."


# --- profile, reference, DEC ---------------------------------------------------------------


def test_updating_the_profile_changes_only_the_fields_given(
    api: ImaginClient, world: World
) -> None:
    logged_in(api, world)
    profile = api.update_me(fiscal_power=7)
    assert profile.fiscal_power == 7
    assert profile.administrative_residence is not None
    assert api.update_me(fiscal_power=None).fiscal_power is None


def test_communes_are_found_by_name(api: ImaginClient, world: World) -> None:
    logged_in(api, world)
    assert AMIENS in [c.insee for c in api.search_communes("Amiens")]


def test_tariffs_and_health_are_plain_dictionaries(api: ImaginClient, world: World) -> None:
    logged_in(api, world)
    assert api.tariffs(JUNE_15)["date"] == "2026-06-15"
    assert api.tariffs()["date"] == TODAY.isoformat()
    assert api.health()["status"] == "ok"


def test_the_dec_queue_comes_page_by_page(api: ImaginClient, world: World) -> None:
    for name in ("Durand", "Martin", "Petit"):
        world.statement(world.person("Marc", name))
    gestionnaire = world.gestionnaire()
    world.commit()
    api.log_in(gestionnaire.login, PASSWORD, remember=False)
    first = api.dec_statements(limit=2)
    assert len(first.items) == 2 and first.next_cursor is not None
    second = api.dec_statements(limit=2, cursor=first.next_cursor)
    assert len(second.items) == 1 and second.next_cursor is None
    assert api.dec_statements(status=Status.SUBMITTED).items == []


def test_the_dec_queue_is_closed_to_intervenants(api: ImaginClient, world: World) -> None:
    logged_in(api, world)
    with pytest.raises(Forbidden):
        api.dec_statements()


# --- when the network or the server fails --------------------------------------------------


def test_a_server_that_does_not_answer_is_unreachable() -> None:
    with make_http(f"http://127.0.0.1:{closed_port()}") as http:
        client = ImaginClient(http, TokenStore())
        with pytest.raises(ServerUnreachable) as unreachable:
            client.log_in("edupontm", PASSWORD, remember=False)
    assert unreachable.value.detail == UNREACHABLE
    assert unreachable.value.status is None


def test_a_timeout_is_unreachable_too() -> None:
    def server(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    http = httpx.Client(transport=httpx.MockTransport(server), base_url="http://x")
    with http, pytest.raises(ServerUnreachable):
        ImaginClient(http, TokenStore()).health()


def test_a_proxy_error_page_is_a_server_error() -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html><body>Bad Gateway</body></html>")

    http = httpx.Client(transport=httpx.MockTransport(server), base_url="http://x")
    with http, pytest.raises(ServerError) as failed:
        ImaginClient(http, TokenStore()).health()
    assert failed.value.status == 502


def test_a_page_that_is_not_the_api_is_unreadable() -> None:
    # A captive portal answers 200 with its own page.
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html><body>Wi-Fi</body></html>")

    http = httpx.Client(transport=httpx.MockTransport(server), base_url="http://x")
    with http, pytest.raises(ServerError) as failed:
        ImaginClient(http, TokenStore()).convocations()
    assert failed.value.detail == UNREADABLE
