"""The session being examined: exams, papers, centres, missions and convocations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server_stub.auth.models import User
from server_stub.core.database import Base, UtcDateTime
from server_stub.rules.model import EvaluationMode, MissionType, PaperKind


class ExamSession(Base):
    __tablename__ = "exam_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    entry_deadline: Mapped[dt.date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(40), default="DEC")


class Exam(Base):
    __tablename__ = "exams"
    __table_args__ = (UniqueConstraint("session_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    diploma: Mapped[str] = mapped_column(String(40))  # BAC_PRO, BTS, CAP, …
    name: Mapped[str] = mapped_column(String(200))
    speciality: Mapped[str] = mapped_column(String(200))

    session: Mapped[ExamSession] = relationship()


class Paper(Base):
    __tablename__ = "papers"
    __table_args__ = (UniqueConstraint("exam_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PaperKind] = mapped_column(String(12))
    evaluation_mode: Mapped[EvaluationMode] = mapped_column(String(12))
    pay_group: Mapped[str] = mapped_column(String(2))  # "1".."5" or "NR"
    minutes_per_candidate: Mapped[int | None] = mapped_column(Integer)
    optional_oral: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)

    exam: Mapped[Exam] = relationship()


class Centre(Base):
    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    commune_insee: Mapped[str] = mapped_column(String(5))


class Mission(Base):
    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    type: Mapped[MissionType] = mapped_column(String(20))
    paper_id: Mapped[int | None] = mapped_column(ForeignKey("papers.id"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    lot_size: Mapped[int | None] = mapped_column(Integer)
    travel_reimbursable: Mapped[bool] = mapped_column(Boolean, default=True)
    label: Mapped[str | None] = mapped_column(String(200))

    session: Mapped[ExamSession] = relationship()
    paper: Mapped[Paper | None] = relationship()
    centre: Mapped[Centre] = relationship()

    # The DEC's queue sorted by mission date walks this (dec/repository.sort_columns).
    __table_args__ = (Index("ix_missions_start_date_id", "start_date", "id"),)


class Convocation(Base):
    __tablename__ = "convocations"
    __table_args__ = (UniqueConstraint("mission_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    mission: Mapped[Mission] = relationship()
    user: Mapped[User] = relationship()
