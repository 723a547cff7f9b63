"""Background operations that own their outcome: the one way a screen calls the network or disk.

    Op(self, lambda: api.statement(42), bar=self.bar, latest="statement")
        .on_success(self._show)
        .run(self.ctx.runner)

An `Op[T]` runs its work on a worker thread (`client.ui.tasks`) and hands the `T` it returns to
`on_success` on the GUI thread. It is bound to a parent `QObject`, usually the screen that asked:
once the parent is destroyed, the answer is dropped instead of reaching a deleted widget.
`latest` names a kind of request of that parent: a newer one supersedes an older one still
running, whose answer is then dropped (a slow answer never overwrites a fresh one).

Failure has one default path, so no screen writes its own:

1. the session guard hears of it (a lost session sends the main window back to log-in);
2. the message bar given as `bar` shows the French sentence of `client.ui.errors`, unless the
   screen handles the failure itself with `on_failure`;
3. an exception nobody expects (anything but an API, network or file error) is logged with its
   traceback, as the message promises the user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from shiboken6 import isValid

from client.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)

T = TypeVar("T")
U = TypeVar("U")


def expected(error: BaseException) -> bool:
    """Whether `error` is a failure the application plans for: the server's refusal or
    absence, a network error, a file that could not be written."""
    import httpx

    from client.api.errors import ApiError

    return isinstance(error, ApiError | httpx.HTTPError | OSError)


class Op(Generic[T]):
    """One background call bound to `parent`; see the module's docstring."""

    def __init__(
        self,
        parent: QObject,
        work: Callable[[], T],
        *,
        bar: MessageBar | None = None,
        latest: str | None = None,
    ) -> None:
        self._init(parent, lambda _task: work(), bar, latest)

    @staticmethod
    def reporting(
        parent: QObject,
        work: Callable[[Task], U],
        *,
        bar: MessageBar | None = None,
        latest: str | None = None,
    ) -> Op[U]:
        """An operation for long work: `work` gets its `Task`, reports progress through
        `task.progress(done, total)` and checks `task.cancelled`."""
        op: Op[U] = Op.__new__(Op)
        op._init(parent, work, bar, latest)
        return op

    def _init(
        self,
        parent: QObject,
        work: Callable[[Task], T],
        bar: MessageBar | None,
        latest: str | None,
    ) -> None:
        self._parent = parent
        self._work = work
        self._bar = bar
        self._latest = latest
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._progress: Callable[[int, int], object] | None = None

    def on_success(self, handler: Callable[[T], object]) -> Op[T]:
        self._success = handler
        return self

    def on_failure(self, handler: Callable[[BaseException], object]) -> Op[T]:
        """The screen's own answer to a failure, instead of the message bar (the session
        guard and the log of unexpected errors still apply)."""
        self._failure = handler
        return self

    def on_progress(self, handler: Callable[[int, int], object]) -> Op[T]:
        self._progress = handler
        return self

    def run(self, runner: TaskRunner) -> Task:
        """Starts the work; the returned task may be cancelled."""
        key = None if self._latest is None else f"{self._latest}@{id(self._parent):x}"
        return runner.start(
            self._work,
            on_success=self._succeeded,
            on_failure=lambda error: self._failed(runner, error),
            on_progress=self._progressed if self._progress is not None else None,
            key=key,
        )

    # --- on the GUI thread ----------------------------------------------------------------

    def _alive(self) -> bool:
        return isValid(self._parent)

    def _succeeded(self, result: T) -> None:
        if self._success is not None and self._alive():
            self._success(result)

    def _progressed(self, done: int, total: int) -> None:
        if self._progress is not None and self._alive():
            self._progress(done, total)

    def _failed(self, runner: TaskRunner, error: BaseException) -> None:
        lost = runner.guard is not None and runner.guard.check(error)
        if self._alive():
            if self._failure is not None:
                self._failure(error)
            elif self._bar is not None and isValid(self._bar):
                from client.ui.errors import message_for

                self._bar.error(message_for(error))
        if lost:
            log.info("session lost during a background call: %r", error)
        elif expected(error):
            log.info("background call failed: %r", error)
        else:
            log.error("background call failed unexpectedly", exc_info=error)
