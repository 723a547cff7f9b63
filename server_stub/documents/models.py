"""Supporting documents: the files people attach, where they belong, and who read or changed
them. The files' bytes are not here: they are in the store (documents/store.py), named by the
SHA-256 of their content; a row says which document of which statement (or of the person's
financial file) a stored file stands for."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime


class DocumentFile(Base):
    """One file attached to one required document.

    `statement_id` None: a document of the person's financial file (RIB, carte Vitale, notice),
    attached from the profile and counted for each of their statements. `upload_id`: chosen by
    the client for the upload, so that a retry after a dropped connection finds the file it
    already sent instead of adding it twice.
    """

    __tablename__ = "document_files"
    __table_args__ = (UniqueConstraint("owner_id", "upload_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    upload_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DocumentEvent(Base):
    """Every read and every change of a document's files: who, when, what. Kept when the file
    goes (no foreign key to it)."""

    __tablename__ = "document_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    statement_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(16))  # UPLOAD, RETRY, READ, DELETE
    detail: Mapped[str] = mapped_column(String(400), default="")
