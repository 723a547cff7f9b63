"""The académie's changes to its reference data; what is not stored is the packaged default."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime


class AdjacentCommuneChange(Base):
    """A pair of communes the académie declares adjacent, or not, against the packaged list
    (DOMAIN §5: travel between adjacent communes is not reimbursed). `insee_a < insee_b`."""

    __tablename__ = "adjacent_commune_changes"

    insee_a: Mapped[str] = mapped_column(String(5), primary_key=True)
    insee_b: Mapped[str] = mapped_column(String(5), primary_key=True)
    adjacent: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReturnReasonEntry(Base):
    """A reason for returning a statement: a packaged one changed (its label, deactivated) or
    one the académie added."""

    __tablename__ = "return_reasons"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AnomalyThresholdValue(Base):
    """One anomaly threshold the académie set in place of the packaged one
    (rules/tariffs/anomalies.toml)."""

    __tablename__ = "anomaly_threshold_values"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DebtorAccount(Base):
    """The académie's paying account (the debtor of the SEPA files), in place of the one the
    server settings name. One row at most (`id` = 1)."""

    __tablename__ = "debtor_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(70))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    initiating_party: Mapped[str] = mapped_column(String(70))
    sepa_schema: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
