"""POST /auth/login, /auth/refresh, /auth/password, /auth/logout."""

from __future__ import annotations

from fastapi import Request, status

from server_stub.auth import service
from server_stub.auth.access import Account
from server_stub.auth.deps import AccessToken
from server_stub.auth.schemas import LoginIn, LogoutIn, PasswordChangeIn, RefreshIn, TokensOut
from server_stub.auth.throttle import Throttle
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import answers
from server_stub.core.routing import api_router

router = api_router(prefix="/auth", tags=["auth"])


def _address(request: Request) -> str:
    """The client's address (behind a reverse proxy, as uvicorn's --forwarded-allow-ips
    trusts it: docs/deployment.md)."""
    return request.client.host[:64] if request.client else "inconnue"


def _throttle(request: Request) -> Throttle:
    throttle: Throttle = request.app.state.throttle
    return throttle


@router.post(
    "/login",
    responses={
        **answers(401),
        429: {"description": "Trop de tentatives : réessayer après Retry-After."},
    },
)
async def log_in(body: LoginIn, request: Request, settings: AppSettings) -> TokensOut:
    """Tokens for the right password; the same answers whether the identifier exists or not."""
    return await service.log_in(
        request.app.state.session_factory,
        _throttle(request),
        settings,
        body.login,
        body.password,
        _address(request),
    )


@router.post("/refresh", responses=answers(401))
def refresh(body: RefreshIn, session: DbSession, settings: AppSettings) -> TokensOut:
    return service.refresh(session, settings, body.refresh_token)


@router.post(
    "/password",
    responses={429: {"description": "Trop de tentatives : réessayer après Retry-After."}},
)
async def change_password(
    body: PasswordChangeIn, token: AccessToken, request: Request, settings: AppSettings
) -> TokensOut:
    """Replaces the password (a temporary one too); every earlier session ends."""
    return await service.change_password(
        request.app.state.session_factory,
        _throttle(request),
        settings,
        token,
        _address(request),
        body.current_password,
        body.new_password,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(
    me: Account, token: AccessToken, session: DbSession, body: LogoutIn | None = None
) -> None:
    """Ends the session: every token of the log-in the access token belongs to (no body
    needed), and the session of the refresh token sent, if any."""
    family = service.authenticate_session(session, token)[1]
    service.log_out(session, me.user, family, body.refresh_token if body else None)
