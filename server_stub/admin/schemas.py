"""Wire shapes of the administrator's routes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, Field

from server_stub.auth.models import Role
from server_stub.core.wire import AsDecimal, Flag, Id, Text, WireIn

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


# --- the académie's reference data (Référentiel) ---------------------------------------------

Insee = Annotated[str, Field(max_length=10)]
Threshold = Annotated[Decimal, Field(ge=0, le=100_000), AsDecimal]


class AdjacentPairOut(BaseModel):
    insee_a: str
    name_a: str
    insee_b: str
    name_b: str
    adjacent: bool  # in force
    packaged: bool  # in the packaged list
    changed: bool  # the académie's choice, not the packaged list's
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class AdjacentCommunesOut(BaseModel):
    packaged_count: int  # pairs in the packaged list
    count: int  # pairs in force
    changes: list[AdjacentPairOut]  # the académie's, by INSEE codes


class AdjacentPairIn(WireIn):
    insee_a: Insee
    insee_b: Insee
    adjacent: Flag | None = Field(
        description="Limitrophes (true) ou non (false) ; null : comme la liste fournie."
    )


class ReturnReasonOut(BaseModel):
    code: str
    label: str
    active: bool
    packaged_label: str | None  # None: added by the académie
    uses: int  # statements last returned with it


class ReturnReasonIn(WireIn):
    code: Annotated[str, Field(max_length=60)]
    label: Annotated[str, Field(max_length=2000)]


class ReturnReasonChangeIn(WireIn):
    label: Annotated[str, Field(max_length=2000)]
    active: Flag


class ThresholdOut(BaseModel):
    name: str
    label: str
    unit: str
    value: Decimal
    packaged: Decimal
    changed: bool
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class ThresholdsOut(BaseModel):
    thresholds: list[ThresholdOut]
    # Statements whose anomalies changed with the thresholds (on a change only).
    refreshed: int | None = None


class ThresholdsIn(WireIn):
    """A field left out is unchanged; null: back to the packaged value."""

    half_day_minutes: Threshold | None = None
    km_ratio: Threshold | None = None
    km_excess: Threshold | None = None
    night_near_home_km: Threshold | None = None


class DebtorOut(BaseModel):
    name: str
    iban: str
    bic: str | None
    initiating_party: str
    sepa_schema: str
    schemas: list[str]  # the versions a bank may take
    academie: bool  # set by the administrator; false: the server settings' account
    example: bool  # the shipped example account: no payment file can be made
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


class DebtorIn(WireIn):
    name: Annotated[str, Field(max_length=200)]
    iban: Annotated[str, Field(max_length=60)]
    bic: Annotated[str | None, Field(max_length=30)] = None
    initiating_party: Annotated[str | None, Field(max_length=200)] = None
    sepa_schema: Annotated[str, Field(max_length=30)]
