"""Plain column reads on the session's connection (same transaction, no implicit flush), and
the planner's statistics measured again after a bulk load."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.database import read_rows, refresh_statistics
from tests.server_stub.factories import World

_FIRST_NAME = select(User.first_name).where(User.id == bindparam("id"))


def test_reads_what_the_unit_has_flushed_and_not_what_it_has_not(world: World, db: Session) -> None:
    person = world.person()  # flushed, not committed
    assert read_rows(db, _FIRST_NAME, {"id": person.id}).scalar_one() == person.first_name

    person.first_name = "Anne-Sophie"
    assert read_rows(db, _FIRST_NAME, {"id": person.id}).scalar_one() != "Anne-Sophie"
    db.flush()
    assert read_rows(db, _FIRST_NAME, {"id": person.id}).scalar_one() == "Anne-Sophie"


def test_rows_carry_the_columns_types_and_labels(world: World, db: Session) -> None:
    person = world.person()
    row = read_rows(db, select(User.id, User.email, User.login.label("identifier"))).one()
    assert (row.id, row.identifier, row.email) == (person.id, person.login, None)


def test_statistics_are_measured_again_after_a_bulk_load(
    world: World, db: Session, engine: Engine
) -> None:
    for _ in range(3):
        world.person()
    world.commit()
    refresh_statistics(engine)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            stats = connection.exec_driver_sql(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'users'"
            ).scalars()
            assert {stat.split()[0] for stat in stats} == {"3"}  # rows, then rows per key
        else:
            # The table of this run's schema (the search path's), not another run's.
            measured = connection.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE oid = 'users'::regclass"
            ).scalar_one()
            assert measured == 3
