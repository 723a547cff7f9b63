"""Wire shapes of declarations, needs, the solver's result, issuing and replacements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from server_stub.assignment.models import AssignmentStatus, CompetenceStatus, NeedKind
from server_stub.auth.models import Category
from server_stub.core.wire import ClockTime, Day, Flag, Id, Int, LocalTime, Text, WireIn
from server_stub.rules.model import HalfDay, PaperKind

# --- declarations -----------------------------------------------------------------------------


class PaperChoice(BaseModel):
    """A paper one may declare a competence for."""

    id: int
    code: str
    name: str
    kind: PaperKind
    exam_code: str
    exam_name: str
    session_id: int
    session_name: str


class CompetenceIn(WireIn):
    paper_id: Id
    subject: str | None = Field(default=None, max_length=200)


class CompetenceOut(BaseModel):
    id: int
    user_id: int
    person_name: str
    school: str | None
    paper_id: int
    paper_code: str
    paper_name: str
    exam_name: str
    session_id: int
    status: CompetenceStatus
    subject: str | None
    declared_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    refusal_reason: str | None


class RefusalIn(WireIn):
    reason: str = Field(min_length=1, max_length=500)


class ValidateManyIn(WireIn):
    ids: list[Id] = Field(min_length=1, max_length=500)


class Failure(BaseModel):
    id: int
    detail: str


class BulkOut(BaseModel):
    succeeded: list[int]
    failed: list[Failure]


class UnavailabilityIn(WireIn):
    start_date: Day
    start_half_day: HalfDay = HalfDay.MORNING
    end_date: Day
    end_half_day: HalfDay = HalfDay.AFTERNOON
    reason: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> UnavailabilityIn:
        if (self.end_date, self.end_half_day) < (self.start_date, self.start_half_day):
            raise ValueError("La fin de l'indisponibilité précède son début.")
        if (self.end_date - self.start_date).days > 366:
            raise ValueError("Une indisponibilité ne peut pas dépasser un an.")
        return self


class UnavailabilityOut(BaseModel):
    id: int
    user_id: int
    start_date: dt.date
    start_half_day: HalfDay
    end_date: dt.date
    end_half_day: HalfDay
    reason: str | None
    label: str  # "du lundi 15/06/2026 matin au mardi 16/06/2026 après-midi"


class ExterneIn(WireIn):
    """A person from outside the académie the DEC registers so that they can be assigned."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    category: Literal["PRIVATE_TRAINER", "OTHER_ACADEMY", "PROFESSIONAL"] = "PROFESSIONAL"
    administrative_residence: str | None = Field(default=None, pattern=r"^[0-9AB]{5}$")
    family_residence: str | None = Field(default=None, pattern=r"^[0-9AB]{5}$")
    fiscal_power: Int | None = Field(default=None, ge=1, le=50)
    school: str | None = Field(default=None, max_length=200)


class PersonOut(BaseModel):
    id: int
    login: str
    first_name: str
    last_name: str
    category: Category | None
    academic: bool
    school: str | None
    administrative_residence: str | None
    family_residence: str | None
    fiscal_power: int | None


class DeclarationsOut(BaseModel):
    person: PersonOut
    competences: list[CompetenceOut]
    unavailabilities: list[UnavailabilityOut]


class CentreSchoolsIn(WireIn):
    schools: list[Text] = Field(max_length=50)


class CentreSchoolsOut(BaseModel):
    centre_id: int
    centre_name: str
    # The centre's own name always counts; `schools` are the other schools it hosts.
    schools: list[str]


# --- needs ------------------------------------------------------------------------------------


class NeedIn(WireIn):
    kind: NeedKind
    paper_id: Id
    centre_id: Id
    day: Day
    half_day: HalfDay
    # Absent: the académie's default hours of the half-day.
    start_time: ClockTime | None = None
    end_time: ClockTime | None = None
    end_date: Day | None = None  # corrections: copies due back
    copies: Int | None = Field(default=None, ge=1, le=100_000)
    lot_size: Int | None = Field(default=None, ge=1, le=2000)
    commissions: Int | None = Field(default=None, ge=1, le=500)
    seats: Int | None = Field(default=None, ge=1, le=200)
    meeting_type: Literal["REUNION", "HARMONISATION"] | None = None
    travel_reimbursable: Flag = True
    label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _coherent(self) -> NeedIn:
        if self.kind is NeedKind.CORRECTION and self.copies is None:
            raise ValueError("Indiquez le nombre de copies à corriger.")
        if self.kind is not NeedKind.CORRECTION and self.copies is not None:
            raise ValueError("Seule une correction porte sur des copies.")
        if self.kind is NeedKind.MEETING and self.seats is None:
            raise ValueError("Indiquez le nombre de participants de la réunion.")
        if self.end_date is not None and self.end_date < self.day:
            raise ValueError("La date de retour des copies précède la remise.")
        return self


class NeedPatch(WireIn):
    day: Day | None = None
    half_day: HalfDay | None = None
    start_time: ClockTime | None = None
    end_time: ClockTime | None = None
    end_date: Day | None = None
    copies: Int | None = Field(default=None, ge=1, le=100_000)
    lot_size: Int | None = Field(default=None, ge=1, le=2000)
    commissions: Int | None = Field(default=None, ge=1, le=500)
    seats: Int | None = Field(default=None, ge=1, le=200)
    travel_reimbursable: Flag | None = None
    label: str | None = Field(default=None, max_length=200)


