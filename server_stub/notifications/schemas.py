"""Wire shapes of a person's choices of messages."""

from __future__ import annotations

from pydantic import BaseModel, Field

from server_stub.core.wire import WireIn
from server_stub.notifications.kinds import Kind


class KindOut(BaseModel):
    kind: Kind
    label: str
    statutory: bool  # always sent, whatever the person chose
    enabled: bool


class NotificationsOut(BaseModel):
    email: str | None
    kinds: list[KindOut]


class NotificationsIn(WireIn):
    """The kinds of message the person declines (every other one is sent)."""

    declined: list[Kind] = Field(max_length=len(Kind))
