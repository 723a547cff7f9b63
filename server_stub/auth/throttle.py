"""Rate limits of the log-in and password routes, per client address and per account.

The counting is the `limits` library's (fixed windows); its counters live in the database,
through `DatabaseStorage`, so that every server process sharing the database counts the same
attempts. A refused attempt is answered 429 with Retry-After, before any password is hashed.

Password hashes (argon2, tens of milliseconds of CPU each) run on threads of their own, at
most `password_hashing_threads` at once per process: however many log-ins arrive, the worker
threads that serve everyone else are never all busy hashing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from server_stub.auth import repository
from server_stub.core.errors import TooManyAttempts
from server_stub.core.settings import Settings

T = TypeVar("T")
# Ended windows are deleted every this many hits of a process.
PURGE_EVERY = 500


class DatabaseStorage(Storage):
    """A `limits` storage in the shared database (table rate_limit_counters)."""

    STORAGE_SCHEME = ["imagin+sqlalchemy"]  # noqa: RUF012 (declared so by `limits`)

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as connection:
            count = repository.counter_add(connection, key, expiry, amount, now)
            self._hits += 1
            if self._hits % PURGE_EVERY == 0:
                repository.clear_counters(connection, ended_before=now)
        return count

    def get(self, key: str) -> int:
        with self.engine.connect() as connection:
            return repository.counter(connection, key, time.time())[0]

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as connection:
            return repository.counter(connection, key, time.time())[1]

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                repository.counter(connection, "", time.time())
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return repository.clear_counters(connection)

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            repository.clear_counter(connection, key)


def _minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def wait_message(seconds: int) -> str:
    return (
        "Trop de tentatives de connexion : par sécurité, attendez "
        f"{_minutes(seconds)} avant de réessayer."
    )


class Throttle:
    """The limits of one application; `check` raises `TooManyAttempts` when one is spent."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.storage = DatabaseStorage(engine)
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.per_address: list[RateLimitItem] = parse_many(settings.login_limit_per_address)
        self.per_account: list[RateLimitItem] = parse_many(settings.login_limit_per_account)
        self.hashing_threads = settings.password_hashing_threads
        self._hashing: anyio.CapacityLimiter | None = None

    def check(self, route: str, address: str, account: str | None) -> None:
        """Counts one attempt on `route` from `address` for `account` (an identifier as
        typed, normalised; existing or not: the answer never says)."""
        refused: list[float] = []
        keys = [(item, ("address", route, address)) for item in self.per_address]
        if account:
            keys += [(item, ("account", route, account)) for item in self.per_account]
        for item, identifiers in keys:
            if not self.limiter.hit(item, *identifiers):
                refused.append(self.limiter.get_window_stats(item, *identifiers).reset_time)
        if refused:
            wait = max(1, math.ceil(max(refused) - time.time()))
            raise TooManyAttempts(wait_message(wait), retry_after=wait)

    async def hash_off_the_workers(self, work: Callable[[], T]) -> T:
        """Runs a password hash on a hashing thread, never on a request worker thread."""
        if self._hashing is None:
            self._hashing = anyio.CapacityLimiter(self.hashing_threads)
        return await anyio.to_thread.run_sync(work, limiter=self._hashing)
