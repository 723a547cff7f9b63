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
import keyring
import pytest
from PySide6.QtCore import QUrl
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.api.client import ImaginClient, make_http
from client.api.tokens import TokenStore
from client.settings import Settings as ClientSettings
from client.ui.login.session import AppContext
from client.ui.main_window import MainWindow
from client.ui.tasks import TaskRunner
from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from tests.client.ui.conftest import MemoryKeyring
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
        self.process = subprocess.Popen(
            [str(SERVER_BIN), "serve", "--port", str(self.port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
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
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@dataclass
class Opened:
    urls: list[QUrl]

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url)
        return True


@pytest.fixture
def app(qtbot: Any, qapp: Any, server: LiveServer, tmp_path: Path) -> Iterator[MainWindow]:
    """The application's main window, talking to the live server over TCP."""
    runner = TaskRunner()
    api = ImaginClient(make_http(server.url), TokenStore())
    ctx = AppContext(
        api=api,
        runner=runner,
        settings=ClientSettings(server_url=server.url),
        settings_path=tmp_path / "settings.json",
        data_folder=tmp_path / "data",
        log_path=tmp_path / "imagin.log",
        open_url=Opened([]),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.login_shown):
        window.show()
    yield window
    runner.wait_for_done()
    qapp.sendPostedEvents()
    qapp.processEvents()
    api.http.close()
