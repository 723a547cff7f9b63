"""The fixtures every family of tests shares, in one plugin (`pytest_plugins` in
tests/conftest.py) instead of a copy per conftest.

- `own_folders` (every test): platformdirs follows the XDG variables, so nothing is written to
  the real home folder.
- `memory_keyring`: the process-wide keyring replaced by an empty in-memory one.
- `engine`, `db`, `world`: a migrated SQLite database for the client's tests, emptied after
  each test (the server's tests override them with both databases).
- `opened`: records what the application asked the system to open, instead of opening it.
- `no_unexpected_errors` (every test of the client and end to end, by their conftests): a test
  fails when something logged an error it did not announce in `expected_errors`.
- `the_applications_look` (every test of the client's screens and end to end, by their
  conftests): the style and style sheet the application sets at start-up, once for the run.
- `no_unanswered_dialogs` (every test): a modal dialog the test did not answer (by replacing the
  function that asks) fails the test at once instead of waiting forever for a click.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from server_stub.models import Base
from tests.server_stub.factories import World


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything at the end of the test."""

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
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "imagin.sqlite3"
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


@dataclass
class Opened:
    """What the application asked the system to open (PDFs)."""

    urls: list[QUrl] = field(default_factory=list)
    viewer: bool = True  # False: no application could open anything (a bare desktop)

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url)
        return self.viewer


@pytest.fixture
def opened() -> Opened:
    return Opened()


@pytest.fixture
def expected_errors() -> list[str]:
    """Parts of the error messages the test provokes on purpose."""
    return []


@pytest.fixture
def no_unexpected_errors(
    caplog: pytest.LogCaptureFixture, expected_errors: list[str]
) -> Iterator[None]:
    yield
    unexpected = [
        record
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if record.levelno >= logging.ERROR
        and not any(part in record.getMessage() for part in expected_errors)
    ]
    if unexpected:
        pytest.fail(
            "unexpected errors logged:\n"
            + "\n".join(f"{r.name}: {r.getMessage()}" for r in unexpected),
            pytrace=False,
        )


class UnansweredDialog(AssertionError):
    """A modal dialog opened that no one in the test would ever answer."""


def _refuse(kind: str):  # type: ignore[no-untyped-def]
    def refuse(*args: object, **kwargs: object) -> object:
        words = [a.windowTitle() if isinstance(a, QDialog) else a for a in args]
        texts = [w for w in words if isinstance(w, str) and w]
        raise UnansweredDialog(f"{kind} opened without an answer: {' / '.join(texts)}")

    return refuse


@pytest.fixture(autouse=True)
def no_unanswered_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    for owner, names in (
        (QDialog, ("exec",)),
        (QMessageBox, ("exec", "question", "warning", "information", "critical")),
        (QFileDialog, ("exec", "getOpenFileName", "getOpenFileNames", "getSaveFileName")),
        (QInputDialog, ("exec", "getText", "getInt", "getItem")),
    ):
        for name in names:
            monkeypatch.setattr(owner, name, _refuse(f"{owner.__name__}.{name}"))


@pytest.fixture(scope="session")
def the_applications_look(qapp: QApplication) -> None:
    """Set once, before the first window, and kept: changing the style under living widgets
    is not something the application ever does."""
    from client.ui import app_style

    app_style.apply(qapp)
