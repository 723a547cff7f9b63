"""Log-in, temporary passwords, locking, tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server_stub.auth.identifiers import base_identifier, unique_identifier
from server_stub.auth.models import Token, User
from server_stub.core.errors import InvalidInput
from tests.server_stub.factories import PASSWORD, World, log_in

NEW_PASSWORD = "Nouveau-Mot2passe!"


def test_identifier_takes_first_letter_and_seven_letters_of_the_name() -> None:
    assert base_identifier("Élodie", "Dupont-Martin") == "edupontm"
    assert base_identifier("Jean-Noël", "Lefèvre") == "jlefevre"
    assert base_identifier("Zoé", "Ô") == "zo"


def test_identifier_transliterates_letters_instead_of_dropping_them() -> None:
    assert base_identifier("Marc", "Lœuillet") == "mloeuill"
    assert base_identifier("Ægir", "Læstadius") == "alaestad"
    assert base_identifier("Hans", "Strauß") == "hstrauss"
    assert base_identifier("Søren", "Kierkegaard") == "skierkeg"
    assert base_identifier("Łucja", "Wałęsa") == "lwalesa"
    assert base_identifier("Đorđe", "Đorđević") == "ddordevi"


def test_identifier_of_a_name_in_another_script_is_its_latin_form() -> None:
    assert base_identifier("Иван", "Иванова") == "iivanova"
    assert base_identifier("Γιώργος", "Παπαδόπουλος") == "gpapadop"
    assert base_identifier("Minjun", "김") == "mgim"


def test_a_name_without_latin_spelling_is_refused_in_french() -> None:
    with pytest.raises(InvalidInput) as refused:
        unique_identifier("Ali", "محمد", lambda _: False)
    assert set(refused.value.fields) == {"last_name"}
    assert refused.value.fields["last_name"].startswith(
        "Le nom « محمد » ne s'écrit pas en lettres latines : saisissez son orthographe latine"
    )


def test_identifier_collisions_get_the_smallest_free_suffix() -> None:
    taken = {"edupontm", "edupontm2"}
    assert unique_identifier("Élodie", "Dupont-Martin", taken.__contains__) == "edupontm3"


def test_accounts_with_the_same_name_get_distinct_identifiers(world: World) -> None:
    first, second = world.person(), world.person()
    assert (first.login, second.login) == ("edupontm", "edupontm2")


def test_login_answers_tokens_and_identity(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["login"] == "edupontm"
    assert body["access_token"] and body["refresh_token"]
    assert "12 caractères" in body["password_rules"]


def test_login_is_case_insensitive_on_the_identifier(client: TestClient, world: World) -> None:
    world.person()
    world.commit()
    response = client.post("/api/v1/auth/login", json={"login": "EDupontM ", "password": PASSWORD})
    assert response.status_code == 200


def test_wrong_password_is_refused_in_french(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": "non"})
    assert response.status_code == 401
    assert response.json()["type"] == "wrong_credentials"
    assert "Identifiant ou mot de passe incorrect" in response.json()["detail"]


def test_unknown_login_reads_exactly_like_a_wrong_password(
    client: TestClient, world: World
) -> None:
    user = world.person()
    world.commit()
    unknown = client.post("/api/v1/auth/login", json={"login": "personne", "password": "x"})
    wrong = client.post("/api/v1/auth/login", json={"login": user.login, "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_five_failures_make_the_next_attempt_wait_a_minute(
    client: TestClient, world: World
) -> None:
    user = world.person()
    world.commit()
    for _ in range(4):
        client.post("/api/v1/auth/login", json={"login": user.login, "password": "faux"})
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": "faux"})
    assert response.status_code == 429
    body = response.json()
    assert body["type"] == "too_many_attempts"
    assert body["detail"] == (
        "Identifiant ou mot de passe incorrect. Trop de tentatives de connexion : par sécurité, "
        "attendez 1 minute avant de réessayer."
    )
    assert 55 <= int(response.headers["Retry-After"]) <= 60
    # Even the right password waits for the delay to end.
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": PASSWORD})
    assert response.status_code == 429


def test_temporary_password_blocks_everything_until_changed(
    client: TestClient, world: World
) -> None:
    user = world.person(temporary=True)
    world.commit()
    headers = log_in(client, user)
    assert client.get("/api/v1/convocations", headers=headers).status_code == 403
    assert client.get("/api/v1/convocations", headers=headers).json()["type"] == (
        "password_change_required"
    )
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["user"]["must_change_password"] is False
    fresh = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.get("/api/v1/convocations", headers=fresh).status_code == 200
    # The password change revoked the tokens issued before it.
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_weak_new_password_is_refused_with_what_is_missing(
    client: TestClient, world: World
) -> None:
    user = world.person(temporary=True)
    world.commit()
    headers = log_in(client, user)
    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "court"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "au moins 12 caractères" in response.json()["fields"]["new_password"]


def _tokens(client: TestClient, world: World) -> dict[str, str]:
    """A new person's tokens, as the log-in answers them."""
    user = world.person()
    world.commit()
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": PASSWORD})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def test_refresh_rotates_the_refresh_token(client: TestClient, world: World) -> None:
    tokens = _tokens(client, world)
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    assert again.json()["type"] == "session_expired"


