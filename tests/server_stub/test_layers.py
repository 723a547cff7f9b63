"""The server's walls, checked by reading its source (nothing is imported here): SQL is written
in repositories only, and neither its packages nor its modules import each other in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server_stub"

# --- SQL only in repositories -----------------------------------------------------------------

# What builds or runs a statement: SQLAlchemy's query constructs and loader options, imported from
# any of its modules, and the calls that send SQL through a session or a connection.
SQL_CONSTRUCTS = frozenset(
    {
        "select",
        "insert",
        "update",
        "delete",
        "text",
        "func",
        "literal",
        "literal_column",
        "column",
        "table",
        "bindparam",
        "and_",
        "or_",
        "not_",
        "case",
        "cast",
        "exists",
        "union",
        "union_all",
        "tuple_",
        "null",
        "true",
        "false",
        "values",
        "lateral",
        "aliased",
        "joinedload",
        "selectinload",
        "subqueryload",
        "contains_eager",
        "load_only",
        "with_loader_criteria",
    }
)
SQL_CALLS = frozenset({"execute", "exec_driver_sql", "query", "scalars", "scalar"})
# A model declares its table: server defaults and index predicates are SQL of the schema.
SCHEMA_CONSTRUCTS = frozenset({"text", "true", "false"})
# Where SQL is written besides repositories, and why.
SQL_ALLOWED = {
    "server_stub/core/database.py": "the engine, the session, pings and statistics",
    "server_stub/demo/": "the demo and scale data generator writes in bulk",
    "server_stub/importing/": "the import of a session's missions writes in bulk",
    "server_stub/migrations/": "Alembic migrations are SQL",
}


@dataclass(frozen=True)
class Use:
    line: int
    what: str


def sql_uses(source: str) -> Iterator[Use]:
    """Every SQL construct a module imports from SQLAlchemy and every call that runs SQL."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            for alias in node.names:
                if alias.name in SQL_CONSTRUCTS:
                    yield Use(node.lineno, f"imports {alias.name} from {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    yield Use(node.lineno, f"imports {alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            yield Use(node.lineno, f"calls .{node.func.attr}()")


def is_repository(relative: str) -> bool:
    """`repository.py`, or any module of a `repository/` package."""
    parts = relative.split("/")
    return parts[-1] == "repository.py" or "repository" in parts[:-1]


def sql_offences(files: Mapping[str, str]) -> list[str]:
    """`path:line what` for every SQL use outside repositories and the allowed places."""
    found = []
    for relative, source in sorted(files.items()):
        if is_repository(relative) or any(relative.startswith(p) for p in SQL_ALLOWED):
            continue
        for use in sql_uses(source):
            schema = relative.endswith("/models.py") and use.what.split()[1] in SCHEMA_CONSTRUCTS
            if not (schema and use.what.startswith("imports ")):
                found.append(f"{relative}:{use.line} {use.what}")
    return found


def server_files() -> dict[str, str]:
    files = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(SERVER.rglob("*.py"))
    }
    assert files, f"no Python file under {SERVER}"
    return files


def test_sql_is_found_in_imports_and_calls() -> None:
    source = (
        "from sqlalchemy import Engine, select\n"
        "from sqlalchemy.orm import Session, joinedload\n"
        "import sqlalchemy as sa\n"
        "def f(session):\n"
        "    session.scalars(select(1))\n"
        "    session.get(object, 1)\n"
    )
    assert [(u.line, u.what) for u in sql_uses(source)] == sorted(
        [
            (1, "imports select from sqlalchemy"),
            (2, "imports joinedload from sqlalchemy.orm"),
            (3, "imports sqlalchemy"),
            (5, "calls .scalars()"),
        ]
    )


def test_sql_is_allowed_in_repositories_the_allowed_places_and_schema_defaults() -> None:
    query = "from sqlalchemy import select\n"
    files = {
        "server_stub/dec/repository.py": query,
        "server_stub/payment/repository/batches.py": query,
        "server_stub/demo/generate.py": query,
        "server_stub/statements/models.py": "from sqlalchemy import false, text\n",
        "server_stub/dec/models.py": query,
        "server_stub/dec/service.py": "def f(session):\n    session.execute(1)\n",
    }
    assert sql_offences(files) == [
        "server_stub/dec/models.py:1 imports select from sqlalchemy",
        "server_stub/dec/service.py:2 calls .execute()",
    ]


def test_sql_lives_in_repositories() -> None:
    assert sql_offences(server_files()) == []


def test_every_allowed_place_exists() -> None:
    for place in SQL_ALLOWED:
        assert (ROOT / place).exists(), f"{place} is allowed SQL but no longer exists"


# --- no import cycles -----------------------------------------------------------------------


def module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(relative: str, source: str, known: Iterable[str]) -> set[str]:
    """The server modules a file imports, wherever the import sits (functions, type-checking
    blocks), relative imports resolved; `from package import module` names the module."""
    modules = set(known)
    name = module_name(relative)
    package = name if relative.endswith("__init__.py") else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        candidates = []
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def module_graph(files: Mapping[str, str]) -> dict[str, set[str]]:
    known = {module_name(relative) for relative in files}
    return {
        module_name(relative): imports(relative, source, known)
        for relative, source in files.items()
    }


def package_of(module: str) -> str:
    """`server_stub.dec.actions` → `dec`; a top-level module (`server_stub.cli`) is its own."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph(modules: Mapping[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, targets in modules.items():
        own = package_of(module)
        graph.setdefault(own, set()).update(package_of(t) for t in targets if package_of(t) != own)
    return graph


def test_cycles_are_found_between_modules_and_packages() -> None:
    files = {
        "server_stub/statements/service.py": "from server_stub.dec import anomalies\n",
        "server_stub/dec/anomalies.py": "def f():\n    from server_stub.statements import facts\n",
        "server_stub/statements/facts.py": "from . import service\n",
        "server_stub/dec/__init__.py": "",
        "server_stub/statements/__init__.py": "",
    }
    modules = module_graph(files)
    assert modules["server_stub.statements.service"] == {
        "server_stub.dec",
        "server_stub.dec.anomalies",
    }
    assert cycles(modules) == [
        [
            "server_stub.dec.anomalies",
            "server_stub.statements.facts",
            "server_stub.statements.service",
        ]
    ]
    assert cycles(package_graph(modules)) == [["dec", "statements"]]


def test_no_two_server_packages_import_each_other_even_indirectly() -> None:
    assert cycles(package_graph(module_graph(server_files()))) == []


def test_no_server_modules_import_each_other_even_indirectly() -> None:
    assert cycles(module_graph(server_files())) == []
