"""The server suite runs on SQLite and on PostgreSQL: each test that touches the database runs
once per backend. In CI the PostgreSQL run is required, not skipped."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from psycopg.errors import DeadlockDetected
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from server_stub.core.settings import Settings
from server_stub.main import create_app
from server_stub.models import Base
from tests.server_stub.factories import World

POSTGRES_URL = os.environ.get(
    "IMAGIN_TEST_POSTGRES_URL", "postgresql+psycopg://@127.0.0.1:5432/test"
)
TODAY = dt.date(2026, 7, 1)
# The tests' key for the social security numbers (a Fernet key: 32 bytes, URL-safe base64).
NIR_KEY = "dGVzdHMtb25seS1uaXIta2V5LTMyLWJ5dGVzLWxvbmc="


def _postgres_engine() -> Iterator[Engine]:
    schema = f"imagin_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    # The server's own engine (its pool, its transactions), in the test's schema.
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "imagin.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        yield engine
        engine.dispose()
    else:
        yield from _postgres_engine()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on a clean database; everything is wiped after the test."""
    factory = make_session_factory(engine)
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
        _empty(engine)


def _empty(engine: Engine) -> None:
    """Every table emptied. On PostgreSQL by `TRUNCATE`: deleted rows would leave dead pages,
    and a table analysed like that reads as "many pages, no row" to the planner of the next
    test's bulk loads (nested loops over tables it then fills)."""
    tables = list(reversed(Base.metadata.sorted_tables))
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            for table in tables:
                connection.execute(table.delete())
        return
    names = ", ".join(f'"{table.name}"' for table in tables)
    for attempt in itertools.count(1):
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
            return
        except OperationalError as error:
            # Autovacuum may hold one table while TRUNCATE holds another: PostgreSQL picks a
            # victim of the deadlock, and the victim simply tries again.
            if not isinstance(error.orig, DeadlockDetected) or attempt == 5:
                raise


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="unused://", today=TODAY, nir_key=NIR_KEY)


@pytest.fixture
def world(db: Session) -> World:
    return World(db)


@pytest.fixture
def client(engine: Engine, db: Session, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
