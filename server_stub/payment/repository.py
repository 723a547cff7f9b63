"""SQL of payment batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    RowMapping,
    case,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from server_stub.auth.access import Place, Resource
from server_stub.auth.models import User
from server_stub.core.bulk import id_array, json_rows
from server_stub.core.repository import among
from server_stub.payment.models import Channel, PaymentBatch, PaymentPart, PaymentTransfer
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import PartPayment, Statement, Status

# Validated by the DEC, or in payment with a part still to send (not sent yet, or rejected).
PAYABLE = (Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT)


def candidates(
    session: Session,
    office: str | None,
    session_id: int | None,
    statement_ids: Collection[int] | None,
) -> list[RowMapping]:
    """Validated statements (Validé, Traité par le gestionnaire) and those in payment with a
    part left to send, with their payee and each part's payment state."""
    waiting = or_(
        Statement.pay_payment.is_(None),
        Statement.pay_payment == PartPayment.REJECTED.value,
        Statement.travel_payment.is_(None),
        Statement.travel_payment == PartPayment.REJECTED.value,
    )
    query = (
        select(
            Statement.id,
            Statement.version,
            Statement.status,
            Statement.user_id,
            Statement.pay_total,
            Statement.travel_total,
            Statement.total,
            Statement.pay_payment,
            Statement.travel_payment,
            Statement.documents_received,
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
        .where(Statement.status.in_([s.value for s in PAYABLE]), waiting)
        .order_by(Statement.id)
    )
    if office is not None:
        query = query.where(ExamSession.office == office)
    if session_id is not None:
        query = query.where(Mission.session_id == session_id)
    if statement_ids is not None:
        query = query.where(Statement.id.in_(list(statement_ids)))
    return list(session.execute(query).mappings())


def add_parts(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(PaymentPart), list(rows))


def add_transfers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(PaymentTransfer), list(rows))


def batches(session: Session, offices: Collection[str] | None) -> Sequence[PaymentBatch]:
    query = select(PaymentBatch).order_by(PaymentBatch.id.desc())
    if offices is not None:
        query = query.where(PaymentBatch.office.in_(sorted(offices)))
    return session.scalars(query).all()


def batch(session: Session, batch_id: int, *, for_update: bool = False) -> PaymentBatch | None:
    query = select(PaymentBatch).where(PaymentBatch.id == batch_id)
    if for_update:
        # Read again under the lock: another payment may have just been recorded.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def _batch(session: Session, batch_id: int) -> tuple[PaymentBatch, Place] | None:
    found = batch(session, batch_id)
    return None if found is None else (found, Place(offices=frozenset((found.office,))))


BATCH = Resource("batch", "Ce lot de paiement est introuvable.", _batch)
"""A payment batch, within the office it pays (a batch of every office, for administrators)."""


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


def owed(session: Session, batch_id: int) -> dict[int, Any]:
    """What the batch transfers to each person: their user id to the amount."""
    query = select(PaymentTransfer.user_id, PaymentTransfer.amount).where(
        PaymentTransfer.batch_id == batch_id
    )
    return {user_id: amount for user_id, amount in session.execute(query)}


def payroll_statements(session: Session, batch_id: int) -> set[int]:
    """The statements of the batch's payroll export (whatever the payroll answered)."""
    query = select(PaymentPart.statement_id).where(
        PaymentPart.batch_id == batch_id,
        PaymentPart.channel == Channel.PAYROLL.value,
        PaymentPart.amount > 0,
    )
    return set(session.scalars(query))


