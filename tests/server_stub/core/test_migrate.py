"""Server processes starting together on PostgreSQL upgrade the schema once, without a race."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.server_stub.conftest import POSTGRES_URL


def test_processes_starting_together_upgrade_the_schema_once() -> None:
    schema = f"imagin_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    # Separate processes, as in production (Alembic's context is global to a process).
    code = (
        "import sys; from sqlalchemy import create_engine; "
        "from server_stub.core.migrate import upgrade; "
        "upgrade(create_engine(sys.argv[1], connect_args={'options': sys.argv[2]}))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, POSTGRES_URL, f"-csearch_path={schema}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        errors = [process.communicate(timeout=180)[1] for process in processes]
        failures = [e for e, p in zip(errors, processes, strict=True) if p.returncode]
        assert failures == []
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(versions) == 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
