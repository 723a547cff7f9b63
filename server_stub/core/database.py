"""Engine, session and the column types shared by every table."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sqlite3
import threading
import time
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import (
    BigInteger,
    Connection,
    CursorResult,
    DateTime,
    Engine,
    create_engine,
    event,
)
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
_Row = TypeVarTuple("_Row")


class Base(DeclarativeBase):
    pass


class Money(TypeDecorator[Decimal]):
    """Euros as Decimal in Python, whole cents in the database: exact on every backend."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        cents = (Decimal(value) / CENT).to_integral_exact()
        if cents * CENT != Decimal(value):
            raise ValueError(f"amount with more than two decimals: {value}")
        return int(cents)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) * CENT).quantize(CENT)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# Connections are held only while a worker thread runs a request (core/routing.py): the pool
# needs one per thread, and anyio allows at most 40 of them.
POOL_SIZE = 40
BUSY_TIMEOUT_SECONDS = 30


class _WriteTurn:
    """Who writes to one database file now, in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holder: _SerialWriteConnection | None = None


_turns: dict[str, _WriteTurn] = {}
_turns_guard = threading.Lock()


def _turn_for(database: str) -> _WriteTurn:
    if database == ":memory:" or database.startswith("file::memory:"):
        return _WriteTurn()  # each connection has its own database
    with _turns_guard:
        return _turns.setdefault(os.path.realpath(database), _WriteTurn())


class _SerialWriteConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions take turns in the process.

    SQLite lets one writer in at a time; a second one polls with growing sleeps (up to 100 ms
    each), which under load turns into long tails. Here the writers of a database file queue
    on a lock instead and start the moment the previous one commits. Reads never wait. Other
    processes still meet SQLite's own locking, with its busy timeout.
    """

    def __init__(self, database: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._turn = _turn_for(os.fspath(database))

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _SerialWriteCursor)

    def claim_write(self) -> None:
        if self._turn.holder is not self:
            # As long as SQLite itself would wait (the connection's busy timeout), then the
            # same error.
            if not self._turn.lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
                raise sqlite3.OperationalError("database is locked")
            self._turn.holder = self

    def _release_write(self) -> None:
        if self._turn.holder is self:
            self._turn.holder = None
            self._turn.lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release_write()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release_write()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_write()


class _SerialWriteCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = ()) -> _SerialWriteCursor:
        self._claim_if_writing(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any) -> _SerialWriteCursor:
        self._claim_if_writing(sql)
        return super().executemany(sql, parameters)

    def _claim_if_writing(self, sql: str) -> None:
        if not sql.lstrip()[:6].upper().startswith(("SELECT", "PRAGMA", "WITH")):
            connection = self.connection
            assert isinstance(connection, _SerialWriteConnection)
            connection.claim_write()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url == "sqlite://" or ":memory:" in url
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": BUSY_TIMEOUT_SECONDS,
                "factory": _SerialWriteConnection,
            },
            # An in-memory database lives in its connection: SQLAlchemy keeps its own pool.
            **({} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": -1}),
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=10)
    if engine.dialect.driver == "psycopg":
        # First: a connection lent is back to reading on its own before it is pinged.
        begin_at_first_write(engine)
    return ping_when_idle(engine)


def begin_at_first_write(engine: Engine) -> Engine:
    """Opens a network database's transaction at the first statement that needs one.

    psycopg sends `BEGIN` on a round trip of its own before the first statement, and `COMMIT`
    on another at the end: on a request that only reads, two of its four or five round trips.
    Here a lent connection runs its plain reads on their own (autocommit), and the first other
    statement (a write, a row lock, an advisory lock, a savepoint) begins the transaction,
    which then holds every statement up to its commit or rollback.

    Nothing a transaction guarantees is lost: at PostgreSQL's READ COMMITTED, every statement
    of a transaction sees the data committed when it starts, exactly as a statement on its
    own does, so reads before the first write see the same rows either way; every write, and
    every read after it, is inside the one transaction, committed or rolled back as before.
    """

    @event.listens_for(engine, "connect")
    def _connected(connection: Any, _record: Any) -> None:
        connection.autocommit = True

    @event.listens_for(engine, "checkout")
    def _lent(connection: Any, _record: Any, _proxy: Any) -> None:
        # A connection whose last user committed or rolled back its transaction is idle: it
        # reads on its own again.
        if not connection.autocommit and connection.info.transaction_status == _IDLE:
            connection.autocommit = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection: Connection, cursor: Any, statement: str, *_args: Any) -> None:
        driver = cursor.connection
        if (
            driver.autocommit
            and not reads_only(statement)
            # Asked for by the caller (VACUUM, CREATE DATABASE): every statement on its own.
            and connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        ):
            driver.autocommit = False  # psycopg sends BEGIN before this statement

    return engine


