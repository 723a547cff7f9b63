"""Wire shapes of password recovery."""

from __future__ import annotations

from pydantic import BaseModel, Field

from server_stub.core.wire import WireIn


class ResetRequestIn(WireIn):
    """An identifier or an e-mail address."""

    login: str = Field(min_length=1, max_length=200)


class ResetConfirmIn(WireIn):
    login: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=40)
    new_password: str = Field(min_length=1, max_length=200)


class ResetRequestOut(BaseModel):
    detail: str
