"""SQL for statements, their missions, their audit trail and their derived columns (anomalies,
flags)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, TypeVarTuple, cast

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    RowMapping,
    Select,
    String,
    Table,
    bindparam,
    column,
    insert,
    literal,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session, joinedload

from server_stub.auth.access import Place, Resource
from server_stub.auth.models import User
from server_stub.core.database import Base, UtcDateTime, read_rows
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import AuditEntry, Json, Statement, Status
from server_stub.statements.vocabulary import Recorded

STATEMENTS = cast(Table, Statement.__table__)

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


def _own(session: Session, statement_id: int) -> tuple[Statement, Place] | None:
    statement = get(session, statement_id)
    return None if statement is None else (statement, Place(owner_id=statement.user_id))


def _with_its_office(session: Session, statement_id: int) -> tuple[Statement, Place] | None:
    statement = get_with_mission(session, statement_id)
    if statement is None:
        return None
    mission = statement.convocation.mission
    return statement, Place(
        offices=frozenset((mission.session.office,)),
        centres=frozenset((mission.centre_id,)),
        owner_id=statement.user_id,
    )


STATEMENT = Resource("statement", "Cet état de frais n'existe pas.", _own)
"""A statement as its intervenant reads it: the statement alone, whose it is."""

DEC_STATEMENT = Resource("statement", "Cet état de frais est introuvable.", _with_its_office)
"""A statement as the DEC reads it: with its mission graph, and the office of its session."""


# A mission as people read it, in one flat row (facts.MissionRow): the lists are the busiest
# requests, and plain rows cost a fraction of a graph of ORM objects.
_Columns = TypeVarTuple("_Columns")
AnyRow = Row[*tuple[Any, ...]]
_MISSION_COLUMNS = (
    Mission.id.label("mission_id"),
    Mission.type.label("mission_type"),
    Mission.label.label("mission_label"),
    ExamSession.name.label("session_name"),
    ExamSession.entry_deadline,
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
            Statement.pay_total,
            Statement.travel_total,
            Statement.pay_payment,
            Statement.travel_payment,
            Statement.computation,
            *_MISSION_COLUMNS,
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
    )
    .where(Statement.user_id == bindparam("user_id"))
    .order_by(Mission.start_date.desc(), Mission.start_time.desc(), Statement.id.desc())
)


class OwnStatement(NamedTuple):
    """A statement its intervenant works on, read with its mission (facts.MissionRow)."""

    statement: Statement
    mission: AnyRow


_OWN_WITH_MISSION = _with_mission(
    select(Statement, *_MISSION_COLUMNS)
    .join(Convocation, Convocation.id == Statement.convocation_id)
    .join(Mission, Mission.id == Convocation.mission_id)
).where(Statement.id == bindparam("id"))


def _own_with_mission(session: Session, statement_id: int) -> tuple[OwnStatement, Place] | None:
    row = session.execute(_OWN_WITH_MISSION, {"id": statement_id}).one_or_none()
    if row is None:
        return None
    statement: Statement = row[0]
    return OwnStatement(statement, row), Place(owner_id=statement.user_id)


OWN_STATEMENT = Resource("statement", STATEMENT.absent, _own_with_mission)
"""The same statement, and its mission in the same query: what the intervenant's reading and
saving of it need first."""


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


# Every statement of some people, whatever its year and status: a batch (demo data, the DEC's
# bulk entries) works out each statement's context from these as its statuses and kilometres
# change (facts.YearBook), instead of asking again for each statement.
_MISSIONS_OF_PEOPLE = (
    select(
        Statement.id,
        Statement.user_id,
        Statement.status,
        Mission.start_date,
        Mission.end_date,
        Mission.start_time,
        Statement.car_km,
    )
    .join(Convocation, Convocation.id == Statement.convocation_id)
    .join(Mission, Mission.id == Convocation.mission_id)
    .where(Statement.user_id.in_(bindparam("people", expanding=True)))
)


def missions_of_people(
    session: Session, user_ids: Collection[int]
) -> list[Row[int, int, str, dt.date, dt.date, dt.time, Decimal]]:
    """Every statement of these people with its mission's dates, its status and car kilometres,
    this unit of work's own changes included; one query per 500 people."""
    session.flush()
    people = sorted(user_ids)
    rows: list[Row[int, int, str, dt.date, dt.date, dt.time, Decimal]] = []
    for start in range(0, len(people), 500):
        rows += read_rows(session, _MISSIONS_OF_PEOPLE, {"people": people[start : start + 500]})
    return rows


