"""The bearer token a request presents. Who may do what is declared in `auth.access`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server_stub.core.errors import NotAuthenticated

_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
NOT_CONNECTED = "Vous n'êtes pas connecté(e). Connectez-vous pour continuer."


def presented_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise NotAuthenticated(NOT_CONNECTED)
    return credentials.credentials


# Dependencies that do no I/O are coroutines: FastAPI runs them on the event loop instead of
# hopping to a worker thread for each.
async def bearer_token(credentials: Credentials) -> str:
    return presented_token(credentials)


AccessToken = Annotated[str, Depends(bearer_token)]
