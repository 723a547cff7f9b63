"""The intervenant's missions and expense statements: each person reaches their own only (see
`auth.access`); the DEC reads statements through `dec.router`. No
`from __future__ import annotations`: FastAPI reads the access declarations as objects.
"""

from typing import Annotated

from fastapi import Header, Response

from server_stub.auth.access import ANYONE, Anyone
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.statements import service
from server_stub.statements.repository import OWN_STATEMENT, OwnStatement
from server_stub.statements.schemas import (
    ConvocationOut,
    EntryIn,
    NotPerformedIn,
    PreviewOut,
    StatementOut,
    ValidationIn,
)

router = api_router(tags=["statements"])
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=100)]
Own = Annotated[OwnStatement, ANYONE.reach(OWN_STATEMENT)]


def _tagged(response: Response, statement: StatementOut) -> StatementOut:
    response.headers["ETag"] = f'"{statement.version}"'
    return statement


@router.get("/convocations")
def my_convocations(me: Anyone, session: DbSession, settings: AppSettings) -> list[ConvocationOut]:
    return service.summaries(session, me.user, settings)


@router.get("/statements/{statement_id}", response_model_by_alias=True)
def read_statement(
    own: Own, me: Anyone, response: Response, session: DbSession, settings: AppSettings
) -> StatementOut:
    return _tagged(response, service.read(session, settings, me.user, own.statement, own.mission))


@router.put("/statements/{statement_id}")
def save_statement(
    own: Own,
    me: Anyone,
    entry: EntryIn,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> StatementOut:
    saved = service.save(session, settings, me.user, own.statement, own.mission, entry, if_match)
    return _tagged(response, saved)


@router.post("/statements/{statement_id}/preview")
def preview_statement(
    own: Own, entry: EntryIn, session: DbSession, settings: AppSettings
) -> PreviewOut:
    """The amounts of `entry`, what to propose, and what the DEC would check if it were
    validated now (the same checks as the DEC's queue, nothing stored)."""
    return service.preview(session, settings, own.statement, own.mission, entry)


@router.post("/statements/{statement_id}/validate")
def validate_statement(
    own: Own,
    me: Anyone,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
    body: ValidationIn | None = None,
) -> StatementOut:
    """Sends the statement to the DEC; the intervenant certifies it on honour (`pledges`).
    With an `entry` (changes not saved yet), it is stored first over the version read and
    validated, in one transaction; sent again after a lost answer, it answers the statement
    validated with that entry."""
    if body is not None and body.entry is not None:
        validated = service.save_and_submit(
            session, settings, me.user, own.statement, own.mission, body.entry, if_match, body
        )
    else:
        validated = service.submit(
            session, settings, me.user, own.statement, own.mission, if_match, body
        )
    return _tagged(response, validated)


@router.post("/statements/{statement_id}/not-performed")
def declare_not_performed(
    own: Own,
    me: Anyone,
    body: NotPerformedIn,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> StatementOut:
    declared = service.declare_not_performed(
        session, settings, me.user, own.statement, own.mission, body.reason, if_match
    )
    return _tagged(response, declared)