def convocations_of_mission(
    session: Session, mission_id: int
) -> Sequence[Row[Convocation, Statement]]:
    """The mission's convocations, each with its statement."""
    return convocations_of_missions(session, [mission_id])


def convocations_of_missions(
    session: Session, mission_ids: Collection[int]
) -> list[Row[Convocation, Statement]]:
    """The missions' convocations, each with its statement; one query per 500 missions."""
    ids = sorted(mission_ids)
    rows: list[Row[Convocation, Statement]] = []
    for start in range(0, len(ids), 500):
        rows += session.execute(
            select(Convocation, Statement)
            .join(Statement, Statement.convocation_id == Convocation.id)
            .where(Convocation.mission_id.in_(ids[start : start + 500]))
        ).all()
    return rows


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


class AuditTrail:
    """Audit entries gathered by a bulk path (demo data, issuing) and written together, in the
    order they were added, by one statement per `write`."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def add(
        self,
        statement: Statement,
        actor: User | None,
        action: str,
        at: dt.datetime,
        *,
        from_status: Status | None = None,
        to_status: Status | None = None,
        reason: str | None = None,
    ) -> None:
        self.entries.append(
            {
                "statement_id": statement.id,
                "actor_id": actor.id if actor else None,
                "at": at,
                "action": action,
                "from_status": from_status,
                "to_status": to_status,
                "reason": reason,
            }
        )

    def write(self, session: Session) -> int:
        """Writes the entries gathered so far in the unit's transaction; returns how many."""
        count = len(self.entries)
        if self.entries:
            session.connection().execute(_AUDIT, self.entries)
            self.entries = []
        return count


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


def payment_parts(session: Session, statement_id: int) -> Sequence[AnyRow]:
    """Each part of the statement sent in a batch, with its batch's dates and what the bank or
    the payroll answered: one query, in the order the batches were made."""
    # The tables by name: the payment package builds on this one, not the other way round.
    parts = Base.metadata.tables["payment_parts"]
    batches = Base.metadata.tables["payment_batches"]
    query = (
        select(
            parts.c.part,
            parts.c.channel,
            parts.c.amount,
            parts.c.status,
            parts.c.settled_on,
            parts.c.settled_reference,
            parts.c.return_code,
            parts.c.return_reason,
            batches.c.created_at,
            batches.c.execution_date,
        )
        .join(batches, batches.c.id == parts.c.batch_id)
        .where(parts.c.statement_id == statement_id)
        .order_by(batches.c.id)
    )
    return read_rows(session, query).all()


# --- derived columns: anomalies, flags ---------------------------------------------------


def set_flags(session: Session, statement_id: int, **values: Any) -> None:
    """Changes derived columns without bumping the version (nobody changed the statement)."""
    session.execute(update(STATEMENTS).where(STATEMENTS.c.id == statement_id).values(**values))


