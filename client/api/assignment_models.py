"""Wire shapes of the assignment API (declarations, needs, solving, issuing, replacements).

They mirror `server_stub/assignment/schemas.py` field for field, but are declared here: the
client depends on the HTTP contract (docs/openapi.json), never on the server's code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from client.api.models import HalfDay, Wire


class CompetenceStatus(StrEnum):
    PENDING = "PENDING"
    VALIDATED = "VALIDATED"
    REFUSED = "REFUSED"


class NeedKind(StrEnum):
    CORRECTION = "CORRECTION"  # written copies, in lots
    ORAL = "ORAL"  # commissions of examiners
    MEETING = "MEETING"  # réunion or harmonisation


class AssignmentStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ISSUED = "ISSUED"
    WITHDRAWN = "WITHDRAWN"
    REPLACED = "REPLACED"


class PaperKind(StrEnum):
    WRITTEN = "WRITTEN"
    ORAL = "ORAL"
    PRACTICAL = "PRACTICAL"


# --- reference (read from the DEC's reference endpoints) ----------------------------------------


class ExamSessionRef(Wire):
    id: int
    code: str
    name: str


class CentreRef(Wire):
    id: int
    code: str
    name: str
    commune_insee: str | None = None


# --- declarations -------------------------------------------------------------------------------


class PaperChoice(Wire):
    id: int
    code: str
    name: str
    kind: PaperKind
    exam_code: str
    exam_name: str
    session_id: int
    session_name: str


class Competence(Wire):
    id: int
    user_id: int
    person_name: str
    school: str | None = None
    paper_id: int
    paper_code: str
    paper_name: str
    exam_name: str
    session_id: int
    status: CompetenceStatus
    subject: str | None = None
    declared_at: dt.datetime
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    refusal_reason: str | None = None


class Failure(Wire):
    id: int
    detail: str


class BulkResult(Wire):
    succeeded: list[int]
    failed: list[Failure]


class UnavailabilityIn(Wire):
    start_date: dt.date
    start_half_day: HalfDay = HalfDay.MORNING
    end_date: dt.date
    end_half_day: HalfDay = HalfDay.AFTERNOON
    reason: str | None = None


class Unavailability(Wire):
    id: int
    user_id: int
    start_date: dt.date
    start_half_day: HalfDay
    end_date: dt.date
    end_half_day: HalfDay
    reason: str | None = None
    label: str


class ExterneIn(Wire):
    first_name: str
    last_name: str
    email: str | None = None
    category: Literal["PRIVATE_TRAINER", "OTHER_ACADEMY", "PROFESSIONAL"] = "PROFESSIONAL"
    administrative_residence: str | None = None
    family_residence: str | None = None
    fiscal_power: int | None = None
    school: str | None = None


class Person(Wire):
    id: int
    login: str
    first_name: str
    last_name: str
    category: str | None = None
    academic: bool
    school: str | None = None
    administrative_residence: str | None = None
    family_residence: str | None = None
    fiscal_power: int | None = None


class Declarations(Wire):
    person: Person
    competences: list[Competence]
    unavailabilities: list[Unavailability]


# --- needs --------------------------------------------------------------------------------------


class NeedIn(Wire):
    kind: NeedKind
    paper_id: int
    centre_id: int
    day: dt.date
    half_day: HalfDay
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    end_date: dt.date | None = None
    copies: int | None = None
    lot_size: int | None = None
    commissions: int | None = None
    seats: int | None = None
    meeting_type: Literal["REUNION", "HARMONISATION"] | None = None
    travel_reimbursable: bool = True
    label: str | None = None


class NeedPatch(Wire):
    """Only the fields set are sent (`model_dump(exclude_unset=True)`)."""

    day: dt.date | None = None
    half_day: HalfDay | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    end_date: dt.date | None = None
    copies: int | None = None
    lot_size: int | None = None
    commissions: int | None = None
    seats: int | None = None
    travel_reimbursable: bool | None = None
    label: str | None = None


class Need(Wire):
    id: int
    session_id: int
    kind: NeedKind
    paper_id: int
    paper_code: str
    centre_id: int
    centre_name: str
    day: dt.date
    half_day: HalfDay
    start_time: dt.time
    end_time: dt.time
    end_date: dt.date | None = None
    copies: int | None = None
    lot_size: int | None = None
    commissions: int | None = None
    seats: int
    meeting_type: str | None = None
    travel_reimbursable: bool
    label: str | None = None
    mission_id: int | None = None
    title: str
    slot: str
    tasks: int
    required: int


# --- result and edits ---------------------------------------------------------------------------


class Explanation(Wire):
    competence: str = ""
    travel: str = ""
    load: str = ""
    choice: str = ""
    warnings: list[str] = Field(default_factory=list)


class Assignment(Wire):
    id: int
    need_id: int
    task_index: int
    task_label: str
    user_id: int
    person_name: str
    login: str
    status: AssignmentStatus
    locked: bool
    manual: bool
    copies: int
    expected_cost: Decimal
    round_trip_km: int
    explanation: Explanation
    convocation_id: int | None = None
    replaces_id: int | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawal_reason: str | None = None


class Task(Wire):
    index: int
    label: str
    seats: int
    copies: int
    assignments: list[Assignment]


class NeedCoverage(Wire):
    need: Need
    required: int
    placed: int
    issued: int
    shortfall: str | None = None
    tasks: list[Task]


class Shortfall(Wire):
    need_id: int
    missing: int
    message: str


class Run(Wire):
    id: int | None = None
    at: dt.datetime
    options: dict[str, int]
    placed: int
    uncovered: int
    expected_cost: Decimal
    milliseconds: int
    shortfalls: list[Shortfall]
    warnings: list[str]


class SessionResult(Wire):
    session_id: int
    run: Run | None = None
    required: int
    placed: int
    issued: int
    expected_cost: Decimal
    needs: list[NeedCoverage]


class PersonLoad(Wire):
    user_id: int
    person_name: str
    login: str
    school: str | None = None
    half_days: int
    copies: int
    expected_cost: Decimal
    assignment_ids: list[int]


class SolveDefaults(Wire):
    """The limits the next solve takes when asked for nothing else: the last run's, else the
    académie's."""

    max_half_days: int
    max_copies: int
    load_step_cents: int
    from_last_run: bool


