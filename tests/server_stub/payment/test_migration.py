"""Migration 0007 turns the lines of the batches made before into parts, on both backends."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, text

from server_stub.core.migrate import alembic_config, upgrade
from tests.server_stub.dec.test_migration import empty

__all__ = ["empty"]


def test_the_lines_of_earlier_batches_become_parts(empty: Engine) -> None:
    config = alembic_config(empty.url.render_as_string(hide_password=False))
    with empty.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    now = dt.datetime(2026, 6, 20, tzinfo=dt.UTC)
    statements = (
        # id, user (1 interne, 2 externe), status, pay, travel (cents), batch
        (1, 1, "PAID", 4000, 3512, 1),
        (2, 2, "IN_PAYMENT", 2000, 0, 2),
        (3, 1, "IN_PAYMENT", 0, 0, 2),
    )
    with empty.begin() as connection:
        for sql in (
            "INSERT INTO exam_sessions (id, code, name, entry_deadline, office) "
            "VALUES (1, 'S', 'Session', '2026-08-31', 'DEC')",
            "INSERT INTO centres (id, code, name, address, commune_insee) "
            "VALUES (1, 'C', 'Lycée', 'rue', '80021')",
        ):
            connection.execute(text(sql))
        for mission_id in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO missions (id, session_id, type, centre_id, start_date, "
                    "end_date, start_time, end_time, travel_reimbursable) VALUES (:id, 1, "
                    "'CORRECTION', 1, '2026-06-15', '2026-06-15', '08:00:00', '12:00:00', true)"
                ),
                {"id": mission_id},
            )
        for user_id, academic in ((1, True), (2, False)):
            connection.execute(
                text(
                    "INSERT INTO users (id, login, first_name, last_name, role, academic, "
                    "password_hash, must_change_password, disability) "
                    "VALUES (:id, :login, 'A', 'B', 'INTERVENANT', :academic, 'x', false, false)"
                ),
                {"id": user_id, "login": f"u{user_id}", "academic": academic},
            )
        for batch_id, status, paid_on in ((1, "PAID", "2026-07-01"), (2, "IN_PAYMENT", None)):
            connection.execute(
                text(
                    "INSERT INTO payment_batches (id, office, status, created_at, execution_date, "
                    "paid_on, statement_count, transfer_count, transfer_total, payroll_count, "
                    "payroll_total, total) VALUES (:id, 'DEC', :status, :now, '2026-06-25', "
                    ":paid_on, 0, 0, 0, 0, 0, 0)"
                ),
                {"id": batch_id, "status": status, "now": now, "paid_on": paid_on},
            )
        for statement_id, user_id, status, pay, travel, batch_id in statements:
            connection.execute(
                text(
                    "INSERT INTO convocations (id, mission_id, user_id, issued_at) "
                    "VALUES (:id, :id, :user, :now)"
                ),
                {"id": statement_id, "user": user_id, "now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO statements (id, convocation_id, user_id, status, version, entry, "
                    "computation, pay_total, travel_total, total, car_km, payment_batch_id) "
                    "VALUES (:id, :id, :user, :status, 1, '{}', '{}', :pay, :travel, :total, 0, "
                    ":batch)"
                ),
                {
                    "id": statement_id,
                    "user": user_id,
                    "status": status,
                    "pay": pay,
                    "travel": travel,
                    "total": pay + travel,
                    "batch": batch_id,
                },
            )
            academic = user_id == 1
            connection.execute(
                text(
                    "INSERT INTO payment_lines (batch_id, statement_id, user_id, payroll_amount, "
                    "transfer_amount) VALUES (:batch, :id, :user, :payroll, :transfer)"
                ),
                {
                    "batch": batch_id,
                    "id": statement_id,
                    "user": user_id,
                    "payroll": pay if academic else 0,
                    "transfer": travel if academic else pay + travel,
                },
            )
    upgrade(empty)
    with empty.connect() as connection:
        parts = connection.execute(
            text(
                "SELECT statement_id, part, channel, amount, status, settled_on "
                "FROM payment_parts ORDER BY statement_id, part"
            )
        ).all()
        states = connection.execute(
            text("SELECT id, pay_payment, travel_payment FROM statements ORDER BY id")
        ).all()
    assert [(p[0], p[1], p[2], p[3], p[4], str(p[5]) if p[5] else None) for p in parts] == [
        (1, "PAY", "PAYROLL", 4000, "PAID", "2026-07-01"),
        (1, "TRAVEL", "TRANSFER", 3512, "PAID", "2026-07-01"),
        (2, "PAY", "TRANSFER", 2000, "IN_PAYMENT", None),
        (3, "PAY", "PAYROLL", 0, "IN_PAYMENT", None),
    ]
    assert [tuple(s) for s in states] == [
        (1, "PAID", "PAID"),
        (2, "IN_PAYMENT", None),
        (3, "IN_PAYMENT", None),
    ]
