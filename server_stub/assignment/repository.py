"""SQL for declarations, needs, assignments, runs and letters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import Row, delete, func, or_, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from server_stub.assignment.models import (
    Assignment,
    AssignmentStatus,
    CentreSchool,
    Competence,
    CompetenceStatus,
    ConvocationLetter,
    Need,
    Run,
    Unavailability,
)
from server_stub.assignment.solver import school_key
from server_stub.auth.access import Place, Resource
from server_stub.auth.models import Role, User
from server_stub.core.errors import Conflict
from server_stub.reference.models import Convocation, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import HalfDay, MissionType
from server_stub.statements.models import Statement

ACTIVE = (AssignmentStatus.PROPOSED, AssignmentStatus.ISSUED)

_COMPETENCE = (
    joinedload(Competence.user),
    joinedload(Competence.paper).joinedload(Paper.exam).joinedload(Exam.session),
    joinedload(Competence.decided_by),
)
_ASSIGNMENT = (
    joinedload(Assignment.user),
    joinedload(Assignment.need).options(joinedload(Need.paper), joinedload(Need.centre)),
)


def add(session: Session, row: object, conflict: str) -> None:
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict(conflict) from None


# --- papers, people ---------------------------------------------------------------------------


def papers(
    session: Session, session_id: int | None, search: str | None
) -> Sequence[Row[Paper, Exam, ExamSession]]:
    query = (
        select(Paper, Exam, ExamSession)
        .join(Exam, Paper.exam_id == Exam.id)
        .join(ExamSession, Exam.session_id == ExamSession.id)
        .order_by(ExamSession.id.desc(), Exam.code, Paper.code)
    )
    if session_id is not None:
        query = query.where(Exam.session_id == session_id)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Paper.code).like(pattern),
                func.lower(Paper.name).like(pattern),
                func.lower(Exam.name).like(pattern),
                func.lower(Exam.speciality).like(pattern),
            )
        )
    return session.execute(query.limit(500)).all()


def paper(session: Session, paper_id: int) -> Paper | None:
    return session.scalars(
        select(Paper).where(Paper.id == paper_id).options(joinedload(Paper.exam))
    ).one_or_none()


def users(session: Session, ids: Collection[int]) -> dict[int, User]:
    if not ids:
        return {}
    rows = session.scalars(select(User).where(User.id.in_(list(ids)))).all()
    return {u.id: u for u in rows}


def intervenants_with_competence(session: Session, paper_id: int) -> Sequence[User]:
    return session.scalars(
        select(User)
        .join(Competence, Competence.user_id == User.id)
        .where(
            Competence.paper_id == paper_id,
            Competence.status == CompetenceStatus.VALIDATED,
            User.role == Role.INTERVENANT,
        )
        .order_by(User.id)
    ).all()


# --- competences ------------------------------------------------------------------------------


def competence(session: Session, competence_id: int) -> Competence | None:
    return session.scalars(
        select(Competence).where(Competence.id == competence_id).options(*_COMPETENCE)
    ).one_or_none()


def competence_for(session: Session, user_id: int, paper_id: int) -> Competence | None:
    return session.scalars(
        select(Competence).where(Competence.user_id == user_id, Competence.paper_id == paper_id)
    ).one_or_none()


def competences_of(session: Session, user_id: int) -> Sequence[Competence]:
    return (
        session.scalars(
            select(Competence)
            .where(Competence.user_id == user_id)
            .options(*_COMPETENCE)
            .order_by(Competence.id)
        )
        .unique()
        .all()
    )


def competences(
    session: Session,
    *,
    status: CompetenceStatus | None,
    session_id: int | None,
    paper_id: int | None,
    ids: Collection[int] | None = None,
    offices: Collection[str] | None = None,
    limit: int = 1000,
) -> Sequence[Competence]:
    query = (
        select(Competence)
        .join(Paper, Competence.paper_id == Paper.id)
        .join(Exam, Paper.exam_id == Exam.id)
        .options(*_COMPETENCE)
        .order_by(Competence.declared_at, Competence.id)
    )
    if offices is not None:
        query = query.join(ExamSession, ExamSession.id == Exam.session_id).where(
            ExamSession.office.in_(sorted(offices))
        )
    if status is not None:
        query = query.where(Competence.status == status)
    if session_id is not None:
        query = query.where(Exam.session_id == session_id)
    if paper_id is not None:
        query = query.where(Competence.paper_id == paper_id)
    if ids is not None:
        query = query.where(Competence.id.in_(list(ids)))
    return session.scalars(query.limit(limit)).unique().all()


def validated_competences(
    session: Session, paper_ids: Collection[int]
) -> Sequence[Row[int, int, dt.datetime | None, str, str]]:
    """(user, paper, decided at, decider's first name, last name) of validated competences."""
    if not paper_ids:
        return []
    decider = aliased(User)
    return session.execute(
        select(
            Competence.user_id,
            Competence.paper_id,
            Competence.decided_at,
            decider.first_name,
            decider.last_name,
        )
        .outerjoin(decider, Competence.decided_by_id == decider.id)
        .where(
            Competence.paper_id.in_(list(paper_ids)),
            Competence.status == CompetenceStatus.VALIDATED,
        )
    ).all()


# --- unavailability ---------------------------------------------------------------------------


def unavailability(session: Session, unavailability_id: int) -> Unavailability | None:
    return session.get(Unavailability, unavailability_id)


def unavailabilities_of(session: Session, user_id: int) -> Sequence[Unavailability]:
    return session.scalars(
        select(Unavailability)
        .where(Unavailability.user_id == user_id)
        .order_by(Unavailability.start_date, Unavailability.start_half_day, Unavailability.id)
    ).all()


def unavailabilities_between(
    session: Session, user_ids: Collection[int] | None, first: dt.date, last: dt.date
) -> Sequence[Unavailability]:
    query = select(Unavailability).where(
        Unavailability.start_date <= last, Unavailability.end_date >= first
    )
    if user_ids is not None:
        query = query.where(Unavailability.user_id.in_(list(user_ids)))
    return session.scalars(query).all()


# --- centres ----------------------------------------------------------------------------------


def centre_schools(session: Session, centre_ids: Collection[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if not centre_ids:
        return found
    for row in session.scalars(
        select(CentreSchool)
        .where(CentreSchool.centre_id.in_(list(centre_ids)))
        .order_by(CentreSchool.id)
    ):
        found[row.centre_id].append(row.school)
    return found


def replace_centre_schools(session: Session, centre_id: int, schools: list[str]) -> None:
    session.execute(delete(CentreSchool).where(CentreSchool.centre_id == centre_id))
    session.add_all(CentreSchool(centre_id=centre_id, school=s) for s in schools)
    session.flush()


# --- needs, assignments -----------------------------------------------------------------------


def need(session: Session, need_id: int) -> Need | None:
    return session.scalars(
        select(Need)
        .where(Need.id == need_id)
        .options(joinedload(Need.paper).joinedload(Paper.exam), joinedload(Need.centre))
    ).one_or_none()


def needs(session: Session, session_id: int) -> Sequence[Need]:
    return (
        session.scalars(
            select(Need)
            .where(Need.session_id == session_id)
            .options(joinedload(Need.paper).joinedload(Paper.exam), joinedload(Need.centre))
            .order_by(Need.day, Need.half_day, Need.id)
        )
        .unique()
        .all()
    )


def assignment(
    session: Session, assignment_id: int, *, for_update: bool = False
) -> Assignment | None:
    query = select(Assignment).where(Assignment.id == assignment_id).options(*_ASSIGNMENT)
    if for_update:
        # Read again under the lock, even if this unit of work has read it already.
        query = query.with_for_update(of=Assignment).execution_options(populate_existing=True)
    return session.scalars(query).unique().one_or_none()


def assignments_of_session(
    session: Session, session_id: int, statuses: Collection[AssignmentStatus] | None = None
) -> Sequence[Assignment]:
    query = (
        select(Assignment)
        .join(Need, Assignment.need_id == Need.id)
        .where(Need.session_id == session_id)
        .options(*_ASSIGNMENT)
        .order_by(Assignment.need_id, Assignment.task_index, Assignment.id)
    )
    if statuses is not None:
        query = query.where(Assignment.status.in_(list(statuses)))
    return session.scalars(query).unique().all()


def assignments_of_need(
    session: Session, need_id: int, statuses: Collection[AssignmentStatus] | None = None
) -> Sequence[Assignment]:
    query = (
        select(Assignment)
        .where(Assignment.need_id == need_id)
        .options(*_ASSIGNMENT)
        .order_by(Assignment.task_index, Assignment.id)
    )
    if statuses is not None:
        query = query.where(Assignment.status.in_(list(statuses)))
    return session.scalars(query).unique().all()


def assignments_of_user(session: Session, user_id: int) -> Sequence[Assignment]:
    return (
        session.scalars(
            select(Assignment)
            .where(Assignment.user_id == user_id, Assignment.status != AssignmentStatus.PROPOSED)
            .options(*_ASSIGNMENT)
            .join(Need, Assignment.need_id == Need.id)
            .order_by(Need.day, Need.half_day, Assignment.id)
        )
        .unique()
        .all()
    )


def active_slots(
    session: Session,
    user_ids: Collection[int] | None,
    first: dt.date,
    last: dt.date,
    *,
    other_than_session: int | None = None,
) -> Sequence[Row[int, dt.date, HalfDay, int, int]]:
    """(user, day, half-day, need, session) of the live assignments between two days."""
    query = (
        select(Assignment.user_id, Need.day, Need.half_day, Need.id, Need.session_id)
        .join(Need, Assignment.need_id == Need.id)
        .where(Assignment.status.in_(ACTIVE), Need.day >= first, Need.day <= last)
    )
    if user_ids is not None:
        query = query.where(Assignment.user_id.in_(list(user_ids)))
    if other_than_session is not None:
        query = query.where(Need.session_id != other_than_session)
    return session.execute(query).all()


def withdrawn_slots(session: Session, session_id: int) -> Sequence[Row[int, dt.date, HalfDay]]:
    """(user, day, half-day) where people of the session withdrew: they cannot come then."""
    return session.execute(
        select(Assignment.user_id, Need.day, Need.half_day)
        .join(Need, Assignment.need_id == Need.id)
        .where(
            Need.session_id == session_id,
            Assignment.status.in_((AssignmentStatus.WITHDRAWN, AssignmentStatus.REPLACED)),
        )
    ).all()


def other_convocations(
    session: Session, user_ids: Collection[int] | None, first: dt.date, last: dt.date
) -> Sequence[Row[int, MissionType, dt.date, dt.date, dt.time, dt.time]]:
    """(user, mission type, dates, hours) of convocations not made through a need."""
    needed = select(Need.mission_id).where(Need.mission_id.is_not(None))
    query = (
        select(
            Convocation.user_id,
            Mission.type,
            Mission.start_date,
            Mission.end_date,
            Mission.start_time,
            Mission.end_time,
        )
        .join(Mission, Convocation.mission_id == Mission.id)
        .where(
            Mission.start_date <= last,
            Mission.end_date >= first,
            Mission.id.not_in(needed),
        )
    )
    if user_ids is not None:
        query = query.where(Convocation.user_id.in_(list(user_ids)))
    return session.execute(query).all()


def delete_open_proposals(session: Session, session_id: int) -> None:
    """Drops the unlocked proposals of the session, before a new solve is stored."""
    need_ids = select(Need.id).where(Need.session_id == session_id)
    session.execute(
        delete(Assignment).where(
            Assignment.need_id.in_(need_ids),
            Assignment.status == AssignmentStatus.PROPOSED,
            Assignment.locked.is_(False),
        )
    )


def last_run(session: Session, session_id: int) -> Run | None:
    return session.scalars(
        select(Run).where(Run.session_id == session_id).order_by(Run.id.desc()).limit(1)
    ).one_or_none()


def statements_of(session: Session, convocation_ids: Collection[int]) -> dict[int, Statement]:
    if not convocation_ids:
        return {}
    rows = session.scalars(
        select(Statement).where(Statement.convocation_id.in_(list(convocation_ids)))
    ).all()
    return {s.convocation_id: s for s in rows}


def exam_session(session: Session, session_id: int) -> ExamSession | None:
    return session.get(ExamSession, session_id)


# --- letters ----------------------------------------------------------------------------------


def letter(session: Session, letter_id: int) -> ConvocationLetter | None:
    return session.get(ConvocationLetter, letter_id)


def letters(
    session: Session, *, session_id: int | None = None, user_id: int | None = None
) -> Sequence[Row[int, int, str, str, str, bool, dt.datetime]]:
    """(id, user, login, first name, last name, with password, created at), without the PDFs."""
    query = (
        select(
            ConvocationLetter.id,
            ConvocationLetter.user_id,
            User.login,
            User.first_name,
            User.last_name,
            ConvocationLetter.with_password,
            ConvocationLetter.created_at,
        )
        .join(User, ConvocationLetter.user_id == User.id)
        .order_by(ConvocationLetter.id.desc())
    )
    if session_id is not None:
        query = query.where(ConvocationLetter.session_id == session_id)
    if user_id is not None:
        query = query.where(ConvocationLetter.user_id == user_id)
    return session.execute(query).all()


# --- where each item belongs (auth.access) ------------------------------------------------------


def competence_place(competence: Competence) -> Place:
    """A competence is its person's, within the office of its paper's session; a chef de centre
    knows it by the person's school."""
    school = competence.user.school
    return Place(
        offices=frozenset((competence.paper.exam.session.office,)),
        owner_id=competence.user_id,
        schools=frozenset((school_key(school),)) if school else frozenset(),
    )


def _competence(session: Session, item_id: int) -> tuple[Competence, Place] | None:
    found = competence(session, item_id)
    return None if found is None else (found, competence_place(found))


def _need(session: Session, item_id: int) -> tuple[Need, Place] | None:
    found = session.execute(
        select(Need, ExamSession.office)
        .join(ExamSession, ExamSession.id == Need.session_id)
        .where(Need.id == item_id)
    ).first()
    if found is None:
        return None
    row: Need = found[0]
    return row, Place(offices=frozenset((found[1],)), centres=frozenset((row.centre_id,)))


def _assignment(session: Session, item_id: int) -> tuple[Assignment, Place] | None:
    found = session.execute(
        select(Assignment, ExamSession.office)
        .join(Need, Need.id == Assignment.need_id)
        .join(ExamSession, ExamSession.id == Need.session_id)
        .where(Assignment.id == item_id)
    ).first()
    if found is None:
        return None
    row: Assignment = found[0]
    return row, Place(offices=frozenset((found[1],)), owner_id=row.user_id)


def known_offices(session: Session, user_id: int) -> frozenset[str]:
    """The offices a person is known to: a competence for one of their papers, a convocation or
    an assignment in one of their sessions."""
    query = union(
        select(ExamSession.office)
        .join(Exam, Exam.session_id == ExamSession.id)
        .join(Paper, Paper.exam_id == Exam.id)
        .join(Competence, Competence.paper_id == Paper.id)
        .where(Competence.user_id == user_id),
        select(ExamSession.office)
        .join(Mission, Mission.session_id == ExamSession.id)
        .join(Convocation, Convocation.mission_id == Mission.id)
        .where(Convocation.user_id == user_id),
        select(ExamSession.office)
        .join(Need, Need.session_id == ExamSession.id)
        .join(Assignment, Assignment.need_id == Need.id)
        .where(Assignment.user_id == user_id),
    )
    return frozenset(session.scalars(select(query.subquery().c.office)))


def _person(session: Session, item_id: int) -> tuple[User, Place] | None:
    user = session.get(User, item_id)
    if user is None or user.role != Role.INTERVENANT:
        return None
    return user, Place(offices=known_offices(session, user.id), owner_id=user.id)


def _intervenant(session: Session, item_id: int) -> tuple[User, Place] | None:
    user = session.get(User, item_id)
    if user is None or user.role != Role.INTERVENANT:
        return None
    # Anyone of the académie may be asked to work for any office.
    return user, Place(owner_id=user.id, shared=True)


def _unavailability(session: Session, item_id: int) -> tuple[Unavailability, Place] | None:
    row = unavailability(session, item_id)
    if row is None:
        return None
    return row, Place(offices=known_offices(session, row.user_id), owner_id=row.user_id)


def _letter(session: Session, item_id: int) -> tuple[ConvocationLetter, Place] | None:
    found = session.execute(
        select(ConvocationLetter, ExamSession.office)
        .join(ExamSession, ExamSession.id == ConvocationLetter.session_id)
        .where(ConvocationLetter.id == item_id)
    ).first()
    if found is None:
        return None
    row: ConvocationLetter = found[0]
    return row, Place(offices=frozenset((found[1],)), owner_id=row.user_id)


COMPETENCE = Resource("competence", "Cette compétence n'existe pas.", _competence)
NEED = Resource("need", "Ce besoin n'existe pas.", _need)
ASSIGNMENT = Resource("assignment", "Cette affectation n'existe pas.", _assignment)
UNAVAILABILITY = Resource("unavailability", "Cette indisponibilité n'existe pas.", _unavailability)
LETTER = Resource("letter", "Cette convocation n'existe pas.", _letter)
PERSON = Resource("person", "Cet intervenant n'existe pas.", _person)
"""An intervenant with their declarations and residences: within the offices they work for."""
INTERVENANT = Resource("person", "Cet intervenant n'existe pas.", _intervenant)
"""An intervenant to declare a competence for or to convene: anyone of the académie."""
