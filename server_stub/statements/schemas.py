"""Wire shapes of missions and expense statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from server_stub.rules.model import (
    HalfDay,
    LineKind,
    MealKind,
    MissionType,
    PaperKind,
    Part,
    Residence,
    TravelMode,
)
from server_stub.statements.models import Status

Count = Annotated[int, Field(ge=0, le=100_000)]
Amount = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=9, decimal_places=2)]
Km = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=8, decimal_places=1)]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=4, decimal_places=2)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- what the intervenant types ----------------------------------------------------------


class PayDayIn(Strict):
    date: dt.date
    copies: Count | None = None
    candidates: dict[HalfDay, Count] = Field(default_factory=dict)
    hours: Hours | None = None


class TripIn(Strict):
    depart_at: dt.datetime
    return_at: dt.datetime
    mode: TravelMode
    km: Km = Decimal(0)
    fare: Amount = Decimal(0)
    parking: Amount = Decimal(0)
    tolls: Amount = Decimal(0)


class MealIn(Strict):
    date: dt.date
    kind: MealKind
    administrative_restaurant: bool = False


class NightIn(Strict):
    date: dt.date
    cost: Amount


class TravelIn(Strict):
    claimed: bool = False
    departure: Residence = Residence.ADMINISTRATIVE
    trips: list[TripIn] = Field(default_factory=list, max_length=62)
    meals: list[MealIn] = Field(default_factory=list, max_length=124)
    nights: list[NightIn] = Field(default_factory=list, max_length=62)


class EntryIn(Strict):
    days: list[PayDayIn] = Field(default_factory=list, max_length=62)
    travel: TravelIn = Field(default_factory=TravelIn)


class NotPerformedIn(Strict):
    reason: str | None = Field(default=None, max_length=1000)


# --- what the server answers -------------------------------------------------------------


class LineOut(BaseModel):
    part: Part
    kind: LineKind
    label: str
    quantity: Decimal
    unit_rate: Decimal
    amount: Decimal
    explanation: str
    rule: str
    legal_text: str
    tariff_version: str
    date: dt.date | None


class ProblemOut(BaseModel):
    field: str
    message: str


class ComputationOut(BaseModel):
    lines: list[LineOut]
    pay_total: Decimal
    travel_total: Decimal
    total: Decimal
    documents: list[str]
    problems: list[ProblemOut]
    notes: list[str]
    travel_eligible: bool
    # Mission days whose journey an earlier mission of the same day carries.
    travel_days_elsewhere: list[dt.date] = Field(default_factory=list)


class Proposals(BaseModel):
    """What the client can offer the intervenant to confirm, derived from the mission and times."""

    meals: list[MealIn]
    nights: list[dt.date]
    # Round trip, great-circle between the departure residence and the mission commune.
    suggested_km: Decimal | None
    departure_commune: str | None


class Labels(BaseModel):
    intervenant: str
    dec: str
    pay: str
    travel: str


class MissionOut(BaseModel):
    id: int
    type: MissionType
    type_label: str
    session: str
    exam: str | None
    speciality: str | None
    paper_code: str | None
    paper: str | None
    paper_kind: PaperKind | None
    optional_oral: bool
    pay_group: str | None
    minutes_per_candidate: int | None
    lot_size: int | None
    centre: str
    centre_address: str
    commune_insee: str
    commune: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    travel_reimbursable: bool
    dec_handled: bool


class Permissions(BaseModel):
    edit: bool
    validate_: bool = Field(alias="validate", serialization_alias="validate")
    declare_not_performed: bool

    model_config = ConfigDict(populate_by_name=True)


class AuditOut(BaseModel):
    at: dt.datetime
    actor: str | None
    action: str
    from_status: Status | None
    to_status: Status | None
    reason: str | None


class ConvocationOut(BaseModel):
    id: int
    statement_id: int
    mission: MissionOut
    status: Status
    labels: Labels
    total: Decimal


class StatementOut(BaseModel):
    id: int
    version: int
    status: Status
    labels: Labels
    permissions: Permissions
    convocation_id: int
    intervenant: str
    mission: MissionOut
    entry: EntryIn
    computation: ComputationOut
    proposals: Proposals
    reason: str | None
    saved_at: dt.datetime | None
    submitted_at: dt.datetime | None
    history: list[AuditOut]


class PreviewOut(BaseModel):
    computation: ComputationOut
    proposals: Proposals