_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE, without importing the driver here
# A read that must stay inside a transaction: what it locks lasts until the transaction ends.
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b|advisory", re.I)


@functools.lru_cache(maxsize=2048)
def reads_only(statement: str) -> bool:
    """Whether a statement only reads and holds nothing once it has run: a SELECT (or SHOW)
    without a row lock or an advisory lock. Anything else, including a WITH that might write,
    begins a transaction."""
    head = statement.lstrip()[:6].upper()
    if head.startswith("SHOW"):
        return True
    return head == "SELECT" and _LOCKING.search(statement) is None


# A pooled connection unused for this long is asked whether it still works before it is lent.
PING_AFTER_IDLE_SECONDS = 5.0


def ping_when_idle(engine: Engine) -> Engine:
    """Checks a network database's pooled connection before lending it, when it has been idle.

    SQLAlchemy's `pool_pre_ping` asks on every checkout: one more round trip per request, a
    large share of a short request's time on a busy machine. A connection that served a
    request a moment ago is lent as it is; one idle for `PING_AFTER_IDLE_SECONDS`, when the
    database may have restarted or the network dropped it, is asked first and replaced if it
    does not answer. A connection that breaks while in use fails its request (a clear 503,
    core/errors.py) and SQLAlchemy discards the pool's other connections with it."""

    @event.listens_for(engine, "checkin")
    def _returned(_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lent(connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(str(error)) from error
        if not alive:
            raise DisconnectionError("no answer to a ping")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_rows(
    session: Session, query: TypedReturnsRows[*_Row], params: dict[str, Any] | None = None
) -> CursorResult[*_Row]:
    """Runs a query of plain columns on the session's connection and transaction.

    It skips the ORM's handling of results, a large share of a small query's cost. Unlike
    `session.execute`, it does not flush first: a caller whose read must see its own unwritten
    changes flushes them.
    """
    return session.connection().execute(query, params)


def ping(session: Session) -> None:
    """Asks the database the simplest question: raises when it cannot answer."""
    session.connection().exec_driver_sql("SELECT 1")


def refresh_statistics(engine: Engine) -> None:
    """Has the database measure its tables again, after a bulk load (demo data, an import).

    Without it the query planner works from the sizes it last saw, empty tables say: on
    PostgreSQL a person's list of convocations then joins whole tables, until autovacuum gets
    to it; SQLite never measures on its own.
    """
    with engine.begin() as connection:
        connection.exec_driver_sql(_analyze(connection.dialect.name))


def measure_loaded(session: Session) -> None:
    """Has the database measure its tables within a bulk load's own transaction.

    A load that fills tables in one transaction (demo data, an import) and then reads them row
    by row would otherwise be planned from the sizes the tables had before it began: empty, on
    PostgreSQL, so every lookup walks whole tables. `ANALYZE` inside the transaction counts the
    transaction's own rows.
    """
    session.flush()
    connection = session.connection()
    connection.exec_driver_sql(_analyze(connection.dialect.name))


def _analyze(dialect: str) -> str:
    """The statement that measures IMAG'IN's own tables. On PostgreSQL a bare `ANALYZE` would
    lock and measure every table of the database, other schemas' included."""
    if dialect != "postgresql":
        return "ANALYZE"  # SQLite: one file, the application's tables alone
    return "ANALYZE " + ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)


def lock_migrations(connection: Connection) -> None:
    """Holds, until the transaction ends, the lock of the schema's migrations (PostgreSQL).

    Several server processes, or hosts, starting together: the first upgrades the schema, the
    others wait here and then find nothing to do. One lock per schema. SQLite serialises writers
    on its own.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtext('imagin-migrations:' || current_schema()))"
        )
