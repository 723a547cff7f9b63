"""Wire shapes of the administrator's routes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field

from server_stub.auth.models import Role
from server_stub.core.wire import Flag, Id, Text, WireIn

Office = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


class AccountOut(BaseModel):
    id: int
    login: str
    first_name: str
    last_name: str
    email: str | None
    role: Role
    academic: bool
    active: bool
    locked: bool  # failed log-ins make the next ones wait
    offices: list[str]
    centres: list[int]


class AccountIn(WireIn):
    first_name: Text = Field(min_length=1, max_length=100)
    last_name: Text = Field(min_length=1, max_length=100)
    email: Text | None = Field(default=None, max_length=200)
    role: Role
    # An académie account logs in through the directory; any other gets a temporary password.
    academic: Flag = True
    offices: list[Office] = Field(default_factory=list, max_length=50)
    centres: list[Id] = Field(default_factory=list, max_length=200)


class RolesIn(WireIn):
    role: Role
    offices: list[Office] = Field(default_factory=list, max_length=50)
    centres: list[Id] = Field(default_factory=list, max_length=200)


class ActiveIn(WireIn):
    active: Flag


class AuditEventOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    target_type: str
    target_id: str | None
    summary: str
    details: dict[str, Any] | None
