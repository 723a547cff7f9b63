"""Create or upgrade the schema, through Alembic only."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from server_stub.core.database import lock_migrations


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("server_stub") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        lock_migrations(connection)  # processes starting together upgrade once
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
