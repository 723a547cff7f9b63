"""SQL of the DEC's workstation: the queue (filters, sorting, keyset paging), set-based status
moves with their audit trail, the constat de service fait, the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    RowMapping,
    Select,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from server_stub.auth.models import User
from server_stub.core.bulk import json_rows
from server_stub.core.database import Base
from server_stub.dec.models import BulkOutcome, BulkRequest, OfficeSetting, ServiceRecord
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.rules.anomalies import AnomalyCode
from server_stub.rules.model import MissionType
from server_stub.statements.models import STATUS_ORDER as ORDER
from server_stub.statements.models import STATUS_RANK_SQL, AuditEntry, Statement, Status
from server_stub.statements.repository import STATEMENTS

AUDIT = cast(Table, AuditEntry.__table__)
SERVICE_RECORDS = cast(Table, ServiceRecord.__table__)
# The queue's query, whatever its columns.
AnySelect = Select[*tuple[Any, ...]]

# The lifecycle's order, for sorting by status (DOMAIN §3, the DEC's view).
STATUS_ORDER: dict[Status, int] = {status: rank for rank, status in enumerate(ORDER)}


class QueueSort(StrEnum):
    ID = "id"
    INTERVENANT = "intervenant"
    START_DATE = "start_date"
    TOTAL = "total"
    STATUS = "status"


@dataclass(frozen=True)
class QueueFilter:
    offices: frozenset[str] | None = None  # None: every office
    session_id: int | None = None
    exam_id: int | None = None
    paper_id: int | None = None
    centre_id: int | None = None
    mission_type: MissionType | None = None
    status: Status | None = None
    # Whether the mission is over on `today` (an open statement's two labels for the DEC).
    done: bool | None = None
    today: dt.date | None = None
    search: str | None = None
    anomaly: AnomalyCode | None = None
    clean: bool | None = None  # True: sans anomalie; False: with at least one
    payment_batch_id: int | None = None


def _status_rank() -> ColumnElement[int]:
    """The status's rank, the very expression of the index that sorts by it (its SQL)."""
    return literal_column(STATUS_RANK_SQL.replace("status", "statements.status", 1), Integer)


def sort_columns(sort: QueueSort) -> list[Any]:
    """The ordering of a sort, made total by the statement's id (keyset paging needs it)."""
    columns: dict[QueueSort, list[Any]] = {
        QueueSort.ID: [],
        # A person's statements, then a mission's, are together: each sort walks an index
        # (users by name then statements by person; missions by date then their statements)
        # and only ever sorts the handful of statements of one person or one mission.
        QueueSort.INTERVENANT: [User.last_name, User.first_name, User.id],
        QueueSort.START_DATE: [Mission.start_date, Mission.id],
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
            Statement.user_id,
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
            ExamSession.office,
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
    if where.offices is not None:
        # The offices' sessions, a handful, read first: the page is then walked in the order of
        # its sort's index (SQLite would otherwise start from the sessions and sort everything).
        sessions = select(ExamSession.id).where(ExamSession.office.in_(sorted(where.offices)))
        query = query.where(Mission.session_id.in_(sessions))
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
    if where.done is not None and where.today is not None:
        over = Mission.end_date < where.today
        query = query.where(over if where.done else ~over)
    if where.search:
        pattern = f"%{where.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.last_name).like(pattern),
                func.lower(User.first_name).like(pattern),
                func.lower(User.login).like(pattern),
            )
        )
    if where.anomaly is AnomalyCode.SERVICE_NOT_DONE:
        required = select(OfficeSetting.office).where(OfficeSetting.service_done_required.is_(True))
        query = query.where(
            ServiceRecord.id.is_(None),
            Statement.status == Status.SUBMITTED,
            ExamSession.office.in_(required),
        )
    elif where.anomaly is not None:
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
    query = page_query(where, sort, descending, after, limit)
    return session.execute(query).mappings().all()


def page_query(
    where: QueueFilter,
    sort: QueueSort,
    descending: bool,
    after: Sequence[Any] | None,
    limit: int,
) -> AnySelect:
    """The query of a page: each sort is walked in the order of an index, page after page
    (tests/server_stub/dec/test_queue_plans.py reads its plans)."""
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
    return query.order_by(*order).limit(limit)


