"""The DEC's endpoints: the statement queue and its actions, reference data, issuing
convocations, the constat de service fait and the dashboard.

No `from __future__ import annotations` here: the CRUD routes are built from classes held in
variables, and FastAPI must see those annotations as objects.
"""

import functools
import tomllib
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Response, status
from pydantic import BaseModel

from server_stub.auth import repository as auth_repository
from server_stub.auth.deps import Gestionnaire, require
from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.database import Base
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import InvalidInput
from server_stub.core.routing import api_router
from server_stub.dec import actions, anomalies, service
from server_stub.dec.dashboard import dashboard
from server_stub.dec.detail import detail
from server_stub.dec.repository import QueueFilter, QueueSort
from server_stub.dec.schemas import (
    AnomalyKind,
    ApproveIn,
    BulkIndemnityIn,
    BulkResult,
    CorrectionIn,
    Dashboard,
    DecStatementOut,
    DocumentsIn,
    IndemnityIn,
    ItemResult,
    QueuePage,
    ReasonIn,
    ReturnReason,
    ServiceDoneIn,
    ServiceDoneOut,
    UncancelIn,
)
from server_stub.reference import repository as reference_repository
from server_stub.reference import schemas as ref
from server_stub.reference import service as reference
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.anomalies import ANOMALY_LABELS, AnomalyCode
from server_stub.rules.model import MissionType
from server_stub.statements.issuing import issue
from server_stub.statements.models import Status

router = api_router(prefix="/dec", tags=["dec"])
IfMatch = Annotated[str | None, Header(alias="If-Match")]


ServiceRecorder = Annotated[
    User,
    Depends(
        require(
            Role.GESTIONNAIRE,
            Role.ADMIN,
            Role.CHEF_CENTRE,
            refusal="Cette action est réservée aux gestionnaires de la DEC et aux chefs de centre.",
        )
    ),
]


def _tagged(response: Response, out: DecStatementOut) -> DecStatementOut:
    response.headers["ETag"] = f'"{out.statement.version}"'
    return out


def _bulk(results: list[ItemResult]) -> BulkResult:
    done, failed = actions.summary(results)
    return BulkResult(done=done, failed=failed, results=results)


# --- the queue -----------------------------------------------------------------------------


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
    anomaly: Annotated[
        AnomalyCode | None, Query(description="Seulement les états de frais ayant cette anomalie.")
    ] = None,
    clean: Annotated[
        bool | None,
        Query(description="true : sans anomalie ; false : avec au moins une anomalie."),
    ] = None,
    payment_batch_id: Annotated[
        int | None, Query(description="Seulement les états de frais de ce lot de paiement.")
    ] = None,
    sort: QueueSort = QueueSort.ID,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> QueuePage:
    """One page of the queue; pass `next_cursor` back as `cursor`, with the same sort and order."""
    where = QueueFilter(
        session_id=session_id,
        exam_id=exam_id,
        paper_id=paper_id,
        centre_id=centre_id,
        mission_type=mission_type,
        status=status,
        search=q,
        anomaly=anomaly,
        clean=clean,
        payment_batch_id=payment_batch_id,
    )
    return service.queue(
        session, settings, user, where, cursor, limit, sort=sort, descending=order == "desc"
    )


@router.get("/anomaly-kinds")
def anomaly_kinds(_: Gestionnaire) -> list[AnomalyKind]:
    """The anomalies the server checks, for the queue's filter."""
    return [AnomalyKind(code=code, label=label) for code, label in ANOMALY_LABELS.items()]


@functools.cache
def _return_reasons() -> tuple[ReturnReason, ...]:
    text = resources.files("server_stub.dec").joinpath("return_reasons.toml").read_text("utf-8")
    return tuple(ReturnReason.model_validate(r) for r in tomllib.loads(text)["reasons"])


@router.get("/return-reasons")
def return_reasons(_: Gestionnaire) -> list[ReturnReason]:
    """Common reasons for returning a statement (an académie setting)."""
    return list(_return_reasons())


@router.post("/anomalies/refresh")
def refresh_anomalies(
    user: Gestionnaire, session: DbSession, settings: AppSettings, session_id: int | None = None
) -> dict[str, int]:
    """Computes the anomalies of every statement of the office (or of a session) again."""
    count = anomalies.refresh_all(
        session, clock.today(settings), office=service.scope(user), session_id=session_id
    )
    return {"updated": count}


