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
    nir: str | None = None
    nir_on_file: bool = False
    financial_file_updated: dt.datetime | None
    financial_file_needed: bool
    # What is missing for what is owed by transfer to be paid (French), None when nothing.
    financial_file_missing: str | None = None
    financial_documents: list[str] = Field(default_factory=list)


class NotificationKind(Wire):
    """A kind of e-mail message: whether it is sent to the person, and whether they may
    decline it (statutory ones are always sent)."""

    kind: str
    label: str
    statutory: bool
    enabled: bool


class Notifications(Wire):
    email: str | None
    kinds: list[NotificationKind]


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
    suggested_km: Decimal | None  # round trip, great-circle
    road_km: Decimal | None = None  # round trip, by road (estimated)
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
    entry_deadline: dt.date | None = None  # the session's: a statement validated after is late
    days_left: int | None = None  # until the deadline, on the server's today (negative: past)


class Permissions(Wire):
    edit: bool
    validate_: bool = Field(alias="validate")
    declare_not_performed: bool


class Pledge(Wire):
    """A sentence certified on honour on "Valider" (`key` names its box for the server)."""

    key: str
    text: str
    paid_work_only: bool = False


class Certification(Wire):
    """What the person certified at validation, and when (printed on the recap)."""

    at: dt.datetime
    texts: list[str]


class Words(Wire):
    """One thing's label for the intervenant and for the DEC, as the server words it."""

    intervenant: str
    dec: str


class AuditEntry(Wire):
    at: dt.datetime
    actor: str | None
    action: str
    action_labels: Words
    from_status: Status | None
    to_status: Status | None
    to_status_labels: Words | None = None
    reason: str | None


class PartPayment(StrEnum):
    """Where a part sent in a batch stands: awaiting the bank's or the payroll's answer, paid, or
    rejected by the bank (sent again in the next batch)."""

    IN_PAYMENT = "IN_PAYMENT"
    PAID = "PAID"
    REJECTED = "REJECTED"


class PartPaymentInfo(Wire):
    """One part of a statement on its way to payment (the server words its labels); the dates
    are those known so far."""

    part: str  # PAY or TRAVEL
    part_label: str
    channel: str | None  # PAYROLL or TRANSFER, once sent
    channel_label: str | None
    status: PartPayment | None  # None: validated, not sent yet
    status_label: str
    amount: Decimal
    batch_created_on: dt.date | None
    execution_date: dt.date | None
    paid_on: dt.date | None
    reference: str | None
    rejected_on: dt.date | None
    rejection_reason: str | None


class DecComment(Wire):
    """The DEC's last return reason or correction comment on the statement."""

    at: dt.datetime
    actor: str | None
    label: str
    text: str


class Convocation(Wire):
    id: int
    statement_id: int
    mission: Mission
    status: Status
    labels: Labels
    total: Decimal
    payment_missing: str | None = None


class DocumentFile(Wire):
    id: int
    statement_id: int | None
    label: str
    name: str
    media_type: str
    size: int
    pages: int = 1
    created_at: dt.datetime

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"


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
    pledges: list[Pledge] = []
    certification: Certification | None = None
    payment_missing: str | None = None
    payments: list[PartPaymentInfo] = []
    dec_comment: DecComment | None = None


class Warning(Wire):
    """A check the DEC will see once the statement is validated: its name for the DEC, what it
    means for the intervenant, the facts, and the field (a path into the entry, or a topic)."""

    code: str
    label: str
    advice: str
    message: str
    field: str


class Preview(Wire):
    computation: Computation
    proposals: Proposals
    warnings: list[Warning] = Field(default_factory=list)


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


# --- the annual statement of the sums paid ----------------------------------------------------


class PaidPart(Wire):
    """One part of a statement paid in the year, on `paid_on`."""

    part: str  # PAY or TRAVEL
    part_label: str
    channel: str  # PAYROLL or TRANSFER
    channel_label: str
    amount: Decimal
    paid_on: dt.date
    batch_reference: str
    reference: str | None


class PaidMission(Wire):
    statement_id: int
    mission_type_label: str
    session: str
    exam: str | None
    paper_code: str | None
    paper: str | None
    centre: str
    start_date: dt.date
    end_date: dt.date
    parts: list[PaidPart]
    total: Decimal


class PaidPerson(Wire):
    id: int
    name: str
    login: str
    interne: bool
    postal_address: str | None


class AnnualPayments(Wire):
    """Everything paid to a person in a calendar year (GET /me/payments/{year})."""

    year: int
    academie: str
    person: PaidPerson
    offices: list[str] | None
    missions: list[PaidMission]
    pay_total: Decimal
    travel_total: Decimal
    payroll_total: Decimal
    transfer_total: Decimal
    total: Decimal
    rule: str