def sort_key(sort: QueueSort, row: Mapping[Any, Any]) -> list[Any]:
    """The values of a row's sort key, as `queue_page` expects them back."""
    values: dict[QueueSort, list[Any]] = {
        QueueSort.ID: [],
        QueueSort.INTERVENANT: [row["last_name"], row["first_name"], row["user_id"]],
        QueueSort.START_DATE: [row["start_date"], row["mission_id"]],
        QueueSort.TOTAL: [row["total"]],
        QueueSort.STATUS: [row["status_rank"]],
    }
    return [*values[sort], row["id"]]


# --- statements in the caller's scope, and set-based moves ---------------------------------


def scoped_statements(
    session: Session, ids: Collection[int], *, lock: bool
) -> dict[int, RowMapping]:
    """The statements among `ids`: with `lock`, what a bulk action needs to decide (id,
    person, status, version, office), the rows locked in id order (PostgreSQL `FOR UPDATE`;
    SQLite has one writer at a time anyway: two gestionnaires acting on overlapping
    selections wait for each other instead of deadlocking); without, also what it needs to
    explain a refusal.
    """
    if not ids:
        return {}
    columns: list[Any] = [
        Statement.id,
        Statement.user_id,
        Statement.status,
        Statement.version,
        ExamSession.office,
        Statement.anomaly_codes,
    ]
    if not lock:
        columns += [
            Statement.anomaly_count,
            Statement.anomalies,
            Mission.start_date,
            Mission.end_date,
        ]
    query = (
        select(*columns)
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
    expected: Mapping[int, int],
    sources: Collection[Status],
    values: Mapping[str, Any],
    *,
    clean_only: bool = False,
) -> list[RowMapping]:
    """One UPDATE ... WHERE id IN (...) AND version = (the one read) AND status IN sources
    RETURNING: moves each statement of `expected` (id → the version read) that is still at
    that version, and answers the rows that moved with their new version and status. Bumps
    the version as the ORM does. `values` may refer to the row's columns as they were."""
    if not expected:
        return []
    t = STATEMENTS.c
    # One term per version read (usually one for the whole chunk), each an IN list sent as
    # one parameter: cheap to build and to plan, where a (id, version) list or a VALUES join
    # is built value by value.
    by_version: dict[int, list[int]] = {}
    for statement_id, version in expected.items():
        by_version.setdefault(version, []).append(statement_id)
    if len(by_version) == 1:
        [(version, ids)] = by_version.items()
        read = and_(t.id.in_(ids), t.version == version)
    else:
        read = and_(
            t.id.in_(list(expected)),
            or_(*(and_(t.version == v, t.id.in_(ids)) for v, ids in by_version.items())),
        )
    statement = update(STATEMENTS).where(read, t.status.in_([s.value for s in sources]))
    if clean_only:
        statement = statement.where(t.anomaly_count == 0)
    statement = statement.values(version=t.version + 1, **values).returning(
        t.id, t.version, t.status, t.user_id
    )
    return list(session.execute(statement).mappings())


def status_now() -> ColumnElement[str]:
    """The statement's status as it is before an UPDATE sets it, as SQL."""
    return STATEMENTS.c.status


def status_before_cancel() -> ColumnElement[str]:
    """The status a cancelled statement goes back to, as SQL: the one it had, else OPEN."""
    return func.coalesce(STATEMENTS.c.status_before_cancel, literal(Status.OPEN.value))


def audit_many(session: Session, rows: Sequence[Mapping[Any, Any]]) -> None:
    """One INSERT for many audit entries (statement_id, actor_id, at, action, from_status,
    to_status, reason, details)."""
    if not rows:
        return
    full = [
        {"reason": None, "details": None, "from_status": None, "to_status": None, **r} for r in rows
    ]
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        session.execute(_AUDIT_FROM_JSON, {"rows": json_rows(full, _AUDIT_COLUMNS)})
        return
    # SQLite, in process: the driver's executemany, each value made by its column's own type
    # (the moment's text, the details' JSON) as SQLAlchemy's would, without its work per row;
    # what the session holds unwritten goes first, as it would before an INSERT of its own.
    session.flush()
    made = [
        (column, AUDIT.c[column].type.dialect_impl(dialect).bind_processor(dialect))
        for column in _AUDIT_COLUMNS
    ]
    session.connection().exec_driver_sql(
        f"INSERT INTO audit_entries ({', '.join(_AUDIT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})",
        [tuple(r[c] if make is None else make(r[c]) for c, make in made) for r in full],
    )


