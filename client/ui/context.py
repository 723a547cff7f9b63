"""What every screen of a logged-in person shares: `AppContext`.

`AppContext` is built once by `client.ui.application` (or a test) and handed to the main window,
which hands it to each screen: the API client (behind the session guard), the one `TaskRunner`,
the settings and the local folders. Nothing here reaches for a global.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget

from client.startup import StartupSettings
from client.ui.first_screen import Prefetched
from client.ui.guard import SessionGuard

if TYPE_CHECKING:
    from client.api.client import ImaginClient
    from client.api.models import Identity
    from client.drafts import DraftStore
    from client.settings import Settings
    from client.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


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
        # The first screen's data, fetched with the log-in (client.ui.first_screen).
        self.prefetched = Prefetched()
        self._raw_api = api
        self.api = self.guard.wrap(api)
        self._settings = settings
        self._startup = startup
        self._settings_loader = settings_loader
        self._settings_lock = threading.Lock()
        self._retired: list[QWidget] = []
        self.runner.guard = self.guard
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
        from client.ui.ops import Op

        snapshot = self.settings.model_copy()
        path = self.settings_path
        Op(self.guard, lambda: settings_io.save(snapshot, path), latest="settings").on_failure(
            lambda error: log.warning("settings not saved: %r", error)
        ).run(self.runner)

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
