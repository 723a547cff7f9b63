"""SQLite writers of one process take turns instead of polling SQLite's lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from server_stub.core.database import make_engine


def test_a_second_writer_waits_for_the_first_to_commit_then_writes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    first = engine.connect()
    first.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock, uncommitted
    done: list[float] = []

    def second_writer() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (2)"))
        done.append(time.monotonic())

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.2)
    assert not done, "the second writer must wait for the first"
    committed = time.monotonic()
    first.commit()
    thread.join(timeout=5)
    assert done and done[0] >= committed
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    first.close()
    engine.dispose()


def test_readers_never_wait_for_a_writer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    writer = engine.connect()
    writer.execute(text("UPDATE t SET n = 2"))
    seen: list[int] = []
    reader = threading.Thread(
        target=lambda: seen.append(engine.connect().execute(text("SELECT n FROM t")).scalar_one())
    )
    reader.start()
    reader.join(timeout=5)
    assert seen == [1]  # the committed value, at once
    writer.rollback()
    writer.close()
    engine.dispose()


def test_a_rolled_back_writer_lets_the_next_one_in(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER UNIQUE)"))
    for _ in range(3):
        connection = engine.connect()
        connection.execute(text("INSERT INTO t VALUES (1)"))
        connection.rollback()
        connection.close()
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()


def test_writers_of_different_files_do_not_wait_for_each_other(tmp_path: Path) -> None:
    one = make_engine(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    two = make_engine(f"sqlite:///{tmp_path / 'two.sqlite3'}")
    for engine in (one, two):
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (n INTEGER)"))
    with one.begin() as first, two.begin() as second:
        first.execute(text("INSERT INTO t VALUES (1)"))
        second.execute(text("INSERT INTO t VALUES (2)"))  # same thread, other file: no wait
    one.dispose()
    two.dispose()
