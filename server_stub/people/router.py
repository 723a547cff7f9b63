"""GET and PATCH /me."""

from __future__ import annotations

from server_stub.auth.deps import Account, Caller
from server_stub.core.routing import api_router
from server_stub.people import service
from server_stub.people.schemas import ProfileOut, ProfilePatch

router = api_router(tags=["me"])


@router.get("/me")
def read_me(user: Account) -> ProfileOut:
    return service.profile(user)


@router.patch("/me")
def update_me(patch: ProfilePatch, user: Caller) -> ProfileOut:
    return service.update(user, patch)
