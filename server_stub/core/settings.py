"""Typed server settings, read from IMAGIN_* environment variables."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    folder = Path(user_data_dir("imagin", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'imagin.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IMAGIN_")

    database_url: str = ""
    academie: str = "Académie d'Amiens"
    access_token_minutes: int = 30
    refresh_token_days: int = 30
    # Security policy of the académie (not a pay or travel rule).
    max_failed_logins: int = 5
    lock_minutes: int = 15
    # Threads running request handlers. The work is mostly Python holding the GIL: two threads
    # served more requests than eight or forty (bench/server_load.py), which lose time handing
    # the GIL around. A database across a network may want a few more.
    worker_threads: int = 2
    # Fixes "today" for demos and tests; the real date otherwise.
    today: dt.date | None = None

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


@lru_cache
def get_settings() -> Settings:
    return Settings()