def test_logout_without_a_body_revokes_the_refresh_token_too(
    client: TestClient, world: World
) -> None:
    tokens = _tokens(client, world)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401


def test_logout_ends_only_this_session(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    here, there = log_in(client, user), log_in(client, user)
    assert client.post("/api/v1/auth/logout", headers=here).status_code == 204
    assert client.get("/api/v1/me", headers=here).status_code == 401
    assert client.get("/api/v1/me", headers=there).status_code == 200


def test_a_replayed_refresh_token_revokes_its_whole_session(
    client: TestClient, world: World
) -> None:
    stolen = _tokens(client, world)
    # The owner refreshes first; then someone presents the same refresh token again.
    renewed = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert renewed.status_code == 200
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["type"] == "session_expired"
    assert "fermée par sécurité" in replay.json()["detail"]
    # Every token of that session is revoked, the ones the refresh had just issued included.
    fresh = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 401
    again = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": renewed.json()["refresh_token"]}
    )
    assert again.status_code == 401


def test_logout_revokes_the_tokens(client: TestClient, world: World) -> None:
    tokens = _tokens(client, world)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers
    )
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401


def test_a_refresh_token_does_not_open_the_api(client: TestClient, world: World) -> None:
    tokens = _tokens(client, world)
    headers = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"


def test_expired_access_token_says_the_session_expired(
    client: TestClient, world: World, db: Session
) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    for token in db.query(Token).all():
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "session_expired"
    assert "expiré" in response.json()["detail"]


def test_passwords_and_tokens_are_stored_hashed(
    client: TestClient, world: World, db: Session
) -> None:
    tokens = _tokens(client, world)
    stored = {t.token_hash for t in db.query(Token).all()}
    assert tokens["access_token"] not in stored
    assert tokens["refresh_token"] not in stored
    assert all(u.password_hash.startswith("$argon2id$") for u in db.query(User).all())


def test_no_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/convocations")
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"


def test_an_imported_temporary_password_logs_in_once_to_be_replaced_by_an_argon2id_one(
    client: TestClient, db: Session
) -> None:
    from pathlib import Path

    from sqlalchemy import select

    from server_stub.core.security import is_temporary_hash
    from server_stub.importing.loader import import_session

    valid = Path(__file__).parents[1] / "importing" / "session_cap_2027.json"
    temporary = import_session(db, valid)["temporary_passwords"]["claire.vasseur"]
    db.commit()
    user = db.scalar(select(User).where(User.login == "claire.vasseur"))
    assert user is not None and is_temporary_hash(user.password_hash)

    wrong = {"login": "claire.vasseur", "password": temporary[:-1] + "x"}
    assert client.post("/api/v1/auth/login", json=wrong).status_code == 401
    headers = log_in(client, user, temporary)
    assert client.get("/api/v1/convocations", headers=headers).json()["type"] == (
        "password_change_required"
    )
    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": temporary, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert response.status_code == 200, response.text

    db.expire_all()
    user = db.scalar(select(User).where(User.login == "claire.vasseur"))
    assert user is not None and user.password_hash.startswith("$argon2id$")
    assert not user.must_change_password
    again = {"login": "claire.vasseur", "password": temporary}
    assert client.post("/api/v1/auth/login", json=again).status_code == 401
    log_in(client, user, NEW_PASSWORD)
