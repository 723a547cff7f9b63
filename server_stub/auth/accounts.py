"""Creating accounts: the identifier from the name, the password hashed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from server_stub.auth import repository
from server_stub.auth.identifiers import unique_identifier
from server_stub.auth.models import Category, Role, User
from server_stub.core.security import hash_password


def create_account(
    session: Session,
    *,
    first_name: str,
    last_name: str,
    role: Role | str = Role.INTERVENANT,
    password: str | None = None,
    password_hash: str | None = None,
    login: str | None = None,
    academic: bool = False,
    temporary: bool = True,
    category: Category | None = None,
    offices: Sequence[str] = (),
    centres: Sequence[int] = (),
    flush: bool = True,
    **profile: object,
) -> User:
    """`password_hash` lets bulk generators hash one password once for many accounts.
    `offices`: those a gestionnaire works for; `centres`: those a chef de centre answers for.
    A bulk load passes `flush=False` and flushes its accounts together (an account with
    offices or centres is flushed at once: its memberships need its id)."""
    if password_hash is None:
        if password is None:
            raise ValueError("a password or its hash is required")
        password_hash = hash_password(password)
    user = User(
        login=login
        or unique_identifier(first_name, last_name, lambda c: repository.login_taken(session, c)),
        first_name=first_name,
        last_name=last_name,
        role=Role(role),
        academic=academic,
        category=category,
        password_hash=password_hash,
        must_change_password=temporary,
        disability=False,
        **profile,
    )
    session.add(user)
    if flush or offices or centres:
        session.flush()
    if offices or centres:
        repository.add_memberships(session, user.id, offices, centres)
        session.flush()
    return user
