"""Issuing a convocation creates its expense statement (DOMAIN §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.core.errors import InvalidInput
from server_stub.reference.models import Convocation, Mission
from server_stub.statements import repository
from server_stub.statements.models import Statement, Status


def issue(
    session: Session, mission: Mission, users: Iterable[User], actor: User | None, now: dt.datetime
) -> list[tuple[Convocation, Statement, bool]]:
    """Convenes each person to the mission; an existing convocation is returned unchanged."""
    people = list(users)
    if any(u.role != Role.INTERVENANT for u in people):
        message = "Seuls des intervenants peuvent être convoqués."
        raise InvalidInput(message, fields={"user_ids": message})
    existing = {
        c.user_id: (c, s)
        for c, s in session.execute(
            select(Convocation, Statement)
            .join(Statement, Statement.convocation_id == Convocation.id)
            .where(Convocation.mission_id == mission.id)
        ).all()
    }
    issued: list[tuple[Convocation, Statement, bool]] = []
    for user in people:
        if user.id in existing:
            issued.append((*existing[user.id], False))
            continue
        convocation = Convocation(mission=mission, user=user, issued_at=now)
        statement = Statement(
            convocation=convocation, user_id=user.id, status=Status.OPEN, entry={}, computation={}
        )
        session.add_all([convocation, statement])
        issued.append((convocation, statement, True))
    session.flush()
    for _, statement, created in issued:
        if created:
            repository.audit(session, statement, actor, "ISSUE", now, to_status=Status.OPEN)
    return issued