# --- bulk actions --------------------------------------------------------------------------


@router.post("/statements/approve")
def approve_statements(
    body: ApproveIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BulkResult:
    """Validates the statements (À valider → Validé), 500 per transaction; each is answered."""
    move = actions.approve_move(clean_only=body.only_clean)
    return _bulk(
        actions.bulk_move(
            session, settings, user, body.statements, move, office=service.scope(user)
        )
    )


@router.post("/statements/return")
def return_statements(
    body: ReasonIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BulkResult:
    """Sends the statements back to their intervenants with one reason (they read it)."""
    move = actions.return_move(body.reason)
    return _bulk(
        actions.bulk_move(
            session, settings, user, body.statements, move, office=service.scope(user)
        )
    )


@router.post("/statements/cancel")
def cancel_statements(
    body: ReasonIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BulkResult:
    move = actions.cancel_move(body.reason)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            user,
            body.statements,
            move,
            office=service.scope(user),
            after_chunk=actions.refresh_people_after(session, settings),
        )
    )


@router.post("/statements/uncancel")
def uncancel_statements(
    body: UncancelIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BulkResult:
    """Restores cancelled statements to the status they had before."""
    move = actions.uncancel_move(body.reason)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            user,
            body.statements,
            move,
            office=service.scope(user),
            after_chunk=actions.refresh_people_after(session, settings),
        )
    )


@router.post("/statements/indemnity")
def enter_indemnities(
    body: BulkIndemnityIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BulkResult:
    """The same indemnity for many statements of mission types the DEC pays itself."""
    return _bulk(
        actions.enter_indemnities(
            session, settings, user, body.statements, body.amount, body.comment
        )
    )


# --- one statement -------------------------------------------------------------------------


@router.get("/statements/{statement_id}", response_model_by_alias=True)
def read_statement(
    statement_id: int,
    response: Response,
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
) -> DecStatementOut:
    statement = actions.scoped_statement(session, user, statement_id)
    return _tagged(response, detail(session, settings, user, statement))


@router.put("/statements/{statement_id}/entry", response_model_by_alias=True)
def correct_statement(
    statement_id: int,
    body: CorrectionIn,
    response: Response,
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> DecStatementOut:
    """Corrects the counts (comment required); the intervenant sees the correction."""
    statement = actions.correct(
        session, settings, user, statement_id, body.entry, body.comment, if_match
    )
    return _tagged(response, detail(session, settings, user, statement))


@router.put("/statements/{statement_id}/indemnity", response_model_by_alias=True)
def enter_indemnity(
    statement_id: int,
    body: IndemnityIn,
    response: Response,
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> DecStatementOut:
    """Enters the indemnity of a surveillance, subject writing or deliberation."""
    statement = actions.scoped_statement(session, user, statement_id)
    actions.check_version(statement, if_match)
    actions.enter_indemnity(session, settings, user, statement, body.amount, body.comment)
    session.flush()
    return _tagged(response, detail(session, settings, user, statement))


@router.put("/statements/{statement_id}/documents", response_model_by_alias=True)
def tick_documents(
    statement_id: int,
    body: DocumentsIn,
    response: Response,
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
) -> DecStatementOut:
    """The supporting documents received (the whole list of ticks)."""
    statement = actions.tick_documents(session, settings, user, statement_id, body.received)
    return _tagged(response, detail(session, settings, user, statement))


# --- missions and sessions -------------------------------------------------------------------


@router.post("/missions/service-done")
def record_service_done(
    body: ServiceDoneIn, user: ServiceRecorder, session: DbSession, settings: AppSettings
) -> ServiceDoneOut:
    """Constat de service fait, per mission; a chef de centre for the missions of their centre."""
    return actions.record_service_done(session, settings, user, body.mission_ids)


@router.get("/dashboard")
def session_dashboard(session_id: int, user: Gestionnaire, session: DbSession) -> Dashboard:
    """Counts by status, amounts by exam and mission type, validation progress by day."""
    return dashboard(session, user, session_id)


@router.post("/convocations/issue", status_code=status.HTTP_201_CREATED)
def issue_convocations(
    body: ref.IssueIn, actor: Gestionnaire, session: DbSession
) -> list[ref.Issued]:
    mission: Mission = reference.require(session, Mission, body.mission_id, "mission_id")
    users = auth_repository.users_by_ids(session, body.user_ids)
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
