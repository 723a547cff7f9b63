"""`imagin`: the desktop application's entry point.

    imagin                          the server remembered (or http://127.0.0.1:8000)
    imagin --server https://imagin.ac-amiens.fr
    imagin --demo                   a reference server with demonstration data, for trying out

Qt-free, like everything outside `client/ui`: this module reads the arguments, sets up logging
to a rotating file and the crash handler (`client.journal`), reads what the log-in window needs
from the settings (`client.startup`), then hands over to `client.ui.application.run`, which owns
the Qt side (the application object, French, Qt's messages, the crash dialog, the window).

Start-up is kept lean: only what the log-in screen needs is imported before it shows; the typed
settings (pydantic), the HTTP client (httpx, TLS), the keyring, the screens behind the log-in,
reportlab and Babel come afterwards or when first used. `IMAGIN_STARTUP_PROBE=1` makes the
application report when the log-in window is first shown, then quit (bench/client_startup.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence

from client.journal import CrashHandler, setup_logging
from client.startup import peek_settings

log = logging.getLogger(__name__)

PROBE_ENV = "IMAGIN_STARTUP_PROBE"
PROBE_MARKER = "IMAGIN_STARTUP_PROBE"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="imagin",
        description="IMAG'IN : indemnités et frais de déplacement des jurys d'examens.",
    )
    parser.add_argument("--server", metavar="URL", help="adresse du serveur IMAG'IN")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="démarrer un serveur de démonstration local et afficher ses comptes ; ses "
        "données et son port sont gardés d'une fois sur l'autre",
    )
    parser.add_argument(
        "--demo-reset",
        action="store_true",
        help="comme --demo, en repartant de données de démonstration neuves",
    )
    # Qt's own options (-style, -platform...) pass through to QApplication.
    args, _unknown = parser.parse_known_args(argv)
    return args


# --- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else [sys.argv[0] if sys.argv else "imagin", *argv])
    args = parse_args(argv[1:])
    if args.demo_reset:
        args.demo = True
    if args.demo:
        from client.demo import missing_server

        problem = missing_server()
        if problem is not None:
            sys.stderr.write(f"{problem}\n")
            return 2
    log_path = setup_logging()
    crash = CrashHandler(log_path)
    crash.install()
    startup = peek_settings()
    if args.server:
        startup = startup._replace(server_url=args.server.strip().rstrip("/"))

    from client.ui.application import run

    return run(
        argv,
        startup=startup,
        server_override=args.server,
        demo=bool(args.demo),
        demo_reset=bool(args.demo_reset),
        log_path=log_path,
        crash=crash,
        probe=PROBE_MARKER if os.environ.get(PROBE_ENV) == "1" else None,
        started=started,
    )


if __name__ == "__main__":
    sys.exit(main())
