"""The walls between layers, checked by reading the imports (nothing is imported here)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from tests.server_stub.test_layers import cycles, module_graph, module_name

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


# --- the import graph -------------------------------------------------------------------------


def client_files() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in python_files(CLIENT)
    }


def test_no_client_modules_import_each_other_even_indirectly() -> None:
    # Wherever the import sits: one inside a function closes a cycle as surely as one on top.
    assert cycles(module_graph(client_files())) == []


def runtime_imports(source: str) -> Iterator[str]:
    """What a file imports when it runs: everywhere but `if TYPE_CHECKING:` blocks."""

    def visit(nodes: Iterable[ast.AST]) -> Iterator[str]:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                yield from visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module
                yield from (f"{node.module}.{alias.name}" for alias in node.names)
            yield from visit(ast.iter_child_nodes(node))

    yield from visit(ast.parse(source).body)


# The one door from the Qt-free start-up to the interface: `imagin` hands over to Qt once the
# arguments, the log and the start-up settings are read.
QT_DOORS = {("client.app", "client.ui.application")}


def reached_qt(files: Mapping[str, str], doors: set[tuple[str, str]]) -> list[str]:
    """Each Qt-free module (outside client/ui) from which an import chain reaches Qt or the
    interface, with the chain."""
    modules = {module_name(relative): source for relative, source in files.items()}
    graph = {
        name: {
            target
            for target in runtime_imports(source)
            if not any(name == a and within(target, {b}) for a, b in doors)
            and (target in modules or within(target, {"PySide6", "shiboken6", "client.ui"}))
        }
        for name, source in modules.items()
    }
    found = []
    for start in sorted(m for m in modules if not within(m, {"client.ui"})):
        chain = {start: [start]}
        queue = [start]
        while queue:
            current = queue.pop(0)
            for target in sorted(graph.get(current, ())):
                if target in chain:
                    continue
                chain[target] = [*chain[current], target]
                if within(target, {"PySide6", "shiboken6", "client.ui"}):
                    found.append(" → ".join(chain[target]))
                    queue = []
                    break
                queue.append(target)
    return found


def test_a_qt_import_is_found_through_a_chain() -> None:
    files = {
        "client/app.py": "def main():\n    from client import startup\n",
        "client/startup.py": "from client.ui.context import AppContext\n",
        "client/ui/context.py": "from PySide6.QtCore import QObject\n",
        "client/drafts.py": "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from client.ui.context import AppContext\n",
    }
    assert reached_qt(files, set()) == [
        "client.app → client.startup → client.ui.context",
        "client.startup → client.ui.context",
    ]


def test_the_qt_free_modules_reach_no_qt_even_indirectly() -> None:
    assert reached_qt(client_files(), QT_DOORS) == []


# Modules of the interface that hold state and background work without a widget: their tests
# make none, so neither they nor anything they import may bring QtWidgets or QtGui in.
WIDGET_FREE = ["client.ui.ops", "client.ui.tasks", "client.ui.statement.session"]


def reached_widgets(files: Mapping[str, str], starts: Iterable[str]) -> list[str]:
    """Each chain of runtime imports from one of `starts` to QtWidgets or QtGui."""
    modules = {module_name(relative): source for relative, source in files.items()}
    found = []
    for start in starts:
        assert start in modules, f"{start} is not a client module"
        chain = {start: [start]}
        queue = [start]
        while queue:
            current = queue.pop(0)
            for target in sorted(set(runtime_imports(modules.get(current, "")))):
                if target in chain:
                    continue
                chain[target] = [*chain[current], target]
                if within(target, {"PySide6.QtWidgets", "PySide6.QtGui"}):
                    found.append(" → ".join(chain[target]))
                elif target in modules:
                    queue.append(target)
    return found


def test_a_widget_import_is_found_through_a_chain() -> None:
    files = {
        "client/ui/session.py": "def later():\n    from client.ui.bar import Bar\n",
        "client/ui/bar.py": "from PySide6.QtWidgets import QWidget\n",
    }
    assert reached_widgets(files, ["client.ui.session"]) == [
        "client.ui.session → client.ui.bar → PySide6.QtWidgets",
        "client.ui.session → client.ui.bar → PySide6.QtWidgets.QWidget",
    ]


def test_the_widget_free_modules_reach_no_widget_even_indirectly() -> None:
    assert reached_widgets(client_files(), WIDGET_FREE) == []
