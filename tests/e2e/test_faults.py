"""Faults, for real: the server process killed (SIGKILL) in the middle of a bulk action, the
client process killed in the middle of an edit, the database out of reach for a while.

Each test uses the real parts: `imagin-server serve` (uvicorn) on 127.0.0.1, the real client
library and screens, SQLite files and the PostgreSQL of the machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from keyring.backends import null
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from client.api.client import ImaginClient, make_http
from client.api.dec import DecApi
from client.api.dec_models import StatementRef
from client.api.tokens import TokenStore
from client.drafts import DraftStore
from server_stub.core import database as database_module
from server_stub.core.database import make_engine, make_session_factory, ping_when_idle
from server_stub.core.migrate import upgrade
from server_stub.core.settings import Settings
from server_stub.dec.models import BulkOutcome
from server_stub.main import create_app
from server_stub.statements.models import AuditEntry, Statement, Status
from tests.e2e.conftest import SERVER_BIN, TODAY, free_port
from tests.server_stub.conftest import POSTGRES_URL
from tests.server_stub.dec.helpers import gestionnaire, many_submitted
from tests.server_stub.factories import PASSWORD, World

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


# --- a database of each kind, reachable from another process -------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """(URL for the server process, engine for the test) on an empty migrated database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'imagin.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        yield url, engine
        engine.dispose()
        return
    schema = f"imagin_fault_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = create_engine(url)
    upgrade(engine)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class ServerProcess:
    """`imagin-server serve` on 127.0.0.1, which a test may kill and start again."""

    def __init__(self, url: str, **settings: str) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "IMAGIN_DATABASE_URL": url,
            "IMAGIN_TODAY": TODAY.isoformat(),
            **{f"IMAGIN_{k.upper()}": v for k, v in settings.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(SERVER_BIN), "serve", "--port", str(self.port), "--log-level", "warning"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Patient: on a machine busy with other work, starting takes far longer than alone.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("the reference server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


# --- the server killed in the middle of a bulk action ------------------------------------


def test_a_bulk_action_cut_by_a_server_crash_is_completed_by_the_retry_exactly_once(
    shared_database: tuple[str, Engine],
) -> None:
    url, engine = shared_database
    session = make_session_factory(engine)()
    world = World(session)
    manager = gestionnaire(world)
    ids = many_submitted(world, 300)
    login = manager.login
    session.close()

    # Chunks of 10: 30 transactions, so that the kill lands between two of them.
    server = ServerProcess(url, bulk_chunk="10")
    server.start()
    api = DecApi(ImaginClient(make_http(server.url), TokenStore(backend=null.Keyring())))
    waits: list[float] = []
    over = threading.Event()

    def wait_then_restart(seconds: float) -> None:
        # The client waits before its next try: the operator (here, the test) restarts the
        # server meanwhile, as systemd would.
        waits.append(seconds)
        if server.process is None and not over.is_set():
            server.start()
        time.sleep(min(seconds, 0.2))

    answer: dict[str, Any] = {}
    try:
        api.client.log_in(login, PASSWORD, remember=False)
        api.sleep = wait_then_restart  # type: ignore[method-assign]
        worker = threading.Thread(
            target=lambda: answer.update(result=api.approve([StatementRef(id=i) for i in ids]))
        )
        worker.start()
        outcomes = 0
        deadline = time.monotonic() + 60
        while not 0 < outcomes < len(ids) and time.monotonic() < deadline:
            with engine.connect() as connection:
                outcomes = connection.scalar(select(func.count()).select_from(BulkOutcome)) or 0
        assert 0 < outcomes < len(ids), "the action was not caught in the middle"
        server.kill()
        with engine.connect() as connection:
            applied = connection.scalar(
                select(func.count()).where(Statement.id.in_(ids), Statement.status == "APPROVED")
            )
        assert 0 < applied < len(ids)  # part done, committed chunk by chunk
        worker.join(timeout=120)
    finally:
        over.set()
        server.stop()
        api.client.http.close()

    result = answer["result"]
    assert waits, "the client tried again after the crash"
    assert (result.done, result.failed) == (len(ids), 0)
    assert [r.id for r in result.results] == ids
    with Session(engine) as check:
        statuses = Counter(check.scalars(select(Statement.status).where(Statement.id.in_(ids))))
        assert statuses == Counter({Status.APPROVED: len(ids)})
        audits = Counter(
            check.scalars(select(AuditEntry.statement_id).where(AuditEntry.action == "APPROVE"))
        )
        assert audits == Counter(dict.fromkeys(ids, 1))
        versions = set(check.scalars(select(Statement.version).where(Statement.id.in_(ids))))
        assert versions == {2}  # moved once: one version more than when issued


# --- the client killed in the middle of an edit -------------------------------------------

_EDITING_CLIENT = textwrap.dedent(
    """
    import datetime as dt
    import sys
    import time
    from pathlib import Path

    from keyring.backends import null
    from PySide6.QtWidgets import QApplication

    from client.api.client import ImaginClient, make_http
    from client.api.tokens import TokenStore
    from client.drafts import DraftStore
    from client.ui.statement.editor import StatementEditor
    from client.ui.statement.service import ServicePage
    from client.ui.statement.steps import Step
    from client.ui.tasks import TaskRunner

    server, login, password, statement_id, folder = sys.argv[1:6]
    app = QApplication([])
    api = ImaginClient(make_http(server), TokenStore(backend=null.Keyring()))
    api.log_in(login, password, remember=False)
    drafts = DraftStore(Path(folder))
    editor = StatementEditor(api, TaskRunner(), drafts, int(statement_id))
    editor.show()
    while editor.statement is None:
        app.processEvents()
        time.sleep(0.01)
    page = editor.page(Step.SERVICE)
    assert isinstance(page, ServicePage)
    page.inputs_of(dt.date(2026, 6, 15))["copies"].setValue(42)
    while True:  # typed; the draft is written as the person types, nothing saved yet
        app.processEvents()
        draft = drafts.load(int(statement_id))
        if draft is not None and [d.copies for d in draft.entry.days] == [42]:
            print("TYPED", flush=True)
        time.sleep(0.01)
    """
)


def test_a_client_killed_in_the_middle_of_an_edit_gets_its_draft_back(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from client.ui.statement import dialogs
    from client.ui.statement.editor import StatementEditor
    from client.ui.statement.service import ServicePage
    from client.ui.statement.steps import Step
    from client.ui.tasks import TaskRunner

    url = f"sqlite:///{tmp_path / 'imagin.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    session = make_session_factory(engine)()
    world = World(session)
    user = world.person()
    statement = world.statement(user, world.mission())
    login, statement_id = user.login, statement.id
    session.close()
    server = ServerProcess(url)
    server.start()
    folder = tmp_path / "drafts"
    script = tmp_path / "editing_client.py"
    script.write_text(_EDITING_CLIENT, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), server.url, login, PASSWORD, str(statement_id), str(folder)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"TYPED"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)

        # The next start: the editor offers what was typed, back in its field.
        offered: list[object] = []
        monkeypatch.setattr(dialogs, "ask_resume", lambda _, at: offered.append(at) or True)
        api = ImaginClient(make_http(server.url), TokenStore(backend=null.Keyring()))
        api.log_in(login, PASSWORD, remember=False)
        runner = TaskRunner()
        editor = StatementEditor(api, runner, DraftStore(folder), statement_id)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.statement is not None, timeout=10_000)
        page = editor.page(Step.SERVICE)
        assert isinstance(page, ServicePage)
        assert len(offered) == 1
        assert page.inputs_of(TODAY.replace(month=6, day=15))["copies"].value() == 42
        assert editor.has_unsaved_changes()
        runner.wait_for_done()
        api.http.close()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
        server.stop()
        engine.dispose()


# --- the database out of reach ------------------------------------------------------------


class Proxy:
    """A TCP relay to PostgreSQL that the test can cut (every connection dropped, none
    accepted) and restore on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, []
        if listener is not None:
            # Wakes the thread blocked in accept(): closing alone would leave it listening.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _health_and_me(client: TestClient, headers: dict[str, str]) -> list[int]:
    return [
        client.get("/api/v1/health").status_code,
        client.get("/api/v1/me", headers=headers).status_code,
    ]


def test_postgresql_out_of_reach_is_a_clear_503_and_recovers_without_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = f"imagin_fault_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    direct = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(direct)
    proxy = Proxy(("127.0.0.1", direct.url.port or 5432))
    proxy.open()
    relayed = direct.url.set(host="127.0.0.1", port=proxy.port)
    engine = ping_when_idle(  # as make_engine does
        create_engine(
            relayed, connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 2}
        )
    )
    try:
        with Session(direct) as session:
            user = World(session).person()
            session.commit()
            login = user.login
        settings = Settings(database_url="unused://", today=TODAY)
        with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
            token = client.post(
                "/api/v1/auth/login", json={"login": login, "password": PASSWORD}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert _health_and_me(client, headers) == [200, 200]

            proxy.close()
            for _ in range(3):
                response = client.get("/api/v1/me", headers=headers)
                assert response.status_code == 503
                assert response.json() == {
                    "type": "database_unavailable",
                    "detail": "La base de données d'IMAG'IN est momentanément inaccessible : "
                    "rien n'a été enregistré. Réessayez dans quelques instants.",
                    "fields": {},
                }
                assert response.headers["Retry-After"] == "5"

            proxy.open()
            assert _health_and_me(client, headers) == [200, 200]

            # Cut while idle long enough: each connection is asked first, and replaced.
            monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
            proxy.close()
            proxy.open()
            assert _health_and_me(client, headers) == [200, 200]
    finally:
        proxy.close()
        engine.dispose()
        direct.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_sqlite_locked_by_another_process_is_a_clear_503_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SQLite file cannot be cut off like a network database; what makes it unusable in
    production is another process holding its write lock past the busy timeout."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_SECONDS", 1)
    path = tmp_path / "imagin.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        login = World(session).person().login
        session.commit()
    settings = Settings(database_url="unused://", today=TODAY)
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            refused = client.post("/api/v1/auth/login", json={"login": login, "password": "x"})
            assert refused.status_code == 503
            assert refused.json()["type"] == "database_unavailable"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        answer = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
        assert answer.status_code == 200
    engine.dispose()
