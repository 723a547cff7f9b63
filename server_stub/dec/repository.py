"""SQL of the DEC's workstation: the queue (filters, sorting, keyset paging), set-based status
moves with their audit trail, anomalies in bulk, the constat de service fait, the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    Table,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.database import read_rows
from server_stub.dec.models import ServiceRecord
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.rules.anomalies import AnomalyCode
from server_stub.rules.model import MissionType
from server_stub.statements.models import AuditEntry, Statement, Status

STATEMENTS = cast(Table, Statement.__table__)
AUDIT = cast(Table, AuditEntry.__table__)
SERVICE_RECORDS = cast(Table, ServiceRecord.__table__)
# The queue's query, whatever its columns.
AnySelect = Select[*tuple[Any, ...]]

# The lifecycle's order, for sorting by status (DOMAIN §3, the DEC's view).
STATUS_ORDER: dict[Status, int] = {
    Status.OPEN: 0,
    Status.NOT_PERFORMED: 1,
    Status.SUBMITTED: 2,
    Status.RETURNED: 3,
    Status.APPROVED: 4,
    Status.DEC_ENTERED: 5,
    Status.IN_PAYMENT: 6,
    Status.PAID: 7,
    Status.CANCELLED: 8,
}


class QueueSort(StrEnum):
    ID = "id"
    INTERVENANT = "intervenant"
    START_DATE = "start_date"
    TOTAL = "total"
    STATUS = "status"


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
    anomaly: AnomalyCode | None = None
    clean: bool | None = None  # True: sans anomalie; False: with at least one
    payment_batch_id: int | None = None


def _status_rank() -> ColumnElement[int]:
    return case(
        {status.value: rank for status, rank in STATUS_ORDER.items()},
        value=Statement.status,
        else_=len(STATUS_ORDER),
    )


def sort_columns(sort: QueueSort) -> list[Any]:
    """The ordering of a sort, made total by the statement's id (keyset paging needs it)."""
    columns: dict[QueueSort, list[Any]] = {
        QueueSort.ID: [],
        QueueSort.INTERVENANT: [User.last_name, User.first_name],
        QueueSort.START_DATE: [Mission.start_date],
        QueueSort.TOTAL: [Statement.total],
        QueueSort.STATUS: [_status_rank()],
    }
    return [*columns[sort], Statement.id]


