"""On PostgreSQL a transaction begins at the first statement that needs one: a request that only
reads spends no round trip on BEGIN and COMMIT, and everything from the first write on is one
transaction, committed or rolled back whole."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, select, text, update

from server_stub.auth.models import User
from server_stub.core.database import reads_only
from tests.server_stub.factories import World

IDLE, IN_TRANSACTION = 0, 2  # psycopg.pq.TransactionStatus


@pytest.fixture
def postgres(engine: Engine) -> Iterator[Engine]:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite begins its transactions itself, without a round trip")
    yield engine


def _status(connection: Connection) -> int:
    return int(connection.connection.dbapi_connection.info.transaction_status)  # type: ignore[union-attr]


def test_reads_run_without_a_transaction(postgres: Engine) -> None:
    with postgres.connect() as connection:
        connection.execute(text("SELECT 1"))
        connection.execute(select(User.id).limit(1))
        assert _status(connection) == IDLE


def test_the_first_write_begins_a_transaction_that_a_rollback_undoes(
    postgres: Engine, world: World
) -> None:
    person = world.person()
    world.commit()
    with postgres.connect() as connection:
        connection.execute(select(User.first_name).where(User.id == person.id))
        connection.execute(update(User).where(User.id == person.id).values(first_name="Odile"))
        assert _status(connection) == IN_TRANSACTION
        # A read after the write is inside the transaction: it sees the uncommitted change.
        seen = connection.execute(select(User.first_name).where(User.id == person.id)).scalar()
        assert seen == "Odile"
        connection.rollback()
    with postgres.connect() as connection:
        stored = connection.execute(select(User.first_name).where(User.id == person.id))
        assert stored.scalar() == person.first_name


def test_a_row_lock_is_held_until_the_transaction_ends(postgres: Engine, world: World) -> None:
    person = world.person()
    world.commit()
    locked = select(User.id).where(User.id == person.id).with_for_update()
    with postgres.connect() as first:
        first.execute(locked)
        assert _status(first) == IN_TRANSACTION
        other: list[str] = []

        def second() -> None:
            with postgres.connect() as connection:
                connection.execute(text("SET lock_timeout = '200ms'"))
                try:
                    connection.execute(locked)
                    other.append("got the lock")
                except Exception:
                    other.append("waited")

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=10)
        assert other == ["waited"]
        first.rollback()


def test_a_connection_lent_again_reads_on_its_own(postgres: Engine, world: World) -> None:
    person = world.person()
    world.commit()
    with postgres.connect() as connection:
        connection.execute(update(User).where(User.id == person.id).values(first_name="Odile"))
        connection.commit()
    with postgres.connect() as connection:
        connection.execute(select(User.id))
        assert _status(connection) == IDLE


@pytest.mark.parametrize(
    ("statement", "alone"),
    [
        ("SELECT users.id FROM users WHERE users.id = %(id)s", True),
        ("  select 1", True),
        ("SHOW transaction_isolation", True),
        ("SELECT users.id FROM users FOR UPDATE", False),
        ("SELECT statements.id FROM statements FOR UPDATE OF statements SKIP LOCKED", False),
        ("SELECT id FROM t FOR NO KEY UPDATE", False),
        ("SELECT id FROM t FOR SHARE", False),
        ("SELECT pg_advisory_xact_lock(1)", False),
        ("WITH moved AS (DELETE FROM t RETURNING id) SELECT id FROM moved", False),
        ("INSERT INTO t VALUES (1)", False),
        ("SAVEPOINT sa_savepoint_1", False),
    ],
)
def test_only_plain_reads_run_on_their_own(statement: str, alone: bool) -> None:
    assert reads_only(statement) is alone


def test_a_connection_asked_to_autocommit_runs_every_statement_on_its_own(
    postgres: Engine,
) -> None:
    with postgres.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE) users")
        assert _status(connection) == IDLE
