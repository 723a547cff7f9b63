"""Audit entries written in bulk read back as the ORM reads any other: the moment in UTC, the
details as they were given, every column in place, on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.dec import repository
from server_stub.statements.models import AuditEntry
from tests.server_stub.factories import World


def test_entries_written_in_bulk_read_back_as_written(world: World, db: Session) -> None:
    person = world.person()
    statement = world.statement(person)
    at = dt.datetime(2026, 7, 1, 12, 30, 15, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    repository.audit_many(
        db,
        [
            {
                "statement_id": statement.id,
                "actor_id": person.id,
                "at": at,
                "action": "PART_PAID",
                "from_status": "IN_PAYMENT",
                "to_status": "IN_PAYMENT",
                "reason": "Indemnités payées le 01/07/2026 : lot 2026-07-000001.",
            },
            {
                "statement_id": statement.id,
                "actor_id": None,
                "at": at,
                "action": "CORRECT",
                "details": {"lignes": ["frais de repas", "é"], "avant": None},
            },
        ],
    )
    db.expire_all()
    entries = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.statement_id == statement.id, AuditEntry.action != "ISSUE")
        .order_by(AuditEntry.id)
    ).all()
    assert [
        (e.actor_id, e.at, e.action, e.from_status, e.to_status, e.reason, e.details)
        for e in entries
    ] == [
        (
            person.id,
            dt.datetime(2026, 7, 1, 10, 30, 15, 250_000, tzinfo=dt.UTC),
            "PART_PAID",
            "IN_PAYMENT",
            "IN_PAYMENT",
            "Indemnités payées le 01/07/2026 : lot 2026-07-000001.",
            None,
        ),
        (
            None,
            dt.datetime(2026, 7, 1, 10, 30, 15, 250_000, tzinfo=dt.UTC),
            "CORRECT",
            None,
            None,
            None,
            {"lignes": ["frais de repas", "é"], "avant": None},
        ),
    ]
