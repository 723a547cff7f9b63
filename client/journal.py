"""The application's journal: the rotating log file, and the crash handler that writes an
unexpected error to it before the interface explains it (Qt-free, set up before any window).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from client.startup import default_log_folder

log = logging.getLogger(__name__)

LOG_FILE = "imagin.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


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
    of `client.ui.crash`, once the interface runs), one at a time."""

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
