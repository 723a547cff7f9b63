"""Wire shapes of authentication."""

from __future__ import annotations

from pydantic import BaseModel, Field

from server_stub.auth.models import Category, Role
from server_stub.core.wire import WireIn


class LoginIn(WireIn):
    login: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(WireIn):
    refresh_token: str = Field(min_length=1, max_length=200)


class LogoutIn(WireIn):
    refresh_token: str | None = Field(default=None, max_length=200)


class PasswordChangeIn(WireIn):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class Identity(BaseModel):
    id: int
    login: str
    first_name: str
    last_name: str
    role: Role
    category: Category | None
    academic: bool
    must_change_password: bool


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int  # seconds
    user: Identity
    password_rules: str
