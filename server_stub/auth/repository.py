"""SQL for accounts and tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server_stub.auth.models import (
    CentreMembership,
    LoginFailure,
    OfficeMembership,
    RateLimitCounter,
    Token,
    TokenKind,
    User,
)
from server_stub.core.database import Base


def user_by_login(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))


def users_by_ids(session: Session, ids: Sequence[int]) -> Sequence[User]:
    return session.scalars(select(User).where(User.id.in_(ids))).all()


def login_taken(session: Session, login: str) -> bool:
    return session.scalar(select(func.count()).where(User.login == login)) != 0


def add_token(
    session: Session,
    user: User,
    kind: TokenKind,
    digest: str,
    expires_at: dt.datetime,
    family: str,
) -> None:
    session.add(
        Token(user_id=user.id, kind=kind, token_hash=digest, expires_at=expires_at, family=family)
    )


def token_by_digest(session: Session, digest: str) -> Token | None:
    return session.scalar(select(Token).where(Token.token_hash == digest))


_ACCESS_TOKEN_OWNER = (
    select(User, Token.expires_at, Token.family)
    .join(Token, Token.user_id == User.id)
    .where(
        Token.token_hash == bindparam("digest"),
        Token.kind == TokenKind.ACCESS,
        Token.revoked_at.is_(None),
    )
)


def access_token_owner(session: Session, digest: str) -> tuple[User, dt.datetime, str] | None:
    """The owner of an unrevoked access token, when it expires and its family: every
    authenticated request asks, so in one query that loads the person alone."""
    row = session.execute(_ACCESS_TOKEN_OWNER, {"digest": digest}).first()
    return None if row is None else (row[0], row[1], row[2])


def revoke_tokens(session: Session, user_id: int, at: dt.datetime) -> None:
    session.execute(
        update(Token)
        .where(Token.user_id == user_id, Token.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def use_refresh_token(session: Session, token_id: int, at: dt.datetime) -> bool:
    """Marks a refresh token used, unless it already was (then False): one statement, so of
    two requests presenting it at once exactly one gets through."""
    result = session.execute(
        update(Token).where(Token.id == token_id, Token.revoked_at.is_(None)).values(revoked_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def revoke_family(session: Session, family: str, at: dt.datetime) -> None:
    session.execute(
        update(Token)
        .where(Token.family == family, Token.revoked_at.is_(None))
        .values(revoked_at=at)
    )


# --- failed log-ins, by identifier and address ---------------------------------------------


def login_failure(session: Session, login: str, address: str) -> LoginFailure | None:
    return session.get(LoginFailure, (login, address))


def forget_login_failures(session: Session, login: str, address: str) -> None:
    session.execute(
        delete(LoginFailure).where(LoginFailure.login == login, LoginFailure.address == address)
    )


def forget_old_login_failures(session: Session, before: dt.datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.last_failure_at < before))


# --- the rate-limit counters of `limits` (auth/throttle.py) ---------------------------------

_COUNTERS = cast(Table, RateLimitCounter.__table__)


def _upsert(connection: Connection) -> Any:
    if connection.dialect.name == "postgresql":
        return postgresql_insert(_COUNTERS)
    return sqlite_insert(_COUNTERS)


def counter_add(connection: Connection, key: str, expiry: float, amount: int, now: float) -> int:
    """Adds `amount` to the window of `key`, starting a new window if it has ended, in one
    atomic statement: processes counting at once never lose a hit."""
    t = _COUNTERS.c
    statement = _upsert(connection).values(key=key, count=amount, expires_at=now + expiry)
    ended = t.expires_at <= now
    statement = statement.on_conflict_do_update(
        index_elements=[t.key],
        set_={
            "count": case((ended, amount), else_=t.count + amount),
            "expires_at": case((ended, now + expiry), else_=t.expires_at),
        },
    ).returning(t.count)
    return int(connection.execute(statement).scalar_one())


def counter(connection: Connection, key: str, now: float) -> tuple[int, float]:
    """(count, end of window) of `key`'s current window; (0, now) when there is none."""
    t = _COUNTERS.c
    row = connection.execute(
        select(t.count, t.expires_at).where(t.key == key, t.expires_at > now)
    ).first()
    return (0, now) if row is None else (int(row[0]), float(row[1]))


def clear_counter(connection: Connection, key: str) -> None:
    connection.execute(delete(_COUNTERS).where(_COUNTERS.c.key == key))


def clear_counters(connection: Connection, *, ended_before: float | None = None) -> int:
    statement = delete(_COUNTERS)
    if ended_before is not None:
        statement = statement.where(_COUNTERS.c.expires_at <= ended_before)
    return int(connection.execute(statement).rowcount)


# --- memberships: the offices and centres an account answers for ---------------------------


_OFFICES = select(OfficeMembership.office).where(OfficeMembership.user_id == bindparam("user_id"))


def offices_of(session: Session, user_id: int) -> list[str]:
    """The offices a gestionnaire works for."""
    return list(session.scalars(_OFFICES, {"user_id": user_id}))


def centres_of(session: Session, user_id: int) -> list[tuple[int, str]]:
    """The centres (id, name) a chef de centre answers for."""
    # The table by name: the reference package builds on this one, not the other way round.
    centres = Base.metadata.tables["centres"]
    query = (
        select(centres.c.id, centres.c.name)
        .join(CentreMembership, CentreMembership.centre_id == centres.c.id)
        .where(CentreMembership.user_id == user_id)
    )
    return [(i, name) for i, name in session.execute(query)]


def add_memberships(
    session: Session, user_id: int, offices: Sequence[str] = (), centres: Sequence[int] = ()
) -> None:
    session.add_all(OfficeMembership(user_id=user_id, office=o) for o in dict.fromkeys(offices))
    session.add_all(CentreMembership(user_id=user_id, centre_id=c) for c in dict.fromkeys(centres))
