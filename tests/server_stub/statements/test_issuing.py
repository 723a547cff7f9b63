"""Issuing convocations: the set-based path of an import writes what `issue` writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.reference.models import Convocation, Mission
from server_stub.statements.issuing import issue, issue_new
from server_stub.statements.models import AuditEntry, Statement
from tests.server_stub.factories import World

NOW = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
IDS = {"id", "convocation_id", "statement_id", "mission_id"}


def _written(db: Session, mission: Mission) -> list[dict[str, Any]]:
    """Each convocation of the mission with its statement and audit trail, ids left out."""
    db.expire_all()
    rows = []
    for convocation in db.scalars(
        select(Convocation).where(Convocation.mission_id == mission.id).order_by(Convocation.id)
    ):
        statement = db.scalars(
            select(Statement).where(Statement.convocation_id == convocation.id)
        ).one()
        trail = db.scalars(select(AuditEntry).where(AuditEntry.statement_id == statement.id)).all()
        rows.append(
            {
                "convocation": _columns(convocation),
                "statement": _columns(statement),
                "trail": [_columns(entry) for entry in trail],
            }
        )
    return rows


def _columns(row: object) -> dict[str, Any]:
    table = row.__table__  # type: ignore[attr-defined]
    return {c.key: getattr(row, c.key) for c in table.columns if c.key not in IDS}


def test_issuing_new_convocations_in_bulk_writes_what_issuing_one_by_one_does(
    db: Session, world: World
) -> None:
    people = [world.person(last_name=name) for name in ("Dupont", "Lefèvre", "Nguyen")]
    gestionnaire = world.gestionnaire()
    one_by_one, in_bulk, other = world.mission(), world.mission(), world.mission()

    issue(db, one_by_one, people, gestionnaire, NOW)
    count = issue_new(
        db,
        [(in_bulk.id, p.id) for p in people] + [(other.id, people[0].id)],
        gestionnaire,
        NOW,
    )
    db.commit()

    assert count == 4
    expected = _written(db, one_by_one)
    assert len(expected) == 3 and all(len(row["trail"]) == 1 for row in expected)
    assert _written(db, in_bulk) == expected
    assert _written(db, other) == expected[:1]


def test_nothing_to_issue_writes_nothing(db: Session, world: World) -> None:
    assert issue_new(db, [], None, NOW) == 0
    assert db.scalars(select(Convocation)).all() == []