def _queue_query() -> AnySelect:
    return (
        select(
            Statement.id,
            Statement.version,
            Statement.status,
            Statement.total,
            Statement.submitted_at,
            Statement.anomaly_count,
            Statement.anomaly_codes,
            Statement.dec_corrected,
            Statement.payment_batch_id,
            User.first_name,
            User.last_name,
            User.login,
            Mission.id.label("mission_id"),
            Mission.type.label("mission_type"),
            Mission.start_date,
            Mission.end_date,
            Mission.label.label("mission_label"),
            Exam.name.label("exam"),
            Paper.code.label("paper_code"),
            Centre.name.label("centre"),
            ServiceRecord.recorded_at.label("service_done_at"),
            _status_rank().label("status_rank"),
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(User, User.id == Statement.user_id)
        .join(Centre, Centre.id == Mission.centre_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .outerjoin(ServiceRecord, ServiceRecord.mission_id == Mission.id)
    )


def _filtered(query: AnySelect, where: QueueFilter) -> AnySelect:
    if where.office is not None:
        query = query.where(ExamSession.office == where.office)
    for column, value in (
        (Mission.session_id, where.session_id),
        (Paper.exam_id, where.exam_id),
        (Mission.paper_id, where.paper_id),
        (Mission.centre_id, where.centre_id),
        (Mission.type, where.mission_type),
        (Statement.status, where.status),
        (Statement.payment_batch_id, where.payment_batch_id),
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
    if where.anomaly is not None:
        # Codes are stored between spaces; a code is an identifier, never a LIKE wildcard.
        query = query.where(Statement.anomaly_codes.like(f"% {where.anomaly.value} %"))
    if where.clean is True:
        query = query.where(Statement.anomaly_count == 0)
    elif where.clean is False:
        query = query.where(Statement.anomaly_count > 0)
    return query


def queue_page(
    session: Session,
    where: QueueFilter,
    sort: QueueSort,
    descending: bool,
    after: Sequence[Any] | None,
    limit: int,
) -> Sequence[RowMapping]:
    """One page of the queue, after the row whose sort key is `after` (keyset paging)."""
    columns = sort_columns(sort)
    query = _filtered(_queue_query(), where)
    if after is not None:
        # Typed bounds: a total compares in cents, a date as a date, on every backend.
        bounds = tuple_(
            *(literal(value, col.type) for col, value in zip(columns, after, strict=True))
        )
        key = tuple_(*columns)
        query = query.where(key < bounds if descending else key > bounds)
    order = [c.desc() if descending else c.asc() for c in columns]
    return session.execute(query.order_by(*order).limit(limit)).mappings().all()


def sort_key(sort: QueueSort, row: Mapping[Any, Any]) -> list[Any]:
    """The values of a row's sort key, as `queue_page` expects them back."""
    values: dict[QueueSort, list[Any]] = {
        QueueSort.ID: [],
        QueueSort.INTERVENANT: [row["last_name"], row["first_name"]],
        QueueSort.START_DATE: [row["start_date"]],
        QueueSort.TOTAL: [row["total"]],
        QueueSort.STATUS: [row["status_rank"]],
    }
    return [*values[sort], row["id"]]


# --- statements in the caller's scope, and set-based moves ---------------------------------


def scoped_statements(
    session: Session, ids: Collection[int], *, lock: bool
) -> dict[int, RowMapping]:
    """The statements among `ids` with what a bulk action needs to decide and to explain.

    With `lock`, the rows are locked in id order (PostgreSQL `FOR UPDATE`; SQLite has one
    writer at a time anyway): two gestionnaires acting on overlapping selections wait for each
    other instead of deadlocking.
    """
    if not ids:
        return {}
    query = (
        select(
            Statement.id,
            Statement.user_id,
            Statement.status,
            Statement.version,
            Statement.anomaly_count,
            Statement.anomalies,
            Statement.total,
            Statement.pay_total,
            Statement.travel_total,
            ExamSession.office,
            Mission.start_date,
            Mission.end_date,
            Mission.type.label("mission_type"),
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .where(Statement.id.in_(list(ids)))
        .order_by(Statement.id)
    )
    if lock:
        query = query.with_for_update(of=Statement)
    return {row["id"]: row for row in session.execute(query).mappings()}


def move_rows(
    session: Session,
    ids: Collection[int],
    source: Status,
    values: Mapping[Any, Any],
    *,
    version: int | None = None,
    clean_only: bool = False,
) -> list[RowMapping]:
    """UPDATE ... WHERE id IN (...) AND status = source [AND version = v] RETURNING: the rows
    that moved, each with its new version and status. Bumps the version as the ORM does."""
    if not ids:
        return []
    t = STATEMENTS.c
    statement = update(STATEMENTS).where(t.id.in_(list(ids)), t.status == source.value)
    if version is not None:
        statement = statement.where(t.version == version)
    if clean_only:
        statement = statement.where(t.anomaly_count == 0)
    statement = statement.values(version=t.version + 1, **values).returning(
        t.id, t.version, t.status, t.user_id
    )
    return list(session.execute(statement).mappings())


def audit_many(session: Session, rows: Sequence[Mapping[Any, Any]]) -> None:
    """One INSERT for many audit entries (statement_id, actor_id, at, action, from_status,
    to_status, reason, details)."""
    if rows:
        full = [
            {"reason": None, "details": None, "from_status": None, "to_status": None, **r}
            for r in rows
        ]
        session.execute(insert(AUDIT), full)


def last_actions(
    session: Session, ids: Collection[int], actions: Collection[str]
) -> dict[int, tuple[str | None, dt.datetime]]:
    """Who last did one of `actions` to each statement, and when."""
    if not ids:
        return {}
    query = (
        select(AuditEntry.statement_id, User.first_name, User.last_name, AuditEntry.at)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.statement_id.in_(list(ids)), AuditEntry.action.in_(list(actions)))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    found: dict[int, tuple[str | None, dt.datetime]] = {}
    for statement_id, first, last, at in session.execute(query):
        found[statement_id] = (f"{first} {last}" if first else None, at)
    return found


def statement_office(session: Session, statement_id: int) -> str | None:
    query = (
        select(ExamSession.office)
        .join(Mission, Mission.session_id == ExamSession.id)
        .join(Convocation, Convocation.mission_id == Mission.id)
        .join(Statement, Statement.convocation_id == Convocation.id)
        .where(Statement.id == statement_id)
    )
    return session.execute(query).scalar_one_or_none()


def set_flags(session: Session, statement_id: int, **values: Any) -> None:
    """Changes derived columns without bumping the version (nobody changed the statement)."""
    session.execute(update(STATEMENTS).where(STATEMENTS.c.id == statement_id).values(**values))


# --- anomalies in bulk ---------------------------------------------------------------------


_ANOMALY_SOURCES = (
    select(
        Statement.id,
        Statement.user_id,
        Statement.status,
        Statement.entry,
        Statement.total,
        Statement.submitted_at,
        Statement.dec_corrected,
        Statement.anomalies,
        Mission.type.label("mission_type"),
        Mission.start_date,
        Mission.end_date,
        Mission.start_time,
        Mission.end_time,
        Mission.lot_size,
        Paper.minutes_per_candidate,
        Paper.duration_minutes,
        Centre.commune_insee,
        ExamSession.entry_deadline,
        User.administrative_residence,
        User.family_residence,
        User.academic,
        User.iban,
        User.financial_file_updated,
        User.last_paid,
    )
    .join(Convocation, Convocation.id == Statement.convocation_id)
    .join(Mission, Mission.id == Convocation.mission_id)
    .join(Centre, Centre.id == Mission.centre_id)
    .join(ExamSession, ExamSession.id == Mission.session_id)
    .join(User, User.id == Statement.user_id)
    .outerjoin(Paper, Paper.id == Mission.paper_id)
    .order_by(Statement.id)
)
# Every save asks for one person's: built once.
_ANOMALY_SOURCES_OF_PEOPLE = _ANOMALY_SOURCES.where(
    Statement.user_id.in_(bindparam("people", expanding=True))
)


def anomaly_sources(
    session: Session, *, office: str | None = None, session_id: int | None = None
) -> list[RowMapping]:
    """What the anomalies of every statement (of an office, of a session) are computed from."""
    query = _ANOMALY_SOURCES
    if office is not None:
        query = query.where(ExamSession.office == office)
    if session_id is not None:
        query = query.where(Mission.session_id == session_id)
    return list(read_rows(session, query).mappings())


def anomaly_sources_of_people(session: Session, user_ids: Collection[int]) -> list[RowMapping]:
    """The same for every statement of these people, in one query per 500 people."""
    people = sorted(user_ids)
    rows: list[RowMapping] = []
    for start in range(0, len(people), 500):
        chunk = {"people": people[start : start + 500]}
        rows += read_rows(session, _ANOMALY_SOURCES_OF_PEOPLE, chunk).mappings()
    return rows


def store_anomalies(
    session: Session, changes: Sequence[tuple[int, list[dict[str, str]], str, int]]
) -> None:
    """Writes (id, anomalies, codes, count) in one executemany; the version is not bumped."""
    if not changes:
        return
    t = STATEMENTS.c
    statement = (
        update(STATEMENTS)
        .where(t.id == bindparam("sid"))
        .values(
            anomalies=bindparam("found", type_=t.anomalies.type),
            anomaly_codes=bindparam("codes"),
            anomaly_count=bindparam("count"),
        )
    )
    session.execute(
        statement,
        [{"sid": i, "found": found, "codes": codes, "count": n} for i, found, codes, n in changes],
    )


# --- the constat de service fait -----------------------------------------------------------


def missions_with_scope(session: Session, ids: Collection[int]) -> dict[int, RowMapping]:
    if not ids:
        return {}
    query = (
        select(
            Mission.id,
            Mission.centre_id,
            Mission.start_date,
            Mission.end_date,
            ExamSession.office,
            ServiceRecord.recorded_at,
            User.first_name,
            User.last_name,
        )
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .outerjoin(ServiceRecord, ServiceRecord.mission_id == Mission.id)
        .outerjoin(User, User.id == ServiceRecord.recorded_by)
        .where(Mission.id.in_(list(ids)))
    )
    return {row["id"]: row for row in session.execute(query).mappings()}


def record_service(
    session: Session, mission_ids: Collection[int], actor: User, at: dt.datetime
) -> None:
    if mission_ids:
        session.execute(
            insert(SERVICE_RECORDS),
            [{"mission_id": m, "recorded_at": at, "recorded_by": actor.id} for m in mission_ids],
        )


def statements_of_missions(
    session: Session, mission_ids: Collection[int]
) -> list[tuple[int, int, str]]:
    """(statement id, mission id, status) of the missions' statements."""
    if not mission_ids:
        return []
    query = (
        select(Statement.id, Convocation.mission_id, Statement.status)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .where(Convocation.mission_id.in_(list(mission_ids)))
    )
    return [(i, m, s) for i, m, s in session.execute(query)]


def service_record(session: Session, mission_id: int) -> RowMapping | None:
    query = (
        select(ServiceRecord.recorded_at, User.first_name, User.last_name)
        .outerjoin(User, User.id == ServiceRecord.recorded_by)
        .where(ServiceRecord.mission_id == mission_id)
    )
    return session.execute(query).mappings().one_or_none()


# --- the dashboard ---------------------------------------------------------------------------


def _session_statements(session_id: int) -> AnySelect:
    return (
        select(Statement.status)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .where(Mission.session_id == session_id)
    )


def counts_by_status(session: Session, session_id: int) -> list[tuple[str, int, Decimal]]:
    # SUM and COALESCE keep the Money type of their argument: the totals come back in euros.
    query = (
        _session_statements(session_id)
        .add_columns(func.count(Statement.id), func.coalesce(func.sum(STATEMENTS.c.total), 0))
        .group_by(Statement.status)
    )
    return [(s, n, total) for s, n, total in session.execute(query)]


def amounts_by_exam(
    session: Session, session_id: int, statuses: Iterable[Status]
) -> list[RowMapping]:
    t = STATEMENTS.c
    query = (
        select(
            Exam.id.label("exam_id"),
            func.coalesce(Exam.name, Mission.label).label("exam"),
            Exam.speciality,
            Mission.type.label("mission_type"),
            func.count(Statement.id).label("count"),
            func.coalesce(func.sum(t.pay_total), 0).label("pay_total"),
            func.coalesce(func.sum(t.travel_total), 0).label("travel_total"),
            func.coalesce(func.sum(t.total), 0).label("total"),
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(Mission.session_id == session_id, Statement.status.in_([s.value for s in statuses]))
        .group_by(Exam.id, Exam.name, Mission.label, Exam.speciality, Mission.type)
    )
    return list(session.execute(query).mappings())


def actions_by_hour(
    session: Session, session_id: int, actions: Collection[str]
) -> list[tuple[str, str, int]]:
    """(UTC hour "YYYY-MM-DD HH", action, count) of the session's audit trail."""
    if session.get_bind().dialect.name == "postgresql":
        hour = func.to_char(func.timezone("UTC", AuditEntry.at), "YYYY-MM-DD HH24")
    else:
        hour = func.strftime("%Y-%m-%d %H", AuditEntry.at)
    query = (
        select(hour.label("hour"), AuditEntry.action, func.count(AuditEntry.id))
        .join(Statement, Statement.id == AuditEntry.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .where(Mission.session_id == session_id, AuditEntry.action.in_(list(actions)))
        .group_by(hour, AuditEntry.action)
    )
    return [(h, a, n) for h, a, n in session.execute(query)]
