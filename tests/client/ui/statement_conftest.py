"""Fixtures of the statement editor and help tests, on top of `tests/client/ui/conftest.py`
(the real server in-process on a temporary SQLite database: `world`, `http`, `runner`,
`opened`): an API client logged in as someone, a drafts folder, an unreachable server, and
the editor opened on a statement.

Test modules load this file with `pytest_plugins = ["tests.client.ui.statement_conftest"]`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from keyring.backends import null
from pytestqt.qtbot import QtBot

from client.api.client import ImaginClient
from client.api.tokens import TokenStore
from client.drafts import DraftStore
from client.ui.statement.editor import StatementEditor
from client.ui.tasks import TaskRunner
from server_stub.auth.models import User
from tests.server_stub.factories import PASSWORD


@pytest.fixture
def connect(http: TestClient) -> Callable[[User], ImaginClient]:
    """An API client logged in as `user`, through the in-process server."""

    def connect(user: User) -> ImaginClient:
        api = ImaginClient(http, TokenStore(backend=null.Keyring()))
        api.log_in(user.login, PASSWORD, remember=False)
        return api

    return connect


@pytest.fixture
def drafts(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts" / "account")


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on: the server is "unreachable" there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable_http(closed_port: int) -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=f"http://127.0.0.1:{closed_port}", timeout=2.0)
    yield client
    client.close()


@pytest.fixture
def open_editor(
    qtbot: QtBot, runner: TaskRunner, drafts: DraftStore, tmp_path: Path, opened: Any
) -> Iterator[Callable[..., StatementEditor]]:
    """Opens the editor of a statement and waits until it shows it."""

    def open_editor(api: ImaginClient, statement_id: int) -> StatementEditor:
        editor = StatementEditor(
            api,
            runner,
            drafts,
            statement_id,
            recaps_folder=tmp_path / "recaps",
            open_url=opened,
        )
        qtbot.addWidget(editor)
        editor.resize(1100, 800)
        editor.show()
        qtbot.waitUntil(lambda: editor.statement is not None)
        return editor

    yield open_editor
    # Deliver what the workers finished, so that no result arrives during the next test.
    runner.wait_for_done()
    qtbot.wait(1)
