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


# The index each sort walks: the queue is read in its order, a page at a time.
INDEX = {
    QueueSort.ID: "statements_pkey",
    QueueSort.INTERVENANT: "ix_users_name",
    QueueSort.START_DATE: "ix_missions_start_date_id",
    QueueSort.TOTAL: "ix_statements_total_id",
    QueueSort.STATUS: "ix_statements_status_rank_id",
}


def _walks_an_index(engine: Engine, plan: Any, sort: QueueSort) -> bool:
    if engine.dialect.name == "postgresql":
        nodes = _nodes(plan[0]["Plan"])
        big = {"statements", "convocations", "missions", "users"}
        scanned = {n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}
        indexes = {n.get("Index Name") for n in nodes}
        # A whole sort of the queue is refused; an incremental one sorts a group at a time
        # (the statements of one person, or of one mission).
        return (
            not big & scanned
            and "Sort" not in {n["Node Type"] for n in nodes}
            and INDEX[sort] in indexes
        )
    # SQLite: the first table is scanned in the order of the sort's index (the id sort: the
    # table itself); a temporary B-tree may only order the rows of one group, never the queue.
    first = plan[0] if sort is QueueSort.ID else plan[0].removesuffix(f" USING INDEX {INDEX[sort]}")
    return (
        not any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in plan)
        and first in {"SCAN statements", "SCAN users", "SCAN missions"}
        and (sort is QueueSort.ID or first != plan[0])
    )


def test_each_sort_reads_its_first_page_from_an_index(engine: Engine, db: Session) -> None:
    _fill(db)
    sorting = {
        (sort.value, descending): plan
        for sort in QueueSort
        for descending in (False, True)
        if not _walks_an_index(engine, plan := _plan(engine, db, sort, descending), sort)
    }
    assert not sorting, json.dumps(sorting, indent=1, default=str)
