"""The one place the server asks what time it is, so that tests and demos can fix it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from server_stub.core.settings import Settings

_FIXED: ContextVar[dt.datetime | None] = ContextVar("fixed_now", default=None)


def now() -> dt.datetime:
    return _FIXED.get() or dt.datetime.now(dt.UTC)


def today(settings: Settings) -> dt.date:
    return settings.today or dt.datetime.now().astimezone().date()


@contextmanager
def fixed(moment: dt.datetime) -> Iterator[None]:
    """`now()` answers `moment` inside the block: the demo's payments happen on past days."""
    token = _FIXED.set(moment)
    try:
        yield
    finally:
        _FIXED.reset(token)
