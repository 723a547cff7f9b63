"""Payment batches, what each statement contributes to them, and the transfers they order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, Money, UtcDateTime


class BatchStatus(StrEnum):
    IN_PAYMENT = "IN_PAYMENT"  # transmis à la liquidation
    PAID = "PAID"


class PaymentBatch(Base):
    __tablename__ = "payment_batches"

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

    statement_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    payroll_count: Mapped[int] = mapped_column(Integer, default=0)
    payroll_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    @property
    def reference(self) -> str:
        """`LOT-2026-000042`: printed on the files, and the SEPA message's identifier."""
        return f"LOT-{self.created_at.year}-{self.id:06d}"


class PaymentLine(Base):
    """A statement of the batch: the part paid through payroll and the part paid by transfer."""

    __tablename__ = "payment_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    payroll_amount: Mapped[Decimal] = mapped_column(Money)
    transfer_amount: Mapped[Decimal] = mapped_column(Money)


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
