"""Wire shapes of the DEC's workstation: the queue, bulk actions, the detail, the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from server_stub.core.wire import MAX_ID, Day, Flag, Id, Int, LocalTime, Text, WireIn
from server_stub.documents.schemas import DocumentFileOut
from server_stub.reference.schemas import CentreOut, SessionOut
from server_stub.rules.anomalies import AnomalyCode
from server_stub.rules.model import MissionType
from server_stub.statements.models import Status
from server_stub.statements.schemas import Amount, EntryIn, StatementOut


def _required_text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("Ce champ ne peut pas être vide.")
    return text


# --- the queue ---------------------------------------------------------------------------


class QueueRow(BaseModel):
    id: int
    version: int
    status: Status
    status_label: str
    intervenant: str
    login: str
    mission_id: int
    mission_type: MissionType
    exam: str | None
    paper_code: str | None
    centre: str
    start_date: dt.date
    end_date: dt.date
    total: Decimal
    submitted_at: dt.datetime | None
    anomaly_count: int
    anomaly_codes: list[AnomalyCode]
    dec_corrected: bool = Field(
        description="Décompte modifié par la DEC, pas encore consulté par l'intervenant."
    )
    service_done: bool = Field(description="Service fait constaté pour la mission.")
    payment_batch_id: int | None


class QueuePage(BaseModel):
    items: list[QueueRow]
    next_cursor: str | None


class AnomalyOut(BaseModel):
    code: AnomalyCode
    label: str
    message: str
    field: str


class AnomalyKind(BaseModel):
    code: AnomalyCode
    label: str


class StatusKindOut(BaseModel):
    """One entry of the queue's status filter: `status` and, for an open statement, `done`."""

    status: Status
    done: bool | None
    label: str


class ReturnReason(BaseModel):
    code: str
    label: str


class ReferenceLists(BaseModel):
    """What the workstation lists in its filters and dialogs, in one answer: the caller's
    sessions, the centres, the anomalies checked and the common reasons for a return."""

    sessions: list[SessionOut]
    centres: list[CentreOut]
    anomaly_kinds: list[AnomalyKind]
    status_kinds: list[StatusKindOut]
    return_reasons: list[ReturnReason]


# --- bulk actions ------------------------------------------------------------------------


class StatementRef(WireIn):
    id: Id
    version: Annotated[Int | None, Field(ge=1, le=MAX_ID)] = Field(
        default=None, description="La version lue ; l'action échoue si elle a changé depuis."
    )


Refs = Annotated[list[StatementRef], Field(min_length=1, max_length=20_000)]
Reason = Annotated[str, Field(min_length=1, max_length=1000)]


class ApproveIn(WireIn):
    statements: Refs
    only_clean: Flag = Field(
        default=False, description="Ne valider que les états de frais sans anomalie."
    )


class ReasonIn(WireIn):
    statements: Refs
    reason: Reason

    _reason = field_validator("reason")(_required_text)


class ReturnIn(ReasonIn):
    reason_code: Annotated[str | None, Field(max_length=40)] = Field(
        default=None,
        description="Le code du motif de retour de l'académie choisi, s'il y en a un.",
    )


class UncancelIn(WireIn):
    statements: Refs
    reason: Annotated[str | None, Field(max_length=1000)] = None


