"""Request-scoped collaborators: the database session, the settings, the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.core.settings import Settings


async def _session(request: Request) -> AsyncIterator[Session]:
    """The request's session. Its routes commit it on their own thread (core/routing.py), so
    here there is only what an error or a plain route left open; opening a session costs no
    I/O, which is why this runs on the event loop."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    else:
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    finally:
        session.close()


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# One transaction per request, committed before the response leaves.
DbSession = Annotated[Session, Depends(_session, scope="function")]
AppSettings = Annotated[Settings, Depends(_settings)]
