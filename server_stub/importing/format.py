"""The import file: a whole session in one JSON document (docs/import-format.md).

Each section is a list of items; items refer to each other by code (exams, papers, centres)
or by a reference local to the file (`ref` of people and missions). These models check each
item on its own; the loader checks the references between them and against the database.
Messages are French: they are shown as they are to the person who prepared the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from server_stub.auth.models import Category
from server_stub.rules.model import EvaluationMode, MissionType, PaperKind

FORMAT: Final = "imagin-session"
VERSION: Final = 1

PayGroup = Literal["1", "2", "3", "4", "5", "NR"]
Code = Annotated[str, Field(min_length=1, max_length=40)]
Ref = Annotated[str, Field(min_length=1, max_length=60)]
Insee = Annotated[str, Field(pattern=r"^(\d[\dAB]\d{3})$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SessionIn(_Item):
    code: Code
    name: Text
    entry_deadline: dt.date
    office: str = Field(default="DEC", min_length=1, max_length=40)


class PaperIn(_Item):
    code: Code
    name: Text
    kind: PaperKind
    evaluation_mode: EvaluationMode = EvaluationMode.PONCTUEL
    # Absent: the pay group of the exam's diploma in force on the paper's first mission day.
    pay_group: PayGroup | None = None
    minutes_per_candidate: int | None = Field(default=None, ge=1, le=600, validate_default=True)
    optional_oral: bool = False
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)

    @field_validator("minutes_per_candidate")
    @classmethod
    def _timed_orals(cls, minutes: int | None, info: ValidationInfo) -> int | None:
        # Orals and practical tests are paid for the time spent with candidates (DOMAIN §4).
        kind, mode = info.data.get("kind"), info.data.get("evaluation_mode")
        graded = mode is EvaluationMode.PONCTUEL and info.data.get("pay_group") != "NR"
        if graded and kind in (PaperKind.ORAL, PaperKind.PRACTICAL) and minutes is None:
            raise ValueError(
                "La durée d'interrogation par candidat est obligatoire pour une épreuve orale "
                "ou pratique."
            )
        return minutes


class ExamIn(_Item):
    code: Code
    diploma: str = Field(min_length=1, max_length=40)
    name: Text
    speciality: Text
    papers: list[PaperIn] = Field(default_factory=list, max_length=200)


class CentreIn(_Item):
    code: str = Field(min_length=1, max_length=20)
    name: Text
    address: str = Field(min_length=1, max_length=300)
    commune_insee: Insee


class PersonIn(_Item):
    ref: Ref
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    # Absent: the IMAG'IN identifier, from the name. An existing login is the existing person.
    login: str | None = Field(default=None, min_length=1, max_length=120, pattern=r"^[\w.@-]+$")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    academic: bool = False
    category: Category
    administrative_residence: Insee
    family_residence: Insee | None = None
    fiscal_power: int | None = Field(default=None, ge=1, le=99)
    disability: bool = False
    school: str | None = Field(default=None, max_length=200)
    iban: str | None = Field(default=None, max_length=42)
    bic: str | None = Field(default=None, max_length=11)
    postal_address: str | None = Field(default=None, max_length=300)


class PaperRef(_Item):
    exam: Code
    paper: Code


class MissionIn(_Item):
    ref: Ref
    type: MissionType
    paper: PaperRef | None = Field(default=None, validate_default=True)
    centre: str = Field(min_length=1, max_length=20)
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    lot_size: int | None = Field(default=None, ge=1, le=10_000)
    travel_reimbursable: bool = True
    label: str | None = Field(default=None, max_length=200)

    @field_validator("paper")
    @classmethod
    def _paper_when_needed(cls, paper: PaperRef | None, info: ValidationInfo) -> PaperRef | None:
        if paper is None and info.data.get("type") in (
            MissionType.CORRECTION,
            MissionType.INTERROGATION,
        ):
            raise ValueError("Une correction ou une interrogation porte sur une épreuve.")
        return paper

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start_date")
        if start is not None and end < start:
            raise ValueError("La date de fin précède la date de début.")
        return end

    @field_validator("end_time")
    @classmethod
    def _ends_after_start(cls, end: dt.time, info: ValidationInfo) -> dt.time:
        start, first = info.data.get("start_time"), info.data.get("start_date")
        same_day = first is not None and first == info.data.get("end_date")
        if same_day and start is not None and end <= start:
            raise ValueError("L'heure de fin précède l'heure de début.")
        return end


class ConvocationIn(_Item):
    mission: Ref
    person: Ref


class SessionFile(BaseModel):
    """The whole document (the loader validates it section by section, item by item)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["imagin-session"] = FORMAT
    version: Literal[1] = VERSION
    session: SessionIn
    exams: list[ExamIn] = Field(default_factory=list)
    centres: list[CentreIn] = Field(default_factory=list)
    people: list[PersonIn] = Field(default_factory=list)
    missions: list[MissionIn] = Field(default_factory=list)
    convocations: list[ConvocationIn] = Field(default_factory=list)
