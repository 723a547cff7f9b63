"""Creating and changing the reference data, with its integrity checked in French.

Who may reach which item is declared by the routes (auth.access); here are the rules of the
data itself: a paper under its session, a known diploma, a known commune, ordered dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from server_stub.auth.access import Scope
from server_stub.core import clock
from server_stub.core.database import Base
from server_stub.core.errors import Forbidden, InvalidInput, NotFound
from server_stub.core.settings import Settings
from server_stub.reference import repository
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.reference.schemas import (
    CentreIn,
    CommuneRef,
    ExamIn,
    MissionIn,
    PaperIn,
    SessionIn,
)
from server_stub.rules.model import MissionType, PaperKind
from server_stub.rules.tariffs import (
    NoTariffInForceError,
    known_diplomas,
    pay_group_for,
    tariffs_in_effect,
)

_NAMES: dict[type[Base], str] = {
    ExamSession: "Cette session",
    Exam: "Cet examen",
    Paper: "Cette épreuve",
    Centre: "Ce centre",
    Mission: "Cette mission",
}


def commune_ref(insee: str | None) -> CommuneRef | None:
    directory = communes()
    commune = directory.get(insee or "")
    if commune is None:
        return None
    return CommuneRef(
        insee=commune.insee,
        name=commune.name,
        department=commune.department,
        postal_codes=list(directory.postal_codes(commune.insee)),
    )


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
    for name in ("start_date", "end_date"):
        problem = tariff_problem(getattr(mission, name))
        if problem:
            fields.setdefault(name, problem)
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)


def tariff_problem(day: dt.date) -> str | None:
    """Why a mission on `day` could not be paid: no rate in force then."""
    try:
        tariffs_in_effect().at(day)
    except NoTariffInForceError as error:
        return str(error)
    return None


def _office_for(scope: Scope, wanted: str | None) -> str:
    """The office a new session belongs to: one the caller works for."""
    mine = sorted(scope.offices) if scope.offices is not None else None
    if wanted is None:
        if mine is not None and len(mine) == 1:
            return mine[0]
        message = "Précisez le service qui gère la session."
        raise InvalidInput(message, fields={"office": message})
    if mine is not None and wanted not in mine:
        message = (
            f"Vous ne pouvez créer une session que pour l'un de vos services ({', '.join(mine)})."
            if mine
            else "Vous n'êtes rattaché(e) à aucun service : une session ne peut pas être créée."
        )
        raise Forbidden(message, fields={"office": message})
    return wanted


def create_session(session: Session, scope: Scope, body: SessionIn) -> ExamSession:
    values = body.model_dump()
    values["office"] = _office_for(scope, body.office)
    return repository.add(session, ExamSession(**values))


def create_exam(session: Session, body: ExamIn) -> Exam:
    if body.diploma not in known_diplomas():
        message = f"Diplôme inconnu de la table des taux : {body.diploma}."
        raise InvalidInput(message, fields={"diploma": message})
    return repository.add(session, Exam(**body.model_dump()))


def create_paper(session: Session, settings: Settings, body: PaperIn) -> Paper:
    values = body.model_dump()
    exam: Exam = require(session, Exam, body.exam_id, "exam_id")
    if values["pay_group"] is None:
        kind = PaperKind(values["kind"])
        values["pay_group"] = pay_group_for(exam.diploma, kind, clock.today(settings))
    return repository.add(session, Paper(**values))


def create_centre(session: Session, body: CentreIn) -> Centre:
    _check_commune(body.commune_insee)
    return repository.add(session, Centre(**body.model_dump()))


def create_mission(session: Session, body: MissionIn) -> Mission:
    mission = Mission(**body.model_dump())
    _check_mission(session, mission)
    return repository.add(session, mission)


def update(session: Session, row: Base, patch: BaseModel) -> Any:
    """Applies the fields the patch sets; a null leaves a required field as it is."""
    changes = patch.model_dump(exclude_unset=True)
    if isinstance(row, Centre):
        _check_commune(changes.get("commune_insee"))
    for name, value in changes.items():
        if value is None and name not in ("label",):
            continue
        setattr(row, name, value)
    if isinstance(row, Mission):
        _check_mission(session, row)
    repository.flush(session)
    return row