_ANOMALY_SOURCES = (
    select(
        Statement.id,
        Statement.user_id,
        Statement.status,
        Statement.entry,
        Statement.total,
        Statement.travel_total,
        Statement.car_km,
        Statement.submitted_at,
        Statement.dec_corrected,
        Statement.anomalies,
        Statement.computation["documents"].label("documents"),
        Statement.documents_received,
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
    session: Session, *, offices: Collection[str] | None = None, session_id: int | None = None
) -> list[RowMapping]:
    """What the anomalies of every statement (of some offices, of a session) are computed from."""
    query = _ANOMALY_SOURCES
    if offices is not None:
        query = query.where(ExamSession.office.in_(sorted(offices)))
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


# documents/models.py's table, named here rather than imported: the documents' package stands
# above the statements' (it attaches files to them), and the anomalies read which have one.
_DOCUMENT_FILES = table(
    "document_files", column("owner_id"), column("statement_id"), column("label")
)


def attached_labels(
    session: Session, user_ids: Collection[int]
) -> dict[tuple[int, int | None], set[str]]:
    """(person, statement, or None for their financial file) → the documents with a file."""
    found: dict[tuple[int, int | None], set[str]] = {}
    people = sorted(user_ids)
    t = _DOCUMENT_FILES.c
    for start in range(0, len(people), 500):
        rows = session.execute(
            select(t.owner_id, t.statement_id, t.label)
            .where(t.owner_id.in_(people[start : start + 500]))
            .distinct()
        )
        for owner_id, statement_id, label in rows:
            found.setdefault((owner_id, statement_id), set()).add(label)
    return found


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


def insert_new_convocations(
    session: Session,
    convocations: Sequence[tuple[int, int]],
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    """Writes new convocations (mission id, person id), their open statements and the audit
    trail of their issue by set-based statements: one per group of rows or missions, no round
    trip per row."""
    connection = session.connection()
    mission_ids = sorted({mission_id for mission_id, _ in convocations})
    for start in range(0, len(convocations), _ROWS_PER_INSERT):
        _insert_convocations(connection, convocations[start : start + _ROWS_PER_INSERT], now)
    for start in range(0, len(mission_ids), _MISSIONS_PER_INSERT):
        missions = mission_ids[start : start + _MISSIONS_PER_INSERT]
        of_missions = Convocation.mission_id.in_(missions)
        connection.execute(
            insert(Statement).from_select(
                ["convocation_id", "user_id", "status", "entry", "computation"],
                select(
                    Convocation.id,
                    Convocation.user_id,
                    literal(Status.OPEN, String()),
                    literal({}, Json),
                    literal({}, Json),
                )
                .where(of_missions)
                .order_by(Convocation.id),
            )
        )
        connection.execute(
            insert(AuditEntry).from_select(
                ["statement_id", "actor_id", "at", "action", "to_status"],
                select(
                    Statement.id,
                    literal(actor_id, Integer()),
                    literal(now, UtcDateTime()),
                    literal(Recorded.ISSUE, String()),
                    literal(Status.OPEN, String()),
                )
                .join(Convocation, Convocation.id == Statement.convocation_id)
                .where(of_missions)
                .order_by(Statement.id),
            )
        )


_ROWS_PER_INSERT = 10_000
_FROM_ARRAYS = text(
    "INSERT INTO convocations (mission_id, user_id, issued_at) "
    "SELECT p.mission_id, p.user_id, :at "
    "FROM unnest(CAST(:missions AS INTEGER[]), CAST(:users AS INTEGER[])) "
    "WITH ORDINALITY AS p(mission_id, user_id, n) ORDER BY p.n"
).bindparams(bindparam("at", type_=UtcDateTime()))
_MISSIONS_PER_INSERT = 500


def _insert_convocations(
    connection: Connection, pairs: Sequence[tuple[int, int]], now: dt.datetime
) -> None:
    """One statement for many convocations: PostgreSQL reads them from two arrays, so the
    statement stays small however many rows; SQLite's driver runs a prepared insert per row
    in C, without a round trip."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            _FROM_ARRAYS,
            {"missions": [m for m, _ in pairs], "users": [u for _, u in pairs], "at": now},
        )
        return
    connection.execute(
        insert(Convocation),
        [{"mission_id": m, "user_id": u, "issued_at": now} for m, u in pairs],
    )
