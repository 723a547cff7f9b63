"""SQL for the DEC's statement queue: server-side filters and keyset paging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import RowMapping, func, or_, select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import MissionType
from server_stub.statements.models import Statement, Status


@dataclass(frozen=True)
class QueueFilter:
    office: str | None = None
    session_id: int | None = None
    exam_id: int | None = None
    paper_id: int | None = None
    centre_id: int | None = None
    mission_type: MissionType | None = None
    status: Status | None = None
    search: str | None = None


def queue_page(
    session: Session, where: QueueFilter, after_id: int | None, limit: int
) -> Sequence[RowMapping]:
    query = (
        select(
            Statement.id,
            Statement.status,
            Statement.total,
            Statement.submitted_at,
            User.first_name,
            User.last_name,
            User.login,
            Mission.type.label("mission_type"),
            Mission.start_date,
            Mission.end_date,
            Mission.label.label("mission_label"),
            Exam.name.label("exam"),
            Paper.code.label("paper_code"),
            Centre.name.label("centre"),
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(User, User.id == Statement.user_id)
        .join(Centre, Centre.id == Mission.centre_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .order_by(Statement.id)
        .limit(limit)
    )
    if after_id is not None:
        query = query.where(Statement.id > after_id)
    if where.office is not None:
        query = query.where(ExamSession.office == where.office)
    for column, value in (
        (Mission.session_id, where.session_id),
        (Paper.exam_id, where.exam_id),
        (Mission.paper_id, where.paper_id),
        (Mission.centre_id, where.centre_id),
        (Mission.type, where.mission_type),
        (Statement.status, where.status),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.search:
        pattern = f"%{where.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.last_name).like(pattern),
                func.lower(User.first_name).like(pattern),
                func.lower(User.login).like(pattern),
            )
        )
    return session.execute(query).mappings().all()
