"""SQL of the outbox: writing messages, claiming them across server processes, recording how
their sending went; the opt-outs; the statements a deadline reminder is due for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.repository import among
from server_stub.notifications.kinds import Kind
from server_stub.notifications.models import Delivery, OptOut, OutboxMessage
from server_stub.reference.models import Centre, Convocation, ExamSession, Mission, Paper
from server_stub.statements.models import Statement, Status

_OUTBOX = cast(Table, OutboxMessage.__table__)


def add(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Writes messages in the caller's transaction; one with a `dedupe_key` already written
    (by this process or another) is left out."""
    if not rows:
        return
    plain = [r for r in rows if r.get("dedupe_key") is None]
    keyed = [r for r in rows if r.get("dedupe_key") is not None]
    if plain:
        session.execute(insert(_OUTBOX), plain)
    if keyed:
        dialect = session.get_bind().dialect.name
        upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            upsert(_OUTBOX).on_conflict_do_nothing(index_elements=[_OUTBOX.c.dedupe_key]), keyed
        )


def claim(
    session: Session, worker: str, now: dt.datetime, until: dt.datetime, limit: int
) -> list[OutboxMessage]:
    """Takes up to `limit` due messages nobody holds, for `worker` until `until`.

    On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`: processes claiming at once
    take different rows without waiting for each other. SQLite lets one writer in at a time;
    the lease, checked again by the UPDATE itself, keeps a held row from being taken twice.
    """
    free = or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now)
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == Delivery.PENDING,
            OutboxMessage.next_attempt_at <= now,
            free,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        return []
    claimed = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == Delivery.PENDING, free)
        .values(lease_until=until, leased_by=worker, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(claimed, key=lambda m: m.id)


def mark_sent(session: Session, message_id: int, worker: str, at: dt.datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.leased_by == worker)
        .values(status=Delivery.SENT, sent_at=at, lease_until=None, last_error=None)
    )


def mark_failed(
    session: Session,
    message_id: int,
    worker: str,
    error: str,
    retry_at: dt.datetime | None,
) -> None:
    """Puts the message back for `retry_at`, or gives it up (None)."""
    values: dict[str, Any] = {"lease_until": None, "last_error": error[:500]}
    if retry_at is None:
        values["status"] = Delivery.FAILED
    else:
        values["next_attempt_at"] = retry_at
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.leased_by == worker)
        .values(**values)
    )


def messages(session: Session, user_id: int | None = None) -> Sequence[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return session.scalars(query).all()


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {str(status): int(count) for status, count in rows}


# --- opt-outs ---------------------------------------------------------------------------------


def opted_out(session: Session, user_ids: Sequence[int], kind: Kind) -> set[int]:
    if not user_ids:
        return set()
    return set(
        session.scalars(
            select(OptOut.user_id).where(
                among(session, OptOut.user_id, user_ids), OptOut.kind == kind
            )
        )
    )


def opt_outs_of(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(select(OptOut.kind).where(OptOut.user_id == user_id)))


def set_opt_outs(session: Session, user_id: int, kinds: Sequence[Kind]) -> None:
    session.execute(delete(OptOut).where(OptOut.user_id == user_id))
    session.add_all(OptOut(user_id=user_id, kind=k) for k in kinds)


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str | None
    full_name: str


def recipients(session: Session, user_ids: Sequence[int]) -> dict[int, Recipient]:
    """Who each message goes to: the four columns, not the whole person (thousands at once)."""
    if not user_ids:
        return {}
    query = select(User.id, User.email, User.first_name, User.last_name).where(
        among(session, User.id, user_ids)
    )
    return {
        user_id: Recipient(user_id, email, f"{first} {last}")
        for user_id, email, first, last in session.execute(query)
    }


# --- deadline reminders ----------------------------------------------------------------------


def reminders_due(
    session: Session, today: dt.date, last_day: dt.date
) -> list[tuple[int, int, int, dt.date]]:
    """(statement id, user id, mission id, deadline) of each statement still to send to the
    DEC whose session's entry deadline falls between today and `last_day`, for missions that
    have begun."""
    query = (
        select(Statement.id, Statement.user_id, Mission.id, ExamSession.entry_deadline)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .where(
            Statement.status.in_([Status.OPEN, Status.RETURNED]),
            ExamSession.entry_deadline >= today,
            ExamSession.entry_deadline <= last_day,
            Mission.start_date <= today,
        )
        .order_by(Statement.id)
    )
    return [(s, u, m, d) for s, u, m, d in session.execute(query)]


def statement_owners(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, Any]]:
    """Each statement's person and total (what a payment's message needs, no mission)."""
    if not ids:
        return {}
    query = select(Statement.id, Statement.user_id, Statement.total).where(
        among(session, Statement.id, ids)
    )
    return {
        statement_id: (user_id, amount) for statement_id, user_id, amount in session.execute(query)
    }


def statement_missions(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each statement's person, total and mission (type, dates, paper, centre, session)."""
    if not ids:
        return {}
    query = (
        select(
            Statement.id,
            Statement.user_id,
            Statement.total,
            Mission.type,
            Mission.start_date,
            Mission.end_date,
            Paper.name.label("paper"),
            Centre.name.label("centre"),
            ExamSession.name.label("session"),
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(Centre, Centre.id == Mission.centre_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .where(Statement.id.in_(list(set(ids))))
    )
    return {row["id"]: dict(row) for row in session.execute(query).mappings()}
