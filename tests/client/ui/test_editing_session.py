"""The editing session of a statement on its own, without a widget, against the real server run
in-process: what the editor relies on when it loads, previews, saves and validates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.api import errors
from client.api.client import ImaginClient
from client.api.models import Entry, PayDay, Preview, Statement, Status
from client.drafts import DraftStore
from client.ui.errors import message_for
from client.ui.statement.session import EditingSession
from client.ui.tasks import TaskRunner
from server_stub.auth.models import User
from tests.server_stub.factories import World

pytest_plugins = ["tests.client.ui.statement_conftest"]

JUNE_15 = dt.date(2026, 6, 15)
WAIT = 5000

Connect = Callable[[User], ImaginClient]
Start = Callable[[ImaginClient, int], EditingSession]


def copies(count: int) -> Entry:
    return Entry(days=[PayDay(date=JUNE_15, copies=count)])


@pytest.fixture
def start(
    qapp: QApplication, qtbot: QtBot, runner: TaskRunner, drafts: DraftStore
) -> Iterator[Start]:
    """A session on a statement, loaded; no widget is made on the way."""
    widgets = len(qapp.allWidgets())
    sessions: list[EditingSession] = []

    def start(api: ImaginClient, statement_id: int) -> EditingSession:
        session = EditingSession(api, runner, drafts, statement_id)
        sessions.append(session)
        with qtbot.waitSignal(session.loaded, timeout=WAIT):
            session.load()
        return session

    yield start
    runner.wait_for_done()
    qtbot.wait(1)
    assert len(qapp.allWidgets()) == widgets, "the session made a widget"


def test_a_statement_without_a_draft_loads_as_the_server_holds_it(
    qtbot: QtBot, world: World, connect: Connect, runner: TaskRunner, drafts: DraftStore
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    session = EditingSession(connect(user), runner, drafts, statement.id)
    with qtbot.waitSignal(session.loaded, timeout=WAIT) as loaded:
        session.load()
    read, draft = loaded.args
    assert read.id == statement.id and draft is None
    assert session.statement == read and session.version == read.version
    assert session.editable and not session.dirty and not session.busy
    assert session.preview_pending is False, "the editor says when to preview"


def test_a_draft_the_server_does_not_have_is_handed_to_the_editor(
    qtbot: QtBot, world: World, connect: Connect, runner: TaskRunner, drafts: DraftStore
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    drafts.save(statement.id, 1, copies(99), 2)
    session = EditingSession(connect(user), runner, drafts, statement.id)
    with qtbot.waitSignal(session.loaded, timeout=WAIT) as loaded:
        session.load()
    _, draft = loaded.args
    assert draft is not None and draft.entry == copies(99) and draft.page == 2

    with qtbot.waitSignal(session.previewed, timeout=WAIT) as previewed:
        session.resume(draft, draft.entry)
    assert session.dirty and session.version == draft.base_version
    # 99 copies at 5 € (pay group 5): 495 €.
    assert previewed.args[0].computation.pay_total == Decimal("495.00")


def test_a_draft_equal_to_the_saved_entry_is_discarded_not_offered(
    qtbot: QtBot, world: World, connect: Connect, runner: TaskRunner, drafts: DraftStore
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    drafts.save(statement.id, 1, Entry(), 0)
    session = EditingSession(connect(user), runner, drafts, statement.id)
    with qtbot.waitSignal(session.loaded, timeout=WAIT) as loaded:
        session.load()
    assert loaded.args[1] is None
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=WAIT)


def test_edits_in_a_row_are_previewed_once_and_kept_in_the_draft(
    qtbot: QtBot, world: World, connect: Connect, start: Start, drafts: DraftStore
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    session = start(connect(user), statement.id)
    sent: list[None] = []
    answers: list[Preview] = []
    session.previewing.connect(lambda: sent.append(None))
    session.previewed.connect(answers.append)

    session.page = 1
    for count in (4, 40, 42):
        session.edited(copies(count))
    assert session.dirty and session.preview_pending
    qtbot.waitUntil(lambda: bool(answers), timeout=WAIT)
    qtbot.wait(session.PREVIEW_DELAY_MS + 200)
    assert len(sent) == 1 and len(answers) == 1
    # The last edit only: 42 copies at 5 € = 210 €.
    assert answers[0].computation.pay_total == Decimal("210.00")
    qtbot.waitUntil(lambda: (drafts.load(statement.id) or Entry()) != Entry(), timeout=WAIT)
    draft = drafts.load(statement.id)
    assert draft is not None and draft.entry == copies(42) and draft.page == 1


def test_a_value_the_server_cannot_take_is_not_previewed(
    qtbot: QtBot, world: World, connect: Connect, start: Start
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    session = start(connect(user), statement.id)
    session.previewing.connect(lambda: pytest.fail("sent"))
    with qtbot.waitSignal(session.preview_blocked, timeout=WAIT):
        session.edited(copies(3), computable=False)


def test_a_preview_the_server_cannot_answer_is_reported_and_the_edit_kept(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    start: Start,
    drafts: DraftStore,
    unreachable_http: object,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    session = start(api, statement.id)
    api.http = unreachable_http  # type: ignore[assignment]
    session.previewed.connect(lambda preview: pytest.fail("previewed"))
    with qtbot.waitSignal(session.preview_failed, timeout=WAIT) as failed:
        session.edited(copies(42))
    assert "injoignable" in message_for(failed.args[0])
    assert session.dirty, "what was typed stays unsaved"

    def draft_has_42() -> bool:
        draft = drafts.load(statement.id)
        return draft is not None and draft.entry == copies(42)

    qtbot.waitUntil(draft_has_42, timeout=WAIT)


def test_a_save_stores_the_entry_and_discards_the_draft(
    qtbot: QtBot, world: World, connect: Connect, start: Start, drafts: DraftStore
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    session = start(api, statement.id)
    before = session.version
    session.edited(copies(42))
    qtbot.waitUntil(lambda: drafts.load(statement.id) is not None, timeout=WAIT)

    with qtbot.waitSignal(session.saved, timeout=WAIT) as saved:
        session.save(copies(42))
        assert session.busy
    stored: Statement = saved.args[0]
    assert stored.entry == copies(42) and stored.version > before
    assert session.version == stored.version and session.base_entry == copies(42)
    assert not session.dirty and not session.busy and not session.preview_pending
    assert api.statement(statement.id).entry == copies(42)
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=WAIT)


@pytest.mark.parametrize("keep_mine", [True, False])
def test_a_stale_save_waits_for_the_persons_choice(
    qtbot: QtBot, world: World, connect: Connect, start: Start, keep_mine: bool
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    session = start(api, statement.id)
    elsewhere = connect(user)  # the same person on another computer
    elsewhere.save_statement(statement.id, session.version, copies(10))

    session.save_failed.connect(lambda error: pytest.fail(f"save failed: {error!r}"))
    session.edited(copies(42))
    with qtbot.waitSignal(session.stale, timeout=WAIT) as stale:
        session.save(copies(42))
    error = stale.args[0]
    assert isinstance(error, errors.StaleVersion) and error.current is not None
    assert session.dirty and not session.busy

    if keep_mine:
        session.keep_mine(error.current)
        assert session.version == error.current.version
        with qtbot.waitSignal(session.saved, timeout=WAIT):
            session.save(copies(42))
        assert api.statement(statement.id).entry == copies(42)
    else:
        with qtbot.waitSignal(session.replaced, timeout=WAIT) as replaced:
            session.take_theirs(error.current)
        assert replaced.args[0].entry == copies(10)
        assert session.base_entry == copies(10)
    assert not session.dirty


def test_unsaved_edits_are_validated_in_one_request(
    qtbot: QtBot,
    world: World,
    connect: Connect,
    start: Start,
    drafts: DraftStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission())
    api = connect(user)
    session = start(api, statement.id)
    calls: list[str] = []
    real = api.save_and_validate

    def save_and_validate(*args: Any, **kwargs: Any) -> Statement:
        calls.append("save_and_validate")
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "save_and_validate", save_and_validate)
    monkeypatch.setattr(api, "save_statement", lambda *_: pytest.fail("saved apart"))
    monkeypatch.setattr(api, "validate_statement", lambda *_, **__: pytest.fail("validated apart"))

    session.edited(copies(42))
    with qtbot.waitSignal(session.validated, timeout=WAIT) as validated:
        session.validate(copies(42), {"accurate": True, "no_overtime": True})
    assert calls == ["save_and_validate"]
    result: Statement = validated.args[0]
    assert result.status is Status.SUBMITTED and result.entry == copies(42)
    assert result.certification is not None and len(result.certification.texts) == 2
    assert not session.dirty and not session.editable and not session.preview_pending
    qtbot.waitUntil(lambda: drafts.load(statement.id) is None, timeout=WAIT)