class SolveOptions(Wire):
    max_half_days: int | None = None
    max_copies: int | None = None
    load_step_cents: int | None = None
    dry_run: bool = False


class Placement(Wire):
    need_id: int
    task_index: int
    user_id: int
    person_name: str
    expected_cost: Decimal
    locked: bool


class SolveResult(Wire):
    run: Run
    dry_run: bool
    previous_expected_cost: Decimal | None = None
    placements: list[Placement]


class Candidate(Wire):
    user_id: int
    person_name: str
    login: str
    school: str | None = None
    expected_cost: Decimal
    round_trip_km: int
    half_days: int
    copies: int
    travel: str


# --- issuing, withdrawals -----------------------------------------------------------------------


class Letter(Wire):
    id: int
    user_id: int
    login: str
    person_name: str
    with_password: bool
    created_at: dt.datetime


class IssueResult(Wire):
    issued: int
    missions_created: int
    convocations_created: int
    statements_created: int
    activated_accounts: list[str]
    letters: list[Letter]


class MyAssignment(Wire):
    id: int
    need_id: int
    title: str
    slot: str
    status: AssignmentStatus
    convocation_id: int | None = None
    withdrawn_at: dt.datetime | None = None


class Withdrawal(Wire):
    assignment: Assignment
    title: str
    slot: str
    declared_by: Literal["WITHDRAWAL", "NOT_PERFORMED"]


class Replacement(Wire):
    replaced: Assignment
    replacement: Assignment
    letter: Letter
    cancelled_statement_id: int | None = None


class LetterPdf(Wire):
    """A letter's PDF as downloaded: the server's file name and the bytes."""

    filename: str
    content: bytes
