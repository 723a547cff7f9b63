"""make package, then what a person installing it gets: the bundle starts, shows the log-in window
and logs in against the reference server; the .deb declares what it needs and carries the menu
entry, the icon and the user guide; the tarball holds the same bundle.

Building takes about a minute and a half: the tests run when PyInstaller, dpkg-deb, Xvfb and
xdotool are there (make bootstrap installs them), always with CI=true (missing tools fail
then), and are skipped locally with IMAGIN_SKIP_PACKAGING=1.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.migrate import upgrade
from tests.server_stub.factories import PASSWORD, World

ROOT = Path(__file__).resolve().parents[2]
SERVER_BIN = Path(sys.executable).parent / "imagin-server"
TOOLS = ("dpkg-deb", "Xvfb", "xdotool")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = pytest.mark.packaging


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if importlib.util.find_spec("PyInstaller") is None:
        missing.append("pyinstaller")
    ci = os.environ.get("CI") == "true"
    if missing:
        message = f"packaging tools missing: {', '.join(missing)} (make bootstrap installs them)"
        if ci:
            pytest.fail(message)
        pytest.skip(message)
    if not ci and os.environ.get("IMAGIN_SKIP_PACKAGING") == "1":
        pytest.skip("IMAGIN_SKIP_PACKAGING=1")


@dataclass(frozen=True)
class Built:
    folder: Path
    seconds: float

    @property
    def bundle(self) -> Path:
        return self.folder / "imagin"

    @property
    def deb(self) -> Path:
        [deb] = self.folder.glob("imagin_*.deb")
        return deb

    @property
    def tarball(self) -> Path:
        [tarball] = self.folder.glob("imagin-*.tar.gz")
        return tarball


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_tools()
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "package.sh"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Built(out, time.monotonic() - started)


def home(tmp_path: Path) -> dict[str, str]:
    """An environment of a person who never ran IMAG'IN, without the virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_", "XDG_", "IMAGIN_"))
    }
    env["PATH"] = "/usr/bin:/bin"  # no imagin-server of the virtual environment
    env["HOME"] = str(tmp_path / "home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / "home" / name.lower())
    return env


# --- the .deb and the tarball ------------------------------------------------------------------


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def deb_file(deb: Path, path: str) -> str:
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True)
    listing = subprocess.run(
        ["tar", "-xOf", "-", path], input=tar.stdout, capture_output=True, check=True
    )
    return listing.stdout.decode("utf-8")


def test_the_deb_declares_what_it_needs(built: Built) -> None:
    deb = built.deb
    assert deb.name == f"imagin_{VERSION}_{deb_field(deb, 'Architecture')}.deb"
    assert deb_field(deb, "Package") == "imagin"
    assert deb_field(deb, "Version") == VERSION
    depends = {d.strip().split(" ")[0] for d in deb_field(deb, "Depends").split(",")}
    # What Qt loads from the system on a display (docs/platform.md), and the fonts.
    assert {
        "libgl1",
        "libegl1",
        "libxkbcommon-x11-0",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libfontconfig1",
        "fonts-dejavu-core",
    } <= depends
    assert int(deb_field(deb, "Installed-Size")) > 50_000  # kB
    assert deb_field(deb, "Description").startswith("IMAG'IN - états de frais")


def test_the_deb_carries_the_menu_entry_the_icon_and_the_guide(built: Built) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(built.deb)], capture_output=True, text=True, check=True
    ).stdout
    paths = {line.split()[5] for line in listing.splitlines()}
    for path in (
        "./opt/imagin/imagin",
        "./usr/share/applications/imagin.desktop",
        "./usr/share/icons/hicolor/scalable/apps/imagin.svg",
        "./usr/share/icons/hicolor/256x256/apps/imagin.png",
        "./usr/share/doc/imagin/copyright",
        "./usr/share/doc/imagin/licences.md",
        "./opt/imagin/_internal/client/resources/help/guide.html",
        "./opt/imagin/_internal/client/resources/help/topics/login.html",
        "./opt/imagin/_internal/client/resources/help/screenshots/login.png",
        "./opt/imagin/_internal/client/resources/fonts/DejaVuSans.ttf",
    ):
        assert path in paths, path
    assert "./usr/bin/imagin -> /opt/imagin/imagin" in listing
    # Every screenshot the guide shows travels with it.
    shipped = {p for p in paths if "/resources/help/screenshots/" in p}
    expected = {
        f"./opt/imagin/_internal/client/resources/help/screenshots/{p.name}"
        for p in (ROOT / "client" / "resources" / "help" / "screenshots").glob("*.png")
    }
    assert expected <= shipped
    # The client alone: no server, no server library.
    for absent in ("server_stub", "fastapi", "sqlalchemy", "psycopg", "ortools", "uvicorn"):
        assert not any(f"/{absent}" in p for p in paths), absent
    entry = deb_file(built.deb, "./usr/share/applications/imagin.desktop")
    assert "Exec=imagin\n" in entry and "Icon=imagin\n" in entry
    assert "Categories=Office;" in entry and "Type=Application\n" in entry
    if shutil.which("desktop-file-validate"):
        desktop = ROOT / "packaging" / "linux" / "imagin.desktop"
        subprocess.run(["desktop-file-validate", str(desktop)], check=True)