_AUDIT_COLUMNS = (
    "statement_id",
    "actor_id",
    "at",
    "action",
    "from_status",
    "to_status",
    "reason",
    "details",
)
# PostgreSQL: the entries sent as one JSON document (core/bulk.py), inserted in their order
# (a row a statement, pipelined, would cost each its round of the protocol).
_AUDIT_FROM_JSON = text(
    f"INSERT INTO audit_entries ({', '.join(_AUDIT_COLUMNS)}) "
    f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM ROWS FROM (json_to_recordset(CAST(:rows AS json)) "
    "AS (statement_id integer, actor_id integer, at timestamptz, action varchar, "
    "from_status varchar, to_status varchar, reason text, details jsonb)) "
    f"WITH ORDINALITY AS entry({', '.join(_AUDIT_COLUMNS)}, n) ORDER BY n"
)


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


def counts_by_status(
    session: Session, session_id: int, today: dt.date
) -> list[tuple[str, bool, int, Decimal]]:
    """(status, mission over on `today`, count, total) of the session's statements."""
    over = case((Mission.end_date < today, True), else_=False)
    # SUM and COALESCE keep the Money type of their argument: the totals come back in euros.
    query = (
        _session_statements(session_id)
        .add_columns(
            over.label("over"),
            func.count(Statement.id),
            func.coalesce(func.sum(STATEMENTS.c.total), 0),
        )
        .group_by(Statement.status, over)
    )
    return [(s, bool(o), n, total) for s, o, n, total in session.execute(query)]


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


# --- bulk requests under an idempotency key, and the outcome of each statement -------------

BULK_OUTCOMES = cast(Table, BulkOutcome.__table__)


def bulk_request(session: Session, actor_id: int, key: str) -> BulkRequest | None:
    return session.scalar(
        select(BulkRequest).where(BulkRequest.actor_id == actor_id, BulkRequest.key == key)
    )


def add_bulk_request(session: Session, request: BulkRequest) -> bool:
    """Adds the request; False if the same caller's key was taken meanwhile (another process)."""
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        return False
    return True


def forget_bulk_requests(session: Session, before: dt.datetime) -> None:
    session.execute(delete(BulkRequest).where(BulkRequest.created_at < before))


def claim_bulk_request(session: Session, request_id: int, completed_at: dt.datetime | None) -> None:
    """Writes the request's row first in a transaction: that takes its lock (PostgreSQL's row
    lock, SQLite's write lock), so two tries of one request never work at the same time."""
    session.execute(
        update(BulkRequest).where(BulkRequest.id == request_id).values(completed_at=completed_at)
    )


def answered(
    session: Session, request_id: int, ids: Collection[int] | None = None
) -> dict[int, RowMapping]:
    """The outcomes already stored for the request (of `ids`, or all)."""
    t = BULK_OUTCOMES.c
    query = select(t.statement_id, t.ok, t.outcome, t.status, t.version, t.reason).where(
        t.request_id == request_id
    )
    if ids is not None:
        if not ids:
            return {}
        query = query.where(t.statement_id.in_(list(ids)))
    return {row["statement_id"]: row for row in session.execute(query).mappings()}


def add_outcomes(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        session.execute(insert(BULK_OUTCOMES), list(rows))


# --- the constat de service fait: its date, its remark, its correction; the office's rule ----


def record_service_on(
    session: Session,
    mission_ids: Collection[int],
    actor: User,
    at: dt.datetime,
    day: dt.date,
    remark: str | None,
) -> None:
    if mission_ids:
        session.execute(
            insert(SERVICE_RECORDS),
            [
                {
                    "mission_id": m,
                    "recorded_at": at,
                    "recorded_by": actor.id,
                    "service_date": day,
                    "remark": remark,
                }
                for m in mission_ids
            ],
        )


def correct_service(
    session: Session,
    mission_id: int,
    actor: User,
    at: dt.datetime,
    day: dt.date,
    remark: str | None,
) -> bool:
    """Changes the date and remark of a recorded service; False when none is recorded."""
    result = session.execute(
        update(ServiceRecord)
        .where(ServiceRecord.mission_id == mission_id)
        .values(service_date=day, remark=remark, corrected_at=at, corrected_by=actor.id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def offices_requiring_service(session: Session) -> frozenset[str]:
    return frozenset(
        session.scalars(
            select(OfficeSetting.office).where(OfficeSetting.service_done_required.is_(True))
        )
    )


def offices_requiring_documents(session: Session, offices: Collection[str]) -> set[str]:
    """Those of `offices` that approve only statements with every document present."""
    return set(
        session.scalars(
            select(OfficeSetting.office).where(
                OfficeSetting.office.in_(sorted(offices)),
                OfficeSetting.documents_required.is_(True),
            )
        )
    )


def office_setting(session: Session, office: str) -> OfficeSetting | None:
    return session.get(OfficeSetting, office)


def add_office_setting(session: Session, setting: OfficeSetting) -> None:
    session.add(setting)


def office_exists(session: Session, office: str) -> bool:
    """An office is known by a session of its own or a gestionnaire working for it."""
    members = Base.metadata.tables["office_members"]
    return bool(
        session.scalar(select(ExamSession.id).where(ExamSession.office == office).limit(1))
        or session.scalar(select(members.c.user_id).where(members.c.office == office).limit(1))
    )


def without_required_service(session: Session, statement_ids: Collection[int]) -> set[int]:
    """The statements among these whose office requires the service recorded before approval
    and whose mission has none."""
    if not statement_ids:
        return set()
    query = (
        select(Statement.id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .join(OfficeSetting, OfficeSetting.office == ExamSession.office)
        .outerjoin(ServiceRecord, ServiceRecord.mission_id == Mission.id)
        .where(
            Statement.id.in_(list(statement_ids)),
            OfficeSetting.service_done_required.is_(True),
            ServiceRecord.id.is_(None),
        )
    )
    return set(session.scalars(query))


# --- the chef de centre's view of their centres' missions ------------------------------------

_Recorder = aliased(User)


def centre_missions(
    session: Session,
    centres: frozenset[int] | None,
    offices: frozenset[str] | None,
    session_id: int | None,
    day: dt.date | None,
) -> list[RowMapping]:
    """The missions of these centres (None: every one) or offices, with their paper, exam,
    centre and constat de service fait, by day."""
    query = (
        select(
            Mission.id,
            Mission.type,
            Mission.start_date,
            Mission.end_date,
            Mission.start_time,
            Mission.end_time,
            Mission.label,
            Mission.centre_id,
            Centre.name.label("centre"),
            Paper.code.label("paper_code"),
            Paper.name.label("paper_name"),
            Exam.name.label("exam"),
            ExamSession.name.label("session"),
            ExamSession.office,
            ServiceRecord.recorded_at,
            ServiceRecord.service_date,
            ServiceRecord.remark,
            ServiceRecord.corrected_at,
            _Recorder.first_name.label("recorder_first"),
            _Recorder.last_name.label("recorder_last"),
        )
        .join(Centre, Centre.id == Mission.centre_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .outerjoin(ServiceRecord, ServiceRecord.mission_id == Mission.id)
        .outerjoin(_Recorder, _Recorder.id == ServiceRecord.recorded_by)
        .order_by(Mission.start_date, Mission.start_time, Centre.name, Paper.code, Mission.id)
    )
    if centres is not None:
        query = query.where(Mission.centre_id.in_(sorted(centres)))
    if offices is not None:
        query = query.where(ExamSession.office.in_(sorted(offices)))
    if session_id is not None:
        query = query.where(Mission.session_id == session_id)
    if day is not None:
        query = query.where(Mission.start_date <= day, Mission.end_date >= day)
    return list(session.execute(query).mappings())


def convened(session: Session, mission_ids: Collection[int]) -> list[RowMapping]:
    """Who was convened to each mission: their statement's status and reason, and whether
    they withdrew (their assignment withdrawn or replaced)."""
    if not mission_ids:
        return []
    assignments = Base.metadata.tables["assignments"]
    query = (
        select(
            Convocation.mission_id,
            User.id.label("user_id"),
            User.first_name,
            User.last_name,
            Statement.status,
            Statement.reason,
            assignments.c.status.label("assignment_status"),
            assignments.c.withdrawal_reason,
        )
        .join(User, User.id == Convocation.user_id)
        .outerjoin(Statement, Statement.convocation_id == Convocation.id)
        .outerjoin(assignments, assignments.c.convocation_id == Convocation.id)
        .where(Convocation.mission_id.in_(list(mission_ids)))
        .order_by(Convocation.mission_id, User.last_name, User.first_name)
    )
    return list(session.execute(query).mappings())


def return_reason_uses(session: Session) -> dict[str, int]:
    """How many statements were last returned with each of the académie's reason codes."""
    query = (
        select(Statement.return_reason, func.count())
        .where(Statement.return_reason.is_not(None))
        .group_by(Statement.return_reason)
    )
    return {code: count for code, count in session.execute(query).all() if code is not None}
