"""What the DEC records besides statements: the constat de service fait of a mission."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime


class ServiceRecord(Base):
    """The work of a mission was done (constat de service fait), recorded by a gestionnaire or
    by the chef de centre of the mission's centre."""

    __tablename__ = "service_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), unique=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The day the service was found done, and what the recorder adds (absent before 0010).
    service_date: Mapped[dt.date | None] = mapped_column(Date)
    remark: Mapped[str | None] = mapped_column(Text)
    corrected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OfficeSetting(Base):
    """How an office of the DEC works: whether a statement may be validated before the
    service of its mission is recorded, and before every supporting document it requires is
    attached or received."""

    __tablename__ = "office_settings"

    office: Mapped[str] = mapped_column(String(40), primary_key=True)
    service_done_required: Mapped[bool] = mapped_column(Boolean, default=False)
    documents_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class BulkRequest(Base):
    """A bulk action asked for under an idempotency key: retried with the same key, it
    completes what is left and answers the whole report (dec/actions.py)."""

    __tablename__ = "bulk_requests"
    __table_args__ = (UniqueConstraint("actor_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    # SHA-256 of the request's action and body: a key reused for other work is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class BulkOutcome(Base):
    """What a bulk request did to one statement, written in the transaction that did it."""

    __tablename__ = "bulk_outcomes"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("bulk_requests.id", ondelete="CASCADE"), primary_key=True
    )
    statement_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