def test_the_tarball_holds_the_bundle_its_menu_entry_and_icon(built: Built) -> None:
    with tarfile.open(built.tarball) as archive:
        names = set(archive.getnames())
        top = f"imagin-{VERSION}"
        for name in (
            "imagin/imagin",
            "imagin/_internal/client/resources/help/guide.html",
            "imagin/_internal/licences.md",
            "share/applications/imagin.desktop",
            "share/icons/hicolor/scalable/apps/imagin.svg",
            "LISEZMOI.txt",
        ):
            assert f"{top}/{name}" in names, name
        assert archive.getmember(f"{top}/imagin/imagin").mode & 0o111


# --- the bundle, started as a person would ------------------------------------------------------


def test_the_bundle_starts_offscreen_to_the_login_window(built: Built, tmp_path: Path) -> None:
    env = home(tmp_path) | {"QT_QPA_PLATFORM": "offscreen", "IMAGIN_STARTUP_PROBE": "1"}
    result = subprocess.run(
        [str(built.bundle / "imagin"), "--server", "https://imagin.example"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "IMAGIN_STARTUP_PROBE shown_at=" in result.stdout


def test_the_bundle_says_what_to_install_for_the_demo(built: Built, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(built.bundle / "imagin"), "--demo"],
        env=home(tmp_path) | {"QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "pip install 'imagin[server]'" in result.stderr


@dataclass
class Server:
    url: str
    log: Path
    login: str


@pytest.fixture
def reference_server(tmp_path: Path) -> Iterator[Server]:
    """`imagin-server serve` on 127.0.0.1 with one intervenant, its requests logged."""
    database = tmp_path / "imagin.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    session: Session = make_session_factory(engine)()
    world = World(session)
    person = world.person()
    world.commit()
    login = person.login
    session.close()
    engine.dispose()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    env = {**os.environ, "IMAGIN_DATABASE_URL": f"sqlite:///{database}"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(SERVER_BIN), "serve", "--port", str(port), "--log-level", "info"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline and process.poll() is None, log.read_text()
                time.sleep(0.1)
            yield Server(url, log, login)
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def display() -> Iterator[str]:
    """A virtual X display of its own (Xvfb picks a free number)."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_the_bundle_logs_in_against_the_reference_server(
    built: Built, reference_server: Server, display: str, tmp_path: Path
) -> None:
    env = home(tmp_path) | {"DISPLAY": display}
    log = tmp_path / "client.log"
    with log.open("wb") as output:
        app = subprocess.Popen(
            [str(built.bundle / "imagin"), "--server", reference_server.url],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:

        def xdotool(*args: str) -> str:
            return subprocess.run(
                ["xdotool", *args], env=env, capture_output=True, text=True, timeout=30
            ).stdout.strip()

        # The log-in window, mapped on the display (the xcb platform the bundle carries).
        wait_for(lambda: xdotool("search", "--onlyvisible", "--name", "^IMAG'IN$"), 60, "window")
        window = xdotool("search", "--onlyvisible", "--name", "^IMAG'IN$").split()[0]
        xdotool("windowfocus", "--sync", window)
        time.sleep(0.5)  # the identifier field takes the focus once shown
        xdotool("type", "--delay", "30", reference_server.login)
        xdotool("key", "Tab")
        xdotool("type", "--delay", "30", PASSWORD)
        xdotool("key", "Return")

        def requests() -> str:
            return reference_server.log.read_text(errors="replace")

        wait_for(lambda: '"POST /api/v1/auth/login HTTP/1.1" 200' in requests(), 60, "log-in")
        # Past the log-in: the missions screen asks for the person's convocations.
        wait_for(lambda: '"GET /api/v1/convocations HTTP/1.1" 200' in requests(), 60, "missions")
        assert app.poll() is None, log.read_text(errors="replace")
    finally:
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait(timeout=10)
    assert "Traceback" not in log.read_text(errors="replace")
