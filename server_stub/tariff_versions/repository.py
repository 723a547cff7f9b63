"""SQL of the added tariff versions and of the statements a new version would change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.reference.models import Convocation, Mission
from server_stub.statements.models import Statement, Status
from server_stub.tariff_versions.models import TariffVersion


def versions(session: Session) -> Sequence[TariffVersion]:
    return session.scalars(select(TariffVersion).order_by(TariffVersion.id)).all()


def authors(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.first_name, User.last_name).where(User.id.in_(ids)))
    return {row.id: f"{row.first_name} {row.last_name}" for row in rows}


def add(session: Session, version: TariffVersion) -> None:
    session.add(version)
    session.flush()


def statements_from(
    session: Session, day: dt.date, statuses: Sequence[Status]
) -> Sequence[Statement]:
    """The statements of `statuses` whose mission ends on or after `day`, by id."""
    query = (
        select(Statement)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .where(Mission.end_date >= day, Statement.status.in_(list(statuses)))
        .order_by(Statement.id)
    )
    return session.scalars(query).all()


def count_from(session: Session, day: dt.date, statuses: Sequence[Status]) -> int:
    query = (
        select(func.count())
        .select_from(Statement)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .where(Mission.end_date >= day, Statement.status.in_(list(statuses)))
    )
    return session.scalar(query) or 0
