"""SQL for the reference data, and where each item belongs (its office, its centre)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_stub.auth.access import Place, Resource
from server_stub.core.database import Base
from server_stub.core.errors import Conflict
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper

Row = TypeVar("Row", bound=Base)
Offices = Collection[str] | None  # None: every office


def _of_office(office: str, **place: Any) -> Place:
    return Place(offices=frozenset((office,)), **place)


def _session(session: Session, item_id: int) -> tuple[ExamSession, Place] | None:
    row = session.get(ExamSession, item_id)
    return None if row is None else (row, _of_office(row.office))


def _exam(session: Session, item_id: int) -> tuple[Exam, Place] | None:
    found = session.execute(
        select(Exam, ExamSession.office)
        .join(ExamSession, ExamSession.id == Exam.session_id)
        .where(Exam.id == item_id)
    ).first()
    return None if found is None else (found[0], _of_office(found[1]))


def _paper(session: Session, item_id: int) -> tuple[Paper, Place] | None:
    found = session.execute(
        select(Paper, ExamSession.office)
        .join(Exam, Exam.id == Paper.exam_id)
        .join(ExamSession, ExamSession.id == Exam.session_id)
        .where(Paper.id == item_id)
    ).first()
    return None if found is None else (found[0], _of_office(found[1]))


def _mission(session: Session, item_id: int) -> tuple[Mission, Place] | None:
    found = session.execute(
        select(Mission, ExamSession.office)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .where(Mission.id == item_id)
    ).first()
    if found is None:
        return None
    mission: Mission = found[0]
    return mission, _of_office(found[1], centres=frozenset((mission.centre_id,)))


def _centre(session: Session, item_id: int) -> tuple[Centre, Place] | None:
    row = session.get(Centre, item_id)
    # The académie's exam centres serve every office.
    return None if row is None else (row, Place(centres=frozenset((row.id,)), shared=True))


SESSION = Resource("session", "Cette session n'existe pas.", _session)
EXAM = Resource("exam", "Cet examen n'existe pas.", _exam)
PAPER = Resource("paper", "Cette épreuve n'existe pas.", _paper)
MISSION = Resource("mission", "Cette mission n'existe pas.", _mission)
CENTRE = Resource("centre", "Ce centre n'existe pas.", _centre)


def _in_offices(query: Select[Any], offices: Offices) -> Select[Any]:
    return query if offices is None else query.where(ExamSession.office.in_(list(offices)))


def sessions(session: Session, offices: Offices) -> Sequence[ExamSession]:
    return session.scalars(_in_offices(select(ExamSession).order_by(ExamSession.id), offices)).all()


def exams(session: Session, offices: Offices, session_id: int | None) -> Sequence[Exam]:
    query = select(Exam).join(ExamSession, ExamSession.id == Exam.session_id).order_by(Exam.id)
    if session_id is not None:
        query = query.where(Exam.session_id == session_id)
    return session.scalars(_in_offices(query, offices)).all()


def papers(session: Session, offices: Offices, exam_id: int | None) -> Sequence[Paper]:
    query = (
        select(Paper)
        .join(Exam, Exam.id == Paper.exam_id)
        .join(ExamSession, ExamSession.id == Exam.session_id)
        .order_by(Paper.id)
    )
    if exam_id is not None:
        query = query.where(Paper.exam_id == exam_id)
    return session.scalars(_in_offices(query, offices)).all()


def missions(
    session: Session,
    offices: Offices,
    session_id: int | None,
    centres: frozenset[int] | None = None,
) -> Sequence[Mission]:
    query = (
        select(Mission).join(ExamSession, ExamSession.id == Mission.session_id).order_by(Mission.id)
    )
    if session_id is not None:
        query = query.where(Mission.session_id == session_id)
    if centres is not None:
        query = query.where(Mission.centre_id.in_(sorted(centres)))
    return session.scalars(_in_offices(query, offices)).all()


def centres(session: Session) -> Sequence[Centre]:
    return session.scalars(select(Centre).order_by(Centre.id)).all()


def centre_ids_by_code(session: Session, codes: Collection[str]) -> dict[str, int]:
    """The ids of the centres of these codes (those that exist)."""
    rows = session.execute(select(Centre.code, Centre.id).where(Centre.code.in_(list(codes))))
    return {code: centre_id for code, centre_id in rows}


def get(session: Session, model: type[Row], item_id: int) -> Row | None:
    return session.get(model, item_id)


def add(session: Session, row: Row) -> Row:
    """Adds and flushes, turning a uniqueness violation into a French conflict."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict("Un élément avec ce code existe déjà.") from None
    return row


def flush(session: Session) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Un élément avec ce code existe déjà.") from None
