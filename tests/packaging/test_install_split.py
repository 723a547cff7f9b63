"""The desktop client installs without the server's libraries, and says what to install for
`imagin --demo`.

The client-only environment is made of the real installed files: a folder of links to exactly
the distributions `pip install imagin` brings (read from the installed metadata), on which a
fresh interpreter runs without the virtual environment's site-packages.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from client import demo

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"
# What the issue names as the server's weight; none may reach a desktop install.
HEAVY_SERVER_LIBRARIES = {"fastapi", "sqlalchemy", "psycopg", "ortools", "uvicorn", "alembic"}


def closure(extras: Iterable[str] = ()) -> set[str]:
    """The canonical names of the distributions `pip install imagin[extras]` brings here."""
    wanted = {""} | set(extras)
    seen: set[str] = set()
    todo = [
        Requirement(text)
        for text in metadata.requires("imagin") or []
        if Requirement(text).marker is None
        or any(Requirement(text).marker.evaluate({"extra": extra}) for extra in wanted)  # type: ignore[union-attr]
    ]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(requirement.name) or []:
            nested = Requirement(text)
            extras_of = {""} | requirement.extras
            if nested.marker is None or any(
                nested.marker.evaluate({"extra": extra}) for extra in extras_of
            ):
                todo.append(nested)
    return seen


def server_only() -> set[str]:
    return closure(["server"]) - closure()


def top_level_modules(names: set[str]) -> set[str]:
    return {
        module
        for module, distributions in metadata.packages_distributions().items()
        if any(canonicalize_name(d) in names for d in distributions)
    }


def locked_names(path: Path) -> set[str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {canonicalize_name(name) for name in pins}


def test_the_client_install_brings_none_of_the_server_libraries() -> None:
    client = closure()
    assert "pyside6-essentials" in client and "httpx" in client
    assert server_only() >= HEAVY_SERVER_LIBRARIES
    assert client & HEAVY_SERVER_LIBRARIES == set()
    # The lock a desktop install uses agrees.
    assert locked_names(ROOT / "requirements" / "client.txt") & server_only() == set()
    assert locked_names(ROOT / "requirements" / "server.txt") >= HEAVY_SERVER_LIBRARIES


def test_the_client_code_imports_nothing_from_the_server_only_libraries() -> None:
    import ast

    forbidden = top_level_modules(server_only())
    assert {"fastapi", "sqlalchemy", "ortools"} <= forbidden
    found = []
    for path in sorted(CLIENT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [
                f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in forbidden
            ]
    assert found == []


def test_the_demo_checks_modules_of_the_server_extra() -> None:
    providers = metadata.packages_distributions()
    for module in demo.SERVER_MODULES:
        assert {canonicalize_name(d) for d in providers[module]} <= server_only(), module


@pytest.fixture(scope="module")
def client_only_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder holding links to the client's distributions, and nothing else."""
    site = tmp_path_factory.mktemp("client-only-site")
    wanted = closure()
    others = {canonicalize_name(d.metadata["Name"]) for d in metadata.distributions()} - wanted
    mine: dict[str, Path] = {}
    theirs: set[str] = set()
    for distribution in metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name == "imagin":
            continue  # the project itself comes from its folder, below
        for file in distribution.files or []:
            parts = Path(file).parts
            if not parts or parts[0] == ".." or parts[0].endswith(".pth"):
                continue
            top = parts[0]
            if name in wanted:
                mine[top] = Path(distribution.locate_file(top))
            elif name in others:
                theirs.add(top)
    shared = {top for top in mine if top in theirs and not top.endswith((".dist-info", ".libs"))}
    # A folder shared with a server-only distribution would let its modules through.
    assert shared <= {"__pycache__", "bin"}, shared
    for top, source in mine.items():
        if top not in {"__pycache__", "bin"}:
            (site / top).symlink_to(source)
    return site


def run_client_only(site: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")} | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(site)]),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        # -S: without the virtual environment's site-packages (nor its .pth files).
        [sys.executable, "-S", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_client_module_imports_without_the_server_libraries(client_only_site: Path) -> None:
    code = """
import importlib, pkgutil, sys
import client
for blocked in ("fastapi", "sqlalchemy", "psycopg", "ortools", "uvicorn", "server_stub.cli"):
    try:
        importlib.import_module(blocked)
    except ImportError:
        pass
    else:
        sys.exit(f"{blocked} is importable: the environment is not client-only")
modules = [m.name for m in pkgutil.walk_packages(client.__path__, "client.")]
for name in modules:
    importlib.import_module(name)
print(len(modules))
"""
    result = run_client_only(client_only_site, code)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 50


def test_the_demo_without_the_server_extra_says_what_to_install(client_only_site: Path) -> None:
    code = "import sys; from client.app import main; sys.exit(main(['--demo']))"
    result = run_client_only(client_only_site, code)
    assert result.returncode == 2, result.stderr
    assert "pip install 'imagin[server]'" in result.stderr
    assert "n'est pas installé ici" in result.stderr


def test_the_server_command_without_its_libraries_says_what_to_install(
    client_only_site: Path,
) -> None:
    code = "import sys; from server_stub.launcher import main; sys.exit(main(['init-db']))"
    result = run_client_only(client_only_site, code)
    assert result.returncode == 2, result.stderr
    assert "pip install 'imagin[server]'" in result.stderr


def test_the_demo_finds_its_server_in_a_full_install() -> None:
    assert demo.missing_server() is None
