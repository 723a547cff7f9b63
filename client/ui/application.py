"""The Qt side of the `imagin` entry point: the application object, French, Qt's messages,
the signals that quit, the crash dialog handed to the crash handler, the demonstration server,
then the main window until it closes.

`client.app` reads the arguments, sets up logging and reads the start-up settings without Qt,
then calls `run`.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from client.ui import app_style, qt_french
from client.ui.context import AppContext
from client.ui.crash import show_crash_dialog
from client.ui.main_window import MainWindow
from client.ui.ops import Op

if TYPE_CHECKING:
    from client.api.client import ImaginClient
    from client.journal import CrashHandler
    from client.settings import Settings
    from client.startup import StartupSettings

log = logging.getLogger(__name__)

APPLICATION_NAME = "IMAG'IN"
ORGANISATION_NAME = "Académie d'Amiens"
ORGANISATION_DOMAIN = "ac-amiens.fr"

_keep_alive: list[Any] = []  # the translator and the signal timer outlive run()'s scope


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's warnings go to the log like everything else, not to a console nobody reads."""
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    where = f" ({context.file}:{context.line})" if context.file else ""
    logging.getLogger("qt").log(levels.get(mode, logging.WARNING), "%s%s", message, where)


def install_french(app: QApplication) -> None:
    """French everywhere Qt writes words or numbers itself (dialog buttons, file dialogs)."""
    qt_french.install(app, _keep_alive)


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if existing is None:
        qt_french.prepare_system_locale()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setOrganizationName(ORGANISATION_NAME)
    app.setOrganizationDomain(ORGANISATION_DOMAIN)
    app.setDesktopFileName("imagin")
    return app


def quit_on_signals(app: QApplication) -> None:
    """Ctrl+C in a terminal, or a system shutdown, closes the application properly (the demo
    server with it) instead of killing it mid-write."""

    def handler(number: int, _frame: object) -> None:
        log.info("signal %s received: quitting", number)
        app.quit()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    # Python runs signal handlers only between byte-codes: wake it up now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)
    _keep_alive.append(timer)


DEMO_WATCH_MS = 2000


def start_demo(ctx: AppContext, window: MainWindow, reset: bool = False) -> Any:
    """Starts the demonstration server in the background; the log-in screen waits for it.
    Its data and port are kept in the application's data folder between runs; a server that
    dies is started again, and the window says so."""
    from client.demo import DemoServer, DemoServerError
    from client.settings import data_dir
    from client.ui.errors import message_for

    demo = DemoServer(folder=data_dir() / "demo", reset=reset)
    login = window.login_page
    login.set_busy(
        True,
        login.tr("Démarrage du serveur de démonstration (données gardées d'une fois sur l'autre)…"),
    )
    watch = QTimer(window)
    watch.setInterval(DEMO_WATCH_MS)
    restarting = [False]

    def check() -> None:
        if demo.running or restarting[0]:
            return
        restarting[0] = True
        window.bar.warning(
            window.tr("Le serveur de démonstration s'est arrêté : redémarrage en cours…")
        )

        def restarted(_: object) -> None:
            restarting[0] = False
            ctx.raw_api.http.base_url = demo.url
            window.bar.info(
                window.tr(
                    "Le serveur de démonstration s'était arrêté : il a été redémarré, avec "
                    "les mêmes données. Vous pouvez continuer."
                )
            )

        def not_restarted(error: BaseException) -> None:
            restarting[0] = False
            watch.stop()
            text = str(error) if isinstance(error, DemoServerError) else message_for(error)
            window.bar.error(
                window.tr("Le serveur de démonstration n'a pas pu être redémarré : {0}").format(
                    text
                )
            )

        Op(window, demo.restart).on_success(restarted).on_failure(not_restarted).run(ctx.runner)

    watch.timeout.connect(check)

    def ready(_: object) -> None:
        ctx.raw_api.http.base_url = demo.url
        login.set_server(demo.url)
        login.set_demo_accounts(demo.accounts)
        login.set_busy(False)
        kept = ""
        if demo.resumed:
            kept = login.tr(" Données gardées de la fois précédente")
            kept += login.tr(" (imagin --demo-reset pour repartir de zéro).")
        if demo.accounts:
            login.show_info(
                login.tr(
                    "Serveur de démonstration prêt. Double-cliquez sur un compte ci-dessous "
                    "pour remplir le formulaire."
                )
                + kept
            )
        else:
            login.show_info(login.tr("Serveur de démonstration prêt.") + kept)
        login.focus_first_field()
        watch.start()

    def failed(error: BaseException) -> None:
        login.set_busy(False)
        text = str(error) if isinstance(error, DemoServerError) else message_for(error)
        login.show_error(text)

    Op(window, demo.start).on_success(ready).on_failure(failed).run(ctx.runner)
    return demo


def run(
    argv: list[str],
    *,
    startup: StartupSettings,
    server_override: str | None,
    demo: bool,
    demo_reset: bool = False,
    log_path: Path | None,
    crash: CrashHandler | None = None,
    probe: str | None = None,
    started: float | None = None,
) -> int:
    """Creates the application and the window, runs until the window closes.

    `probe`: a marker to print (with the time) when the log-in window is first shown, after
    which the application quits (bench/client_startup.py).
    """
    started = time.perf_counter() if started is None else started
    app = make_application(argv)
    if crash is not None:
        crash.show = show_crash_dialog
    quit_on_signals(app)
    qInstallMessageHandler(qt_message_handler)
    install_french(app)
    app_style.apply(app)

    from client.ui.context import LazyApi
    from client.ui.login.page import DEFAULT_SERVER
    from client.ui.tasks import TaskRunner

    server = startup.server_url or DEFAULT_SERVER
    opened: list[Any] = []  # the one httpx.Client of the run, once built

    def load_settings() -> Settings:
        from client import settings as settings_io

        settings = settings_io.load()
        if server_override:
            settings.server_url = server_override
        return settings

    def build_api() -> ImaginClient:
        from client.api.client import ImaginClient, make_http
        from client.api.tokens import TokenStore

        http = make_http(server, ca_bundle=load_settings().ca_bundle)
        opened.append(http)
        return ImaginClient(http, TokenStore())

    lazy_api = LazyApi(build_api)
    runner = TaskRunner(app)
    ctx = AppContext(
        api=cast("ImaginClient", lazy_api),
        runner=runner,
        startup=startup,
        settings_loader=load_settings,
        log_path=log_path,
        demo=demo,
    )
    window = MainWindow(ctx)

    if probe is not None:

        def report() -> None:
            elapsed = time.perf_counter() - started
            sys.stdout.write(f"{probe} shown_at={time.time():.6f} main={elapsed:.4f}\n")
            sys.stdout.flush()
            app.quit()

        window.login_shown.connect(report)

    demo_server = None
    if demo and probe is None:
        demo_server = start_demo(ctx, window, reset=demo_reset)
    elif probe is None:
        window.login_page.try_remembered()
    window.show()
    # The typed settings and the API client (httpx, TLS, wire models, keyring) are made
    # ready while the person types, and the connection to a server used before is opened.
    warm = bool(startup.server_url) and not demo and probe is None

    def warm_up() -> None:
        ctx.settings  # noqa: B018  (loads them)
        api = lazy_api.get()
        if warm:
            api.warm_up()

    Op(window, warm_up).run(runner)
    log.info("IMAG'IN shown in %.3f s (server %s)", time.perf_counter() - started, server)
    try:
        code = app.exec()
    finally:
        runner.wait_for_done(10_000)
        for http in opened:
            http.close()
        if demo_server is not None:
            demo_server.stop()
    return int(code)
