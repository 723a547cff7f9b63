"""The server's wire shapes, as the client reads and writes them (pydantic, Qt-free).

They mirror `server_stub`'s schemas field for field but are declared here: the client depends on
the HTTP contract (docs/openapi.json), never on the server's code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Role(StrEnum):
    INTERVENANT = "INTERVENANT"
    GESTIONNAIRE = "GESTIONNAIRE"
    CHEF_CENTRE = "CHEF_CENTRE"
    ADMIN = "ADMIN"


class MissionType(StrEnum):
    CORRECTION = "CORRECTION"
    INTERROGATION = "INTERROGATION"
    REUNION = "REUNION"
    HARMONISATION = "HARMONISATION"
    SURVEILLANCE = "SURVEILLANCE"
    SUBJECT_WRITING = "SUBJECT_WRITING"
    DELIBERATION = "DELIBERATION"


class Status(StrEnum):
    OPEN = "OPEN"
    NOT_PERFORMED = "NOT_PERFORMED"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    DEC_ENTERED = "DEC_ENTERED"
    CANCELLED = "CANCELLED"
    IN_PAYMENT = "IN_PAYMENT"
    PAID = "PAID"


class HalfDay(StrEnum):
    MORNING = "AM"
    AFTERNOON = "PM"


class TravelMode(StrEnum):
    CAR = "CAR"
    MOTORCYCLE = "MOTORCYCLE"
    MOPED = "MOPED"
    PUBLIC_TRANSPORT = "PUBLIC_TRANSPORT"


class Residence(StrEnum):
    ADMINISTRATIVE = "ADMINISTRATIVE"
    FAMILY = "FAMILY"


class MealKind(StrEnum):
    LUNCH = "LUNCH"
    DINNER = "DINNER"


# --- authentication ----------------------------------------------------------------------


class Identity(Wire):
    id: int
    login: str
    first_name: str
    last_name: str
    role: Role
    category: str | None = None
    academic: bool
    must_change_password: bool


class Tokens(Wire):
    access_token: str
    refresh_token: str
    expires_in: int
    user: Identity
    password_rules: str


# --- profile -----------------------------------------------------------------------------


class CommuneRef(Wire):
    insee: str
    name: str
    department: str
    postal_codes: list[str]


class Profile(Wire):
    id: int
    login: str
    email: str | None
    first_name: str
    last_name: str
    role: Role
    category: str | None
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


# --- what the intervenant types (sent as is) ---------------------------------------------


class PayDay(Wire):
    date: dt.date
    copies: int | None = None
    candidates: dict[HalfDay, int] = Field(default_factory=dict)
    hours: Decimal | None = None


class Trip(Wire):
    depart_at: dt.datetime
    return_at: dt.datetime
    mode: TravelMode
    km: Decimal = Decimal(0)
    fare: Decimal = Decimal(0)
    parking: Decimal = Decimal(0)
    tolls: Decimal = Decimal(0)


class Meal(Wire):
    date: dt.date
    kind: MealKind
    administrative_restaurant: bool = False


class Night(Wire):
    date: dt.date
    cost: Decimal


class Travel(Wire):
    claimed: bool = False
    departure: Residence = Residence.ADMINISTRATIVE
    trips: list[Trip] = Field(default_factory=list)
    meals: list[Meal] = Field(default_factory=list)
    nights: list[Night] = Field(default_factory=list)


class Entry(Wire):
    days: list[PayDay] = Field(default_factory=list)
    travel: Travel = Field(default_factory=Travel)


# --- what the server computes ------------------------------------------------------------


class Line(Wire):
    part: str  # PAY or TRAVEL
    kind: str
    label: str
    quantity: Decimal
    unit_rate: Decimal
    amount: Decimal
    explanation: str
    rule: str
    legal_text: str
    tariff_version: str
    date: dt.date | None


class Problem(Wire):
    field: str
    message: str


class Computation(Wire):
    lines: list[Line]
    pay_total: Decimal
    travel_total: Decimal
    total: Decimal
    documents: list[str]
    problems: list[Problem]
    notes: list[str]
    travel_eligible: bool


class Proposals(Wire):
    meals: list[Meal]
    nights: list[dt.date]
    suggested_km: Decimal | None
    departure_commune: str | None


class Labels(Wire):
    intervenant: str
    dec: str
    pay: str
    travel: str


class Mission(Wire):
    id: int
    type: MissionType
    type_label: str
    session: str
    exam: str | None
    speciality: str | None
    paper_code: str | None
    paper: str | None
    paper_kind: str | None
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


class Permissions(Wire):
    edit: bool
    validate_: bool = Field(alias="validate")
    declare_not_performed: bool


class AuditEntry(Wire):
    at: dt.datetime
    actor: str | None
    action: str
    from_status: Status | None
    to_status: Status | None
    reason: str | None


class Convocation(Wire):
    id: int
    statement_id: int
    mission: Mission
    status: Status
    labels: Labels
    total: Decimal


class Statement(Wire):
    id: int
    version: int
    status: Status
    labels: Labels
    permissions: Permissions
    convocation_id: int
    intervenant: str
    mission: Mission
    entry: Entry
    computation: Computation
    proposals: Proposals
    reason: str | None
    saved_at: dt.datetime | None
    submitted_at: dt.datetime | None
    history: list[AuditEntry]


class Preview(Wire):
    computation: Computation
    proposals: Proposals


class QueueRow(Wire):
    id: int
    status: Status
    status_label: str
    intervenant: str
    login: str
    mission_type: MissionType
    exam: str | None
    paper_code: str | None
    centre: str
    start_date: dt.date
    end_date: dt.date
    total: Decimal
    submitted_at: dt.datetime | None


class QueuePage(Wire):
    items: list[QueueRow]
    next_cursor: str | None
