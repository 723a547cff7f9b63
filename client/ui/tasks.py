"""The worker threads under `client.ui.ops`: no network or disk call ever runs on the GUI thread.

Screens do not call the runner themselves: they build an `Op` (`client.ui.ops`), which owns
the parent's lifetime and the failure path, and hand it the application's one runner.

The function runs on a worker thread; its result or exception comes back on the GUI thread
through a queued signal. A newer task with the same `key` supersedes an older one: the older
result is dropped, so a slow answer never overwrites a fresh one. Cancellation is cooperative:
`Task.cancelled` is checked by long work and results of cancelled tasks are dropped.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from client.ui.guard import SessionGuard

log = logging.getLogger(__name__)
_numbers = itertools.count(1)


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit through it (queued connections)."""

    finished = Signal(int, object, object)  # task number, result, error
    progressed = Signal(object, int, int)  # task, done, total


class Task:
    def __init__(
        self,
        fn: Callable[[Task], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int], None] | None,
        key: str | None,
    ) -> None:
        self.fn = fn
        self.on_success = on_success
        self.on_failure = on_failure
        self.on_progress = on_progress
        self.key = key
        self._cancelled = threading.Event()
        self.relay: _Relay | None = None
        self.number = next(_numbers)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, done: int, total: int) -> None:
        """Called from the worker: reports progress to the GUI thread."""
        if self.relay is not None:
            self.relay.progressed.emit(self, done, total)


class _Runnable(QRunnable):
    def __init__(self, task: Task, relay: _Relay) -> None:
        super().__init__()
        self.task: Task | None = task
        self.relay = relay

    def run(self) -> None:
        # The worker lets go of the task before it signals: the task's callbacks reach widgets,
        # and a widget whose last reference dies on a worker thread is destroyed there, which
        # crashes Qt. The GUI thread keeps the task until it has handled the result.
        task, self.task = self.task, None
        assert task is not None
        number = task.number
        try:
            outcome: tuple[Any, BaseException | None] = (task.fn(task), None)
        except BaseException as error:  # delivered to the GUI thread, never lost
            outcome = (None, error)
        del task
        self.relay.finished.emit(number, *outcome)


class TaskRunner(QObject):
    """Signals:
    busy_changed(bool): whether any task is running (for a busy indicator).
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool(self)
        self._pool.setMaxThreadCount(max(2, self._pool.maxThreadCount()))
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.progressed.connect(self._on_progress)
        self._latest: dict[str, Task] = {}
        self._running: dict[int, Task] = {}
        # Told of every failure first (set by the application's context): a lost session.
        self.guard: SessionGuard | None = None

    def start(
        self,
        fn: Callable[[Task], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        key: str | None = None,
    ) -> Task:
        """Runs `fn(task)` on a worker; for `client.ui.ops.Op`, which types and guards it."""
        task = Task(fn, on_success, on_failure, on_progress, key)
        task.relay = self._relay
        if key is not None:
            self._latest[key] = task
        was_idle = not self._running
        self._running[task.number] = task
        if was_idle:
            self.busy_changed.emit(True)
        self._pool.start(_Runnable(task, self._relay))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Blocks until the pool is idle (application exit, tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object, object)
    def _on_finished(self, number: int, result: Any, error: BaseException | None) -> None:
        task = self._running.pop(number)
        if not self._running:
            self.busy_changed.emit(False)
        superseded = task.key is not None and self._latest.get(task.key) is not task
        if task.key is not None and not superseded:
            del self._latest[task.key]
        if superseded or task.cancelled:
            return
        if error is None:
            if task.on_success is not None:
                task.on_success(result)
        elif task.on_failure is not None:
            task.on_failure(error)
        else:
            log.error("background task failed", exc_info=error)

    @Slot(object, int, int)
    def _on_progress(self, task: Task, done: int, total: int) -> None:
        if task.on_progress is not None and not task.cancelled:
            task.on_progress(done, total)
