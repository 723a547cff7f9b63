"""Wire shapes of the caller's profile (residences, vehicle, financial file)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from server_stub.auth.models import Category, Role


class CommuneRef(BaseModel):
    insee: str
    name: str
    department: str
    postal_codes: list[str]


class ProfileOut(BaseModel):
    id: int
    login: str
    email: str | None
    first_name: str
    last_name: str
    role: Role
    category: Category | None
    academic: bool
    must_change_password: bool
    administrative_residence: CommuneRef | None
    family_residence: CommuneRef | None
    fiscal_power: int | None
    disability: bool
    iban: str | None
    bic: str | None
    account_holder: str | None
    postal_address: str | None
    financial_file_updated: dt.datetime | None
    financial_file_needed: bool


class ProfilePatch(BaseModel):
    """Only the fields sent are changed; null clears a field."""

    model_config = ConfigDict(extra="forbid")

    administrative_residence: str | None = Field(default=None, max_length=5)
    family_residence: str | None = Field(default=None, max_length=5)
    fiscal_power: int | None = Field(default=None, ge=1, le=99)
    disability: bool | None = None
    iban: str | None = Field(default=None, max_length=50)
    bic: str | None = Field(default=None, max_length=20)
    account_holder: str | None = Field(default=None, max_length=140)
    postal_address: str | None = Field(default=None, max_length=300)
