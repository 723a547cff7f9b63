"""SQL for accounts and tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from server_stub.auth.models import Token, TokenKind, User


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))


def users_by_ids(session: Session, ids: Sequence[int]) -> Sequence[User]:
    return session.scalars(select(User).where(User.id.in_(ids))).all()


def login_taken(session: Session, login: str) -> bool:
    return session.scalar(select(func.count()).where(User.login == login)) != 0


def add_token(
    session: Session, user: User, kind: TokenKind, digest: str, expires_at: dt.datetime
) -> None:
    session.add(Token(user_id=user.id, kind=kind, token_hash=digest, expires_at=expires_at))


def token_by_digest(session: Session, digest: str) -> Token | None:
    return session.scalar(select(Token).where(Token.token_hash == digest))


_ACCESS_TOKEN_OWNER = (
    select(User, Token.expires_at)
    .join(Token, Token.user_id == User.id)
    .where(
        Token.token_hash == bindparam("digest"),
        Token.kind == TokenKind.ACCESS,
        Token.revoked_at.is_(None),
    )
)


def access_token_owner(session: Session, digest: str) -> tuple[User, dt.datetime] | None:
    """The owner of an unrevoked access token, and when it expires: every authenticated
    request asks, so in one query that loads the person alone."""
    row = session.execute(_ACCESS_TOKEN_OWNER, {"digest": digest}).first()
    return None if row is None else (row[0], row[1])


def revoke_tokens(session: Session, user_id: int, at: dt.datetime) -> None:
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.revoked_at.is_(None))
        .values(revoked_at=at)
    )
