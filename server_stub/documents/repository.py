"""SQL of supporting documents: their files' rows, where each belongs (for access), their
events, the offices' settings, and which stored contents are still referred to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from server_stub.auth.access import Place, Resource
from server_stub.documents.models import DocumentEvent, DocumentFile
from server_stub.reference.models import Convocation, ExamSession, Mission
from server_stub.statements.models import Statement


def get(session: Session, document_id: int) -> DocumentFile | None:
    return session.get(DocumentFile, document_id)


def by_upload(session: Session, owner_id: int, upload_id: str) -> DocumentFile | None:
    return session.scalars(
        select(DocumentFile).where(
            DocumentFile.owner_id == owner_id, DocumentFile.upload_id == upload_id
        )
    ).one_or_none()


def of_statement(session: Session, statement_id: int, owner_id: int) -> list[DocumentFile]:
    """The statement's own files, then its person's financial-file files."""
    return list(
        session.scalars(
            select(DocumentFile)
            .where(
                (DocumentFile.statement_id == statement_id)
                | ((DocumentFile.statement_id.is_(None)) & (DocumentFile.owner_id == owner_id))
            )
            .order_by(DocumentFile.statement_id.is_(None), DocumentFile.id)
        )
    )


def of_profile(session: Session, owner_id: int) -> list[DocumentFile]:
    return list(
        session.scalars(
            select(DocumentFile)
            .where(DocumentFile.owner_id == owner_id, DocumentFile.statement_id.is_(None))
            .order_by(DocumentFile.id)
        )
    )


def add(session: Session, **values: Any) -> DocumentFile:
    document = DocumentFile(**values)
    session.add(document)
    session.flush()
    return document


def remove(session: Session, document: DocumentFile) -> None:
    session.delete(document)
    session.flush()


def referenced(session: Session, key: str) -> bool:
    return (
        session.scalar(select(DocumentFile.id).where(DocumentFile.sha256 == key).limit(1))
        is not None
    )


def referenced_keys(session: Session) -> set[str]:
    return set(session.scalars(select(DocumentFile.sha256).distinct()))


def record(session: Session, events: Sequence[dict[str, Any]]) -> None:
    if events:
        session.execute(insert(DocumentEvent), list(events))


def events_of(session: Session, document_id: int) -> list[DocumentEvent]:
    return list(
        session.scalars(
            select(DocumentEvent)
            .where(DocumentEvent.document_id == document_id)
            .order_by(DocumentEvent.id)
        )
    )


def offices_of_person(session: Session, user_id: int) -> frozenset[str]:
    """The offices whose sessions convened the person: their DEC reads the financial file."""
    return frozenset(
        session.scalars(
            select(ExamSession.office)
            .join(Mission, Mission.session_id == ExamSession.id)
            .join(Convocation, Convocation.mission_id == Mission.id)
            .where(Convocation.user_id == user_id)
            .distinct()
        )
    )


def office_of_statement(session: Session, statement_id: int) -> str | None:
    return session.scalar(
        select(ExamSession.office)
        .join(Mission, Mission.session_id == ExamSession.id)
        .join(Convocation, Convocation.mission_id == Mission.id)
        .join(Statement, Statement.convocation_id == Convocation.id)
        .where(Statement.id == statement_id)
    )


def _placed(session: Session, document_id: int) -> tuple[DocumentFile, Place] | None:
    document = get(session, document_id)
    if document is None:
        return None
    if document.statement_id is None:
        offices = offices_of_person(session, document.owner_id)
    else:
        office = office_of_statement(session, document.statement_id)
        offices = frozenset((office,)) if office else frozenset()
    return document, Place(offices=offices, owner_id=document.owner_id)


DOCUMENT = Resource("document", "Ce document est introuvable.", _placed)
"""A file attached to a document: its owner's, and the office of its statement's session (for a
financial-file document, of every session that convened its owner)."""
