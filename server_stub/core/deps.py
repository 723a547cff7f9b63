"""Request-scoped collaborators: the database session, the settings, the caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server_stub.core.database import session_scope
from server_stub.core.settings import Settings


def _session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.session_factory)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# One transaction per request, committed before the response leaves.
DbSession = Annotated[Session, Depends(_session, scope="function")]
AppSettings = Annotated[Settings, Depends(_settings)]
