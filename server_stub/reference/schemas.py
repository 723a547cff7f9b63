"""Wire shapes of the reference data the DEC maintains."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from server_stub.core.wire import ClockTime, Day, Flag, Id, Int, LocalTime, WireIn
from server_stub.rules.model import EvaluationMode, MissionType, PaperKind

PayGroup = Literal["1", "2", "3", "4", "5", "NR"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CommuneRef(BaseModel):
    insee: str
    name: str
    department: str
    postal_codes: list[str]


class SessionIn(WireIn):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    entry_deadline: Day
    office: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="Le service qui gère la session ; par défaut le seul du gestionnaire.",
    )


class SessionPatch(WireIn):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    entry_deadline: Day | None = None


class SessionOut(_Out):
    id: int
    code: str
    name: str
    entry_deadline: dt.date
    office: str


class ExamIn(WireIn):
    session_id: Id
    code: str = Field(min_length=1, max_length=40)
    diploma: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    speciality: str = Field(min_length=1, max_length=200)


class ExamPatch(WireIn):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    speciality: str | None = Field(default=None, min_length=1, max_length=200)


class ExamOut(_Out):
    id: int
    session_id: int
    code: str
    diploma: str
    name: str
    speciality: str


class PaperIn(WireIn):
    exam_id: Id
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: PaperKind
    evaluation_mode: EvaluationMode = EvaluationMode.PONCTUEL
    # Absent: taken from the exam → taux table in force.
    pay_group: PayGroup | None = None
    minutes_per_candidate: Int | None = Field(default=None, ge=1, le=600)
    optional_oral: Flag = False
    duration_minutes: Int | None = Field(default=None, ge=1, le=1440)


class PaperPatch(WireIn):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    evaluation_mode: EvaluationMode | None = None
    pay_group: PayGroup | None = None
    minutes_per_candidate: Int | None = Field(default=None, ge=1, le=600)
    optional_oral: Flag | None = None
    duration_minutes: Int | None = Field(default=None, ge=1, le=1440)


class PaperOut(_Out):
    id: int
    exam_id: int
    code: str
    name: str
    kind: PaperKind
    evaluation_mode: EvaluationMode
    pay_group: str
    minutes_per_candidate: int | None
    optional_oral: bool
    duration_minutes: int | None


class CentreIn(WireIn):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=300)
    commune_insee: str = Field(min_length=5, max_length=5)


class CentrePatch(WireIn):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    commune_insee: str | None = Field(default=None, min_length=5, max_length=5)


class CentreOut(_Out):
    id: int
    code: str
    name: str
    address: str
    commune_insee: str


class MissionIn(WireIn):
    session_id: Id
    type: MissionType
    paper_id: Id | None = None
    centre_id: Id
    start_date: Day
    end_date: Day
    start_time: ClockTime
    end_time: ClockTime
    lot_size: Int | None = Field(default=None, ge=1, le=10_000)
    travel_reimbursable: Flag = True
    label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> MissionIn:
        if self.end_date < self.start_date:
            raise ValueError("La date de fin précède la date de début.")
        return self


class MissionPatch(WireIn):
    centre_id: Id | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    start_time: ClockTime | None = None
    end_time: ClockTime | None = None
    lot_size: Int | None = Field(default=None, ge=1, le=10_000)
    travel_reimbursable: Flag | None = None
    label: str | None = Field(default=None, max_length=200)


class MissionRefOut(_Out):
    id: int
    session_id: int
    type: MissionType
    paper_id: int | None
    centre_id: int
    start_date: dt.date
    end_date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    lot_size: int | None
    travel_reimbursable: bool
    label: str | None


class IssueIn(WireIn):
    mission_id: Id
    user_ids: list[Id] = Field(min_length=1, max_length=5000)


class Issued(BaseModel):
    user_id: int
    convocation_id: int
    statement_id: int
    created: bool
