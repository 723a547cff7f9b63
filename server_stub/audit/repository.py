"""SQL of the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server_stub.audit.models import AuditEvent


def add(session: Session, event: AuditEvent) -> None:
    session.add(event)
