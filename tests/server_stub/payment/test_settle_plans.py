"""A bank statement's answers reach their parts, then their statements, by primary key, not by
reading every part of every batch nor every statement: on PostgreSQL the one UPDATE joined to
the rows sent as one JSON document, on SQLite the UPDATE by id executed for each (an `EXPLAIN`
of each, at a realistic size). On PostgreSQL the parts and the people are rewritten in place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from server_stub.core.bulk import id_array, json_rows
from server_stub.payment import camt, repository
from server_stub.payment.models import PaymentBatch, PaymentPart
from tests.server_stub.dec.test_queue_plans import CONVOCATIONS, PEOPLE, _fill, _nodes

ANSWERS = 200


def _batches(db: Session) -> None:
    """Two batches paying each of the 12,000 statements' two parts: 24,000 parts."""
    connection = db.connection()
    connection.execute(
        insert(PaymentBatch),
        [
            {
                "id": n,
                "office": "DEC",
                "status": "IN_PAYMENT",
                "created_at": dt.datetime(2026, 7, n, tzinfo=dt.UTC),
                "execution_date": dt.date(2026, 7, n + 1),
            }
            for n in (1, 2)
        ],
    )
    connection.execute(
        insert(PaymentPart),
        [
            {
                "batch_id": 1 + statement % 2,
                "statement_id": statement,
                "user_id": 1 + statement % 2000,
                "part": part,
                "channel": "TRANSFER",
                "amount": Decimal("12.50"),
                "status": "IN_PAYMENT",
            }
            for statement in range(1, CONVOCATIONS + 1)
            for part in ("PAY", "TRAVEL")
        ],
    )
    connection.exec_driver_sql("ANALYZE")


def test_the_answers_reach_their_parts_by_primary_key(engine: Engine, db: Session) -> None:
    _fill(db)
    _batches(db)
    ids = list(range(1, 2 * ANSWERS, 2))
    if engine.dialect.name == "postgresql":
        answers = [
            {
                "id": i,
                "status": "PAID",
                "settled_on": dt.date(2026, 7, 3),
                "settled_reference": f"BQ{i}",
                "return_code": None,
                "return_reason": None,
            }
            for i in ids
        ]
        plan: Any = db.execute(
            text(f"EXPLAIN (FORMAT JSON) {repository._SETTLE_FROM_JSON.text}"),
            {"rows": json_rows(answers, repository._SETTLED_COLUMNS), "ids": id_array(ids)},
        ).scalar_one()
        nodes = _nodes(plan[0]["Plan"])
        scanned = {n.get("Relation Name") for n in nodes if n["Node Type"] == "Seq Scan"}
        assert "payment_parts" not in scanned, nodes
        assert any(n.get("Index Name") == "payment_parts_pkey" for n in nodes), nodes
    else:
        steps = [
            row[-1]
            for row in db.execute(
                text(
                    "EXPLAIN QUERY PLAN UPDATE payment_parts SET status = 'PAID', "
                    "settled_on = '2026-07-03', settled_reference = 'BQ1', return_code = NULL, "
                    "return_reason = NULL WHERE payment_parts.id = 1"
                )
            )
        ]
        assert any("INTEGER PRIMARY KEY" in step for step in steps), steps
    # And the plan's statement does what the executemany does: each part its own answer.
    repository.settle_parts(
        db,
        [
            {
                "id": i,
                "status": "REJECTED" if i % 4 == 1 else "PAID",
                "settled_on": dt.date(2026, 7, 3),
                "settled_reference": f"BQ{i}",
                "return_code": "AC04" if i % 4 == 1 else None,
                "return_reason": "compte clôturé" if i % 4 == 1 else None,
            }
            for i in ids
        ],
    )
    rows = db.execute(
        text(
            "SELECT id, status, settled_on, settled_reference, return_code, return_reason "
            "FROM payment_parts WHERE status <> 'IN_PAYMENT' ORDER BY id"
        )
    ).all()
    assert [r[0] for r in rows] == ids
    assert all(r[3] == f"BQ{r[0]}" for r in rows)
    assert all(str(r[2]) == "2026-07-03" for r in rows)
    assert {(r[1], r[4], r[5]) for r in rows if r[0] % 4 == 1} == {
        ("REJECTED", "AC04", "compte clôturé")
    }
    assert {(r[1], r[4], r[5]) for r in rows if r[0] % 4 == 3} == {("PAID", None, None)}


