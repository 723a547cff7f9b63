"""The guard that notices a lost session, whichever screen made the call.

`SessionGuard.wrap(api)` returns the API client every screen uses: any call that fails because
the session is over (expired and not renewable, revoked) also tells the guard, which the main
window listens to in order to go back to the log-in screen. `client.ui.ops` tells it of every
failed background call too.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from client.api.client import ImaginClient

# Calls whose failure is the log-in screen's own business, not a lost session.
_UNGUARDED = frozenset({"log_in", "refresh", "log_out", "tokens", "http", "server"})


class SessionGuard(QObject):
    """Signals:
    expired(str): the session is over; the French sentence says so. Always emitted on the
        thread the guard lives in (the GUI thread), whichever thread noticed it.
    """

    expired = Signal(str)
    _noticed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even when noticed on the GUI thread: listeners never run on a worker.
        self._noticed.connect(self.expired, Qt.ConnectionType.QueuedConnection)

    def check(self, error: BaseException) -> bool:
        """Whether `error` means the session is over (and says so through `expired`)."""
        from client.api.errors import NotAuthenticated, SessionExpired, WrongCredentials

        lost = isinstance(error, SessionExpired) or (
            isinstance(error, NotAuthenticated) and not isinstance(error, WrongCredentials)
        )
        if lost:
            self._noticed.emit(str(getattr(error, "detail", "")))
        return lost

    def wrap(self, api: ImaginClient) -> ImaginClient:
        return cast("ImaginClient", _GuardedApi(api, self))


class _GuardedApi:
    """Forwards everything to the real client; reports a lost session before re-raising."""

    def __init__(self, api: ImaginClient, guard: SessionGuard) -> None:
        self._api = api
        self._guard = guard

    @property
    def unguarded(self) -> ImaginClient:
        return self._api

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._api, name)
        if name in _UNGUARDED or name.startswith("_") or not callable(value):
            return value

        @wraps(value)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return value(*args, **kwargs)
            except Exception as error:
                self._guard.check(error)
                raise

        return guarded
