"""Log-in, token refresh, password change and log-out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth import repository
from server_stub.auth.models import TokenKind, User
from server_stub.auth.schemas import Identity, TokensOut
from server_stub.core import clock
from server_stub.core.errors import (
    AccountLocked,
    InvalidInput,
    NotAuthenticated,
    SessionExpired,
    WrongCredentials,
)
from server_stub.core.security import (
    PASSWORD_RULES,
    hash_password,
    new_token,
    password_problems,
    token_digest,
    verify_password,
)
from server_stub.core.settings import Settings

PARIS = ZoneInfo("Europe/Paris")


def _issue_tokens(session: Session, user: User, settings: Settings) -> TokensOut:
    now = clock.now()
    access, refresh = new_token(), new_token()
    access_ttl = dt.timedelta(minutes=settings.access_token_minutes)
    repository.add_token(session, user, TokenKind.ACCESS, token_digest(access), now + access_ttl)
    repository.add_token(
        session,
        user,
        TokenKind.REFRESH,
        token_digest(refresh),
        now + dt.timedelta(days=settings.refresh_token_days),
    )
    return TokensOut(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(access_ttl.total_seconds()),
        user=identity(user),
        password_rules=PASSWORD_RULES,
    )


def identity(user: User) -> Identity:
    return Identity.model_validate(user, from_attributes=True)


_DUMMY_HASH = hash_password("not-an-account")


def _wrong_credentials(settings: Settings) -> str:
    return (
        "Identifiant ou mot de passe incorrect. Après "
        f"{settings.max_failed_logins} essais infructueux, le compte est verrouillé "
        f"{settings.lock_minutes} minutes."
    )


def _locked_message(until: dt.datetime) -> str:
    local = until.astimezone(PARIS)
    return (
        f"Votre compte est verrouillé jusqu'au {local:%d/%m/%Y} à {local:%H}h{local:%M} "
        "après plusieurs tentatives infructueuses. Réessayez ensuite ou contactez la division "
        "des examens et concours."
    )


def log_in(session: Session, settings: Settings, login: str, password: str) -> TokensOut:
    user = repository.user_by_login(session, login)
    now = clock.now()
    if user is None:
        # Same answer and about the same time as a wrong password: logins are not disclosed.
        verify_password(_DUMMY_HASH, password)
        raise WrongCredentials(_wrong_credentials(settings))
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(
            _locked_message(user.locked_until), locked_until=user.locked_until.isoformat()
        )
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= settings.max_failed_logins:
            user.failed_logins = 0
            user.locked_until = now + dt.timedelta(minutes=settings.lock_minutes)
            # The lock must be stored even though the request fails: commit it now.
            session.commit()
            raise AccountLocked(
                _locked_message(user.locked_until), locked_until=user.locked_until.isoformat()
            )
        session.commit()
        raise WrongCredentials(_wrong_credentials(settings))
    user.failed_logins = 0
    user.locked_until = None
    return _issue_tokens(session, user, settings)


def authenticate(session: Session, access_token: str) -> User:
    found = repository.access_token_owner(session, token_digest(access_token))
    if found is None:
        raise NotAuthenticated("Vous n'êtes pas connecté(e). Connectez-vous pour continuer.")
    user, expires_at = found
    if expires_at <= clock.now():
        raise SessionExpired("Votre session a expiré. Reconnectez-vous pour continuer.")
    return user


def refresh(session: Session, settings: Settings, refresh_token: str) -> TokensOut:
    token = repository.token_by_digest(session, token_digest(refresh_token))
    if (
        token is None
        or token.kind != TokenKind.REFRESH
        or token.revoked_at is not None
        or token.expires_at <= clock.now()
    ):
        raise SessionExpired("Votre session a expiré. Reconnectez-vous pour continuer.")
    token.revoked_at = clock.now()  # a refresh token is used once
    user = session.get(User, token.user_id)
    assert user is not None
    return _issue_tokens(session, user, settings)


def change_password(
    session: Session, settings: Settings, user: User, current: str, new: str
) -> TokensOut:
    if not verify_password(user.password_hash, current):
        raise InvalidInput(
            "Le mot de passe actuel est incorrect.",
            fields={"current_password": "Mot de passe actuel incorrect."},
        )
    problems = password_problems(new, user.login)
    if verify_password(user.password_hash, new):
        problems.append("être différent du mot de passe actuel")
    if problems:
        message = "Le nouveau mot de passe doit comporter : " + ", ".join(problems) + "."
        raise InvalidInput(message, fields={"new_password": message})
    user.password_hash = hash_password(new)
    user.must_change_password = False
    repository.revoke_tokens(session, user.id, clock.now())
    return _issue_tokens(session, user, settings)


def log_out(session: Session, user: User, access_token: str, refresh_token: str | None) -> None:
    now = clock.now()
    for value in (access_token, refresh_token):
        if value is None:
            continue
        token = repository.token_by_digest(session, token_digest(value))
        if token is not None and token.user_id == user.id and token.revoked_at is None:
            token.revoked_at = now
