"""Recording an audited change, in the transaction of the change itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server_stub.audit import repository
from server_stub.audit.models import AuditEvent
from server_stub.auth.models import User
from server_stub.core import clock


def record(
    session: Session,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: object,
    summary: str,
    details: dict[str, Any] | None = None,
) -> None:
    repository.add(
        session,
        AuditEvent(
            at=clock.now(),
            actor_id=actor.id if actor is not None else None,
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            summary=summary,
            details=details,
        ),
    )
