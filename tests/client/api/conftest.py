"""The API client's tests run against the real server in-process, with an in-memory keyring so
that no test ever touches the keyring of the machine it runs on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from server_stub.core.settings import Settings as ServerSettings
from server_stub.main import create_app
from server_stub.models import Base
from tests.server_stub.factories import World


class MemoryKeyring(KeyringBackend):
    # Below the `fail` backend (0): never chosen by keyring's own detection, only when set.
    priority = -1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The process-wide keyring replaced by an empty in-memory one for the test."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


TODAY = dt.date(2026, 7, 1)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("db") / "imagin.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    session = make_session_factory(engine)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def world(db: Session) -> World:
    return World(db)


@pytest.fixture
def app(engine: Engine, db: Session) -> FastAPI:
    settings = ServerSettings(database_url=engine.url.render_as_string(), today=TODAY)
    return create_app(settings, engine)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
