"""Statements as the DEC finds them: filled and validated by their intervenants, in June 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.reference.models import Mission
from server_stub.statements import anomalies, repository
from server_stub.statements import service as statements_service
from server_stub.statements.lifecycle import Action
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import EntryIn
from tests.server_stub.conftest import TODAY
from tests.server_stub.factories import World

JUNE_15 = "2026-06-15"
SUBMITTED_AT = dt.datetime(2026, 6, 20, 9, 30, tzinfo=dt.UTC)


def copies(count: int = 40) -> dict[str, Any]:
    return {"days": [{"date": JUNE_15, "copies": count}]}


def car_trip(km: str = "112", **travel: Any) -> dict[str, Any]:
    return {
        "days": [{"date": JUNE_15, "copies": 40}],
        "travel": {
            "claimed": True,
            "departure": "ADMINISTRATIVE",
            "trips": [
                {
                    "depart_at": "2026-06-15T07:15:00",
                    "return_at": "2026-06-15T19:30:00",
                    "mode": "CAR",
                    "km": km,
                }
            ],
            "meals": [{"date": JUNE_15, "kind": "LUNCH"}],
            **travel,
        },
    }


_names = iter(f"Personne{n:04d}" for n in range(1, 100_000))


def intervenant(world: World, **profile: Any) -> User:
    last = next(_names)
    return world.person("Camille", last, **profile)


def gestionnaire(world: World, office: str = "DEC", name: str = "Lemaire") -> User:
    user = world.person("Gérard", name, role=Role.GESTIONNAIRE, fiscal_power=None, offices=[office])
    world.commit()
    return user


def submitted(
    world: World,
    user: User | None = None,
    mission: Mission | None = None,
    entry: dict[str, Any] | None = None,
    *,
    at: dt.datetime = SUBMITTED_AT,
    status: Status = Status.SUBMITTED,
    documents_received: bool = True,
) -> Statement:
    """A statement filled through the rules and validated by its intervenant; its supporting
    documents already received by the DEC unless `documents_received` is false."""
    user = user or intervenant(world)
    issued = world.statement(user, mission)
    statement = repository.get(world.db, issued.id)
    assert statement is not None
    statements_service.apply_entry(
        world.db,
        statement,
        statements_service.mission_of(world.db, statement),
        EntryIn.model_validate(entry if entry is not None else copies()),
    )
    statement.submitted_at = at
    if documents_received:
        statement.documents_received = {
            label: {"at": at.isoformat(), "by": "Gérard Lemaire"}
            for label in (statement.computation or {}).get("documents", [])
        }
    statements_service.move(world.db, statement, user, Action.SUBMIT, at)
    anomalies.refresh(world.db, [statement], TODAY)
    world.db.flush()
    if status is not Status.SUBMITTED:
        world.db.execute(
            update(Statement).where(Statement.id == statement.id).values(status=status)
        )
    world.commit()
    world.db.refresh(statement)
    return statement


def many_submitted(world: World, count: int, mission: Mission | None = None) -> list[int]:
    """`count` validated statements of one mission (empty entries: only the status matters)."""
    from server_stub.core import clock
    from server_stub.statements.issuing import issue

    mission = mission or world.mission()
    people = [intervenant(world) for _ in range(count)]
    issued = issue(world.db, mission, people, None, clock.now())
    ids = [s.id for _, s, _ in issued]
    world.db.execute(
        update(Statement)
        .where(Statement.id.in_(ids))
        .values(status=Status.SUBMITTED, submitted_at=SUBMITTED_AT)
    )
    world.commit()
    return ids


def status_of(db: Session, statement_id: int) -> Statement:
    db.expire_all()
    statement = db.get(Statement, statement_id)
    assert statement is not None
    return statement
