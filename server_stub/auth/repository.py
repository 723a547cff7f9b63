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


_TOKEN_AND_USER = (
    select(Token, User)
    .join(User, User.id == Token.user_id)
    .where(Token.token_hash == bindparam("digest"))
)


def token_and_user(session: Session, digest: str) -> tuple[Token, User] | None:
    """The token and its owner in one query: every authenticated request asks for both."""
    row = session.execute(_TOKEN_AND_USER, {"digest": digest}).first()
    return None if row is None else (row[0], row[1])


def revoke_tokens(session: Session, user_id: int, at: dt.datetime) -> None:
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.revoked_at.is_(None))
        .values(revoked_at=at)
    )
