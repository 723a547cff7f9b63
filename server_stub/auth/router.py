"""POST /auth/login, /auth/refresh, /auth/password, /auth/logout."""

from __future__ import annotations

from fastapi import status

from server_stub.auth import service
from server_stub.auth.deps import AccessToken, Account
from server_stub.auth.schemas import LoginIn, LogoutIn, PasswordChangeIn, RefreshIn, TokensOut
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router

router = api_router(prefix="/auth", tags=["auth"])


@router.post("/login")
def log_in(body: LoginIn, session: DbSession, settings: AppSettings) -> TokensOut:
    return service.log_in(session, settings, body.login, body.password)


@router.post("/refresh")
def refresh(body: RefreshIn, session: DbSession, settings: AppSettings) -> TokensOut:
    return service.refresh(session, settings, body.refresh_token)


@router.post("/password")
def change_password(
    body: PasswordChangeIn, user: Account, session: DbSession, settings: AppSettings
) -> TokensOut:
    return service.change_password(
        session, settings, user, body.current_password, body.new_password
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(
    user: Account, token: AccessToken, session: DbSession, body: LogoutIn | None = None
) -> None:
    service.log_out(session, user, token, body.refresh_token if body else None)
