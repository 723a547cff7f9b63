"""A version of a tariff file added by an administrator, effective from a date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime


class TariffVersion(Base):
    __tablename__ = "tariff_versions"
    __table_args__ = (UniqueConstraint("file", "valid_from", name="uq_tariff_versions_file_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file: Mapped[str] = mapped_column(String(30))  # the file's stem: "meals", "nights"...
    version: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    # The version as a `[[versions]]` table of its file, in TOML: read back by the file's own
    # loader, with its exact decimals, times and dates.
    text: Mapped[str] = mapped_column(Text)
    # Random per row: with the count of rows, what tells every process that the versions
    # changed (ids may be reused after the table is emptied).
    token: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
