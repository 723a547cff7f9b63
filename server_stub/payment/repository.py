"""SQL of payment batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import RowMapping, func, insert, or_, select, update
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.payment.models import PaymentBatch, PaymentLine, PaymentTransfer
from server_stub.reference.models import Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import Statement, Status

VALIDATED = (Status.APPROVED, Status.DEC_ENTERED)


def candidates(
    session: Session,
    office: str | None,
    session_id: int | None,
    statement_ids: Collection[int] | None,
) -> list[RowMapping]:
    """Validated statements (Validé, Traité par le gestionnaire) with their payee."""
    query = (
        select(
            Statement.id,
            Statement.version,
            Statement.user_id,
            Statement.pay_total,
            Statement.travel_total,
            Statement.total,
            User.first_name,
            User.last_name,
            User.academic,
            User.iban,
            User.bic,
            User.account_holder,
            User.financial_file_updated,
            User.last_paid,
        )
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .join(User, User.id == Statement.user_id)
        .where(Statement.status.in_([s.value for s in VALIDATED]))
        .order_by(Statement.id)
    )
    if office is not None:
        query = query.where(ExamSession.office == office)
    if session_id is not None:
        query = query.where(Mission.session_id == session_id)
    if statement_ids is not None:
        query = query.where(Statement.id.in_(list(statement_ids)))
    return list(session.execute(query).mappings())


def add_lines(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(PaymentLine), list(rows))


def add_transfers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(PaymentTransfer), list(rows))


def batches(session: Session, office: str | None) -> Sequence[PaymentBatch]:
    query = select(PaymentBatch).order_by(PaymentBatch.id.desc())
    if office is not None:
        query = query.where(PaymentBatch.office == office)
    return session.scalars(query).all()


def batch(session: Session, batch_id: int, *, for_update: bool = False) -> PaymentBatch | None:
    query = select(PaymentBatch).where(PaymentBatch.id == batch_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def people_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(User.id, User.first_name, User.last_name).where(User.id.in_(list(ids)))
    return {i: f"{first} {last}" for i, first, last in session.execute(query)}


def session_name(session: Session, session_id: int | None) -> str | None:
    if session_id is None:
        return None
    return session.scalar(select(ExamSession.name).where(ExamSession.id == session_id))


def transfers(session: Session, batch_id: int) -> Sequence[PaymentTransfer]:
    query = (
        select(PaymentTransfer)
        .where(PaymentTransfer.batch_id == batch_id)
        .order_by(PaymentTransfer.creditor_name, PaymentTransfer.id)
    )
    return session.scalars(query).all()


def payroll_rows(session: Session, batch_id: int) -> list[RowMapping]:
    """One row per statement of the batch paid through payroll."""
    query = (
        select(
            Statement.id.label("statement_id"),
            PaymentLine.payroll_amount,
            Statement.direct_indemnity,
            User.login,
            User.last_name,
            User.first_name,
            ExamSession.name.label("session"),
            func.coalesce(Exam.name, Mission.label).label("exam"),
            Exam.speciality,
            Paper.code.label("paper_code"),
            Paper.name.label("paper"),
            Mission.type.label("mission_type"),
            Mission.start_date,
            Mission.end_date,
        )
        .join(Statement, Statement.id == PaymentLine.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .join(User, User.id == PaymentLine.user_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(PaymentLine.batch_id == batch_id, PaymentLine.payroll_amount > 0)
        .order_by(User.last_name, User.first_name, User.id, Statement.id)
    )
    return list(session.execute(query).mappings())


def amounts_by_exam(session: Session, batch_id: int) -> list[RowMapping]:
    query = (
        select(
            func.coalesce(Exam.name, Mission.label).label("exam"),
            Exam.speciality,
            Mission.type.label("mission_type"),
            func.count(PaymentLine.id).label("count"),
            func.sum(PaymentLine.payroll_amount).label("payroll"),
            func.sum(PaymentLine.transfer_amount).label("transfer"),
        )
        .join(Statement, Statement.id == PaymentLine.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(PaymentLine.batch_id == batch_id)
        .group_by(Exam.name, Mission.label, Exam.speciality, Mission.type)
    )
    return list(session.execute(query).mappings())


def statement_ids(session: Session, batch_id: int) -> list[int]:
    query = select(PaymentLine.statement_id).where(PaymentLine.batch_id == batch_id)
    return list(session.scalars(query.order_by(PaymentLine.statement_id)))


def payees(session: Session, batch_id: int) -> list[int]:
    query = select(PaymentLine.user_id).where(PaymentLine.batch_id == batch_id).distinct()
    return list(session.scalars(query))


def mark_people_paid(session: Session, user_ids: Collection[int], at: dt.datetime) -> None:
    """`last_paid` moves forward only (a batch paid late does not hide a later payment)."""
    people = sorted(user_ids)
    for start in range(0, len(people), 1000):
        chunk = people[start : start + 1000]
        session.execute(
            update(User)
            .where(User.id.in_(chunk), or_(User.last_paid.is_(None), User.last_paid < at))
            .values(last_paid=at)
            .execution_options(synchronize_session=False)
        )
