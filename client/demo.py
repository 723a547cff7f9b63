"""`imagin --demo`: a reference server with demonstration data, run as a child process.

The client never imports `server_stub`: it starts the `imagin-server` command installed next to
the Python interpreter, on a SQLite database and a port of 127.0.0.1, and stops it when the
application closes. Given a folder (the application's, for `imagin --demo`), the database, the
port, the key of its social security numbers and the accounts are kept there between runs, so
that drafts and work survive a restart; `reset` (`--demo-reset`) starts afresh. Without one
(tests, screenshots), everything lives in a temporary folder removed on stopping. A server that
died can be started again on the same database and port (`restart`).

    with DemoServer() as demo:
        client = make_http(demo.url)
        demo.accounts  # the logins and passwords to show on the log-in screen

Qt-free: the interface starts it on its worker pool, because filling the database takes a few
seconds.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import logging
import os
import secrets
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


# What the reference server imports first: without them `imagin-server` cannot start. They come
# with the `server` extra (a test keeps this list within it).
SERVER_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "ortools")
INSTALL_SERVER = (
    "Le mode démonstration démarre un serveur IMAG'IN sur ce poste, et ce serveur n'est pas "
    "installé ici. Installez-le avec la commande : pip install 'imagin[server]' "
    "(dans le dépôt du projet : make bootstrap). L'application seule se connecte à un serveur "
    "existant : imagin --server https://adresse-du-serveur."
)


# The demonstration's paying account, set explicitly: the server refuses the example account
# of its shipped configuration for any payment file.
DEMO_DEBTOR = """\
source = "Démonstration IMAG'IN"
name = "Rectorat de l'académie d'Amiens (démonstration)"
iban = "FR7610071800000000123456795"
bic = "TRPUFRP1"
initiating_party = "Rectorat de l'académie d'Amiens - DEC (démonstration)"
"""


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


def _frozen() -> bool:
    """True in the packaged application (PyInstaller), which carries no server."""
    return bool(getattr(sys, "frozen", False))


def server_command() -> list[str]:
    """How to run `imagin-server`: the script installed beside this interpreter, else the one
    on the PATH, else the module run by this interpreter (never in the packaged application,
    whose interpreter is the application itself)."""
    if not _frozen():
        folder = Path(sys.executable).parent
        for name in ("imagin-server", "imagin-server.exe"):
            candidate = folder / name
            if candidate.exists():
                return [str(candidate)]
    found = shutil.which("imagin-server")
    if found:
        return [found]
    return [sys.executable, "-m", "server_stub.cli"]


def missing_server() -> str | None:
    """Why `imagin --demo` cannot start its server here (French, with what to install), or
    None when it can.

    The packaged application needs an `imagin-server` on the PATH; an installed one needs the
    server's libraries in its own environment (the `server` extra), unless the PATH offers an
    `imagin-server` of another environment.
    """
    if _frozen():
        return None if shutil.which("imagin-server") else INSTALL_SERVER
    command = server_command()
    beside = Path(command[0]).parent == Path(sys.executable).parent
    if command[0] != sys.executable and not beside:
        return None  # another environment's server, on the PATH
    if all(importlib.util.find_spec(name) is not None for name in SERVER_MODULES):
        return None
    return INSTALL_SERVER


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


STATE_FILE = "demo.json"  # port, key and accounts of a kept demonstration
KEPT_FILES = ("demo.sqlite3", "demo.sqlite3-wal", "demo.sqlite3-shm", "accounts.json", STATE_FILE)


def port_is_free(port: int) -> bool:
    """Nobody listens on it (a port left in TIME_WAIT by the last run is free, as servers set
    SO_REUSEADDR too)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class DemoServer:
    """A context object: `start()` (or `with`) runs the server; `stop()` ends it."""

    def __init__(
        self,
        *,
        command: list[str] | None = None,
        port: int | None = None,
        start_timeout: float = START_TIMEOUT,
        extra_env: dict[str, str] | None = None,
        folder: Path | None = None,
        reset: bool = False,
    ) -> None:
        self._own_command = command is None
        self.command = command or server_command()
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.extra_env = dict(extra_env or {})
        self.accounts: list[DemoAccount] = []
        self.kept_folder = folder
        self.reset = reset
        self.resumed = False  # True when the data of an earlier run was kept
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._env: dict[str, str] = {}
        self._stopped = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def folder(self) -> Path | None:
        if self.kept_folder is not None:
            return self.kept_folder
        return Path(self._folder.name) if self._folder is not None else None

    @property
    def log_path(self) -> Path | None:
        folder = self.folder
        return folder / "server.log" if folder is not None else None

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
        problem = missing_server() if self._own_command else None
        if problem is not None:
            raise DemoServerError(problem)
        self._stopped = False
        if self.kept_folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="imagin-demo-")
        folder = self.folder
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        if self.reset:
            for name in KEPT_FILES:
                (folder / name).unlink(missing_ok=True)
        state = self._read_state(folder)
        database = folder / "demo.sqlite3"
        debtor = folder / "debtor.toml"
        debtor.write_text(DEMO_DEBTOR, encoding="utf-8")
        # A key of its own for the demo's social security numbers, kept with its database.
        key = (
            str(state.get("nir_key") or "")
            or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        )
        self._env = {
            **os.environ,
            "IMAGIN_DATABASE_URL": f"sqlite:///{database}",
            "IMAGIN_PAYMENT_DEBTOR_FILE": str(debtor),
            "IMAGIN_NIR_KEY": key,
            **self.extra_env,
        }
        self._log = (folder / "server.log").open("ab" if state else "wb")
        try:
            if state:  # written once an earlier run's data was complete
                kept = state.get("port")
                if isinstance(kept, int) and port_is_free(kept):
                    self.port = kept
                self._upgrade()
                self.accounts = read_accounts(folder / "accounts.json")
                self.resumed = True
            else:
                self._fill(folder, self._env)
            if self.kept_folder is not None:
                self._write_state(folder, {"port": self.port, "nir_key": key})
            self._serve()
        except BaseException:
            self.stop()
            raise
        log.info(
            "demo server up at %s with %d accounts (%s)",
            self.url,
            len(self.accounts),
            "data kept from an earlier run" if self.resumed else "fresh data",
        )

    def restart(self) -> bool:
        """Starts the server again if it died, on the same database and port; True if it had
        to (and did). Raises `DemoServerError` (French) when it cannot."""
        if self.running or not self._env or self._stopped:
            return False
        log.warning("demo server found stopped; starting it again")
        if self._log is None and self.log_path is not None:
            self._log = self.log_path.open("ab")
        if not port_is_free(self.port):
            self.port = free_port()
            if self.kept_folder is not None:
                state = self._read_state(self.kept_folder)
                self._write_state(self.kept_folder, {**state, "port": self.port})
        self._serve()
        return True

    def _serve(self) -> None:
        self._process = subprocess.Popen(
            [*self.command, "serve", "--port", str(self.port), "--log-level", "warning"],
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _upgrade(self) -> None:
        """The kept database brought to the server's schema (a newer version may have come)."""
        result = self._run([*self.command, "init-db"], self._env)
        if result.returncode != 0:
            log.error(
                "imagin-server init-db failed (%s): %s",
                result.returncode,
                result.stderr.decode(errors="replace")[-2000:],
            )
            raise DemoServerError(
                "Les données de démonstration gardées n'ont pas pu être reprises. Relancez "
                "avec imagin --demo-reset pour repartir de données neuves."
            )

    @staticmethod
    def _read_state(folder: Path) -> dict[str, Any]:
        try:
            data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _write_state(folder: Path, state: dict[str, Any]) -> None:
        path = folder / STATE_FILE
        path.write_text(json.dumps(state), encoding="utf-8")
        path.chmod(0o600)  # it holds the key of the demo's social security numbers

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
        """Ends the server (politely, then by force) and removes its temporary files (a kept
        folder stays, for the next run)."""
        self._stopped = True
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
