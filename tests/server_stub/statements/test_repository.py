"""A statement's mission as one flat row, alone or for many convocations at once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server_stub.statements import repository
from tests.server_stub.factories import World


def test_mission_rows_are_the_rows_of_each_convocation(world: World, db: Session) -> None:
    person = world.person()
    first, second = world.statement(person), world.statement(person)
    one = repository.mission_row(db, first.convocation_id)
    both = repository.mission_rows(db, [second.convocation_id, first.convocation_id])

    assert set(both) == {first.convocation_id, second.convocation_id}
    assert both[first.convocation_id] == one
    assert one.start_date <= one.end_date and one.commune_insee
    assert repository.mission_rows(db, []) == {}


def test_get_loads_the_statement_and_its_person(world: World, db: Session) -> None:
    person = world.person()
    statement = world.statement(person)
    world.commit()
    db.expunge_all()

    found = repository.get(db, statement.id)
    assert found is not None and found.user.login == person.login
    assert repository.get(db, statement.id + 1000) is None
