"""Background operations: typed answers, bound to their screen, one failure path."""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from client.api.errors import Conflict, SessionExpired
from client.ui.guard import SessionGuard
from client.ui.ops import Op
from client.ui.tasks import TaskRunner
from client.ui.widgets import MessageBar


@pytest.fixture
def guarded(runner: TaskRunner) -> SessionGuard:
    guard = SessionGuard()
    runner.guard = guard
    return guard


def test_the_answer_reaches_the_screen_on_the_gui_thread(qtbot: Any, runner: TaskRunner) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    answers: list[tuple[int, bool]] = []
    gui = threading.get_ident()

    Op(screen, lambda: 6 * 7).on_success(
        lambda n: answers.append((n, threading.get_ident() == gui))
    ).run(runner)

    qtbot.waitUntil(lambda: answers == [(42, True)])


def test_an_answer_to_a_screen_that_is_gone_is_dropped(qtbot: Any, runner: TaskRunner) -> None:
    screen = QWidget()
    release = threading.Event()
    answers: list[object] = []
    Op(screen, lambda: release.wait(10)).on_success(answers.append).run(runner)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not isValid(screen))
    release.set()
    runner.wait_for_done()
    qtbot.wait(50)
    assert answers == []


def test_a_newer_request_of_the_same_screen_supersedes_an_older_one(
    qtbot: Any, runner: TaskRunner
) -> None:
    screen, other = QWidget(), QWidget()
    qtbot.addWidget(screen)
    qtbot.addWidget(other)
    release = threading.Event()
    answers: list[str] = []

    def slow() -> str:
        release.wait(10)
        return "ancienne"

    Op(screen, slow, latest="list").on_success(answers.append).run(runner)
    Op(other, lambda: "autre écran", latest="list").on_success(answers.append).run(runner)
    Op(screen, lambda: "récente", latest="list").on_success(answers.append).run(runner)
    qtbot.waitUntil(lambda: len(answers) == 2)
    release.set()
    runner.wait_for_done()
    qtbot.wait(50)
    assert sorted(answers) == ["autre écran", "récente"]


def test_an_expected_failure_is_shown_in_french_and_not_logged_as_an_error(
    qtbot: Any, runner: TaskRunner, guarded: SessionGuard, caplog: Any
) -> None:
    screen = QWidget()
    bar = MessageBar(screen)
    qtbot.addWidget(screen)

    def refused() -> None:
        raise Conflict(detail="Cet état de frais a déjà été validé.")

    Op(screen, refused, bar=bar).run(runner)

    qtbot.waitUntil(lambda: bar.text == "Cet état de frais a déjà été validé.")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_lost_session_tells_the_guard(
    qtbot: Any, runner: TaskRunner, guarded: SessionGuard
) -> None:
    screen = QWidget()
    bar = MessageBar(screen)
    qtbot.addWidget(screen)

    def expired() -> None:
        raise SessionExpired()

    with qtbot.waitSignal(guarded.expired, timeout=5000):
        Op(screen, expired, bar=bar).run(runner)
    assert bar.text == "Votre session a expiré. Reconnectez-vous pour continuer."


def test_an_unexpected_failure_is_logged_with_its_traceback(
    qtbot: Any, runner: TaskRunner, caplog: Any, expected_errors: list[str]
) -> None:
    expected_errors.append("background call failed unexpectedly")
    screen = QWidget()
    bar = MessageBar(screen)
    qtbot.addWidget(screen)

    def broken() -> None:
        raise KeyError("montant")

    Op(screen, broken, bar=bar).run(runner)

    qtbot.waitUntil(lambda: bar.isVisibleTo(screen))
    assert "consignée dans le journal" in bar.text
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_the_screen_may_answer_a_failure_itself(qtbot: Any, runner: TaskRunner) -> None:
    screen = QWidget()
    bar = MessageBar(screen)
    qtbot.addWidget(screen)
    failures: list[BaseException] = []

    def unreachable() -> None:
        raise httpx.ConnectError("refused")

    Op(screen, unreachable, bar=bar).on_failure(failures.append).run(runner)

    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], httpx.ConnectError)
    assert not bar.isVisibleTo(screen)


def test_long_work_reports_its_progress(qtbot: Any, runner: TaskRunner) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    steps: list[tuple[int, int]] = []
    done: list[int] = []

    def work(task: Any) -> int:
        for n in range(3):
            task.progress(n + 1, 3)
        return 3

    Op.reporting(screen, work).on_progress(lambda d, t: steps.append((d, t))).on_success(
        done.append
    ).run(runner)

    qtbot.waitUntil(lambda: done == [3])
    qtbot.waitUntil(lambda: len(steps) == 3)
    assert steps == [(1, 3), (2, 3), (3, 3)]