class Outcome(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    ALREADY_DONE = "already_done"
    STALE_VERSION = "stale_version"
    TRANSITION_REFUSED = "transition_refused"
    ANOMALIES = "anomalies"
    INVALID = "invalid"


class ItemResult(BaseModel):
    id: int
    ok: bool
    outcome: Outcome
    status: Status | None = None
    version: int | None = None
    reason: str | None = Field(default=None, description="Pourquoi l'action a échoué, en français.")


class BulkResult(BaseModel):
    done: int
    failed: int
    results: list[ItemResult]


class IndemnityIn(WireIn):
    amount: Amount
    comment: Annotated[str | None, Field(max_length=1000)] = None


class BulkIndemnityIn(IndemnityIn):
    statements: Annotated[list[StatementRef], Field(min_length=1, max_length=5000)]


class CorrectionIn(WireIn):
    entry: EntryIn
    comment: Reason

    _comment = field_validator("comment")(_required_text)


class DocumentsIn(WireIn):
    received: Annotated[list[Text], Field(max_length=50)] = Field(
        description="Les libellés des pièces reçues (toutes celles cochées)."
    )


class ServiceDoneIn(WireIn):
    mission_ids: Annotated[list[Id], Field(min_length=1, max_length=5000)]
    # The day the service was found done (today by default) and an optional remark.
    date: Day | None = None
    remark: Text | None = Field(default=None, max_length=500)


class ServiceCorrectionIn(WireIn):
    date: Day
    remark: Text | None = Field(default=None, max_length=500)


class OfficeSettingsIn(WireIn):
    service_done_required: Flag
    # Absent: unchanged (a client that does not know it leaves it as it is).
    documents_required: Flag | None = None


class OfficeSettingsOut(BaseModel):
    office: str
    service_done_required: bool
    documents_required: bool = False
    updated_at: dt.datetime | None
    updated_by: str | None


class ConvenedOut(BaseModel):
    user_id: int
    name: str
    state: str  # CONVENED, NOT_PERFORMED, WITHDRAWN, CANCELLED
    state_label: str
    reason: str | None


class ServiceOut(BaseModel):
    date: dt.date | None
    remark: str | None
    recorded_at: dt.datetime
    recorded_by: str | None
    corrected: bool


class CentreMissionOut(BaseModel):
    id: int
    type: MissionType
    type_label: str
    title: str
    start_date: dt.date
    end_date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    centre_id: int
    centre: str
    paper_code: str | None
    exam: str | None
    session: str
    people: list[ConvenedOut]
    service: ServiceOut | None
    # Begun and not yet recorded.
    missing: bool


class MissionResult(BaseModel):
    mission_id: int
    ok: bool
    outcome: Outcome
    reason: str | None = None


class ServiceDoneOut(BaseModel):
    done: int
    failed: int
    results: list[MissionResult]


# --- the detail --------------------------------------------------------------------------


class DocumentOut(BaseModel):
    """A required supporting document: received (ticked by the DEC) and its attached files."""

    label: str
    received: bool
    received_at: dt.datetime | None = None
    received_by: str | None = None
    files: list[DocumentFileOut] = []


class ServiceDoneInfo(BaseModel):
    recorded_at: dt.datetime
    recorded_by: str | None


class IntervenantInfo(BaseModel):
    id: int
    login: str
    email: str | None
    interne: bool
    has_iban: bool
    has_nir: bool
    # The social security number masked (its key only): only its owner reads it whole.
    nir_masked: str | None
    financial_file_updated: dt.datetime | None
    last_paid: dt.datetime | None


class DecActions(BaseModel):
    """What the DEC may do to the statement now."""

    approve: bool
    return_: bool = Field(alias="return", serialization_alias="return")
    correct: bool
    enter_indemnity: bool
    cancel: bool
    uncancel: bool

    model_config = ConfigDict(populate_by_name=True)


class DecStatementOut(BaseModel):
    statement: StatementOut
    anomalies: list[AnomalyOut]
    documents: list[DocumentOut]
    dec_corrected: bool
    service_done: ServiceDoneInfo | None
    payment_batch_id: int | None
    direct_indemnity: Decimal | None
    intervenant: IntervenantInfo
    actions: DecActions


# --- the dashboard -----------------------------------------------------------------------


class StatusCount(BaseModel):
    status: Status
    done: bool | None = Field(
        default=None, description="Pour un état ouvert : la mission est-elle passée ?"
    )
    label: str
    count: int
    total: Decimal


class ExamAmounts(BaseModel):
    exam_id: int | None
    exam: str | None
    speciality: str | None
    mission_type: MissionType
    mission_type_label: str
    count: int
    pay_total: Decimal
    travel_total: Decimal
    total: Decimal


class TypeAmounts(BaseModel):
    mission_type: MissionType
    label: str
    count: int
    total: Decimal


class DayProgress(BaseModel):
    date: dt.date
    submitted: int
    approved: int = Field(description="Validés par la DEC ou traités par le gestionnaire.")
    returned: int
    approved_cumulative: int


class Dashboard(BaseModel):
    session_id: int
    session: str
    statement_count: int
    to_validate: int
    validated: int = Field(description="Validés, traités, transmis à la liquidation ou payés.")
    validated_share: Decimal = Field(
        description="Part des états de frais transmis (hors annulés, non effectués et non "
        "encore saisis) qui sont validés, de 0 à 1."
    )
    by_status: list[StatusCount]
    by_exam: list[ExamAmounts] = Field(
        description="Montants des états de frais transmis (à valider, validés, en paiement, "
        "payés), par examen et type de mission."
    )
    by_mission_type: list[TypeAmounts]
    progress: list[DayProgress] = Field(description="Jour par jour (heure de Paris).")
