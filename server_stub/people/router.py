"""GET and PATCH /me."""

from __future__ import annotations

from server_stub.auth.access import Account, Anyone
from server_stub.core import clock
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.people import service
from server_stub.people.schemas import ProfileOut, ProfilePatch

router = api_router(tags=["me"])


@router.get("/me")
def read_me(me: Account, session: DbSession, settings: AppSettings) -> ProfileOut:
    return service.profile(me.user, settings, session, clock.today(settings))


@router.patch("/me")
def update_me(
    patch: ProfilePatch, me: Anyone, session: DbSession, settings: AppSettings
) -> ProfileOut:
    return service.update(me.user, patch, settings, session, clock.today(settings))
