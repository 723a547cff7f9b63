"""Competences, unavailability, needs, proposed and issued assignments, convocation letters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server_stub.auth.models import User
from server_stub.core.database import Base, Money, UtcDateTime
from server_stub.reference.models import Centre, Convocation, Mission, Paper
from server_stub.rules.model import HalfDay
from server_stub.statements.models import Json


class CompetenceStatus(StrEnum):
    PENDING = "PENDING"
    VALIDATED = "VALIDATED"
    REFUSED = "REFUSED"


class Competence(Base):
    """A paper a person declares they can examine (from the subjects they teach)."""

    __tablename__ = "assignment_competences"
    __table_args__ = (UniqueConstraint("user_id", "paper_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    status: Mapped[CompetenceStatus] = mapped_column(String(10), index=True)
    # The subject taught that makes the person competent, in their words.
    subject: Mapped[str | None] = mapped_column(String(200))
    declared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refusal_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    paper: Mapped[Paper] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Unavailability(Base):
    """From a half-day to a half-day, both included."""

    __tablename__ = "assignment_unavailabilities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    start_half_day: Mapped[HalfDay] = mapped_column(String(2))
    end_date: Mapped[dt.date] = mapped_column(Date)
    end_half_day: Mapped[HalfDay] = mapped_column(String(2))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CentreSchool(Base):
    """A school whose candidates sit at the centre: its teachers do not examine there.

    The centre's own name always counts; these rows add the other schools it hosts.
    """

    __tablename__ = "assignment_centre_schools"
    __table_args__ = (UniqueConstraint("centre_id", "school"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    school: Mapped[str] = mapped_column(String(200))


class NeedKind(StrEnum):
    CORRECTION = "CORRECTION"  # written copies, in lots
    ORAL = "ORAL"  # commissions of examiners
    MEETING = "MEETING"  # réunion or harmonisation


class Need(Base):
    """What must be covered at one centre on one half-day."""

    __tablename__ = "assignment_needs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    kind: Mapped[NeedKind] = mapped_column(String(12))
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    # The half-day people must be at the centre (copies handed over, orals, meeting).
    day: Mapped[dt.date] = mapped_column(Date)
    half_day: Mapped[HalfDay] = mapped_column(String(2))
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    # Corrections: the day the corrected copies are due back (the mission's last day).
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    copies: Mapped[int | None] = mapped_column(Integer)
    lot_size: Mapped[int | None] = mapped_column(Integer)
    commissions: Mapped[int | None] = mapped_column(Integer)
    # Examiners per commission, or participants of a meeting; 1 for corrections.
    seats: Mapped[int] = mapped_column(Integer, default=1)
    meeting_type: Mapped[str | None] = mapped_column(String(20))  # REUNION or HARMONISATION
    travel_reimbursable: Mapped[bool] = mapped_column(Boolean, default=True)
    label: Mapped[str | None] = mapped_column(String(200))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    paper: Mapped[Paper] = relationship()
    centre: Mapped[Centre] = relationship()
    mission: Mapped[Mission | None] = relationship()


class AssignmentStatus(StrEnum):
    PROPOSED = "PROPOSED"  # by the solver or by hand; not yet convened
    ISSUED = "ISSUED"  # convened: convocation and expense statement exist
    WITHDRAWN = "WITHDRAWN"  # the person declared in advance they cannot come
    REPLACED = "REPLACED"  # someone else was convened instead


class Assignment(Base):
    """One person on one seat of a need's task (a lot, a commission, the meeting)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("assignment_needs.id"), index=True)
    task_index: Mapped[int] = mapped_column(Integer)  # lot or commission number, from 1
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    copies: Mapped[int] = mapped_column(Integer, default=0)  # the lot's copies
    status: Mapped[AssignmentStatus] = mapped_column(String(10), index=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    round_trip_km: Mapped[int] = mapped_column(Integer, default=0)
    explanation: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    convocation_id: Mapped[int | None] = mapped_column(ForeignKey("convocations.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    need: Mapped[Need] = relationship()
    user: Mapped[User] = relationship()
    convocation: Mapped[Convocation | None] = relationship()


class Run(Base):
    """One solve of a session: its options, figures and the needs it could not cover."""

    __tablename__ = "assignment_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    options: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    placed: Mapped[int] = mapped_column(Integer, default=0)
    uncovered: Mapped[int] = mapped_column(Integer, default=0)
    expected_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    milliseconds: Mapped[int] = mapped_column(Integer, default=0)
    shortfalls: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    warnings: Mapped[list[str]] = mapped_column(Json, default=list)


class ConvocationLetter(Base):
    """The PDF sent to one person for the convocations of one issue.

    A letter to an externe who has never logged in carries their temporary password, which is
    void once they choose their own (see docs/assignment.md).
    """

    __tablename__ = "assignment_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    with_password: Mapped[bool] = mapped_column(Boolean, default=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
