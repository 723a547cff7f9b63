"""SQL for the reference data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_stub.core.database import Base
from server_stub.core.errors import Conflict

Row = TypeVar("Row", bound=Base)


def get(session: Session, model: type[Row], item_id: int) -> Row | None:
    return session.get(model, item_id)


def listing(session: Session, model: type[Row], **filters: Any) -> Sequence[Row]:
    query = select(model).order_by(model.id)  # type: ignore[attr-defined]
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(model, name) == value)
    return session.scalars(query).all()


def add(session: Session, row: Row) -> Row:
    """Adds and flushes, turning a uniqueness violation into a French conflict."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict("Un élément avec ce code existe déjà.") from None
    return row


def flush(session: Session) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Un élément avec ce code existe déjà.") from None
