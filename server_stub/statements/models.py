"""Expense statements (états de frais de mission) and their audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server_stub.auth.models import User
from server_stub.core.database import Base, Money, UtcDateTime
from server_stub.reference.models import Convocation

Json = JSON().with_variant(JSONB(), "postgresql")


class Status(StrEnum):
    """The stored lifecycle. What people read is derived from it (statements/vocabulary.py)."""

    OPEN = "OPEN"  # created with the convocation; the intervenant may fill it once started
    NOT_PERFORMED = "NOT_PERFORMED"  # declared not performed by the intervenant
    SUBMITTED = "SUBMITTED"  # validated by the intervenant, awaiting the DEC
    RETURNED = "RETURNED"  # sent back by the DEC with a reason
    APPROVED = "APPROVED"  # validated by the DEC
    DEC_ENTERED = "DEC_ENTERED"  # indemnity entered directly by the DEC
    CANCELLED = "CANCELLED"
    IN_PAYMENT = "IN_PAYMENT"  # transmis à la liquidation
    PAID = "PAID"


class PartPayment(StrEnum):
    """Where one part of a statement (its pay part, its travel part) stands in payment; None on
    the statement while the part has not been sent. Each part is paid on its own: an interne's
    indemnity goes to payroll whatever becomes of their travel part (payment/models.py)."""

    IN_PAYMENT = "IN_PAYMENT"  # in a batch, awaiting the bank's or the payroll's answer
    PAID = "PAID"
    REJECTED = "REJECTED"  # returned by the bank: goes into the next batch


# The lifecycle's order as the DEC reads it (DOMAIN §3), for sorting its queue.
STATUS_ORDER = (
    Status.OPEN,
    Status.NOT_PERFORMED,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.APPROVED,
    Status.DEC_ENTERED,
    Status.IN_PAYMENT,
    Status.PAID,
    Status.CANCELLED,
)
# The same as SQL, written with literals so that the queue's ORDER BY is the expression of the
# index below (a bound parameter would not match it).
STATUS_RANK_SQL = (
    "(CASE status "
    + " ".join(f"WHEN '{s.value}' THEN {rank}" for rank, s in enumerate(STATUS_ORDER))
    + f" ELSE {len(STATUS_ORDER)} END)"
)


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    convocation_id: Mapped[int] = mapped_column(ForeignKey("convocations.id"), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id")
    )  # indexed with the id: ix_statements_user_id_id
    status: Mapped[Status] = mapped_column(String(16), default=Status.OPEN, index=True)
    status_before_cancel: Mapped[Status | None] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)

    entry: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    computation: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    pay_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    travel_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # Car kilometres of this statement, for the person's cumulative annual kilometres.
    car_km: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # Entered by the DEC for the mission types it handles itself.
    direct_indemnity: Mapped[Decimal | None] = mapped_column(Money)

    reason: Mapped[str | None] = mapped_column(Text)  # return or non-performance reason
    # The code of the académie's return reason the DEC chose for its last return, if any: a
    # reason in use is not deleted (referential/).
    return_reason: Mapped[str | None] = mapped_column(String(40), index=True)
    saved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # What the intervenant certified on honour at validation (statements/certification.py):
    # {"at": ISO time, "texts": [the sentences ticked]}.
    certification: Mapped[dict[str, Any] | None] = mapped_column(Json)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    # What the DEC should check (rules/anomalies.py), stored when the statement changes:
    # [{"code", "label", "message", "field"}], the codes space-delimited for the queue's filter
    # (" KM_EXCESSIVE LATE_SUBMISSION "), and their number ("sans anomalie" is 0).
    anomalies: Mapped[list[dict[str, str]]] = mapped_column(
        Json, default=list, server_default=text("'[]'")
    )
    anomaly_codes: Mapped[str] = mapped_column(String(400), default="", server_default="")
    anomaly_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    # Counts changed by the DEC, until the intervenant reads the statement.
    dec_corrected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Supporting documents the DEC ticked as received: label → {"at": ISO time, "by": name}.
    documents_received: Mapped[dict[str, Any]] = mapped_column(
        Json, default=dict, server_default=text("'{}'")
    )
    # The payment batch it was sent to payment in (payment/models.py).
    payment_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_batches.id"), index=True
    )

    # Each part's own payment state (None: not sent yet); the status above is IN_PAYMENT as soon
    # as one part is sent, PAID when every part with an amount is paid.
    pay_payment: Mapped[PartPayment | None] = mapped_column(String(16))
    travel_payment: Mapped[PartPayment | None] = mapped_column(String(16))

    convocation: Mapped[Convocation] = relationship()
    user: Mapped[User] = relationship()  # the convocation's person, kept beside it

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # The DEC's queue sorted by amount, by status, by intervenant walks these
    # (dec/repository.sort_columns).
    __table_args__ = (
        Index("ix_statements_total_id", "total", "id"),
        Index("ix_statements_status_rank_id", text(STATUS_RANK_SQL), "id"),
        Index("ix_statements_user_id_id", "user_id", "id"),
    )


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    # What an action changed, when the reason alone does not say it (a DEC correction's entry
    # before and after).
    details: Mapped[dict[str, Any] | None] = mapped_column(Json)

    # The history people read leaves saves out (statements/repository.history); however often a
    # statement is saved, reading it costs the same.
    __table_args__ = (
        Index(
            "ix_audit_entries_history",
            "statement_id",
            "at",
            "id",
            sqlite_where=text("action <> 'SAVE'"),
            postgresql_where=text("action <> 'SAVE'"),
        ),
    )