def test_the_statements_new_states_reach_them_by_primary_key(engine: Engine, db: Session) -> None:
    _fill(db)
    ids = list(range(1, 2 * ANSWERS, 2))
    before = {i: v for i, v in db.execute(text("SELECT id, version FROM statements"))}
    states = [
        {
            "id": i,
            "pay_payment": "PAID",
            "travel_payment": "REJECTED" if i % 4 == 1 else None,
            "status": "PAID" if i % 4 == 3 else "IN_PAYMENT",
            "version": before[i] + 2,
        }
        for i in ids
    ]
    if engine.dialect.name == "postgresql":
        plan: Any = db.execute(
            text(f"EXPLAIN (FORMAT JSON) {repository._STATES_FROM_JSON.text}"),
            {
                "rows": json_rows(
                    states, ("id", "pay_payment", "travel_payment", "status", "version")
                ),
                "ids": id_array(ids),
            },
        ).scalar_one()
        nodes = _nodes(plan[0]["Plan"])
        scanned = {n.get("Relation Name") for n in nodes if n["Node Type"] == "Seq Scan"}
        assert "statements" not in scanned, nodes
        assert any(n.get("Index Name") == "statements_pkey" for n in nodes), nodes
        locking = db.execute(
            text("EXPLAIN (FORMAT JSON) SELECT id FROM statements WHERE id = ANY(:ids)"),
            {"ids": ids},
        ).scalar_one()
        assert "Seq Scan" not in {n["Node Type"] for n in _nodes(locking[0]["Plan"])}
    else:
        steps = [
            row[-1]
            for row in db.execute(
                text(
                    "EXPLAIN QUERY PLAN UPDATE statements SET pay_payment = 'PAID', "
                    "travel_payment = NULL, status = 'PAID', version = 3 WHERE id = 1"
                )
            )
        ]
        assert any("INTEGER PRIMARY KEY" in step for step in steps), steps
    repository.write_payment_states(db, states)
    rows = db.execute(
        text(
            "SELECT id, pay_payment, travel_payment, status, version FROM statements "
            "WHERE pay_payment IS NOT NULL ORDER BY id"
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (s["id"], s["pay_payment"], s["travel_payment"], s["status"], s["version"]) for s in states
    ]
    assert len(repository.payment_states(db, ids)) == len(ids)


def test_the_answers_rewrite_parts_and_people_where_they_lie(engine: Engine, db: Session) -> None:
    """PostgreSQL: every part answered, however long its reference or reason, and every person
    whose last payment moves is a HOT update (the new row on the old one's page, no index
    written): all the rows of each page are rewritten together, and the pages keep room."""
    if engine.dialect.name != "postgresql":
        pytest.skip("HOT updates are PostgreSQL's")
    _fill(db)
    _batches(db)
    longest = max(camt.return_reasons().items(), key=lambda item: len(item[1]))
    repository.settle_parts(
        db,
        [
            {
                "id": i,
                "status": "REJECTED" if i % 10 == 0 else "PAID",
                "settled_on": dt.date(2026, 7, 3),
                "settled_reference": f"{i:035d}",
                "return_code": longest[0] if i % 10 == 0 else None,
                "return_reason": longest[1] if i % 10 == 0 else None,
            }
            for i in range(1, 2 * CONVOCATIONS + 1)
        ],
    )
    repository.mark_people_paid(
        db, range(1, PEOPLE + 1), dt.datetime(2026, 7, 3, 10, tzinfo=dt.UTC)
    )
    updates = {
        table: tuple(
            db.execute(
                text(
                    "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                    "WHERE relid = CAST(:table AS regclass)"
                ),
                {"table": table},
            ).one()
        )
        for table in ("payment_parts", "users")
    }
    assert updates == {"payment_parts": (24_000, 24_000), "users": (PEOPLE, PEOPLE)}
