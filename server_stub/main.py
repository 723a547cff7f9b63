"""The application factory: `create_app()` wires settings, database and routers."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from server_stub import __version__, contract
from server_stub.admin.router import router as admin_router
from server_stub.assignment.router import router as assignment_router
from server_stub.auth.router import router as auth_router
from server_stub.auth.throttle import Throttle
from server_stub.core import handlers
from server_stub.core.database import make_engine, make_session_factory, ping
from server_stub.core.deps import DbSession
from server_stub.core.middleware import BodyLimit, SecurityHeaders
from server_stub.core.routing import api_router
from server_stub.core.settings import Settings, get_settings
from server_stub.dec.router import router as dec_router
from server_stub.documents.router import router as documents_router
from server_stub.notifications.router import router as notifications_router
from server_stub.notifications.worker import OutboxWorker
from server_stub.payment.config import debtor
from server_stub.payment.router import annual_router
from server_stub.payment.router import router as payment_router
from server_stub.people.router import router as people_router
from server_stub.recovery.router import router as recovery_router
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.reference.router import router as reference_router
from server_stub.rules.tariffs import packaged_tariffs, use_tariff_source
from server_stub.statements.router import router as statements_router
from server_stub.tariff_versions import service as tariff_versions
from server_stub.tariff_versions.router import router as tariff_versions_router

API_PREFIX = "/api/v1"
# Answers over a wide-area link: a page of the DEC's queue (100 KB of JSON) fits in one TCP
# window once compressed (8 KB); an answer of less than a kilobyte gains nothing. zlib's level 6
# is four times as fast as Starlette's default 9 for 5 % more bytes. PDFs and photos are
# compressed already.
GZIP_MINIMUM_BYTES = 1024
GZIP_LEVEL = 6
GZIP_EXCLUDED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf", "image/jpeg", "image/png")
# The routes that receive a file (documents/router.py): their body may reach the documents' limit.
UPLOADS = re.compile(r"/documents/[^/]+$")
log = logging.getLogger(__name__)

common = api_router(tags=["common"])


@common.get("/health")
def health(session: DbSession) -> dict[str, str]:
    ping(session)
    return {"status": "ok", "version": __version__}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.settings.worker_threads
    # Read the packaged reference data before the first request rather than during it: the
    # first requests would otherwise all wait for it, and each build it.
    communes()
    adjacent_pairs()
    packaged_tariffs()
    if debtor().example:
        log.warning(
            "paying account not configured (IMAGIN_PAYMENT_DEBTOR_FILE): payment files will be "
            "refused until it is"
        )
    # E-mail: each process sends from the shared outbox (notifications/worker.py).
    worker: OutboxWorker | None = None
    if app.state.settings.smtp_host:
        worker = OutboxWorker(app.state.session_factory, app.state.settings)
        worker.start()
    # What is loaded now lives as long as the server: the cyclic garbage collector need not
    # walk those hundreds of thousands of objects again at every full collection.
    gc.freeze()
    try:
        yield
    finally:
        if worker is not None:
            await anyio.to_thread.run_sync(worker.stop)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.resolved_database_url())
    docs = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    app = FastAPI(
        title="IMAG'IN",
        version=__version__,
        description="Indemnités de vacation et frais de déplacement des jurys d'examens.",
        lifespan=_lifespan,
        # The document itself is still built by `app.openapi()` (make openapi).
        **(docs if settings.api_docs else dict.fromkeys(docs)),
    )
    app.openapi = contract.openapi(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    # The rules read the tariffs of the request's database: packaged and added versions.
    use_tariff_source(tariff_versions.for_request)
    app.state.throttle = Throttle(engine, settings)
    # Reset codes by e-mail: the log-in's address limits, a tighter one per identifier.
    app.state.reset_throttle = Throttle(
        engine,
        settings.model_copy(update={"login_limit_per_account": settings.reset_limit_per_account}),
    )
    handlers.install(app, settings.max_body_bytes)
    # The last added runs first: the headers wrap every answer, the limit's refusals too; the
    # answers are compressed before the headers are added to them.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=GZIP_MINIMUM_BYTES,
        compresslevel=GZIP_LEVEL,
        exclude_content_types=GZIP_EXCLUDED,
    )
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        larger={"/bank-statement": settings.max_bank_statement_bytes},
        upload_bytes=settings.documents_max_bytes,
        uploads=UPLOADS,
    )
    app.add_middleware(
        SecurityHeaders,
        docs_paths=frozenset(docs.values()) | {"/docs/oauth2-redirect"}
        if settings.api_docs
        else frozenset(),
    )
    for router in (
        common,
        auth_router,
        people_router,
        statements_router,
        documents_router,
        dec_router,
        payment_router,
        annual_router,
        assignment_router,
        reference_router,
        notifications_router,
        recovery_router,
        admin_router,
        tariff_versions_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    return app
