"""SQL for statements, their missions and their audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, bindparam, insert, literal_column, select
from sqlalchemy.orm import Session, joinedload

from server_stub.auth.models import User
from server_stub.core.database import read_rows
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import AuditEntry, Statement, Status

# Built once: building a statement costs more than running it from SQLAlchemy's cache.
_GET = select(Statement).where(Statement.id == bindparam("id"))
_GET_WITH_MISSION = _GET.options(
    joinedload(Statement.user),
    joinedload(Statement.convocation)
    .joinedload(Convocation.mission)
    .options(
        joinedload(Mission.paper).joinedload(Paper.exam).joinedload(Exam.session),
        joinedload(Mission.centre),
        joinedload(Mission.session),
    ),
)


def get(session: Session, statement_id: int) -> Statement | None:
    """The statement alone: its person, most often the caller, is then taken from the session
    without a query, and its mission is read as a row (`mission_row`)."""
    return session.scalars(_GET, {"id": statement_id}).one_or_none()


def get_with_mission(session: Session, statement_id: int) -> Statement | None:
    """The statement with its whole mission graph, for the DEC's checks of scope and type."""
    return session.scalars(_GET_WITH_MISSION, {"id": statement_id}).unique().one_or_none()


# A mission as people read it, in one flat row (facts.MissionRow): the lists are the busiest
# requests, and plain rows cost a fraction of a graph of ORM objects.
_Columns = TypeVarTuple("_Columns")
AnyRow = Row[*tuple[Any, ...]]
_MISSION_COLUMNS = (
    Mission.id.label("mission_id"),
    Mission.type.label("mission_type"),
    Mission.label.label("mission_label"),
    ExamSession.name.label("session_name"),
    Exam.name.label("exam_name"),
    Exam.speciality,
    Paper.code.label("paper_code"),
    Paper.name.label("paper_name"),
    Paper.kind.label("paper_kind"),
    Paper.evaluation_mode,
    Paper.optional_oral,
    Paper.pay_group,
    Paper.minutes_per_candidate,
    Mission.lot_size,
    Centre.name.label("centre_name"),
    Centre.address.label("centre_address"),
    Centre.commune_insee,
    Mission.start_date,
    Mission.end_date,
    Mission.start_time,
    Mission.end_time,
    Mission.travel_reimbursable,
)


def _with_mission(query: Select[*_Columns]) -> Select[*_Columns]:
    return (
        query.join(ExamSession, ExamSession.id == Mission.session_id)
        .join(Centre, Centre.id == Mission.centre_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
    )


_MISSIONS = _with_mission(
    select(Convocation.id.label("convocation_id"), *_MISSION_COLUMNS).join(
        Mission, Mission.id == Convocation.mission_id
    )
)
_MISSION = _MISSIONS.where(Convocation.id == bindparam("convocation_id"))
_MISSIONS_OF = _MISSIONS.where(Convocation.id.in_(bindparam("convocation_ids", expanding=True)))

_SUMMARIES = (
    _with_mission(
        select(
            Statement.id,
            Statement.convocation_id,
            Statement.status,
            Statement.total,
            Statement.computation,
            *_MISSION_COLUMNS,
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
    )
    .where(Statement.user_id == bindparam("user_id"))
    .order_by(Mission.start_date.desc(), Mission.start_time.desc(), Statement.id.desc())
)


def mission_row(session: Session, convocation_id: int) -> AnyRow:
    """The mission of a convocation (of its statement) as one flat row (facts.MissionRow)."""
    return read_rows(session, _MISSION, {"convocation_id": convocation_id}).one()


def mission_rows(session: Session, convocation_ids: Collection[int]) -> dict[int, AnyRow]:
    """The same for many convocations, by convocation id, in one query per 500."""
    ids = sorted(convocation_ids)
    rows: dict[int, AnyRow] = {}
    for start in range(0, len(ids), 500):
        chunk = {"convocation_ids": ids[start : start + 500]}
        for row in read_rows(session, _MISSIONS_OF, chunk):
            rows[row.convocation_id] = row
    return rows


def summaries_of_user(session: Session, user_id: int) -> Sequence[AnyRow]:
    """The person's statements with their missions, latest mission first."""
    return read_rows(session, _SUMMARIES, {"user_id": user_id}).all()


_ACTIVE_IN_YEAR = (
    select(Statement.id, Mission.start_date, Mission.end_date, Mission.start_time, Statement.car_km)
    .join(Convocation, Convocation.id == Statement.convocation_id)
    .join(Mission, Mission.id == Convocation.mission_id)
    .where(
        Statement.user_id == bindparam("user_id"),
        Statement.id != bindparam("exclude"),
        Statement.status.not_in([Status.CANCELLED, Status.NOT_PERFORMED]),
        Mission.start_date >= bindparam("year_start"),
        Mission.start_date < bindparam("next_year_start"),
    )
)


def active_missions_in_year(
    session: Session, user_id: int, year: int, exclude: int
) -> Sequence[Row[int, dt.date, dt.date, dt.time, Decimal]]:
    """The person's other live statements of the calendar year, with their mission's dates,
    this unit of work's own changes included."""
    session.flush()
    return read_rows(
        session,
        _ACTIVE_IN_YEAR,
        {
            "user_id": user_id,
            "exclude": exclude,
            "year_start": dt.date(year, 1, 1),
            "next_year_start": dt.date(year + 1, 1, 1),
        },
    ).all()


_AUDIT = insert(AuditEntry)


def audit(
    session: Session,
    statement: Statement,
    actor: User | None,
    action: str,
    at: dt.datetime,
    *,
    from_status: Status | None = None,
    to_status: Status | None = None,
    reason: str | None = None,
) -> None:
    """Writes one entry of the statement's audit trail now, in the unit's transaction."""
    session.connection().execute(
        _AUDIT,
        {
            "statement_id": statement.id,
            "actor_id": actor.id if actor else None,
            "at": at,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "reason": reason,
        },
    )


_HISTORY = (
    select(
        AuditEntry.at,
        AuditEntry.action,
        AuditEntry.from_status,
        AuditEntry.to_status,
        AuditEntry.reason,
        User.first_name,
        User.last_name,
    )
    .outerjoin(User, User.id == AuditEntry.actor_id)
    # Every save is audited, but the history people read is made of moves and corrections. A
    # literal, so that the partial index for it applies (models.AuditEntry).
    .where(
        AuditEntry.statement_id == bindparam("statement_id"),
        AuditEntry.action != literal_column("'SAVE'"),
    )
    .order_by(AuditEntry.at, AuditEntry.id)
)


def history(session: Session, statement_id: int) -> Sequence[AnyRow]:
    """The moves and corrections of the statement, this unit of work's own included."""
    session.flush()
    return read_rows(session, _HISTORY, {"statement_id": statement_id}).all()
