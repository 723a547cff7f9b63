"""`imagin-server` as an operator runs it: demo data never wipes a database by surprise, and
accounts are created with a generated temporary password, shown once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server_stub.auth.models import User
from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.security import verify_password
from server_stub.demo.accounts import DEMO_PASSWORD


def imagin_server(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IMAGIN_DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "server_stub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "imagin.sqlite3"


def users(database: Path) -> list[User]:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(User)))
    finally:
        engine.dispose()


def test_create_user_prints_a_generated_temporary_password_once(database: Path) -> None:
    done = imagin_server(database, "create-user", "Martine", "Leroux", "--role", "ADMIN")
    assert done.returncode == 0, done.stderr
    lines = dict(line.split("\t") for line in done.stdout.splitlines() if "\t" in line)
    password = lines["mot de passe temporaire"]
    assert len(password) == 13
    assert password not in done.stderr  # printed for the operator, never logged
    [user] = users(database)
    assert (user.login, user.role) == (lines["identifiant"], "ADMIN")
    assert user.must_change_password is True
    assert verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, DEMO_PASSWORD)


def test_demo_data_refuses_a_database_that_holds_data(database: Path) -> None:
    assert imagin_server(database, "create-user", "Karim", "Benali").returncode == 0
    for keep in ((), ("--keep",)):
        refused = imagin_server(database, "demo-data", *keep)
        assert refused.returncode == 1
        assert "La base de données n'est pas vide (1 compte) : rien n'a été modifié." in (
            refused.stderr
        )
        assert "--force" in refused.stderr
        assert [u.login for u in users(database)] == ["kbenali"]


def test_demo_data_fills_an_empty_database_and_replaces_one_with_force(database: Path) -> None:
    assert imagin_server(database, "init-db").returncode == 0
    filled = imagin_server(database, "demo-data")
    assert filled.returncode == 0, filled.stderr
    count = len(users(database))
    assert count > 300
    again = imagin_server(database, "demo-data", "--force")
    assert again.returncode == 0, again.stderr
    engine = make_engine(f"sqlite:///{database}")
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(User)) == count
    engine.dispose()


def test_collect_documents_deletes_only_old_files_nothing_refers_to(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server_stub.documents.store import DirectoryStore

    store = DirectoryStore(tmp_path / "documents")
    store.put(b"%PDF-1.4 reste d'un envoi interrompu")
    monkeypatch.setenv("IMAGIN_DOCUMENTS_DIR", str(store.root))
    assert imagin_server(database, "init-db").returncode == 0

    recent = imagin_server(database, "collect-documents")
    assert recent.returncode == 0, recent.stderr
    assert len(list(store.contents())) == 1  # written just now: an upload may be under way
    old = imagin_server(database, "collect-documents", "--grace", "0")
    assert old.returncode == 0, old.stderr
    assert list(store.contents()) == []
