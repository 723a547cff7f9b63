"""Log-in of académie staff against a real OpenLDAP directory, through the API: the account is
created at the first log-in and brought up to date at the next; a wrong password is refused
like any other; externes keep their local accounts; a directory out of reach is said."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ldap3 import MODIFY_REPLACE, Connection, Server
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server_stub.auth import repository
from server_stub.core.settings import Settings
from server_stub.main import create_app
from tests.server_stub.auth.directory_server import (
    ADMIN,
    ADMIN_PASSWORD,
    PEOPLE,
    Directory,
    person,
    running_directory,
)
from tests.server_stub.conftest import TODAY
from tests.server_stub.factories import PASSWORD, World

MARIE_PASSWORD = "Messagerie-Amiens-2026!"


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    entries = (
        person("mdurand", "Marie", "Durand", MARIE_PASSWORD, "marie.durand@ac-amiens.fr")
        + "\n"
        + person("jpetit", "Jean", "Petit", "Autre-Secret-2026!")
    )
    yield from running_directory(tmp_path, entries)


@pytest.fixture
def directory_client(engine: Engine, db: Session, directory: Directory) -> Iterator[TestClient]:
    settings = Settings(
        database_url="unused://",
        today=TODAY,
        ldap_url=directory.url,
        ldap_base_dn=PEOPLE,
    )
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        yield client


def _log_in(client: TestClient, login: str, password: str) -> object:
    return client.post("/api/v1/auth/login", json={"login": login, "password": password})


def test_the_first_log_in_creates_the_account_from_the_directory(
    directory_client: TestClient, db: Session
) -> None:
    response = _log_in(directory_client, "MDurand", MARIE_PASSWORD)

    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    user = response.json()["user"]  # type: ignore[attr-defined]
    assert (user["first_name"], user["last_name"]) == ("Marie", "Durand")
    assert user["must_change_password"] is False
    db.expire_all()
    account = repository.user_by_login(db, "mdurand")
    assert account is not None
    assert account.academic and account.email == "marie.durand@ac-amiens.fr"
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}  # type: ignore[attr-defined]
    assert directory_client.get("/api/v1/me", headers=headers).json()["login"] == "mdurand"


def test_the_next_log_in_brings_the_account_up_to_date(
    directory_client: TestClient, directory: Directory, db: Session
) -> None:
    assert _log_in(directory_client, "mdurand", MARIE_PASSWORD).status_code == 200  # type: ignore[attr-defined]
    admin = Connection(Server(directory.url), ADMIN, ADMIN_PASSWORD, auto_bind=True)
    admin.modify(
        f"uid=mdurand,{PEOPLE}",
        {
            "sn": [(MODIFY_REPLACE, ["Durand-Leroy"])],
            "mail": [(MODIFY_REPLACE, ["m.dl@ac-amiens.fr"])],
        },
    )
    admin.unbind()

    again = _log_in(directory_client, "mdurand", MARIE_PASSWORD)

    assert again.json()["user"]["last_name"] == "Durand-Leroy"  # type: ignore[attr-defined]
    db.expire_all()
    account = repository.user_by_login(db, "mdurand")
    assert account is not None and account.email == "m.dl@ac-amiens.fr"


def test_a_wrong_password_or_an_unknown_person_is_refused_the_same_way(
    directory_client: TestClient, db: Session
) -> None:
    wrong = _log_in(directory_client, "mdurand", "Pas-Le-Bon-2026!")
    unknown = _log_in(directory_client, "personne", "Pas-Le-Bon-2026!")
    injection = _log_in(directory_client, "*)(uid=*", "Pas-Le-Bon-2026!")

    for answer in (wrong, unknown, injection):
        assert answer.status_code == 401  # type: ignore[attr-defined]
        assert answer.json()["detail"] == "Identifiant ou mot de passe incorrect."  # type: ignore[attr-defined]
    assert repository.user_by_login(db, "mdurand") is None


def test_externes_keep_their_local_accounts(directory_client: TestClient, world: World) -> None:
    externe = world.person("Étienne", "Lefèvre", academic=False)
    world.commit()

    assert _log_in(directory_client, externe.login, PASSWORD).status_code == 200  # type: ignore[attr-defined]
    assert _log_in(directory_client, externe.login, "Autre-2026-Secret!").status_code == 401  # type: ignore[attr-defined]


def test_a_directory_out_of_reach_is_said_in_french(
    directory_client: TestClient, directory: Directory
) -> None:
    directory.stop()

    answer = _log_in(directory_client, "mdurand", MARIE_PASSWORD)

    assert answer.status_code == 503  # type: ignore[attr-defined]
    assert answer.json()["detail"].startswith("L'annuaire de l'académie ne répond pas")  # type: ignore[attr-defined]
