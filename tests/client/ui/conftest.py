"""The interface tests run against the real reference server, in-process.

`server_stub.main.create_app` on a temporary SQLite database (schema by Alembic), today fixed
at 1 July 2026, reached through FastAPI's `TestClient`, which is an `httpx.Client`: the client
code under test is exactly the application's. The keyring is an in-memory one, and every folder
the application writes to (settings, drafts, recaps, logs) lives in the test's tmp_path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.api.client import ImaginClient
from client.api.models import Tokens
from client.api.tokens import TokenStore
from client.settings import Settings as ClientSettings
from client.ui.context import AppContext
from client.ui.tasks import TaskRunner
from server_stub.auth.models import User
from server_stub.core.settings import Settings
from server_stub.main import create_app
from server_stub.rules.model import MissionType
from server_stub.statements.models import Statement
from tests.fixtures import MemoryKeyring, Opened
from tests.server_stub.conftest import NIR_KEY
from tests.server_stub.factories import PASSWORD, World, log_in

TODAY = dt.date(2026, 7, 1)
SERVER = "https://testserver"


@pytest.fixture
def server_settings() -> Settings:
    return Settings(database_url="unused://", today=TODAY, nir_key=NIR_KEY)


@pytest.fixture
def http(engine: Engine, db: Session, server_settings: Settings) -> Iterator[TestClient]:
    app = create_app(server_settings, engine)
    with TestClient(app, base_url=SERVER, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(autouse=True)
def applications_look(the_applications_look: None) -> None:
    """The screens as people see them (tests/fixtures.py)."""


@pytest.fixture(autouse=True)
def no_session_rates() -> Iterator[None]:
    """The help's rates of one test's session do not leak into the next."""
    from client.ui.help import rates

    rates.set_current(None)
    yield
    rates.set_current(None)


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
    # Their timers (an editor's preview, a list's refresh) must not fire in the next test,
    # with this test's server gone.
    for widget in widgets:
        with contextlib.suppress(RuntimeError):  # already deleted by Qt
            for timer in widget.findChildren(QTimer):
                timer.stop()
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
        json={"accurate": True, "no_overtime": True},
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


def pay_in_a_batch(
    http: TestClient, world: World, statements: list[Statement], manager: User | None = None
) -> dt.date:
    """The statements validated by the DEC, sent to payment in a real batch, and that batch
    marked paid today; the payment date."""
    from sqlalchemy import update

    from server_stub.auth.models import Role
    from server_stub.statements.models import Status

    world.db.execute(
        update(Statement)
        .where(Statement.id.in_([s.id for s in statements]))
        .values(status=Status.APPROVED)
    )
    if manager is None:
        manager = world.person("Paule", "Caissière", role=Role.GESTIONNAIRE, fiscal_power=None)
    world.commit()
    headers = log_in(http, manager)
    created = http.post("/api/v1/dec/payment-batches", json={}, headers=headers)
    assert created.status_code == 201, created.text
    batch = created.json()["batch"]
    paid_on = dt.date.today()
    paid = http.post(
        f"/api/v1/dec/payment-batches/{batch['id']}/paid",
        json={"paid_on": str(paid_on)},
        headers=headers,
    )
    assert paid.status_code == 200, paid.text
    http.post("/api/v1/auth/logout", headers=headers)
    return paid_on
