"""A column among thousands of ids is one condition with one parameter, on both databases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.repository import among
from tests.server_stub.factories import World


def test_a_column_among_more_ids_than_a_statement_may_carry_parameters(
    world: World, db: Session
) -> None:
    people = [world.person().id for _ in range(3)]
    # SQLite refuses a statement of more than 32,766 parameters.
    ids = [*people, *range(10**6, 10**6 + 40_000)]
    query = select(User.id).where(among(db, User.id, ids)).order_by(User.id)
    assert len(query.compile(db.get_bind()).params) == 1
    assert list(db.scalars(query)) == sorted(people)


def test_a_column_among_no_id_matches_nothing(world: World, db: Session) -> None:
    world.person()
    assert list(db.scalars(select(User.id).where(among(db, User.id, [])))) == []
