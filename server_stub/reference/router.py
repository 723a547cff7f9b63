"""Reference data: the rates in force, the communes, and what the DEC maintains (sessions, exams,
papers, centres, missions).

A gestionnaire reaches the sessions of their offices and everything under them; the académie's
exam centres are shared by every office. An administrator reaches everything.

No `from __future__ import annotations`: FastAPI reads the access declarations of the
signatures (`STAFF.reach(SESSION)`) as objects.
"""

from typing import Annotated, Any

from fastapi import Query, status

from server_stub.auth.access import STAFF, Anyone, Recorder, Staff
from server_stub.auth.models import Role
from server_stub.core import clock
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import CONFLICT
from server_stub.core.routing import api_router
from server_stub.core.wire import Digits, QueryDay, QueryId, QueryText
from server_stub.reference import repository, service
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.reference.repository import CENTRE, EXAM, MISSION, PAPER, SESSION
from server_stub.reference.schemas import (
    CentreIn,
    CentreOut,
    CentrePatch,
    CommuneRef,
    ExamIn,
    ExamOut,
    ExamPatch,
    MissionIn,
    MissionPatch,
    MissionRefOut,
    PaperIn,
    PaperOut,
    PaperPatch,
    SessionIn,
    SessionOut,
    SessionPatch,
)
from server_stub.rules.tariffs import tariff_snapshot

router = api_router(tags=["reference"])
CREATED = status.HTTP_201_CREATED


@router.get("/tariffs")
def tariffs(_: Anyone, settings: AppSettings, date: QueryDay | None = None) -> dict[str, Any]:
    """The rates in force on a date (today by default), each with its version and legal source."""
    return tariff_snapshot(date or clock.today(settings))


@router.get("/communes")
def search_communes(
    _: Anyone,
    q: Annotated[QueryText, Query(min_length=1, max_length=80)],
    limit: Annotated[int, Query(ge=1, le=50), Digits] = 20,
) -> list[CommuneRef]:
    matches = communes().search(q, limit=limit)
    return [r for r in (service.commune_ref(m.commune.insee) for m in matches) if r is not None]


# --- sessions ---------------------------------------------------------------------------------


@router.get("/dec/sessions")
def list_sessions(scope: Staff, session: DbSession) -> list[SessionOut]:
    """The sessions of the caller's offices."""
    return [SessionOut.model_validate(r) for r in repository.sessions(session, scope.offices)]


@router.post("/dec/sessions", status_code=CREATED, responses=CONFLICT)
def create_session(scope: Staff, body: SessionIn, session: DbSession) -> SessionOut:
    """A session of one of the caller's offices (their only one when `office` is left out)."""
    return SessionOut.model_validate(service.create_session(session, scope, body))


@router.get("/dec/sessions/{session_id}")
def read_session(row: Annotated[ExamSession, STAFF.reach(SESSION)]) -> SessionOut:
    return SessionOut.model_validate(row)


@router.patch("/dec/sessions/{session_id}", responses=CONFLICT)
def update_session(
    row: Annotated[ExamSession, STAFF.reach(SESSION)], body: SessionPatch, session: DbSession
) -> SessionOut:
    return SessionOut.model_validate(service.update(session, row, body))


# --- exams ------------------------------------------------------------------------------------


@router.get("/dec/exams")
def list_exams(
    scope: Staff, session: DbSession, session_id: QueryId | None = None
) -> list[ExamOut]:
    rows = repository.exams(session, scope.offices, session_id)
    return [ExamOut.model_validate(r) for r in rows]


@router.post("/dec/exams", status_code=CREATED, responses=CONFLICT)
def create_exam(
    body: Annotated[ExamIn, STAFF.refer(ExamIn, session_id=SESSION)], session: DbSession
) -> ExamOut:
    return ExamOut.model_validate(service.create_exam(session, body))


@router.get("/dec/exams/{exam_id}")
def read_exam(row: Annotated[Exam, STAFF.reach(EXAM)]) -> ExamOut:
    return ExamOut.model_validate(row)


