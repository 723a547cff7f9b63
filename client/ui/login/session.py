"""What every screen of a logged-in person shares, and the guard that notices a lost session.

`AppContext` is built once by `client.app` (or a test) and handed to the main window, which
hands it to each screen: the API client, the one `TaskRunner`, the settings and the local
folders. Nothing here reaches for a global.

`SessionGuard.wrap(api)` returns the API client every screen uses: any call that fails because
the session is over (expired and not renewable, revoked) also tells the guard, which the main
window listens to in order to go back to the log-in screen, whichever screen made the call.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from client.api.client import ImaginClient
    from client.api.models import Identity
    from client.drafts import DraftStore
    from client.settings import Settings
    from client.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

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


class LazyApi:
    """The API client, built at its first use (from any thread).

    httpx, its TLS set-up, the wire models and the keyring cost more than the rest of the
    start-up together, and the log-in window does not need them to appear: the application
    builds the client in the background right after the window shows.
    """

    def __init__(self, factory: Callable[[], ImaginClient]) -> None:
        self._factory = factory
        self._api: ImaginClient | None = None
        self._lock = threading.Lock()

    def get(self) -> ImaginClient:
        with self._lock:
            if self._api is None:
                self._api = self._factory()
            return self._api

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


def _open_with_system(url: QUrl) -> bool:
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(url)


class StartupSettings(NamedTuple):
    """What the log-in window needs from the settings to show itself.

    The application reads these few values straight from the settings file
    (`client.app.peek_settings`) and loads the typed, validated `Settings` in the background
    once the window is on screen: importing pydantic alone costs as much as the rest of the
    start-up.
    """

    server_url: str | None = None
    last_login: str | None = None
    remember: bool = False
    window_geometry: str | None = None
    help_visible: bool = True

    @classmethod
    def of(cls, settings: Settings) -> StartupSettings:
        return cls(
            server_url=settings.server_url,
            last_login=settings.last_login,
            remember=settings.remember,
            window_geometry=settings.window_geometry,
            help_visible=settings.help_visible,
        )


class AppContext:
    """The services of one running application.

    `settings` is the typed settings; when not given, it is loaded from `settings_path` at its
    first use (the application has it loaded in the background right after the window shows).
    `startup` is what the first window needs; by default it is read from `settings`.
    """

    def __init__(
        self,
        *,
        api: ImaginClient,
        runner: TaskRunner,
        settings: Settings | None = None,
        startup: StartupSettings | None = None,
        settings_loader: Callable[[], Settings] | None = None,
        settings_path: Path | None = None,
        data_folder: Path | None = None,
        log_path: Path | None = None,
        open_url: Callable[[QUrl], bool] = _open_with_system,
        demo: bool = False,
    ) -> None:
        self.runner = runner
        self.settings_path = settings_path  # None: the platform's config folder
        self.data_folder = data_folder  # None: the platform's data folder
        self.log_path = log_path
        # Opens a file or a web address with the system (a PDF viewer); replaced in tests.
        self.open_url = open_url
        # `imagin --demo`: a throw-away server on a random port, never remembered.
        self.demo = demo
        self.guard = SessionGuard()
        self.identity: Identity | None = None
        self._raw_api = api
        self.api = self.guard.wrap(api)
        self._settings = settings
        self._startup = startup
        self._settings_loader = settings_loader
        self._settings_lock = threading.Lock()
        self._retired: list[QWidget] = []
        self.runner.busy_changed.connect(self._on_busy_changed)

    # --- settings -------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        with self._settings_lock:
            if self._settings is None:
                if self._settings_loader is not None:
                    self._settings = self._settings_loader()
                else:
                    from client import settings as settings_io

                    self._settings = settings_io.load(self.settings_path)
            return self._settings

    @property
    def startup(self) -> StartupSettings:
        if self._startup is not None:
            return self._startup
        return StartupSettings.of(self.settings)

    def save_settings(self) -> None:
        """Writes the settings in the background (a disk write never blocks the interface)."""
        from client import settings as settings_io

        snapshot = self.settings.model_copy()
        path = self.settings_path
        self.runner.run(
            lambda: settings_io.save(snapshot, path),
            on_failure=lambda error: log.warning("settings not saved: %r", error),
            key="settings",
        )

    # --- screens that are gone -------------------------------------------------------------

    def retire(self, widget: QWidget) -> None:
        """Hides a screen that is no longer needed and deletes it once no background task
        can still answer to it (a late answer to a deleted widget would crash)."""
        widget.hide()
        self._retired.append(widget)
        if not self.runner.busy:
            self._bury()

    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self._bury()

    def _bury(self) -> None:
        retired, self._retired = self._retired, []
        for widget in retired:
            if shiboken6.isValid(widget):
                widget.deleteLater()

    # --- services -------------------------------------------------------------------------

    @property
    def raw_api(self) -> ImaginClient:
        """The client without the guard: for the log-in screen only."""
        return self._raw_api

    def data_path(self) -> Path:
        if self.data_folder is not None:
            return self.data_folder
        from client import settings as settings_io

        return settings_io.data_dir()

    def recaps_folder(self) -> Path:
        return self.data_path() / "recaps"

    def drafts(self) -> DraftStore:
        """The drafts of the person logged in, on this server."""
        from client.drafts import DraftStore, account_folder

        login = self.identity.login if self.identity is not None else "anonyme"
        folder = account_folder(self.api.server, login)
        return DraftStore(self.data_path() / "drafts" / folder.name)
