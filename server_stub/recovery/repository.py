"""SQL of password recovery: the accounts a request may name, the reset codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.recovery.models import PasswordReset


def externe_named(session: Session, name: str) -> User | None:
    """The externe whose identifier, or else whose only e-mail address, is `name`."""
    key = name.strip().lower()
    if not key:
        return None
    by_login = session.scalar(
        select(User).where(func.lower(User.login) == key, User.academic.is_(False))
    )
    if by_login is not None:
        return by_login
    found = session.scalars(
        select(User).where(func.lower(User.email) == key, User.academic.is_(False)).limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def add_reset(
    session: Session, user_id: int, digest: str, now: dt.datetime, until: dt.datetime
) -> None:
    session.add(PasswordReset(user_id=user_id, code_hash=digest, created_at=now, expires_at=until))


def use_reset(session: Session, user_id: int, digest: str, now: dt.datetime) -> bool:
    """Marks the code used if it is the person's, unused and unexpired, in one statement: of
    two requests presenting it at once, one only gets through."""
    result = session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user_id,
            PasswordReset.code_hash == digest,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def cancel_resets(session: Session, user_id: int, now: dt.datetime) -> None:
    """Every code still valid for the person stops being so (a new password was set)."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
