"""The entry point: arguments, logging, the crash dialog, French, and the demo server."""

from __future__ import annotations

import logging
import logging.handlers
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QMessageLogContext, QtMsgType
from PySide6.QtWidgets import QMessageBox

from client import app, journal, startup
from client.demo import DemoAccount, DemoServer, DemoServerError, read_accounts
from client.ui import application, crash

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, given back as it was (handlers and level)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in chatty.items():
        logging.getLogger(name).setLevel(old)


def test_arguments() -> None:
    args = app.parse_args(["--server", "https://imagin.ac-amiens.fr", "--demo"])
    assert args.server == "https://imagin.ac-amiens.fr"
    assert args.demo
    assert not app.parse_args([]).demo


def test_logging_goes_to_a_rotating_file(tmp_path: Path, root_logger: logging.Logger) -> None:
    path = journal.setup_logging(tmp_path)
    assert path == tmp_path / "imagin.log"
    [handler] = [
        h for h in root_logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)
    ]
    assert (handler.maxBytes, handler.backupCount) == (1_000_000, 5)
    logging.getLogger("client.test").info("une ligne")
    handler.flush()
    assert "une ligne" in path.read_text(encoding="utf-8")


def test_qt_messages_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="qt"):
        application.qt_message_handler(
            QtMsgType.QtWarningMsg, QMessageLogContext(), "un avertissement"
        )
    assert [r.getMessage() for r in caplog.records] == ["un avertissement"]


def test_the_crash_handler_logs_and_explains(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    expected_errors: list[str],
) -> None:
    expected_errors.append("unexpected error")
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    log_path = tmp_path / "imagin.log"
    handler = journal.CrashHandler(log_path, show=crash.show_crash_dialog)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        with caplog.at_level(logging.CRITICAL, logger="imagin.crash"):
            handler(type(error), error, error.__traceback__)
    assert caplog.records[0].exc_info is not None
    [box] = shown
    assert box.text() == "IMAG'IN a rencontré une erreur inattendue."
    assert "Votre saisie en cours est conservée sur ce poste" in box.informativeText()
    assert f"Le détail a été enregistré dans {log_path}" in box.informativeText()
    assert box.windowTitle() == "Erreur inattendue"
    assert [b.text() for b in box.buttons()] == ["&Continuer", "&Quitter IMAG'IN"]


def test_the_crash_handler_is_installed_as_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    journal.CrashHandler(None).install()
    assert isinstance(sys.excepthook, journal.CrashHandler)


def test_before_the_interface_runs_a_crash_is_only_logged(
    caplog: pytest.LogCaptureFixture, expected_errors: list[str]
) -> None:
    expected_errors.append("unexpected error")
    handler = journal.CrashHandler(None)
    error = ValueError("tôt")
    with caplog.at_level(logging.CRITICAL, logger="imagin.crash"):
        handler(ValueError, error, None)
    assert caplog.records[0].getMessage() == "unexpected error"


def test_french_is_the_default_locale(qapp: Any) -> None:
    previous = QLocale()
    try:
        application.install_french(qapp)
        assert QLocale().language() == QLocale.Language.French
        assert QLocale().toString(1234.5, "f", 2) == "1\u202f234,50"
    finally:
        QLocale.setDefault(previous)