def payroll_rows(session: Session, batch_id: int) -> list[RowMapping]:
    """One row per statement of the batch paid through payroll."""
    query = (
        select(
            Statement.id.label("statement_id"),
            PaymentPart.id.label("part_id"),
            PaymentPart.amount.label("payroll_amount"),
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
        .join(Statement, Statement.id == PaymentPart.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .join(User, User.id == PaymentPart.user_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(
            PaymentPart.batch_id == batch_id,
            PaymentPart.channel == Channel.PAYROLL.value,
            PaymentPart.amount > 0,
        )
        .order_by(User.last_name, User.first_name, User.id, Statement.id)
    )
    return list(session.execute(query).mappings())


def amounts_by_exam(session: Session, batch_id: int) -> list[RowMapping]:
    query = (
        select(
            func.coalesce(Exam.name, Mission.label).label("exam"),
            Exam.speciality,
            Mission.type.label("mission_type"),
            func.count(func.distinct(PaymentPart.statement_id)).label("count"),
            func.sum(_on(Channel.PAYROLL)).label("payroll"),
            func.sum(_on(Channel.TRANSFER)).label("transfer"),
        )
        .join(Statement, Statement.id == PaymentPart.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(PaymentPart.batch_id == batch_id)
        .group_by(Exam.name, Mission.label, Exam.speciality, Mission.type)
    )
    return list(session.execute(query).mappings())


def _on(channel: Channel) -> Any:
    # SUM keeps the Money type of its argument: the totals come back in euros.
    return case((PaymentPart.channel == channel.value, PaymentPart.amount), else_=None)


def open_parts(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """The parts of a batch still awaiting the bank's or the payroll's answer (plain dicts:
    a bank statement reads each of thousands several times)."""
    query = (
        select(
            PaymentPart.id,
            PaymentPart.statement_id,
            PaymentPart.user_id,
            PaymentPart.part,
            PaymentPart.channel,
            PaymentPart.amount,
        )
        .where(
            PaymentPart.batch_id == batch_id,
            PaymentPart.status == PartPayment.IN_PAYMENT.value,
        )
        .order_by(PaymentPart.id)
    )
    result = session.execute(query)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def settle_parts(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Each part's answer: {id, status, settled_on, settled_reference, return_code,
    return_reason}. PostgreSQL: one UPDATE joined to the answers sent as one JSON document;
    SQLite, in process: the driver's executemany of the UPDATE by id."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            _SETTLE_FROM_JSON,
            {
                "rows": json_rows(rows, _SETTLED_COLUMNS),
                "ids": id_array(r["id"] for r in rows),
            },
        )
        return
    # SQLite keeps a date as its ISO text (SQLAlchemy's Date does the same): the rows go to
    # the driver's executemany as they are, without a bind processing per value.
    session.connection().exec_driver_sql(
        "UPDATE payment_parts SET status = ?, settled_on = ?, settled_reference = ?, "
        "return_code = ?, return_reason = ? WHERE id = ?",
        [
            (
                r["status"],
                None if r["settled_on"] is None else r["settled_on"].isoformat(),
                r["settled_reference"],
                r["return_code"],
                r["return_reason"],
                r["id"],
            )
            for r in rows
        ],
    )


_SETTLED_COLUMNS = (
    "id",
    "status",
    "settled_on",
    "settled_reference",
    "return_code",
    "return_reason",
)
# A bank statement's thousands of answers in one statement (core/bulk.py). The ANY lets the
# planner find the parts by primary key, not by reading every batch's (its plan checked by a
# test).
_SETTLE_FROM_JSON = text(
    "UPDATE payment_parts SET status = answer.status, settled_on = answer.settled_on, "
    "settled_reference = answer.settled_reference, return_code = answer.return_code, "
    "return_reason = answer.return_reason "
    "FROM json_to_recordset(CAST(:rows AS json)) AS answer(id integer, status varchar, "
    "settled_on date, settled_reference varchar, return_code varchar, return_reason text) "
    "WHERE payment_parts.id = answer.id AND payment_parts.id = ANY(CAST(:ids AS integer[]))"
)


def payment_states(session: Session, ids: Collection[int]) -> list[RowMapping]:
    """Where statements and their parts stand (id order), with their person and total, locked
    until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's one writer holds the database
    already)."""
    if not ids:
        return []
    query = (
        select(
            Statement.id,
            Statement.user_id,
            Statement.status,
            Statement.version,
            Statement.total,
            Statement.pay_total,
            Statement.travel_total,
            Statement.pay_payment,
            Statement.travel_payment,
        )
        .where(among(session, Statement.id, ids))
        .order_by(Statement.id)
        .with_for_update()
    )
    return list(session.execute(query).mappings())


def write_payment_states(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Each statement's new payment state, status and version ({id, pay_payment,
    travel_payment, status, version}), each statement written once. PostgreSQL: one UPDATE
    joined to the rows sent as one JSON document; SQLite, in process: the driver's executemany
    of the UPDATE by id."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            _STATES_FROM_JSON,
            {
                "rows": json_rows(
                    rows, ("id", "pay_payment", "travel_payment", "status", "version")
                ),
                "ids": id_array(r["id"] for r in rows),
            },
        )
        return
    session.connection().exec_driver_sql(
        "UPDATE statements SET pay_payment = ?, travel_payment = ?, status = ?, version = ? "
        "WHERE id = ?",
        [(r["pay_payment"], r["travel_payment"], r["status"], r["version"], r["id"]) for r in rows],
    )


# As _SETTLE_FROM_JSON: the ANY lets the planner find the statements by primary key.
_STATES_FROM_JSON = text(
    "UPDATE statements SET pay_payment = state.pay_payment, "
    "travel_payment = state.travel_payment, status = state.status, version = state.version "
    "FROM json_to_recordset(CAST(:rows AS json)) AS state(id integer, pay_payment varchar, "
    "travel_payment varchar, status varchar, version integer) "
    "WHERE statements.id = state.id AND statements.id = ANY(CAST(:ids AS integer[]))"
)


def count_open_parts(session: Session, batch_id: int) -> int:
    query = select(func.count(PaymentPart.id)).where(
        PaymentPart.batch_id == batch_id, PaymentPart.status == PartPayment.IN_PAYMENT.value
    )
    return int(session.scalar(query) or 0)


def payees(session: Session, batch_id: int) -> list[int]:
    query = select(PaymentPart.user_id).where(PaymentPart.batch_id == batch_id).distinct()
    return list(session.scalars(query))


def mark_people_paid(session: Session, user_ids: Collection[int], at: dt.datetime) -> None:
    """`last_paid` moves forward only (a batch paid late does not hide a later payment): one
    UPDATE of the people, sent as one parameter."""
    if not user_ids:
        return
    session.execute(
        update(User)
        .where(
            among(session, User.id, user_ids),
            or_(User.last_paid.is_(None), User.last_paid < at),
        )
        .values(last_paid=at)
        .execution_options(synchronize_session=False)
    )


def rejections(session: Session, user_ids: Collection[int]) -> dict[int, dt.date]:
    """The latest date the bank rejected a transfer to each person (those with one)."""
    ids = sorted(user_ids)
    found: dict[int, dt.date] = {}
    for start in range(0, len(ids), 1000):
        query = (
            select(PaymentPart.user_id, func.max(PaymentPart.settled_on))
            .where(
                PaymentPart.user_id.in_(ids[start : start + 1000]),
                PaymentPart.status == PartPayment.REJECTED.value,
                PaymentPart.channel == Channel.TRANSFER.value,
            )
            .group_by(PaymentPart.user_id)
        )
        for user_id, day in session.execute(query):
            if day is not None:
                found[user_id] = day
    return found


def flagged_for_financial_file(session: Session, user_ids: Collection[int]) -> set[int]:
    """Those of these people with a live statement flagged for their financial file: a payment
    renews it (the other anomalies do not depend on payment)."""
    if not user_ids:
        return set()
    query = (
        select(Statement.user_id)
        .where(
            among(session, Statement.user_id, user_ids),
            Statement.anomaly_codes.like("% FINANCIAL_FILE %"),
        )
        .distinct()
    )
    return set(session.scalars(query))


def paid_between(
    session: Session,
    user_id: int,
    first: dt.date,
    last: dt.date,
    offices: Collection[str] | None,
) -> list[RowMapping]:
    """The parts paid to a person whose payment date falls between `first` and `last` (both
    included), with their mission and batch; only the batches of `offices` unless None. Parts
    of no amount (a statement without any kept one pay part of zero) paid nothing."""
    query = (
        select(
            PaymentPart.statement_id,
            PaymentPart.part,
            PaymentPart.channel,
            PaymentPart.amount,
            PaymentPart.settled_on,
            PaymentPart.settled_reference,
            PaymentBatch.id.label("batch_id"),
            PaymentBatch.created_at.label("batch_created_at"),
            PaymentBatch.office,
            Mission.type.label("mission_type"),
            Mission.label.label("mission_label"),
            Mission.start_date,
            Mission.end_date,
            ExamSession.name.label("session_name"),
            Exam.name.label("exam_name"),
            Exam.speciality,
            Paper.code.label("paper_code"),
            Paper.name.label("paper_name"),
            Centre.name.label("centre_name"),
        )
        .join(PaymentBatch, PaymentBatch.id == PaymentPart.batch_id)
        .join(Statement, Statement.id == PaymentPart.statement_id)
        .join(Convocation, Convocation.id == Statement.convocation_id)
        .join(Mission, Mission.id == Convocation.mission_id)
        .join(ExamSession, ExamSession.id == Mission.session_id)
        .join(Centre, Centre.id == Mission.centre_id)
        .outerjoin(Paper, Paper.id == Mission.paper_id)
        .outerjoin(Exam, Exam.id == Paper.exam_id)
        .where(
            PaymentPart.user_id == user_id,
            PaymentPart.status == PartPayment.PAID.value,
            PaymentPart.settled_on >= first,
            PaymentPart.settled_on <= last,
            PaymentPart.amount > 0,
        )
        .order_by(Mission.start_date, PaymentPart.statement_id, PaymentPart.settled_on)
    )
    if offices is not None:
        query = query.where(PaymentBatch.office.in_(sorted(offices)))
    return list(session.execute(query).mappings())


# --- scheduled batches -------------------------------------------------------------------


def offices_with_sessions(session: Session) -> list[str]:
    query = select(ExamSession.office).distinct().order_by(ExamSession.office)
    return [office for office in session.scalars(query) if office]


def scheduled_batch(session: Session, office: str, day: dt.date) -> PaymentBatch | None:
    """The batch the schedule made for `office` on `day`, if one was."""
    return session.scalars(
        select(PaymentBatch).where(PaymentBatch.office == office, PaymentBatch.scheduled_on == day)
    ).first()
