"""Creating and changing the reference data, with its integrity checked in French."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from server_stub.core import clock
from server_stub.core.database import Base
from server_stub.core.errors import InvalidInput, NotFound
from server_stub.core.settings import Settings
from server_stub.reference import repository
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import MissionType, PaperKind
from server_stub.rules.tariffs import pay_group_for

_NAMES: dict[type[Base], str] = {
    ExamSession: "Cette session",
    Exam: "Cet examen",
    Paper: "Cette épreuve",
    Centre: "Ce centre",
    Mission: "Cette mission",
}


def require(session: Session, model: type[Base], item_id: int, field: str | None = None) -> Any:
    row = repository.get(session, model, item_id)
    if row is None:
        message = f"{_NAMES[model]} n'existe pas."
        if field:
            raise InvalidInput(message, fields={field: message})
        raise NotFound(message)
    return row


def _check_commune(insee: str | None) -> None:
    if insee is not None and communes().get(insee) is None:
        message = f"Commune inconnue (code INSEE {insee})."
        raise InvalidInput(message, fields={"commune_insee": message})


def _check_mission(session: Session, mission: Mission) -> None:
    fields: dict[str, str] = {}
    require(session, ExamSession, mission.session_id, "session_id")
    require(session, Centre, mission.centre_id, "centre_id")
    if mission.paper_id is not None:
        paper: Paper = require(session, Paper, mission.paper_id, "paper_id")
        if paper.exam.session_id != mission.session_id:
            fields["paper_id"] = "Cette épreuve appartient à une autre session."
    if mission.type in (MissionType.CORRECTION, MissionType.INTERROGATION) and not mission.paper_id:
        fields["paper_id"] = "Une correction ou une interrogation porte sur une épreuve."
    if mission.end_date < mission.start_date:
        fields["end_date"] = "La date de fin précède la date de début."
    if mission.start_date == mission.end_date and mission.end_time <= mission.start_time:
        fields["end_time"] = "L'heure de fin précède l'heure de début."
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)


def create(session: Session, settings: Settings, model: type[Base], data: BaseModel) -> Any:
    values = data.model_dump()
    if model is Exam:
        require(session, ExamSession, values["session_id"], "session_id")
    elif model is Paper:
        exam: Exam = require(session, Exam, values["exam_id"], "exam_id")
        if values["pay_group"] is None:
            kind = PaperKind(values["kind"])
            values["pay_group"] = pay_group_for(exam.diploma, kind, clock.today(settings))
    elif model is Centre:
        _check_commune(values["commune_insee"])
    row = model(**values)
    if isinstance(row, Mission):
        _check_mission(session, row)
    return repository.add(session, row)


def update(session: Session, model: type[Base], item_id: int, patch: BaseModel) -> Any:
    row = require(session, model, item_id)
    changes = patch.model_dump(exclude_unset=True)
    if model is Centre:
        _check_commune(changes.get("commune_insee"))
    for name, value in changes.items():
        if value is None and name not in ("label",):
            continue
        setattr(row, name, value)
    if isinstance(row, Mission):
        _check_mission(session, row)
    repository.flush(session)
    return row
