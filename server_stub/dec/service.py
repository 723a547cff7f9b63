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
            id=r[0],
            status=r[1],
            status_label=lifecycle.dec_label(Status(r[1]), lifecycle.Timing(r[8], r[9], today)),
            intervenant=f"{r[4]} {r[5]}",
            login=r[6],
            mission_type=r[7],
            start_date=r[8],
            end_date=r[9],
            exam=r[11] or r[10],
            paper_code=r[12],
            centre=r[13],
            total=r[2],
            submitted_at=r[3],
        )
        for r in rows[:limit]
    ]
    next_cursor = _encode(items[-1].id) if len(rows) > limit else None
    return QueuePage(items=items, next_cursor=next_cursor)
