"""The DEC's queue of statements."""

from __future__ import annotations

import base64
import binascii

from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.settings import Settings
from server_stub.dec import repository
from server_stub.dec.repository import QueueFilter
from server_stub.dec.schemas import QueuePage, QueueRow
from server_stub.statements import lifecycle
from server_stub.statements.models import Status


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"s{last_id}".encode()).decode()


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith("s"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        message = "Curseur de pagination invalide : reprenez depuis la première page."
        raise InvalidInput(message, fields={"cursor": message}) from None


def scope(user: User) -> str | None:
    """A gestionnaire sees the sessions of their office; an administrator sees them all."""
    return None if user.role == Role.ADMIN else (user.office or "")


def queue(
    session: Session,
    settings: Settings,
    user: User,
    where: QueueFilter,
    cursor: str | None,
    limit: int,
) -> QueuePage:
    after = _decode(cursor) if cursor else None
    where = QueueFilter(**{**where.__dict__, "office": scope(user)})
    rows = repository.queue_page(session, where, after, limit + 1)
    today = clock.today(settings)
    items = [
        QueueRow(
            id=r["id"],
            status=r["status"],
            status_label=lifecycle.dec_label(
                Status(r["status"]), lifecycle.Timing(r["start_date"], r["end_date"], today)
            ),
            intervenant=f"{r['first_name']} {r['last_name']}",
            login=r["login"],
            mission_type=r["mission_type"],
            start_date=r["start_date"],
            end_date=r["end_date"],
            exam=r["exam"] or r["mission_label"],
            paper_code=r["paper_code"],
            centre=r["centre"],
            total=r["total"],
            submitted_at=r["submitted_at"],
        )
        for r in rows[:limit]
    ]
    next_cursor = _encode(items[-1].id) if len(rows) > limit else None
    return QueuePage(items=items, next_cursor=next_cursor)
