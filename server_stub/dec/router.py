"""The DEC's endpoints: the statement queue, reference data, issuing convocations.

No `from __future__ import annotations` here: the CRUD routes are built from classes held in
variables, and FastAPI must see those annotations as objects.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel
from sqlalchemy import select

from server_stub.auth.deps import Gestionnaire
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.database import Base
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import InvalidInput
from server_stub.dec import service
from server_stub.dec.repository import QueueFilter
from server_stub.dec.schemas import QueuePage
from server_stub.reference import repository as reference_repository
from server_stub.reference import schemas as ref
from server_stub.reference import service as reference
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import MissionType
from server_stub.statements.issuing import issue
from server_stub.statements.models import Status

router = APIRouter(prefix="/dec", tags=["dec"])


@router.get("/statements")
def statement_queue(
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
    session_id: int | None = None,
    exam_id: int | None = None,
    paper_id: int | None = None,
    centre_id: int | None = None,
    mission_type: MissionType | None = None,
    status: Status | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> QueuePage:
    where = QueueFilter(
        session_id=session_id,
        exam_id=exam_id,
        paper_id=paper_id,
        centre_id=centre_id,
        mission_type=mission_type,
        status=status,
        search=q,
    )
    return service.queue(session, settings, user, where, cursor, limit)


@router.post("/convocations/issue", status_code=status.HTTP_201_CREATED)
def issue_convocations(
    body: ref.IssueIn, actor: Gestionnaire, session: DbSession
) -> list[ref.Issued]:
    mission: Mission = reference.require(session, Mission, body.mission_id, "mission_id")
    users = session.scalars(select(User).where(User.id.in_(body.user_ids))).all()
    missing = set(body.user_ids) - {u.id for u in users}
    if missing:
        message = f"Personne inconnue : {', '.join(str(i) for i in sorted(missing))}."
        raise InvalidInput(message, fields={"user_ids": message})
    issued = issue(session, mission, users, actor, clock.now())
    return [
        ref.Issued(user_id=c.user_id, convocation_id=c.id, statement_id=s.id, created=created)
        for c, s, created in issued
    ]


def _crud(
    path: str,
    model: type[Base],
    create_schema: type[BaseModel],
    patch_schema: type[BaseModel],
    out_schema: type[BaseModel],
    filters: tuple[str, ...] = (),
) -> None:
    narrowed_by = filters[0] if filters else "parent"

    def listing(
        _: Gestionnaire,
        session: DbSession,
        parent: Annotated[
            int | None, Query(alias=narrowed_by, include_in_schema=bool(filters))
        ] = None,
    ) -> Any:
        where = {narrowed_by: parent} if filters else {}
        rows = reference_repository.listing(session, model, **where)
        return [out_schema.model_validate(r) for r in rows]

    def create(
        body: create_schema,  # type: ignore[valid-type]
        _: Gestionnaire,
        session: DbSession,
        settings: AppSettings,
    ) -> Any:
        return out_schema.model_validate(reference.create(session, settings, model, body))

    def read(item_id: int, _: Gestionnaire, session: DbSession) -> Any:
        return out_schema.model_validate(reference.require(session, model, item_id))

    def update(item_id: int, body: patch_schema, _: Gestionnaire, session: DbSession) -> Any:  # type: ignore[valid-type]
        return out_schema.model_validate(reference.update(session, model, item_id, body))

    router.add_api_route(f"/{path}", listing, methods=["GET"], response_model=list[out_schema])  # type: ignore[valid-type]
    router.add_api_route(
        f"/{path}", create, methods=["POST"], response_model=out_schema, status_code=201
    )
    router.add_api_route(f"/{path}/{{item_id}}", read, methods=["GET"], response_model=out_schema)
    router.add_api_route(
        f"/{path}/{{item_id}}", update, methods=["PATCH"], response_model=out_schema
    )


_crud("sessions", ExamSession, ref.SessionIn, ref.SessionPatch, ref.SessionOut)
_crud("exams", Exam, ref.ExamIn, ref.ExamPatch, ref.ExamOut, ("session_id",))
_crud("papers", Paper, ref.PaperIn, ref.PaperPatch, ref.PaperOut, ("exam_id",))
_crud("centres", Centre, ref.CentreIn, ref.CentrePatch, ref.CentreOut)
_crud("missions", Mission, ref.MissionIn, ref.MissionPatch, ref.MissionRefOut, ("session_id",))
