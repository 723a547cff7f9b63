"""Wire shapes of the DEC's workstation and of payment batches, as the client reads them.

They mirror `docs/openapi.json` (schemas `QueueRow`, `BulkResult`, `DecStatementOut`,
`Dashboard`, `BatchOut`, ...) and are declared here, Qt-free: the client depends on the HTTP
contract, never on the server's code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from client.api.models import DocumentFile, MissionType, Statement, Status, Wire


class QueueSort(StrEnum):
    """The queue's server-side sort keys (`sort=`)."""

    ID = "id"
    INTERVENANT = "intervenant"
    START_DATE = "start_date"
    TOTAL = "total"
    STATUS = "status"


class Outcome(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    ALREADY_DONE = "already_done"
    STALE_VERSION = "stale_version"
    TRANSITION_REFUSED = "transition_refused"
    ANOMALIES = "anomalies"
    INVALID = "invalid"


class BatchStatus(StrEnum):
    IN_PAYMENT = "IN_PAYMENT"
    PAID = "PAID"


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; every field left None is not filtered on."""

    session_id: int | None = None
    exam_id: int | None = None
    paper_id: int | None = None
    centre_id: int | None = None
    mission_type: MissionType | None = None
    status: Status | None = None
    done: bool | None = None  # with an open status: the mission over (True) or not yet (False)
    anomaly: str | None = None
    clean: bool | None = None  # True: sans anomalie; False: au moins une anomalie
    payment_batch_id: int | None = None
    q: str | None = None

    def params(self) -> dict[str, str]:
        """The query parameters of GET /dec/statements."""
        values: dict[str, Any] = {
            "session_id": self.session_id,
            "exam_id": self.exam_id,
            "paper_id": self.paper_id,
            "centre_id": self.centre_id,
            "mission_type": self.mission_type,
            "status": self.status,
            "done": None if self.done is None else ("true" if self.done else "false"),
            "anomaly": self.anomaly,
            "clean": None if self.clean is None else ("true" if self.clean else "false"),
            "payment_batch_id": self.payment_batch_id,
            "q": self.q,
        }
        return {k: str(v) for k, v in values.items() if v is not None}


def opening_filters() -> QueueFilters:
    """What the DEC's queue opens on: the statements awaiting validation (« À valider »)."""
    return QueueFilters(status=Status.SUBMITTED)


@dataclass(frozen=True)
class Ordering:
    sort: QueueSort = QueueSort.ID
    descending: bool = False

    def params(self) -> dict[str, str]:
        return {"sort": self.sort.value, "order": "desc" if self.descending else "asc"}


# --- the queue ---------------------------------------------------------------------------


class DecQueueRow(Wire):
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
    anomaly_codes: list[str]
    dec_corrected: bool
    service_done: bool
    payment_batch_id: int | None


class DecQueuePage(Wire):
    items: list[DecQueueRow]
    next_cursor: str | None


class AnomalyKind(Wire):
    code: str
    label: str


class StatusKind(Wire):
    """One label the queue can show: a status and, for an open statement, whether its mission
    is over."""

    status: Status
    done: bool | None
    label: str

    @property
    def key(self) -> str:
        """The filter's value: the status, and for an open statement where its mission stands."""
        return status_key(self.status, self.done)


def status_key(status: Status, done: bool | None = None) -> str:
    return status.value if done is None else f"{status.value}:{'done' if done else 'ahead'}"


class ReturnReason(Wire):
    code: str
    label: str


# --- reference data, for the filters -----------------------------------------------------


class SessionRef(Wire):
    id: int
    code: str
    name: str


class ExamRef(Wire):
    id: int
    session_id: int
    code: str
    name: str
    speciality: str


class PaperRef(Wire):
    id: int
    exam_id: int
    code: str
    name: str


class CentreRef(Wire):
    id: int
    code: str
    name: str


class ReferenceLists(Wire):
    """The workstation's lists, read in one request: the sessions of the caller's offices, the
    centres, the anomalies the server checks and the common reasons for a return."""

    sessions: list[SessionRef]
    centres: list[CentreRef]
    anomaly_kinds: list[AnomalyKind]
    status_kinds: list[StatusKind]
    return_reasons: list[ReturnReason]


# --- bulk actions ------------------------------------------------------------------------


class StatementRef(Wire):
    id: int
    version: int | None = None


class ItemResult(Wire):
    id: int
    ok: bool
    outcome: Outcome
    status: Status | None = None
    version: int | None = None
    reason: str | None = None


class BulkResult(Wire):
    done: int
    failed: int
    results: list[ItemResult]


class MissionResult(Wire):
    mission_id: int
    ok: bool
    outcome: Outcome
    reason: str | None = None


class ServiceDoneOut(Wire):
    done: int
    failed: int
    results: list[MissionResult]


# --- the detail --------------------------------------------------------------------------


class AnomalyOut(Wire):
    code: str
    label: str
    message: str
    field: str


class DocumentOut(Wire):
    label: str
    received: bool
    received_at: dt.datetime | None = None
    received_by: str | None = None
    files: list[DocumentFile] = Field(default_factory=list)


class ServiceDoneInfo(Wire):
    recorded_at: dt.datetime
    recorded_by: str | None


class IntervenantInfo(Wire):
    id: int
    login: str
    email: str | None
    interne: bool
    has_iban: bool
    financial_file_updated: dt.datetime | None
    last_paid: dt.datetime | None


class DecActions(Wire):
    """What the DEC may do to the statement now."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    approve: bool
    return_: bool = Field(alias="return")
    correct: bool
    enter_indemnity: bool
    cancel: bool
    uncancel: bool


class DecStatement(Wire):
    statement: Statement
    anomalies: list[AnomalyOut]
    documents: list[DocumentOut]
    dec_corrected: bool
    service_done: ServiceDoneInfo | None
    payment_batch_id: int | None
    direct_indemnity: Decimal | None
    intervenant: IntervenantInfo
    actions: DecActions


# --- the dashboard -----------------------------------------------------------------------


class StatusCount(Wire):
    status: Status
    done: bool | None = None
    label: str
    count: int
    total: Decimal


class ExamAmounts(Wire):
    exam_id: int | None
    exam: str | None
    speciality: str | None
    mission_type: MissionType
    mission_type_label: str
    count: int
    pay_total: Decimal
    travel_total: Decimal
    total: Decimal


class TypeAmounts(Wire):
    mission_type: MissionType
    label: str
    count: int
    total: Decimal


class DayProgress(Wire):
    date: dt.date
    submitted: int
    approved: int
    returned: int
    approved_cumulative: int


class Dashboard(Wire):
    session_id: int
    session: str
    statement_count: int
    to_validate: int
    validated: int
    validated_share: Decimal
    by_status: list[StatusCount]
    by_exam: list[ExamAmounts]
    by_mission_type: list[TypeAmounts]
    progress: list[DayProgress]


# --- payment batches ---------------------------------------------------------------------


class Batch(Wire):
    id: int
    reference: str
    office: str
    session_id: int | None
    session: str | None
    status: BatchStatus
    status_label: str
    created_at: dt.datetime
    created_by: str | None
    execution_date: dt.date
    paid_on: dt.date | None
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal


class Excluded(Wire):
    """A statement's part that cannot be paid yet, why, and who must act."""

    id: int
    part: str | None = None
    part_label: str | None = None
    person: str | None = None
    amount: Decimal | None = None
    reason: str
    who: str | None = None


class BatchPreview(Wire):
    """What "Créer le lot" would make now."""

    office: str
    session_id: int | None
    session: str | None
    execution_date: dt.date
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal
    excluded: list[Excluded]


class Reconciled(Wire):
    """What the bank's statement settled in a batch."""

    batch: Batch
    paid: int
    rejected: int
    statements_paid: int
    already_settled: list[str]
    unknown: list[str]
    mismatched: list[str]


class BatchCreated(Wire):
    batch: Batch
    excluded: list[Excluded]


@dataclass(frozen=True)
class Download:
    """A file the server sent: its suggested name and its bytes."""

    filename: str
    content: bytes
