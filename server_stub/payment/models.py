"""Payment batches, what each statement contributes to them, and the transfers they order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, Money, UtcDateTime
from server_stub.rules.model import Part
from server_stub.statements.models import PartPayment


class BatchStatus(StrEnum):
    IN_PAYMENT = "IN_PAYMENT"  # transmis à la liquidation
    PAID = "PAID"


class PaymentBatch(Base):
    __tablename__ = "payment_batches"
    # One batch created on schedule per office and day, whatever the number of server
    # processes running the schedule (a batch made by hand has no scheduled day).
    __table_args__ = (
        Index("uq_payment_batches_office_scheduled_on", "office", "scheduled_on", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office: Mapped[str] = mapped_column(String(40), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exam_sessions.id"))
    status: Mapped[BatchStatus] = mapped_column(String(16), default=BatchStatus.IN_PAYMENT)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Requested execution date of the transfers (ReqdExctnDt).
    execution_date: Mapped[dt.date] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The business day a scheduled batch was created for (payment/scheduled.py), or None.
    scheduled_on: Mapped[dt.date | None] = mapped_column(Date)

    statement_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    payroll_count: Mapped[int] = mapped_column(Integer, default=0)
    payroll_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    @property
    def reference(self) -> str:
        """`LOT-2026-000042`: printed on the files, and the SEPA message's identifier."""
        return batch_reference(self.id, self.created_at)


def batch_reference(batch_id: int, created_at: dt.datetime) -> str:
    """A batch's reference from its id and creation time (see `PaymentBatch.reference`)."""
    return f"LOT-{created_at.year}-{batch_id:06d}"


class Channel(StrEnum):
    PAYROLL = "PAYROLL"  # an interne's indemnity, through the payroll export
    TRANSFER = "TRANSFER"  # a SEPA credit transfer to the person's financial file


class PaymentPart(Base):
    """One part of a statement (its pay part or its travel part) sent in a batch, and what the
    bank or the payroll answered. A part the bank rejected is sent again in a later batch: the
    same part can appear in several batches, once in each."""

    __tablename__ = "payment_parts"
    __table_args__ = (UniqueConstraint("batch_id", "statement_id", "part"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    part: Mapped[Part] = mapped_column(String(8))
    channel: Mapped[Channel] = mapped_column(String(8))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[PartPayment] = mapped_column(String(16), default=PartPayment.IN_PAYMENT)
    # Booking date of the bank or the payroll; their reference (AcctSvcrRef, the payroll's).
    settled_on: Mapped[dt.date | None] = mapped_column(Date)
    settled_reference: Mapped[str | None] = mapped_column(String(35))
    # A rejected or returned transfer: the ISO 20022 reason code and its French meaning.
    return_code: Mapped[str | None] = mapped_column(String(4))
    return_reason: Mapped[str | None] = mapped_column(Text)


class PaymentTransfer(Base):
    """One credit transfer per person per batch, to the account of their financial file as it
    was when the batch was made (the file can be downloaded again identically)."""

    __tablename__ = "payment_transfers"
    __table_args__ = (UniqueConstraint("batch_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    creditor_name: Mapped[str] = mapped_column(String(140))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    amount: Mapped[Decimal] = mapped_column(Money)
    statement_count: Mapped[int] = mapped_column(Integer)
