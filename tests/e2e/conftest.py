"""End to end: the real reference server as a child process on 127.0.0.1, and the real client.

The data is written to the server's SQLite file by the same factories the server tests use,
before or while the server runs (WAL lets both processes share it). Nothing is in-process:
the client reaches the server through a real `httpx.Client` over TCP.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.api.client import ImaginClient, make_http
from client.api.tokens import TokenStore
from client.settings import Settings as ClientSettings
from client.ui.context import AppContext
from client.ui.main_window import MainWindow
from client.ui.statement import dialogs
from client.ui.tasks import TaskRunner
from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from tests.fixtures import MemoryKeyring, Opened
from tests.server_stub.factories import World

TODAY = dt.date(2026, 7, 1)
SERVER_BIN = Path(sys.executable).parent / "imagin-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """`imagin-server serve` on 127.0.0.1, which a test may stop and start again."""

    database: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "IMAGIN_DATABASE_URL": f"sqlite:///{self.database}",
            "IMAGIN_TODAY": TODAY.isoformat(),
        }
        # Its output beside its database, to read when a test meets a server error.
        with (self.database.parent / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(SERVER_BIN), "serve", "--port", str(self.port), "--log-level", "warning"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the reference server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Path, Engine]]:
    path = tmp_path / "imagin.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield path, engine
    engine.dispose()


@pytest.fixture
def world(database: tuple[Path, Engine]) -> Iterator[World]:
    session: Session = make_session_factory(database[1])()
    try:
        yield World(session)
    finally:
        session.close()


@pytest.fixture
def server(database: tuple[Path, Engine]) -> Iterator[LiveServer]:
    live = LiveServer(database[0], free_port())
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(autouse=True)
def applications_look(the_applications_look: None) -> None:
    """The screens as people see them (tests/fixtures.py)."""


@pytest.fixture(autouse=True)
def keyring_in_memory(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


@pytest.fixture(autouse=True)
def errors_are_announced(no_unexpected_errors: None) -> None:
    """An unexpected failure the application only logs fails the test (tests/fixtures.py)."""


@pytest.fixture
def app(
    qtbot: Any, qapp: Any, server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The application's main window, talking to the live server over TCP. At the end, an
    entry left unsaved is left as a person would close the window: its draft stays."""
    runner = TaskRunner()
    api = ImaginClient(make_http(server.url), TokenStore())
    ctx = AppContext(
        api=api,
        runner=runner,
        settings=ClientSettings(server_url=server.url),
        settings_path=tmp_path / "settings.json",
        data_folder=tmp_path / "data",
        log_path=tmp_path / "imagin.log",
        open_url=Opened(),
    )
    window = MainWindow(ctx)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.login_shown):
        window.show()
    yield window
    monkeypatch.setattr(dialogs, "ask_close", lambda parent: dialogs.CloseChoice.DISCARD)
    window.close()
    window.deleteLater()
    runner.wait_for_done()
    qapp.sendPostedEvents()
    qapp.processEvents()
    api.http.close()
