"""The outbox of e-mail messages and the messages each person declined."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime
from server_stub.notifications.kinds import Kind


class Delivery(StrEnum):
    PENDING = "PENDING"  # to send (again, after `next_attempt_at`)
    SENT = "SENT"  # accepted by the mail server
    FAILED = "FAILED"  # refused for good, or too many attempts


class OutboxMessage(Base):
    """One message to send, written in the transaction of the change that causes it.

    A worker claims it by setting `lease_until` (nobody else takes it meanwhile), sends it,
    then marks it sent; a failure puts it back with a later `next_attempt_at`.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[Kind] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Messages that must exist once only (a reminder per statement and deadline).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[Delivery] = mapped_column(String(10), default=Delivery.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    leased_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


class OptOut(Base):
    """A kind of message a person asked not to receive (never a statutory one)."""

    __tablename__ = "notification_opt_outs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[Kind] = mapped_column(String(30), primary_key=True)
