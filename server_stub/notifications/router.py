"""GET and PUT /me/notifications: the messages a person receives by e-mail."""

from __future__ import annotations

from server_stub.auth.access import Anyone
from server_stub.core.deps import DbSession
from server_stub.core.routing import api_router
from server_stub.notifications import service
from server_stub.notifications.schemas import NotificationsIn, NotificationsOut

router = api_router(tags=["me"])


@router.get("/me/notifications")
def read_notifications(me: Anyone, session: DbSession) -> NotificationsOut:
    """The address messages go to and, for each kind, whether it is sent."""
    return service.choices(session, me.user)


@router.put("/me/notifications")
def choose_notifications(body: NotificationsIn, me: Anyone, session: DbSession) -> NotificationsOut:
    """Declines the kinds listed (statutory ones cannot be), accepts every other."""
    return service.choose(session, me.user, body)
