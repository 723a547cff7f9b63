"""Wire models of the administrator's routes (/admin) and of the offices' rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from client.api.models import Role


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Account(Wire):
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

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class AccountIn(BaseModel):
    first_name: str
    last_name: str
    email: str | None = None
    role: Role
    # An académie account logs in through the directory; any other gets a temporary password.
    academic: bool = True
    offices: list[str] = Field(default_factory=list)
    centres: list[int] = Field(default_factory=list)


class RolesIn(BaseModel):
    role: Role
    offices: list[str] = Field(default_factory=list)
    centres: list[int] = Field(default_factory=list)


class AccountCreated(Wire):
    account: Account
    temporary_password: str | None  # once, for a local account


class AuditEvent(Wire):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    target_type: str
    target_id: str | None
    summary: str
    details: dict[str, Any] | None


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to (all optional); not a wire body but query parameters."""

    actor_id: int | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def params(self) -> dict[str, str]:
        return {
            key: value.isoformat() if isinstance(value, dt.date) else str(value)
            for key, value in asdict(self).items()
            if value not in (None, "")
        }


class OfficeSettings(Wire):
    office: str
    service_done_required: bool
    documents_required: bool = False
    updated_at: dt.datetime | None
    updated_by: str | None


class OfficeSettingsIn(BaseModel):
    service_done_required: bool
    documents_required: bool | None = None


class OfficeSession(Wire):
    """A session as the offices' list reads it: which office organises it."""

    id: int
    code: str
    name: str
    office: str


class TariffVersion(Wire):
    version: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    added: bool  # by an administrator, not packaged with the server
    added_at: dt.datetime | None
    added_by: str | None
    # In the shape of the version in its TOML file: amounts as strings, times as "HH:MM".
    values: dict[str, Any]


class TariffFile(Wire):
    file: str
    title: str
    editable: bool
    note: str | None  # why it cannot be changed here
    labels: dict[str, str]  # the French meaning of each key of the values
    versions: list[TariffVersion]

    @property
    def last(self) -> TariffVersion:
        return self.versions[-1]


class TariffVersionIn(BaseModel):
    valid_from: dt.date
    source: str
    values: dict[str, Any]


class StatementChange(Wire):
    statement_id: int
    person: str
    mission: str
    start_date: dt.date
    status: str
    old_total: Decimal
    new_total: Decimal


class TariffPreview(Wire):
    file: str
    version: str
    valid_from: dt.date
    changed: list[StatementChange]  # computed again when the version is added
    validated_kept: int  # validated statements of the period: never computed again


class TariffAdded(Wire):
    version: TariffVersion
    recomputed: int
    validated_kept: int


# --- the académie's reference data (Référentiel) ---------------------------------------------


class AdjacentPair(Wire):
    insee_a: str
    name_a: str
    insee_b: str
    name_b: str
    adjacent: bool  # in force
    packaged: bool  # in the list shipped with IMAG'IN
    changed: bool  # the académie's choice
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class AdjacentCommunes(Wire):
    packaged_count: int
    count: int
    changes: list[AdjacentPair]


class ReturnReasonEntry(Wire):
    code: str
    label: str
    active: bool
    packaged_label: str | None  # None: added by the académie
    uses: int


class Threshold(Wire):
    name: str
    label: str
    unit: str
    value: Decimal
    packaged: Decimal
    changed: bool
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class Thresholds(Wire):
    thresholds: list[Threshold]
    refreshed: int | None = None


class DebtorAccount(Wire):
    name: str
    iban: str
    bic: str | None
    initiating_party: str
    sepa_schema: str
    schemas: list[str]
    academie: bool
    example: bool
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class DebtorAccountIn(BaseModel):
    name: str
    iban: str
    bic: str | None = None
    initiating_party: str | None = None
    sepa_schema: str
