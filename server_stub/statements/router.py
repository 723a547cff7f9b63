"""The intervenant's missions and expense statements."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from server_stub.auth.deps import Caller
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.statements import service
from server_stub.statements.schemas import (
    ConvocationOut,
    EntryIn,
    NotPerformedIn,
    PreviewOut,
    StatementOut,
)

router = api_router(tags=["statements"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def _tagged(response: Response, statement: StatementOut) -> StatementOut:
    response.headers["ETag"] = f'"{statement.version}"'
    return statement


@router.get("/convocations")
def my_convocations(
    user: Caller, session: DbSession, settings: AppSettings
) -> list[ConvocationOut]:
    return service.summaries(session, user, settings)


@router.get("/statements/{statement_id}", response_model_by_alias=True)
def read_statement(
    statement_id: int, response: Response, user: Caller, session: DbSession, settings: AppSettings
) -> StatementOut:
    return _tagged(response, service.read(session, settings, user, statement_id))


@router.put("/statements/{statement_id}")
def save_statement(
    statement_id: int,
    entry: EntryIn,
    response: Response,
    user: Caller,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> StatementOut:
    saved = service.save(session, settings, user, statement_id, entry, if_match)
    return _tagged(response, saved)


@router.post("/statements/{statement_id}/preview")
def preview_statement(
    statement_id: int, entry: EntryIn, user: Caller, session: DbSession
) -> PreviewOut:
    return service.preview(session, user, statement_id, entry)


@router.post("/statements/{statement_id}/validate")
def validate_statement(
    statement_id: int,
    response: Response,
    user: Caller,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> StatementOut:
    return _tagged(response, service.submit(session, settings, user, statement_id, if_match))


@router.post("/statements/{statement_id}/not-performed")
def declare_not_performed(
    statement_id: int,
    body: NotPerformedIn,
    response: Response,
    user: Caller,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> StatementOut:
    declared = service.declare_not_performed(
        session, settings, user, statement_id, body.reason, if_match
    )
    return _tagged(response, declared)
