"""Wire shapes of missions and expense statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from server_stub.core.wire import AsDecimal, Day, Flag, Int, LocalMoment, LocalTime, WireIn
from server_stub.rules.anomalies import AnomalyCode
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
from server_stub.statements.models import PartPayment, Status

Count = Annotated[Int, Field(ge=0, le=100_000)]
Amount = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=9, decimal_places=2), AsDecimal]
Km = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=8, decimal_places=1), AsDecimal]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=4, decimal_places=2), AsDecimal]


# --- what the intervenant types ----------------------------------------------------------


class PayDayIn(WireIn):
    date: Day
    copies: Count | None = None
    candidates: dict[HalfDay, Count] = Field(default_factory=dict)
    hours: Hours | None = None


class TripIn(WireIn):
    depart_at: LocalMoment
    return_at: LocalMoment
    mode: TravelMode
    km: Km = Decimal(0)
    fare: Amount = Decimal(0)
    parking: Amount = Decimal(0)
    tolls: Amount = Decimal(0)


class MealIn(WireIn):
    date: Day
    kind: MealKind
    administrative_restaurant: Flag = False


class NightIn(WireIn):
    date: Day
    cost: Amount


class TravelIn(WireIn):
    claimed: Flag = False
    departure: Residence = Residence.ADMINISTRATIVE
    trips: list[TripIn] = Field(default_factory=list, max_length=62)
    meals: list[MealIn] = Field(default_factory=list, max_length=124)
    nights: list[NightIn] = Field(default_factory=list, max_length=62)


class EntryIn(WireIn):
    days: list[PayDayIn] = Field(default_factory=list, max_length=62)
    travel: TravelIn = Field(default_factory=TravelIn)


class CertificationIn(WireIn):
    """The boxes ticked on "Valider": accuracy, and no overtime for the same hours."""

    accurate: Flag = False
    no_overtime: Flag = False


class ValidationIn(CertificationIn):
    """« Valider »: the boxes ticked and, when changes were not saved yet, the entry to store
    first (one round trip instead of a save, then a validation)."""

    entry: EntryIn | None = None


class NotPerformedIn(WireIn):
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
    # The same round trip by road, estimated (rules/road.py): offered, never entered for them.
    road_km: Decimal | None = None
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
    start_time: LocalTime
    end_time: LocalTime
    travel_reimbursable: bool
    dec_handled: bool
    entry_deadline: dt.date | None = Field(
        description="Date limite de saisie de la session : un état validé après est signalé."
    )
    days_left: int | None = Field(
        description="Jours restants jusqu'à la date limite (négatif : dépassée)."
    )


class Permissions(BaseModel):
    edit: bool
    validate_: bool = Field(alias="validate", serialization_alias="validate")
    declare_not_performed: bool

    model_config = ConfigDict(populate_by_name=True)


class Pledge(BaseModel):
    """One sentence the intervenant certifies on honour by ticking it."""

    key: str  # "accurate" or "no_overtime", as CertificationIn names its box
    text: str
    # Asked only when the statement pays vacations (its pay total is above zero).
    paid_work_only: bool


class CertificationOut(BaseModel):
    """What the intervenant certified, and when (printed on the recap)."""

    at: dt.datetime
    texts: list[str]


class WordsOut(BaseModel):
    """One thing's label for the intervenant and for the DEC (statements/vocabulary.py)."""

    intervenant: str
    dec: str


class AuditOut(BaseModel):
    at: dt.datetime
    actor: str | None
    action: str
    action_labels: WordsOut
    from_status: Status | None
    to_status: Status | None
    to_status_labels: WordsOut | None = Field(
        description="Le statut atteint, tel qu'il se lisait ce jour-là."
    )
    reason: str | None


class PartPaymentOut(BaseModel):
    """Where one part of the statement stands in payment, as the person reads it: the last
    batch it was sent in, and what the bank or the payroll answered."""

    part: Part
    part_label: str = Field(description="« Indemnités » ou « Frais de déplacement ».")
    channel: str | None = Field(
        description="PAYROLL (par la paie) ou TRANSFER (par virement) ; vide tant que la part "
        "n'est pas mise en paiement."
    )
    channel_label: str | None
    status: PartPayment | None = Field(description="Vide tant que la part n'est pas envoyée.")
    status_label: str
    amount: Decimal
    batch_created_on: dt.date | None = Field(description="Date de création du lot.")
    execution_date: dt.date | None = Field(description="Date d'exécution demandée au lot.")
    paid_on: dt.date | None = Field(description="Date de paiement (comptabilisation).")
    reference: str | None = Field(description="Référence de la banque ou de la paie.")
    rejected_on: dt.date | None
    rejection_reason: str | None = Field(description="Le motif du rejet, en français.")


class DecCommentOut(BaseModel):
    """The DEC's last word to the person on the statement: a return's reason, a correction's
    comment (statements/vocabulary.DEC_COMMENTS)."""

    at: dt.datetime
    actor: str | None
    label: str = Field(description="L'action, telle que l'intervenant la lit.")
    text: str


class ConvocationOut(BaseModel):
    id: int
    statement_id: int
    mission: MissionOut
    status: Status
    labels: Labels
    total: Decimal
    payment_missing: str | None = Field(
        default=None, description="Ce que l'intervenant doit fournir pour être payé par virement."
    )


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
    # What "Valider" may ask to certify, and what was certified at the last validation.
    pledges: list[Pledge] = Field(default_factory=list)
    certification: CertificationOut | None = None
    payment_missing: str | None = Field(
        default=None, description="Ce que l'intervenant doit fournir pour être payé par virement."
    )
    payments: list[PartPaymentOut] = Field(
        default_factory=list,
        description="Chaque part validée ou mise en paiement : statut, montant, dates du lot, "
        "du paiement ou du rejet.",
    )
    dec_comment: DecCommentOut | None = Field(
        default=None, description="Le dernier renvoi, la dernière correction de la DEC, motivés."
    )


class WarningOut(BaseModel):
    """A check the DEC will see on the statement once validated (rules/anomalies.py)."""

    code: AnomalyCode
    label: str = Field(description="Le nom de l'anomalie, tel que la DEC le lit.")
    advice: str = Field(description="Ce qu'elle signifie pour l'intervenant.")
    message: str
    field: str = Field(description="Le champ concerné (chemin dans la saisie) ou un thème.")


class PreviewOut(BaseModel):
    computation: ComputationOut
    proposals: Proposals
    warnings: list[WarningOut] = Field(
        default_factory=list, description="Ce que la DEC verra si la saisie est validée ainsi."
    )
