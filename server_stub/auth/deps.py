"""Who is calling, and what they may do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server_stub.auth import service
from server_stub.auth.models import Role, User
from server_stub.core.deps import DbSession
from server_stub.core.errors import Forbidden, NotAuthenticated, PasswordChangeRequired
from server_stub.core.routing import defer, then

_bearer = HTTPBearer(auto_error=False)
_STAFF_ONLY = "Cette action est réservée aux gestionnaires de la DEC."
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


# Dependencies that do no I/O are coroutines: FastAPI runs them on the event loop instead of
# hopping to a worker thread for each.
async def bearer_token(credentials: Credentials) -> str:
    return _token(credentials)


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise NotAuthenticated("Vous n'êtes pas connecté(e). Connectez-vous pour continuer.")
    return credentials.credentials


AccessToken = Annotated[str, Depends(bearer_token)]


def _password_changed(user: User) -> User:
    if user.must_change_password:
        raise PasswordChangeRequired(
            "Vous devez d'abord remplacer votre mot de passe temporaire par un mot de passe "
            "personnel."
        )
    return user


# Both are looked up on the endpoint's own thread, in its transaction (core/routing.py), and
# depend on the session and the credentials directly: every dependency FastAPI resolves costs
# each request about as much as a small query.
async def _account(session: DbSession, credentials: Credentials) -> User:
    """The caller, even one who must still change a temporary password."""
    token = _token(credentials)
    return defer(session, lambda s: service.authenticate(s, token))


async def _caller(session: DbSession, credentials: Credentials) -> User:
    token = _token(credentials)
    return defer(session, lambda s: _password_changed(service.authenticate(s, token)))


Account = Annotated[User, Depends(_account)]
Caller = Annotated[User, Depends(_caller)]


def require(*roles: Role, refusal: str = _STAFF_ONLY) -> Callable[[User], Awaitable[User]]:
    """A dependency: the caller, if they hold one of `roles`."""

    def allowed(user: User) -> User:
        if user.role not in roles:
            raise Forbidden(refusal)
        return user

    async def check(user: Caller) -> User:
        return then(user, allowed)

    return check


Gestionnaire = Annotated[User, Depends(require(Role.GESTIONNAIRE, Role.ADMIN))]
