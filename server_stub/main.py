"""The application factory: `create_app()` wires settings, database and routers."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.to_thread
from fastapi import FastAPI, Query
from sqlalchemy import Engine, text

from server_stub import __version__
from server_stub.assignment.router import router as assignment_router
from server_stub.auth.deps import Caller
from server_stub.auth.router import router as auth_router
from server_stub.core import clock, handlers
from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.core.settings import Settings, get_settings
from server_stub.dec.router import router as dec_router
from server_stub.payment.router import router as payment_router
from server_stub.people.router import router as people_router
from server_stub.people.schemas import CommuneRef
from server_stub.people.service import commune_ref
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.rules.tariffs import packaged_tariffs, tariff_snapshot
from server_stub.statements.router import router as statements_router

API_PREFIX = "/api/v1"

common = api_router(tags=["common"])


@common.get("/health")
def health(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__}


@common.get("/tariffs")
def tariffs(_: Caller, settings: AppSettings, date: dt.date | None = None) -> dict[str, Any]:
    """The rates in force on a date (today by default), each with its version and legal source."""
    return tariff_snapshot(date or clock.today(settings))


@common.get("/communes")
def search_communes(
    _: Caller, q: Annotated[str, Query(min_length=1, max_length=80)], limit: int = 20
) -> list[CommuneRef]:
    matches = communes().search(q, limit=min(max(limit, 1), 50))
    return [r for r in (commune_ref(m.commune.insee) for m in matches) if r is not None]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.settings.worker_threads
    # Read the packaged reference data before the first request rather than during it: the
    # first requests would otherwise all wait for it, and each build it.
    communes()
    adjacent_pairs()
    packaged_tariffs()
    # What is loaded now lives as long as the server: the cyclic garbage collector need not
    # walk those hundreds of thousands of objects again at every full collection.
    gc.freeze()
    yield


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.resolved_database_url())
    app = FastAPI(
        title="IMAG'IN",
        version=__version__,
        description="Indemnités de vacation et frais de déplacement des jurys d'examens.",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    handlers.install(app)
    for router in (
        common,
        auth_router,
        people_router,
        statements_router,
        dec_router,
        payment_router,
        assignment_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    return app
