"""SQL of the administrator's screens: accounts with their memberships, the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from server_stub.audit.models import AuditEvent
from server_stub.auth.models import (
    CentreMembership,
    LoginFailure,
    OfficeMembership,
    Role,
    User,
)
from server_stub.reference.models import Centre


def accounts(
    session: Session, search: str | None, role: Role | None, active: bool | None, limit: int
) -> Sequence[User]:
    query = select(User).order_by(User.last_name, User.first_name, User.id).limit(limit)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.login).like(pattern),
                func.lower(User.last_name).like(pattern),
                func.lower(User.first_name).like(pattern),
                func.lower(User.email).like(pattern),
            )
        )
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return session.scalars(query).all()


def memberships(
    session: Session, user_ids: Sequence[int]
) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    offices: dict[int, list[str]] = {}
    centres: dict[int, list[int]] = {}
    if not user_ids:
        return offices, centres
    for user_id, office in session.execute(
        select(OfficeMembership.user_id, OfficeMembership.office)
        .where(OfficeMembership.user_id.in_(list(user_ids)))
        .order_by(OfficeMembership.office)
    ):
        offices.setdefault(user_id, []).append(office)
    for user_id, centre in session.execute(
        select(CentreMembership.user_id, CentreMembership.centre_id)
        .where(CentreMembership.user_id.in_(list(user_ids)))
        .order_by(CentreMembership.centre_id)
    ):
        centres.setdefault(user_id, []).append(centre)
    return offices, centres


def locked_logins(session: Session, logins: Sequence[str], now: dt.datetime) -> set[str]:
    if not logins:
        return set()
    return set(
        session.scalars(
            select(LoginFailure.login).where(
                LoginFailure.login.in_([login.lower() for login in logins]),
                LoginFailure.wait_until > now,
            )
        )
    )


def unlock(session: Session, login: str) -> int:
    result = session.execute(delete(LoginFailure).where(LoginFailure.login == login.lower()))
    return int(result.rowcount)  # type: ignore[attr-defined]


def replace_memberships(
    session: Session, user_id: int, offices: Sequence[str], centres: Sequence[int]
) -> None:
    session.execute(delete(OfficeMembership).where(OfficeMembership.user_id == user_id))
    session.execute(delete(CentreMembership).where(CentreMembership.user_id == user_id))
    session.add_all(OfficeMembership(user_id=user_id, office=o) for o in dict.fromkeys(offices))
    session.add_all(CentreMembership(user_id=user_id, centre_id=c) for c in dict.fromkeys(centres))


def existing_centres(session: Session, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(Centre.id).where(Centre.id.in_(list(ids)))))


def audit_events(
    session: Session,
    *,
    actor_id: int | None,
    action: str | None,
    target_type: str | None,
    target_id: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
) -> list[tuple[AuditEvent, str | None, str | None]]:
    query = (
        select(AuditEvent, User.first_name, User.last_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    for column, value in (
        (AuditEvent.actor_id, actor_id),
        (AuditEvent.action, action),
        (AuditEvent.target_type, target_type),
        (AuditEvent.target_id, target_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return [(e, first, last) for e, first, last in session.execute(query)]