@router.patch("/dec/exams/{exam_id}", responses=CONFLICT)
def update_exam(
    row: Annotated[Exam, STAFF.reach(EXAM)], body: ExamPatch, session: DbSession
) -> ExamOut:
    return ExamOut.model_validate(service.update(session, row, body))


# --- papers -----------------------------------------------------------------------------------


@router.get("/dec/papers")
def list_papers(scope: Staff, session: DbSession, exam_id: QueryId | None = None) -> list[PaperOut]:
    rows = repository.papers(session, scope.offices, exam_id)
    return [PaperOut.model_validate(r) for r in rows]


@router.post("/dec/papers", status_code=CREATED, responses=CONFLICT)
def create_paper(
    body: Annotated[PaperIn, STAFF.refer(PaperIn, exam_id=EXAM)],
    session: DbSession,
    settings: AppSettings,
) -> PaperOut:
    """A paper; its pay group (taux), when left out, from the exam's diploma and the table in
    force."""
    return PaperOut.model_validate(service.create_paper(session, settings, body))


@router.get("/dec/papers/{paper_id}")
def read_paper(row: Annotated[Paper, STAFF.reach(PAPER)]) -> PaperOut:
    return PaperOut.model_validate(row)


@router.patch("/dec/papers/{paper_id}", responses=CONFLICT)
def update_paper(
    row: Annotated[Paper, STAFF.reach(PAPER)], body: PaperPatch, session: DbSession
) -> PaperOut:
    return PaperOut.model_validate(service.update(session, row, body))


# --- centres, shared by every office ------------------------------------------------------------


@router.get("/dec/centres")
def list_centres(_: Staff, session: DbSession) -> list[CentreOut]:
    return [CentreOut.model_validate(r) for r in repository.centres(session)]


@router.post("/dec/centres", status_code=CREATED, responses=CONFLICT)
def create_centre(_: Staff, body: CentreIn, session: DbSession) -> CentreOut:
    return CentreOut.model_validate(service.create_centre(session, body))


@router.get("/dec/centres/{centre_id}")
def read_centre(row: Annotated[Centre, STAFF.reach(CENTRE)]) -> CentreOut:
    return CentreOut.model_validate(row)


@router.patch("/dec/centres/{centre_id}", responses=CONFLICT)
def update_centre(
    row: Annotated[Centre, STAFF.reach(CENTRE)], body: CentrePatch, session: DbSession
) -> CentreOut:
    return CentreOut.model_validate(service.update(session, row, body))


# --- missions ---------------------------------------------------------------------------------


@router.get("/dec/missions")
def list_missions(
    scope: Recorder, session: DbSession, session_id: QueryId | None = None
) -> list[MissionRefOut]:
    """The missions of the caller's offices; a chef de centre's, of their centres."""
    if scope.user.role == Role.CHEF_CENTRE:
        rows = repository.missions(session, None, session_id, centres=scope.centres)
    else:
        rows = repository.missions(session, scope.offices, session_id)
    return [MissionRefOut.model_validate(r) for r in rows]


@router.post("/dec/missions", status_code=CREATED, responses=CONFLICT)
def create_mission(
    body: Annotated[
        MissionIn, STAFF.refer(MissionIn, session_id=SESSION, paper_id=PAPER, centre_id=CENTRE)
    ],
    session: DbSession,
) -> MissionRefOut:
    return MissionRefOut.model_validate(service.create_mission(session, body))


@router.get("/dec/missions/{mission_id}")
def read_mission(row: Annotated[Mission, STAFF.reach(MISSION)]) -> MissionRefOut:
    return MissionRefOut.model_validate(row)


@router.patch("/dec/missions/{mission_id}", responses=CONFLICT)
def update_mission(
    row: Annotated[Mission, STAFF.reach(MISSION)],
    body: Annotated[MissionPatch, STAFF.refer(MissionPatch, centre_id=CENTRE)],
    session: DbSession,
) -> MissionRefOut:
    return MissionRefOut.model_validate(service.update(session, row, body))
