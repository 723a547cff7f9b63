"""Migration 0002 upgrades a database that already holds statements, on both backends."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from server_stub.core.database import make_engine
from server_stub.core.migrate import alembic_config, upgrade
from tests.server_stub.conftest import POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"imagin_mig_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # pragma: no cover - as the suite's own PostgreSQL fixture
        pytest.skip(f"PostgreSQL unreachable: {error}")
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrading_keeps_the_statements_and_fills_the_new_columns(empty: Engine) -> None:
    config = alembic_config(empty.url.render_as_string(hide_password=False))
    with empty.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    now = dt.datetime(2026, 6, 20, tzinfo=dt.UTC)
    with empty.begin() as connection:
        for sql, values in (
            (
                "INSERT INTO exam_sessions (id, code, name, entry_deadline, office) "
                "VALUES (1, 'S', 'Session', '2026-08-31', 'DEC')",
                {},
            ),
            (
                "INSERT INTO centres (id, code, name, address, commune_insee) "
                "VALUES (1, 'C', 'Lycée', 'rue', '80021')",
                {},
            ),
            (
                "INSERT INTO users (id, login, first_name, last_name, role, academic, "
                "password_hash, must_change_password, failed_logins, disability) "
                "VALUES (1, 'u', 'A', 'B', 'INTERVENANT', true, 'x', false, 0, false)",
                {},
            ),
            (
                "INSERT INTO missions (id, session_id, type, centre_id, start_date, end_date, "
                "start_time, end_time, travel_reimbursable) VALUES (1, 1, 'SURVEILLANCE', 1, "
                "'2026-06-15', '2026-06-15', '08:00:00', '12:00:00', true)",
                {},
            ),
            (
                "INSERT INTO convocations (id, mission_id, user_id, issued_at) "
                "VALUES (1, 1, 1, :now)",
                {"now": now},
            ),
            (
                "INSERT INTO statements (id, convocation_id, user_id, status, version, entry, "
                "computation, pay_total, travel_total, total, car_km) "
                "VALUES (1, 1, 1, 'SUBMITTED', 3, '{}', '{}', 0, 0, 0, 0)",
                {},
            ),
            (
                "INSERT INTO audit_entries (statement_id, actor_id, at, action) "
                "VALUES (1, 1, :now, 'SUBMIT')",
                {"now": now},
            ),
        ):
            connection.execute(text(sql), values)
    upgrade(empty)
    with empty.connect() as connection:
        row = connection.execute(
            text(
                "SELECT version, anomaly_count, anomaly_codes, dec_corrected, payment_batch_id "
                "FROM statements WHERE id = 1"
            )
        ).one()
        assert tuple(row) == (3, 0, "", False, None)
        assert connection.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM payment_batches")).scalar() == 0
