"""POST /auth/reset/request and /auth/reset/confirm (an externe, without a session);
POST /dec/people/{user_id}/temporary-password (the DEC)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Request, Response, status

from server_stub.assignment.repository import PERSON
from server_stub.auth.access import STAFF, Staff
from server_stub.auth.models import User
from server_stub.auth.throttle import Throttle
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.recovery import service
from server_stub.recovery.schemas import ResetConfirmIn, ResetRequestIn, ResetRequestOut

router = api_router(tags=["auth"])

_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "Trop de tentatives : réessayer après Retry-After."}
}
_LETTER: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {}},
        "description": "La lettre du mot de passe temporaire ; X-Imagin-Emailed dit si un "
        "courriel a aussi été écrit.",
    }
}


def _address(request: Request) -> str:
    return request.client.host[:64] if request.client else "inconnue"


def _throttle(request: Request) -> Throttle:
    throttle: Throttle = request.app.state.reset_throttle
    return throttle


@router.post("/auth/reset/request", status_code=status.HTTP_202_ACCEPTED, responses=_LIMITED)
def request_reset(
    body: ResetRequestIn, request: Request, session: DbSession, settings: AppSettings
) -> ResetRequestOut:
    """Sends a single-use code by e-mail to the externe named (identifier or address); the
    same answer whether the account exists or not."""
    _throttle(request).check("reset", _address(request), body.login.strip().lower())
    return ResetRequestOut(detail=service.request_reset(session, settings, body.login))


@router.post("/auth/reset/confirm", status_code=status.HTTP_204_NO_CONTENT, responses=_LIMITED)
def confirm_reset(body: ResetConfirmIn, request: Request, session: DbSession) -> None:
    """Sets the new password for the right code; every session of the account ends."""
    _throttle(request).check("reset-confirm", _address(request), body.login.strip().lower())
    service.confirm_reset(session, body.login, body.code, body.new_password)


@router.post("/dec/people/{user_id}/temporary-password", response_class=Response, responses=_LETTER)
def temporary_password(
    person: Annotated[User, STAFF.reach(PERSON, "user_id")],
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> Response:
    """A new temporary password for an intervenant of the caller's offices: the letter to print
    is answered, and an e-mail is written if the person has an address. Their old password and
    every session end."""
    pdf, name, emailed = service.issue_temporary_password(session, settings, scope.user, person)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Imagin-Emailed": "true" if emailed else "false",
            "Cache-Control": "no-store",
        },
    )