class NeedOut(BaseModel):
    id: int
    session_id: int
    kind: NeedKind
    paper_id: int
    paper_code: str
    centre_id: int
    centre_name: str
    day: dt.date
    half_day: HalfDay
    start_time: LocalTime
    end_time: LocalTime
    end_date: dt.date | None
    copies: int | None
    lot_size: int | None
    commissions: int | None
    seats: int
    meeting_type: str | None
    travel_reimbursable: bool
    label: str | None
    mission_id: int | None
    title: str  # "Épreuve E21 (Mathématiques) au centre « Lycée … »"
    slot: str  # "jeudi 18/06/2026 après-midi"
    tasks: int  # lots, commissions, or 1
    required: int  # people needed in all


# --- result, edits --------------------------------------------------------------------------


class ExplanationOut(BaseModel):
    competence: str = ""
    travel: str = ""
    load: str = ""
    choice: str = ""
    warnings: list[str] = []


class AssignmentOut(BaseModel):
    id: int
    need_id: int
    task_index: int
    task_label: str  # "Lot n° 3 (49 copies)", "Commission n° 2", "Réunion"
    user_id: int
    person_name: str
    login: str
    status: AssignmentStatus
    locked: bool
    manual: bool
    copies: int
    expected_cost: Decimal
    round_trip_km: int
    explanation: ExplanationOut
    convocation_id: int | None
    replaces_id: int | None
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str | None


class TaskOut(BaseModel):
    index: int
    label: str
    seats: int
    copies: int
    assignments: list[AssignmentOut]


class NeedCoverageOut(BaseModel):
    need: NeedOut
    required: int
    placed: int
    issued: int
    shortfall: str | None  # why seats are empty, in French
    tasks: list[TaskOut]


class ShortfallOut(BaseModel):
    need_id: int
    missing: int
    message: str


class RunOut(BaseModel):
    id: int | None  # None for a what-if run that was not kept
    at: dt.datetime
    options: dict[str, int]
    placed: int
    uncovered: int
    expected_cost: Decimal
    milliseconds: int
    shortfalls: list[ShortfallOut]
    warnings: list[str]


class SessionResultOut(BaseModel):
    session_id: int
    run: RunOut | None
    required: int
    placed: int
    issued: int
    expected_cost: Decimal
    needs: list[NeedCoverageOut]


class PersonLoadOut(BaseModel):
    user_id: int
    person_name: str
    login: str
    school: str | None
    half_days: int
    copies: int
    expected_cost: Decimal
    assignment_ids: list[int]


class SolveIn(WireIn):
    max_half_days: Int | None = Field(default=None, ge=1, le=40)
    max_copies: Int | None = Field(default=None, ge=1, le=5000)
    load_step_cents: Int | None = Field(default=None, ge=0, le=100_000)
    # What-if: compute and answer without replacing the current proposal.
    dry_run: Flag = False


class SolveDefaultsOut(BaseModel):
    """The limits a solve of the session takes when its body names none: the last run's, else
    the académie's (`from_last_run` says which)."""

    max_half_days: int
    max_copies: int
    load_step_cents: int
    from_last_run: bool


class PlacementOut(BaseModel):
    need_id: int
    task_index: int
    user_id: int
    person_name: str
    expected_cost: Decimal
    locked: bool


class SolveOut(BaseModel):
    run: RunOut
    dry_run: bool
    previous_expected_cost: Decimal | None
    # Only for a what-if run: the proposal it would make (a kept run is read with /result).
    placements: list[PlacementOut]


class LockIn(WireIn):
    locked: Flag


class ReassignIn(WireIn):
    user_id: Id
    # Overrule a hard constraint on purpose (the explanation keeps the warning).
    force: Flag = False


class ManualIn(WireIn):
    task_index: Int = Field(ge=1, le=10_000)
    user_id: Id
    force: Flag = False


class CandidateOut(BaseModel):
    user_id: int
    person_name: str
    login: str
    school: str | None
    expected_cost: Decimal
    round_trip_km: int
    half_days: int
    copies: int
    travel: str


# --- issuing, withdrawals ---------------------------------------------------------------------


class IssueIn(WireIn):
    need_ids: list[Id] | None = Field(default=None, max_length=5000)


class LetterOut(BaseModel):
    id: int
    user_id: int
    login: str
    person_name: str
    with_password: bool
    created_at: dt.datetime


class IssueOut(BaseModel):
    issued: int
    missions_created: int
    convocations_created: int
    statements_created: int
    activated_accounts: list[str]  # logins of externes given a temporary password
    letters: list[LetterOut]


class WithdrawIn(WireIn):
    reason: str | None = Field(default=None, max_length=500)


class MyAssignmentOut(BaseModel):
    id: int
    need_id: int
    title: str
    slot: str
    status: AssignmentStatus
    convocation_id: int | None
    withdrawn_at: dt.datetime | None


class WithdrawalOut(BaseModel):
    assignment: AssignmentOut
    title: str
    slot: str
    declared_by: Literal["WITHDRAWAL", "NOT_PERFORMED"]


class ReplaceIn(WireIn):
    user_id: Id | None = None  # absent: the best-ranked replacement


class ReplacementOut(BaseModel):
    replaced: AssignmentOut
    replacement: AssignmentOut
    letter: LetterOut
    cancelled_statement_id: int | None
