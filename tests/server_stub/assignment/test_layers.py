"""The solver and its companions are pure: no web framework, no database."""

from __future__ import annotations

from pathlib import Path

from tests.client.test_layers import offenders

PACKAGE = Path(__file__).resolve().parents[3] / "server_stub" / "assignment"
PURE = ["solver.py", "costing.py", "checks.py", "explanation.py", "synthetic.py", "letter.py"]


def test_the_solver_and_the_cost_model_import_neither_fastapi_nor_sqlalchemy() -> None:
    files = [PACKAGE / name for name in PURE]
    assert offenders(files, {"fastapi", "starlette", "sqlalchemy", "alembic", "pydantic"}) == []


def test_the_server_does_not_import_the_client_for_its_letters() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert offenders(files, {"client", "PySide6"}) == []
