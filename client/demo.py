"""`imagin --demo`: a reference server with fresh demonstration data, run as a child process.

The client never imports `server_stub`: it starts the `imagin-server` command installed next to
the Python interpreter, on a temporary SQLite database and a free port of 127.0.0.1, and stops
it when the application closes.

    with DemoServer() as demo:
        client = make_http(demo.url)
        demo.accounts  # the logins and passwords to show on the log-in screen

Qt-free: the interface starts it on its worker pool, because filling the database takes a few
seconds.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

log = logging.getLogger(__name__)

HEALTH_PATH = "/api/v1/health"
START_TIMEOUT = 60.0
DATA_TIMEOUT = 300.0
STOP_TIMEOUT = 5.0


class DemoServerError(RuntimeError):
    """The demonstration server could not start; the message is French, for people."""


@dataclass(frozen=True)
class DemoAccount:
    login: str
    password: str
    role: str
    description: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command() -> list[str]:
    """How to run `imagin-server`: the script installed beside this interpreter, else the one
    on the PATH, else the module run by this interpreter."""
    folder = Path(sys.executable).parent
    for name in ("imagin-server", "imagin-server.exe"):
        candidate = folder / name
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("imagin-server")
    if found:
        return [found]
    return [sys.executable, "-m", "server_stub.cli"]


def read_accounts(path: Path) -> list[DemoAccount]:
    """The accounts `demo-data --accounts-file` wrote; none if the file is missing or odd."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    accounts = []
    for item in data:
        if not isinstance(item, dict) or not item.get("login"):
            continue
        accounts.append(
            DemoAccount(
                login=str(item["login"]),
                password=str(item.get("password", "")),
                role=str(item.get("role", "")),
                description=str(item.get("description", "")),
            )
        )
    return accounts


class DemoServer:
    """A context object: `start()` (or `with`) runs the server; `stop()` ends it."""

    def __init__(
        self,
        *,
        command: list[str] | None = None,
        port: int | None = None,
        start_timeout: float = START_TIMEOUT,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.command = command or server_command()
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.extra_env = dict(extra_env or {})
        self.accounts: list[DemoAccount] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def log_path(self) -> Path | None:
        return Path(self._folder.name) / "server.log" if self._folder is not None else None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- starting -------------------------------------------------------------------------

    def start(self) -> None:
        """Fills a fresh database, starts the server and waits until it answers.

        Raises `DemoServerError` (French) if any step fails; nothing is left running then.
        """
        self._folder = tempfile.TemporaryDirectory(prefix="imagin-demo-")
        folder = Path(self._folder.name)
        database = folder / "demo.sqlite3"
        env = {
            **os.environ,
            "IMAGIN_DATABASE_URL": f"sqlite:///{database}",
            **self.extra_env,
        }
        self._log = (folder / "server.log").open("wb")
        try:
            self._fill(folder, env)
            self._process = subprocess.Popen(
                [*self.command, "serve", "--port", str(self.port), "--log-level", "warning"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        log.info("demo server up at %s with %d accounts", self.url, len(self.accounts))

    def _fill(self, folder: Path, env: dict[str, str]) -> None:
        accounts_file = folder / "accounts.json"
        base = [*self.command, "demo-data"]
        result = self._run([*base, "--accounts-file", str(accounts_file)], env)
        if result.returncode == 2 and b"--accounts-file" in result.stderr:
            # A server without the option: the data is there, the accounts table is not.
            log.warning("imagin-server demo-data has no --accounts-file; no accounts shown")
            result = self._run(base, env)
        if result.returncode != 0:
            log.error(
                "imagin-server demo-data failed (%s): %s",
                result.returncode,
                result.stderr.decode(errors="replace")[-2000:],
            )
            raise DemoServerError(
                "Les données de démonstration n'ont pas pu être créées. Le détail a été "
                "enregistré dans le journal de l'application."
            )
        self.accounts = read_accounts(accounts_file)

    @staticmethod
    def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                args, env=env, capture_output=True, timeout=DATA_TIMEOUT, check=False
            )
        except FileNotFoundError as error:
            raise DemoServerError(
                "Le serveur de démonstration est introuvable (commande imagin-server). "
                "Réinstallez IMAG'IN avec ses outils de démonstration."
            ) from error
        except subprocess.TimeoutExpired as error:
            raise DemoServerError(
                "La préparation des données de démonstration a pris trop de temps."
            ) from error

    def _wait_until_up(self) -> None:
        import httpx

        deadline = time.monotonic() + self.start_timeout
        with httpx.Client(base_url=self.url, timeout=1.0) as http:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise DemoServerError(
                        "Le serveur de démonstration s'est arrêté au démarrage. Le détail a été "
                        f"enregistré dans {self.log_path}."
                    )
                try:
                    if http.get(HEALTH_PATH).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        raise DemoServerError(
            "Le serveur de démonstration ne répond pas après "
            f"{self.start_timeout:.0f} secondes. Fermez IMAG'IN puis relancez-le."
        )

    # --- stopping -------------------------------------------------------------------------

    def stop(self) -> None:
        """Ends the server (politely, then by force) and removes its temporary files."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                log.warning("demo server did not stop; killing it")
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
