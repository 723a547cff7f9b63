"""`imagin`: the desktop application's entry point.

    imagin                          the server remembered (or http://127.0.0.1:8000)
    imagin --server https://imagin.ac-amiens.fr
    imagin --demo                   a reference server with demonstration data, for trying out

Qt-free, like everything outside `client/ui`: this module reads the arguments, sets up logging
to a rotating file and the crash handler, reads what the log-in window needs from the settings,
then hands over to `client.ui.main_window.run`, which owns the Qt side (the application object,
French, Qt's messages, the crash dialog, the window).

Start-up is kept lean: only what the log-in screen needs is imported before it shows; the typed
settings (pydantic), the HTTP client (httpx, TLS), the keyring, the screens behind the log-in,
reportlab and Babel come afterwards or when first used. `IMAGIN_STARTUP_PROBE=1` makes the
application report when the log-in window is first shown, then quit (bench/client_startup.py).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from client.ui.login.session import StartupSettings

log = logging.getLogger(__name__)

LOG_FILE = "imagin.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
PROBE_ENV = "IMAGIN_STARTUP_PROBE"
PROBE_MARKER = "IMAGIN_STARTUP_PROBE"
# The application's folder name, as `client.settings.APP` names it (a test keeps them equal):
# `client.settings` imports pydantic, which would double the time to the log-in window.
APP_FOLDER = "imagin"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="imagin",
        description="IMAG'IN : indemnités et frais de déplacement des jurys d'examens.",
    )
    parser.add_argument("--server", metavar="URL", help="adresse du serveur IMAG'IN")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="démarrer un serveur de démonstration local et afficher ses comptes",
    )
    # Qt's own options (-style, -platform...) pass through to QApplication.
    args, _unknown = parser.parse_known_args(argv)
    return args


# --- what is read before the window shows --------------------------------------------------


def settings_file() -> Path:
    """Where `client.settings` keeps the settings (its `settings_path()`)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_FOLDER, appauthor=False)) / "settings.json"


def default_log_folder() -> Path:
    """`client.settings.log_dir()`, without importing pydantic."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_FOLDER, appauthor=False, ensure_exists=True))


def peek_settings(path: Path | None = None) -> StartupSettings:
    """The few values the log-in window needs, read straight from the settings file.

    Anything missing or of the wrong type gives the default, as `client.settings.load` does;
    the typed settings are loaded in the background once the window shows.
    """
    import json

    from client.ui.login.session import StartupSettings

    try:
        data = json.loads((path or settings_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StartupSettings()
    if not isinstance(data, dict):
        return StartupSettings()

    def text(name: str) -> str | None:
        value = data.get(name)
        return value.strip() or None if isinstance(value, str) else None

    def flag(name: str, default: bool) -> bool:
        value = data.get(name)
        return value if isinstance(value, bool) else default

    server = text("server_url")
    return StartupSettings(
        server_url=server.rstrip("/") or None if server else None,
        last_login=text("last_login"),
        remember=flag("remember", False),
        window_geometry=text("window_geometry"),
        help_visible=flag("help_visible", True),
    )


# --- logging and the crash handler ----------------------------------------------------------


def setup_logging(folder: Path | None = None) -> Path | None:
    """Logs to `imagin.log` (1 MB × 5) in the log folder and warnings to stderr.

    Returns the log file's path, or None if it cannot be written (then stderr only).
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(formatter)
    root.addHandler(console)
    # One line per HTTP request is noise in a log people send to the assistance; the API
    # client logs what matters (failures, timings at debug level).
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    try:
        if folder is None:
            folder = default_log_folder()
        path = folder / LOG_FILE
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        log.warning("log file unavailable; logging to stderr only", exc_info=True)
        return None
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return path


class CrashHandler:
    """`sys.excepthook`: logs the error, then lets `show` explain it (the French crash dialog
    of `client.ui.main_window`, once the interface runs), one at a time."""

    def __init__(
        self, log_path: Path | None, show: Callable[[Path | None], None] | None = None
    ) -> None:
        self.log_path = log_path
        self.show = show
        self._showing = False

    def __call__(
        self,
        kind: type[BaseException],
        error: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        logging.getLogger("imagin.crash").critical(
            "unexpected error", exc_info=(kind, error, traceback)
        )
        elsewhere = threading.current_thread() is not threading.main_thread()
        if self.show is None or self._showing or elsewhere:
            return
        self._showing = True
        try:
            self.show(self.log_path)
        finally:
            self._showing = False

    def install(self) -> None:
        sys.excepthook = self

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            logging.getLogger("imagin.crash").critical(
                "unexpected error in thread %s",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
            )

        threading.excepthook = thread_hook


# --- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else [sys.argv[0] if sys.argv else "imagin", *argv])
    args = parse_args(argv[1:])
    log_path = setup_logging()
    crash = CrashHandler(log_path)
    crash.install()
    startup = peek_settings()
    if args.server:
        startup = startup._replace(server_url=args.server.strip().rstrip("/"))

    from client.ui.main_window import run

    return run(
        argv,
        startup=startup,
        server_override=args.server,
        demo=bool(args.demo),
        log_path=log_path,
        crash=crash,
        probe=PROBE_MARKER if os.environ.get(PROBE_ENV) == "1" else None,
        started=started,
    )


if __name__ == "__main__":
    sys.exit(main())
