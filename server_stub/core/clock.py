"""The one place the server asks what time it is, so that tests and demos can fix it."""

from __future__ import annotations

import datetime as dt

from server_stub.core.settings import Settings


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today(settings: Settings) -> dt.date:
    return settings.today or dt.datetime.now().astimezone().date()
