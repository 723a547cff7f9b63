"""The walls between layers, checked by reading the imports (nothing is imported here)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"
RULES = ROOT / "server_stub" / "rules"


def imported(path: Path) -> Iterator[str]:
    """Every module a file imports absolutely, wherever the import sits (functions,
    `if TYPE_CHECKING:` blocks). Relative imports stay inside their package: skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def within(module: str, packages: Iterable[str]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def offenders(
    files: Iterable[Path], forbidden: set[str], allowed: frozenset[str] = frozenset()
) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} imports {module}"
        for path in files
        for module in set(imported(path))
        if within(module, forbidden) and not within(module, allowed)
    )


def python_files(folder: Path, excluded: Path | None = None) -> list[Path]:
    files = sorted(folder.rglob("*.py"))
    assert files, f"no Python file under {folder}"
    return [p for p in files if excluded is None or not p.is_relative_to(excluded)]


def test_imports_are_read_from_anywhere_in_a_file(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "if TYPE_CHECKING:\n"
        "    from PySide6.QtCore import QObject\n"
        "def later():\n"
        "    import server_stub.rules.pay, json\n",
        encoding="utf-8",
    )
    assert set(imported(sample)) == {"typing", "PySide6.QtCore", "server_stub.rules.pay", "json"}
    assert offenders([sample], {"PySide6"}) == [f"{sample} imports PySide6.QtCore"]


def test_only_the_interface_imports_qt() -> None:
    files = python_files(CLIENT, excluded=CLIENT / "ui")
    assert offenders(files, {"PySide6", "shiboken6"}) == []


def test_the_client_never_imports_the_server() -> None:
    assert offenders(python_files(CLIENT), {"server_stub"}) == []


def test_the_rules_import_neither_fastapi_nor_sqlalchemy() -> None:
    assert offenders(python_files(RULES), {"fastapi", "starlette", "sqlalchemy", "alembic"}) == []


def test_the_rules_import_no_other_part_of_the_server() -> None:
    # server_stub.core or a domain package would bring FastAPI and SQLAlchemy in through the back.
    rules = frozenset({"server_stub.rules"})
    assert offenders(python_files(RULES), {"server_stub"}, allowed=rules) == []
