"""The DEC's queue of a large académie: its first page, sorted by any column, is walked in the
order of an index, not read whole and sorted (an `EXPLAIN` of each, at a realistic size)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.dec.repository import QueueFilter, QueueSort, page_query
from server_stub.reference.models import Centre, Convocation, ExamSession, Mission
from server_stub.statements.models import STATUS_ORDER, STATUS_RANK_SQL, Statement

PEOPLE = 2_000
MISSIONS = 400
CONVOCATIONS = 12_000  # 30 per mission, 6 per person
MIGRATION = Path(__file__).parents[3] / "server_stub/migrations/versions/0013_queue_sort_indexes.py"


def _fill(db: Session) -> None:
    """A session of 12,000 statements written in bulk, then measured (as a load leaves it)."""
    connection = db.connection()
    connection.execute(
        insert(ExamSession),
        [
            {
                "id": 1,
                "code": "S1",
                "name": "Session",
                "office": "DEC",
                "entry_deadline": dt.date(2026, 9, 1),
            }
        ],
    )
    connection.execute(
        insert(Centre),
        [
            {
                "id": n,
                "code": f"C{n}",
                "name": f"Lycée {n}",
                "address": "-",
                "commune_insee": "80021",
            }
            for n in range(1, 21)
        ],
    )
    connection.execute(
        insert(User),
        [
            {
                "id": n,
                "login": f"p{n}",
                "first_name": f"Prénom{n % 37}",
                "last_name": f"Nom{n % 211}",
                "role": "INTERVENANT",
                "password_hash": "x",
            }
            for n in range(1, PEOPLE + 1)
        ],
    )
    first = dt.date(2026, 6, 1)
    connection.execute(
        insert(Mission),
        [
            {
                "id": n,
                "session_id": 1,
                "type": "REUNION",
                "centre_id": n % 20 + 1,
                "start_date": first + dt.timedelta(days=n % 30),
                "end_date": first + dt.timedelta(days=n % 30),
                "start_time": dt.time(9),
                "end_time": dt.time(12),
            }
            for n in range(1, MISSIONS + 1)
        ],
    )
    seats = CONVOCATIONS // MISSIONS
    now = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    convocations = [
        {"id": n + 1, "mission_id": n // seats + 1, "user_id": n % PEOPLE + 1, "issued_at": now}
        for n in range(CONVOCATIONS)
    ]
    connection.execute(insert(Convocation), convocations)
    connection.execute(
        insert(Statement),
        [
            {
                "id": c["id"],
                "convocation_id": c["id"],
                "user_id": c["user_id"],
                "status": STATUS_ORDER[c["id"] % len(STATUS_ORDER)],
                "version": 1,
                "entry": {},
                "computation": {},
                "total": c["id"] % 997,
            }
            for c in convocations
        ],
    )
    connection.exec_driver_sql("ANALYZE")


def _plan(engine: Engine, db: Session, sort: QueueSort, descending: bool) -> Any:
    query = page_query(QueueFilter(offices=frozenset({"DEC"})), sort, descending, None, 100)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    if engine.dialect.name == "postgresql":
        return db.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    return [row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


def test_the_migration_indexes_the_rank_the_queue_sorts_by() -> None:
    assert STATUS_RANK_SQL in " ".join(MIGRATION.read_text().replace('"\n    "', "").split())


def _walks_an_index(engine: Engine, plan: Any, sort: QueueSort) -> bool:
    if engine.dialect.name == "postgresql":
        nodes = _nodes(plan[0]["Plan"])
        big = {"statements", "convocations", "missions", "users"}
        scanned = {n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}
        # A whole sort of the queue is refused; an incremental one sorts a group at a time.
        return not big & scanned and "Sort" not in {n["Node Type"] for n in nodes}
    return not any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in plan) and not (
        "SCAN statements" in plan and sort is not QueueSort.ID
    )


def test_each_sort_reads_its_first_page_from_an_index(engine: Engine, db: Session) -> None:
    _fill(db)
    sorts = list(QueueSort)
    if engine.dialect.name == "sqlite":
        # SQLite's planner sorts the joined queue for the intervenant's name.
        sorts.remove(QueueSort.INTERVENANT)
    sorting = {
        (sort.value, descending): plan
        for sort in sorts
        for descending in (False, True)
        if not _walks_an_index(engine, plan := _plan(engine, db, sort, descending), sort)
    }
    assert not sorting, json.dumps(sorting, indent=1, default=str)