def test_the_app_starts_to_the_log_in_window(tmp_path: Path) -> None:
    """`imagin` for real, in a child process: the start-up probe reports the log-in window."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        app.PROBE_ENV: "1",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    code = "import sys; from client.app import main; sys.exit(main(['--server', 'http://127.0.0.1:9']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert app.PROBE_MARKER in result.stdout
    logs = list((tmp_path / "state").rglob("imagin.log"))
    assert logs and "IMAG'IN shown" in logs[0].read_text(encoding="utf-8")


# --- the demo server ------------------------------------------------------------------------

FAKE_SERVER = textwrap.dedent(
    """
    import json, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    command = sys.argv[1]
    if command == "demo-data":
        if MODE == "old" and "--accounts-file" in sys.argv:
            sys.stderr.write("error: unrecognized arguments: --accounts-file\\n")
            sys.exit(2)
        if MODE == "broken":
            sys.stderr.write("database exploded\\n")
            sys.exit(1)
        if MODE == "counting":
            import pathlib
            fills = pathlib.Path(__file__).parent / "fills"
            fills.write_text((fills.read_text() if fills.exists() else "") + "x")
        if "--accounts-file" in sys.argv:
            path = sys.argv[sys.argv.index("--accounts-file") + 1]
            with open(path, "w", encoding="utf-8") as file:
                json.dump([{"login": "edupontm", "password": "Imagin-Demo-2026!",
                            "role": "INTERVENANT", "description": "Correctrice"}], file)
        sys.exit(0)
    if command == "serve":
        if MODE == "dies":
            sys.exit(1)
        port = int(sys.argv[sys.argv.index("--port") + 1])

        class Health(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200 if self.path == "/api/v1/health" else 404)
                self.end_headers()
                self.wfile.write(b'{"status": "ok"}')

            def log_message(self, *args):
                pass

        HTTPServer(("127.0.0.1", port), Health).serve_forever()
    """
)


def fake_server(tmp_path: Path, mode: str = "new") -> list[str]:
    script = tmp_path / f"fake_server_{mode}.py"
    script.write_text(f"MODE = {mode!r}\n" + FAKE_SERVER, encoding="utf-8")
    return [sys.executable, str(script)]


def test_the_demo_server_runs_and_stops(tmp_path: Path) -> None:
    with DemoServer(command=fake_server(tmp_path)) as demo:
        assert demo.running
        assert demo.url.startswith("http://127.0.0.1:")
        assert demo.accounts == [
            DemoAccount("edupontm", "Imagin-Demo-2026!", "INTERVENANT", "Correctrice")
        ]
    assert not demo.running


def test_a_kept_demo_keeps_its_data_port_and_key_between_runs(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    command = fake_server(tmp_path, "counting")
    with DemoServer(command=command, folder=folder) as first:
        assert not first.resumed
        port, key = first.port, first._env["IMAGIN_NIR_KEY"]
    assert (folder / "accounts.json").exists(), "a kept folder stays after stopping"
    with DemoServer(command=command, folder=folder) as second:
        assert second.resumed, "the data of the first run is kept"
        assert (second.port, second._env["IMAGIN_NIR_KEY"]) == (port, key)
        assert second.accounts == first.accounts
    assert (tmp_path / "fills").read_text() == "x", "demo-data ran once"
    with DemoServer(command=command, folder=folder, reset=True) as fresh:
        assert not fresh.resumed
        assert fresh._env["IMAGIN_NIR_KEY"] != key
    assert (tmp_path / "fills").read_text() == "xx"


def test_a_dead_demo_server_is_started_again_on_the_same_port(tmp_path: Path) -> None:
    with DemoServer(command=fake_server(tmp_path), folder=tmp_path / "demo") as demo:
        port = demo.port
        assert not demo.restart(), "nothing to do while it runs"
        assert demo._process is not None
        demo._process.kill()
        demo._process.wait()
        assert not demo.running
        assert demo.restart()
        assert demo.running and demo.port == port
    assert not demo.restart(), "never after stopping"


def test_a_server_without_the_accounts_option_still_starts(tmp_path: Path) -> None:
    with DemoServer(command=fake_server(tmp_path, "old")) as demo:
        assert demo.running
        assert demo.accounts == []


def test_failing_demo_data_is_said_in_french(tmp_path: Path, expected_errors: list[str]) -> None:
    expected_errors.append("demo-data failed")
    with pytest.raises(DemoServerError, match="données de démonstration n'ont pas pu"):
        DemoServer(command=fake_server(tmp_path, "broken")).start()


def test_a_server_that_dies_is_said_in_french(tmp_path: Path) -> None:
    demo = DemoServer(command=fake_server(tmp_path, "dies"))
    with pytest.raises(DemoServerError, match="s'est arrêté au démarrage"):
        demo.start()
    assert not demo.running


def test_a_missing_server_command_is_said_in_french() -> None:
    with pytest.raises(DemoServerError, match="introuvable"):
        DemoServer(command=["/nonexistent/imagin-server"]).start()


def test_unreadable_accounts_file_gives_no_accounts(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text("{not json", encoding="utf-8")
    assert read_accounts(path) == []
    assert read_accounts(tmp_path / "absent.json") == []


# --- the settings read before the window shows --------------------------------------------


def test_the_start_up_reads_the_settings_where_client_settings_keeps_them() -> None:
    from client import settings as settings_io

    assert startup.settings_file() == settings_io.settings_path()
    assert startup.default_log_folder() == settings_io.log_dir()


def test_peek_settings_reads_what_the_log_in_window_needs(tmp_path: Path) -> None:
    from client import settings as settings_io

    path = tmp_path / "settings.json"
    saved = settings_io.Settings(
        server_url="https://imagin.ac-amiens.fr/", last_login="edupontm", remember=True
    )
    settings_io.save(saved, path)
    settings = startup.peek_settings(path)
    assert settings.server_url == "https://imagin.ac-amiens.fr"
    assert (settings.last_login, settings.remember, settings.help_visible) == (
        "edupontm",
        True,
        True,
    )


@pytest.mark.parametrize(
    "content", ["{not json", "[]", '{"remember": "oui", "last_login": 42, "help_visible": null}']
)
def test_peek_settings_falls_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    settings = startup.peek_settings(path)
    assert (settings.server_url, settings.last_login, settings.remember) == (None, None, False)
    assert settings.help_visible
    assert startup.peek_settings(tmp_path / "absent.json").server_url is None
