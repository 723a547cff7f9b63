"""Wire shapes of the caller's profile (residences, vehicle, financial file)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, field_validator

from server_stub.auth.models import Category, Role
from server_stub.core.wire import Flag, Int, WireIn
from server_stub.reference.schemas import CommuneRef


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
    # The social security number, to its owner only (every other answer shows it masked).
    nir: str | None
    # A number is on file (also when this server's key cannot read it back).
    nir_on_file: bool
    financial_file_updated: dt.datetime | None
    financial_file_needed: bool
    financial_file_missing: str | None = Field(
        default=None,
        description="Ce qui manque pour que ce qui vous est dû par virement puisse être versé.",
    )
    # The documents of a financial file (their French labels), attached from the profile.
    financial_documents: list[str] = []


class ProfilePatch(WireIn):
    """Only the fields sent are changed; null clears a field (but `disability`, yes or no)."""

    email: str | None = Field(default=None, max_length=200)
    administrative_residence: str | None = Field(default=None, max_length=5)
    family_residence: str | None = Field(default=None, max_length=5)
    fiscal_power: Int | None = Field(default=None, ge=1, le=99)
    disability: Flag | None = None
    iban: str | None = Field(default=None, max_length=50)
    bic: str | None = Field(default=None, max_length=20)
    account_holder: str | None = Field(default=None, max_length=140)
    postal_address: str | None = Field(default=None, max_length=300)
    nir: str | None = Field(default=None, max_length=30)

    @field_validator("disability")
    @classmethod
    def _answered(cls, value: bool | None) -> bool:
        if value is None:
            raise ValueError("Répondez oui ou non : ce champ ne peut pas être vidé.")
        return value
