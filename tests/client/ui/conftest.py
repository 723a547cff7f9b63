"""The interface tests run against the real reference server, in-process.

`server_stub.main.create_app` on a temporary SQLite database (schema by Alembic), today fixed
at 1 July 2026, reached through FastAPI's `TestClient`, which is an `httpx.Client`: the client
code under test is exactly the application's. The keyring is an in-memory one, and every folder
the application writes to (settings, drafts, recaps, logs) lives in the test's tmp_path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import pytest
from fastapi.testclient import TestClient
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.api.client import ImaginClient
from client.api.models import Tokens
from client.api.tokens import TokenStore
from client.settings import Settings as ClientSettings
from client.ui.login.session import AppContext
from client.ui.tasks import TaskRunner
from server_stub.auth.models import User
from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from server_stub.core.settings import Settings
from server_stub.main import create_app
from server_stub.models import Base
from server_stub.rules.model import MissionType
from server_stub.statements.models import Statement
from tests.server_stub.factories import PASSWORD, World, log_in

TODAY = dt.date(2026, 7, 1)
SERVER = "http://testserver"


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything at the end of the test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs follows the XDG variables: nothing is written to the real home folder."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("ui-db") / "imagin.sqlite3"
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
def server_settings() -> Settings:
    return Settings(database_url="unused://", today=TODAY)


@pytest.fixture
def http(engine: Engine, db: Session, server_settings: Settings) -> Iterator[TestClient]:
    app = create_app(server_settings, engine)
    with TestClient(app, base_url=SERVER, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(autouse=True)
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[QWidget]]:
    """Keeps every widget given to `qtbot.addWidget` alive until the worker threads are done.

    A task holds its callbacks, hence the widget they belong to, until its worker thread
    lets go of it. Were the test's own reference the last one before that, a widget without
    a parent would be destroyed on the worker thread, which Qt does not survive.
    """
    widgets: list[QWidget] = []
    add_widget = QtBot.addWidget

    def add_and_hold(self: QtBot, widget: QWidget, **options: Any) -> None:
        widgets.append(widget)
        add_widget(self, widget, **options)

    monkeypatch.setattr(QtBot, "addWidget", add_and_hold)
    yield widgets
    widgets.clear()


@pytest.fixture
def runner(qapp: Any, held: list[QWidget]) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    # Every task finished, and its answer delivered while its widgets are still there
    # (`held` lets them go after this): nothing lands in the next test.
    task_runner.wait_for_done()
    qapp.sendPostedEvents()
    qapp.processEvents()


@pytest.fixture
def api(http: TestClient, memory_keyring: MemoryKeyring) -> ImaginClient:
    return ImaginClient(http, TokenStore())


@dataclass
class Opened:
    """Records what the application asked the system to open (PDFs), instead of opening."""

    urls: list[QUrl] = field(default_factory=list)

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url)
        return True


@pytest.fixture
def opened() -> Opened:
    return Opened()


@pytest.fixture
def ctx(api: ImaginClient, runner: TaskRunner, tmp_path: Path, opened: Opened) -> AppContext:
    return AppContext(
        api=api,
        runner=runner,
        settings=ClientSettings(server_url=SERVER),
        settings_path=tmp_path / "settings.json",
        data_folder=tmp_path / "data",
        log_path=tmp_path / "imagin.log",
        open_url=opened,
    )


# --- data ---------------------------------------------------------------------------------


@dataclass
class Intervenant:
    """Élodie Dupont-Martin and her convocations of the June 2026 session."""

    user: User
    correction: Statement  # 15 June, done, not validated yet
    oral: Statement  # 22-23 June, done, validated
    future: Statement  # 10 September, not yet performed


def validate(http: TestClient, user: User, statement_id: int, entry: dict[str, Any]) -> None:
    headers = log_in(http, user)
    current = http.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    saved = http.put(
        f"/api/v1/statements/{statement_id}",
        json=entry,
        headers={**headers, "If-Match": f'"{current["version"]}"'},
    )
    assert saved.status_code == 200, saved.text
    version = saved.json()["version"]
    validated = http.post(
        f"/api/v1/statements/{statement_id}/validate",
        headers={**headers, "If-Match": f'"{version}"'},
    )
    assert validated.status_code == 200, validated.text
    http.post("/api/v1/auth/logout", headers=headers)


@pytest.fixture
def intervenant(world: World, http: TestClient) -> Intervenant:
    user = world.person()
    correction = world.statement(user, world.mission(start=dt.date(2026, 6, 15)))
    oral = world.statement(
        user,
        world.mission(
            MissionType.INTERROGATION, start=dt.date(2026, 6, 22), end=dt.date(2026, 6, 23)
        ),
    )
    future = world.statement(user, world.mission(start=dt.date(2026, 9, 10)))
    world.commit()
    validate(
        http,
        user,
        oral.id,
        {
            "days": [
                {"date": "2026-06-22", "candidates": {"AM": 8, "PM": 6}},
                {"date": "2026-06-23", "candidates": {"AM": 7}},
            ]
        },
    )
    return Intervenant(user=user, correction=correction, oral=oral, future=future)


def log_in_as(api: ImaginClient, user: User, password: str = PASSWORD) -> Tokens:
    return api.log_in(user.login, password, remember=False)
