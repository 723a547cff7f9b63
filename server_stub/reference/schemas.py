"""Wire shapes of the reference data the DEC maintains."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from server_stub.rules.model import EvaluationMode, MissionType, PaperKind

PayGroup = Literal["1", "2", "3", "4", "5", "NR"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SessionIn(_In):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    entry_deadline: dt.date
    office: str = Field(default="DEC", min_length=1, max_length=40)


class SessionPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    entry_deadline: dt.date | None = None


class SessionOut(_Out):
    id: int
    code: str
    name: str
    entry_deadline: dt.date
    office: str


class ExamIn(_In):
    session_id: int
    code: str = Field(min_length=1, max_length=40)
    diploma: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    speciality: str = Field(min_length=1, max_length=200)


class ExamPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    speciality: str | None = Field(default=None, min_length=1, max_length=200)


class ExamOut(_Out):
    id: int
    session_id: int
    code: str
    diploma: str
    name: str
    speciality: str


class PaperIn(_In):
    exam_id: int
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: PaperKind
    evaluation_mode: EvaluationMode = EvaluationMode.PONCTUEL
    # Absent: taken from the exam → taux table in force.
    pay_group: PayGroup | None = None
    minutes_per_candidate: int | None = Field(default=None, ge=1, le=600)
    optional_oral: bool = False
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)


class PaperPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    evaluation_mode: EvaluationMode | None = None
    pay_group: PayGroup | None = None
    minutes_per_candidate: int | None = Field(default=None, ge=1, le=600)
    optional_oral: bool | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)


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


class CentreIn(_In):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=300)
    commune_insee: str = Field(min_length=5, max_length=5)


class CentrePatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    commune_insee: str | None = Field(default=None, min_length=5, max_length=5)


class CentreOut(_Out):
    id: int
    code: str
    name: str
    address: str
    commune_insee: str


class MissionIn(_In):
    session_id: int
    type: MissionType
    paper_id: int | None = None
    centre_id: int
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    lot_size: int | None = Field(default=None, ge=1, le=10_000)
    travel_reimbursable: bool = True
    label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> MissionIn:
        if self.end_date < self.start_date:
            raise ValueError("La date de fin précède la date de début.")
        return self


class MissionPatch(_In):
    centre_id: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    lot_size: int | None = Field(default=None, ge=1, le=10_000)
    travel_reimbursable: bool | None = None
    label: str | None = Field(default=None, max_length=200)


class MissionRefOut(_Out):
    id: int
    session_id: int
    type: MissionType
    paper_id: int | None
    centre_id: int
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    lot_size: int | None
    travel_reimbursable: bool
    label: str | None


class IssueIn(_In):
    mission_id: int
    user_ids: list[int] = Field(min_length=1, max_length=5000)


class Issued(BaseModel):
    user_id: int
    convocation_id: int
    statement_id: int
    created: bool
