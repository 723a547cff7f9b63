"""Issuing a convocation creates its expense statement (DOMAIN §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.core.errors import InvalidInput
from server_stub.reference.models import Convocation, Mission
from server_stub.statements import repository
from server_stub.statements.models import Statement, Status
from server_stub.statements.vocabulary import Recorded

Issued = list[tuple[Convocation, Statement, bool]]


def issue(
    session: Session, mission: Mission, users: Iterable[User], actor: User | None, now: dt.datetime
) -> Issued:
    """Convenes each person to the mission; an existing convocation is returned unchanged."""
    [issued] = issue_many(session, [(mission, list(users), now)], actor)
    return issued


def issue_many(
    session: Session,
    batches: Sequence[tuple[Mission, Sequence[User], dt.datetime]],
    actor: User | None,
) -> list[Issued]:
    """Convenes people to many missions at once, each batch (mission, people, when) as `issue`
    does: one query for the existing convocations, one flush, one write of the audit trail,
    whatever the number of missions (an import, the demo data, a session's convening)."""
    if any(u.role != Role.INTERVENANT for _, users, _ in batches for u in users):
        message = "Seuls des intervenants peuvent être convoqués."
        raise InvalidInput(message, fields={"user_ids": message})
    known = [m.id for m, _, _ in batches if m.id is not None]
    existing = {
        (c.mission_id, c.user_id): (c, s)
        for c, s in (repository.convocations_of_missions(session, known) if known else ())
    }
    result: list[Issued] = []
    for mission, users, now in batches:
        issued: Issued = []
        for user in users:
            found = existing.get((mission.id, user.id))
            if found is not None:
                issued.append((*found, False))
                continue
            convocation = Convocation(mission=mission, user=user, issued_at=now)
            statement = Statement(
                convocation=convocation,
                user_id=user.id,
                status=Status.OPEN,
                entry={},
                computation={},
            )
            session.add_all([convocation, statement])
            issued.append((convocation, statement, True))
        result.append(issued)
    session.flush()
    trail = repository.AuditTrail()
    for (_, _, now), issued in zip(batches, result, strict=True):
        for _, statement, created in issued:
            if created:
                trail.add(statement, actor, Recorded.ISSUE, now, to_status=Status.OPEN)
    trail.write(session)
    return result


def issue_new(
    session: Session,
    convocations: Sequence[tuple[int, int]],
    actor: User | None,
    now: dt.datetime,
) -> int:
    """Convenes people to missions none of them is convened to yet, each (mission id, person
    id) once: the same rows as `issue`, written by set-based statements rather than one row at
    a time (an import's thousands of convocations). Per group of missions, one statement each
    for the convocations, their statements and the audit trail, with no round trip per row.
    The people must be intervenants and the pairs new: the caller has checked both (an
    import's missions are created with it). Returns how many were issued."""
    if not convocations:
        return 0
    session.flush()  # the missions and accounts the pairs name
    repository.insert_new_convocations(session, convocations, actor.id if actor else None, now)
    return len(convocations)
