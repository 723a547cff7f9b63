"""The DEC's endpoints: the statement queue and its actions, issuing convocations, the constat
de service fait and the dashboard. Reference data (sessions, exams, papers, centres, missions)
is in `reference.router`.

A gestionnaire reaches the statements of their offices' sessions, a chef de centre the missions
of their centres (service done); see `auth.access`. No `from __future__ import annotations`:
FastAPI reads the access declarations of the signatures as objects.
"""

import re
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Response, status

from server_stub.auth import repository as auth_repository
from server_stub.auth.access import RECORDERS, STAFF, Place, Recorder, Staff
from server_stub.core import clock
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import CONFLICT, InvalidInput, PreconditionRequired, answers
from server_stub.core.routing import api_router
from server_stub.core.wire import Digits, QueryDay, QueryFlag, QueryId, QueryText
from server_stub.dec import actions, centre, service
from server_stub.dec.dashboard import dashboard
from server_stub.dec.detail import detail
from server_stub.dec.repository import QueueFilter, QueueSort
from server_stub.dec.schemas import (
    AnomalyKind,
    ApproveIn,
    BulkIndemnityIn,
    BulkResult,
    CentreMissionOut,
    CorrectionIn,
    Dashboard,
    DecStatementOut,
    DocumentsIn,
    IndemnityIn,
    ItemResult,
    OfficeSettingsIn,
    OfficeSettingsOut,
    QueuePage,
    ReasonIn,
    ReferenceLists,
    ReturnIn,
    ReturnReason,
    ServiceCorrectionIn,
    ServiceDoneIn,
    ServiceDoneOut,
    StatusKindOut,
    UncancelIn,
)
from server_stub.reference import repository as ref_repository
from server_stub.reference import schemas as ref
from server_stub.reference.models import ExamSession, Mission
from server_stub.reference.repository import MISSION, SESSION
from server_stub.referential import values as referential
from server_stub.rules.anomalies import ANOMALY_LABELS, AnomalyCode
from server_stub.rules.model import MissionType
from server_stub.statements import anomalies, vocabulary
from server_stub.statements.issuing import issue
from server_stub.statements.models import Statement, Status
from server_stub.statements.repository import DEC_STATEMENT

router = api_router(prefix="/dec", tags=["dec"])
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=100)]
_KEY = re.compile(r"[A-Za-z0-9._:-]{8,100}")
_KEY_MISSING = (
    "Une action groupée porte une clé d'idempotence (en-tête Idempotency-Key) : renvoyée "
    "avec la même clé, elle reprend là où elle s'était arrêtée."
)
_KEY_INVALID = "La clé d'idempotence compte de 8 à 100 lettres, chiffres, points ou tirets."


async def _idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Une clé nouvelle par action groupée (un UUID) ; la même pour la "
            "réessayer : ce qui est déjà fait n'est pas refait, et la réponse est complète.",
        ),
    ] = None,
) -> str:
    if key is None:
        raise PreconditionRequired(_KEY_MISSING)
    if not _KEY.fullmatch(key):
        raise InvalidInput(_KEY_INVALID, fields={"Idempotency-Key": _KEY_INVALID})
    return key


IdempotencyKey = Annotated[str, Depends(_idempotency_key)]
_RESUMABLE: dict[int | str, dict[str, Any]] = {
    409: {"description": "La clé d'idempotence a déjà servi pour une autre action."},
    428: {"description": "L'en-tête Idempotency-Key manque."},
}

Reached = Annotated[Statement, STAFF.reach(DEC_STATEMENT)]


def _tagged(response: Response, out: DecStatementOut) -> DecStatementOut:
    response.headers["ETag"] = f'"{out.statement.version}"'
    return out


def _bulk(results: list[ItemResult]) -> BulkResult:
    done, failed = actions.summary(results)
    return BulkResult(done=done, failed=failed, results=results)


# --- the queue -----------------------------------------------------------------------------


@router.get("/statements")
def statement_queue(
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    session_id: QueryId | None = None,
    exam_id: QueryId | None = None,
    paper_id: QueryId | None = None,
    centre_id: QueryId | None = None,
    mission_type: MissionType | None = None,
    status: Status | None = None,
    done: Annotated[
        QueryFlag | None,
        Query(description="true : mission passée ; false : mission pas encore achevée."),
    ] = None,
    q: Annotated[QueryText | None, Query(max_length=100)] = None,
    anomaly: Annotated[
        AnomalyCode | None, Query(description="Seulement les états de frais ayant cette anomalie.")
    ] = None,
    clean: Annotated[
        QueryFlag | None,
        Query(description="true : sans anomalie ; false : avec au moins une anomalie."),
    ] = None,
    payment_batch_id: Annotated[
        QueryId | None, Query(description="Seulement les états de frais de ce lot de paiement.")
    ] = None,
    sort: QueueSort = QueueSort.ID,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    cursor: Annotated[QueryText | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=500), Digits] = 100,
) -> QueuePage:
    """One page of the queue; pass `next_cursor` back as `cursor`, with the same sort and order."""
    where = QueueFilter(
        session_id=session_id,
        exam_id=exam_id,
        paper_id=paper_id,
        centre_id=centre_id,
        mission_type=mission_type,
        status=status,
        done=done,
        search=q,
        anomaly=anomaly,
        clean=clean,
        payment_batch_id=payment_batch_id,
    )
    return service.queue(
        session,
        settings,
        scope.offices,
        where,
        cursor,
        limit,
        sort=sort,
        descending=order == "desc",
    )


@router.get("/anomaly-kinds")
def anomaly_kinds(_: Staff) -> list[AnomalyKind]:
    """The anomalies the server checks, for the queue's filter."""
    return [AnomalyKind(code=code, label=label) for code, label in ANOMALY_LABELS.items()]


@router.get("/status-kinds")
def status_kinds(_: Staff) -> list[StatusKindOut]:
    """Every status label the queue can show, once each, for the queue's filter."""
    return [
        StatusKindOut(status=k.status, done=k.done, label=k.label)
        for k in vocabulary.dec_status_kinds()
    ]


@router.get("/return-reasons")
def return_reasons(_: Staff, session: DbSession) -> list[ReturnReason]:
    """Common reasons for returning a statement: the académie's, as its administrator keeps
    them (the active ones)."""
    return [ReturnReason(code=r.code, label=r.label) for r in referential.return_reasons(session)]


@router.get("/reference-lists")
def reference_lists(scope: Staff, session: DbSession) -> ReferenceLists:
    """The sessions of the caller's offices, the centres, the anomaly kinds and the return
    reasons at once: the workstation asks for them in one round trip when it opens."""
    return ReferenceLists(
        sessions=[
            ref.SessionOut.model_validate(r)
            for r in ref_repository.sessions(session, scope.offices)
        ],
        centres=[ref.CentreOut.model_validate(r) for r in ref_repository.centres(session)],
        anomaly_kinds=anomaly_kinds(scope),
        status_kinds=status_kinds(scope),
        return_reasons=return_reasons(scope, session),
    )


@router.post("/anomalies/refresh")
def refresh_anomalies(
    scope: Staff, session: DbSession, settings: AppSettings, session_id: QueryId | None = None
) -> dict[str, int]:
    """Computes the anomalies of every statement of the caller's offices (or of one of their
    sessions) again."""
    count = anomalies.refresh_all(
        session, clock.today(settings), offices=scope.offices, session_id=session_id
    )
    return {"updated": count}


# --- bulk actions --------------------------------------------------------------------------


@router.post("/statements/approve", responses=_RESUMABLE)
def approve_statements(
    body: ApproveIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    key: IdempotencyKey,
) -> BulkResult:
    """Validates the statements (À valider → Validé), 500 per transaction; each is answered."""
    move = actions.approve_move(clean_only=body.only_clean)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            scope.user,
            body.statements,
            move,
            offices=scope.offices,
            resumable=actions.Resumable.open(session, scope.user, key, "approve", body),
        )
    )


@router.post("/statements/return", responses=_RESUMABLE)
def return_statements(
    body: ReturnIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    key: IdempotencyKey,
) -> BulkResult:
    """Sends the statements back to their intervenants with one reason (they read it), and
    the code of the académie's reason it was chosen from, if any."""
    if body.reason_code is not None:
        offered = {r.code for r in referential.return_reasons(session)}
        if body.reason_code not in offered:
            message = (
                "Ce motif de retour n'existe pas ou n'est plus proposé : choisissez-en un autre."
            )
            raise InvalidInput(message, fields={"reason_code": message})
    move = actions.return_move(body.reason, body.reason_code)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            scope.user,
            body.statements,
            move,
            offices=scope.offices,
            resumable=actions.Resumable.open(session, scope.user, key, "return", body),
        )
    )


@router.post("/statements/cancel", responses=_RESUMABLE)
def cancel_statements(
    body: ReasonIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    key: IdempotencyKey,
) -> BulkResult:
    move = actions.cancel_move(body.reason)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            scope.user,
            body.statements,
            move,
            offices=scope.offices,
            after_chunk=actions.refresh_people_after(session, settings),
            resumable=actions.Resumable.open(session, scope.user, key, "cancel", body),
        )
    )


@router.post("/statements/uncancel", responses=_RESUMABLE)
def uncancel_statements(
    body: UncancelIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    key: IdempotencyKey,
) -> BulkResult:
    """Restores cancelled statements to the status they had before."""
    move = actions.uncancel_move(body.reason)
    return _bulk(
        actions.bulk_move(
            session,
            settings,
            scope.user,
            body.statements,
            move,
            offices=scope.offices,
            after_chunk=actions.refresh_people_after(session, settings),
            resumable=actions.Resumable.open(session, scope.user, key, "uncancel", body),
        )
    )


@router.post("/statements/indemnity", responses=_RESUMABLE)
def enter_indemnities(
    body: BulkIndemnityIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
    key: IdempotencyKey,
) -> BulkResult:
    """The same indemnity for many statements of mission types the DEC pays itself."""
    return _bulk(
        actions.enter_indemnities(
            session,
            settings,
            scope.user,
            body.statements,
            body.amount,
            body.comment,
            offices=scope.offices,
            resumable=actions.Resumable.open(session, scope.user, key, "indemnity", body),
        )
    )


# --- one statement -------------------------------------------------------------------------


@router.get("/statements/{statement_id}", response_model_by_alias=True)
def read_statement(
    statement: Reached,
    scope: Staff,
    response: Response,
    session: DbSession,
    settings: AppSettings,
) -> DecStatementOut:
    return _tagged(response, detail(session, settings, scope.user, statement))


@router.put("/statements/{statement_id}/entry", response_model_by_alias=True)
def correct_statement(
    statement: Reached,
    scope: Staff,
    body: CorrectionIn,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> DecStatementOut:
    """Corrects the counts (comment required); the intervenant sees the correction."""
    actions.correct(session, settings, scope.user, statement, body.entry, body.comment, if_match)
    return _tagged(response, detail(session, settings, scope.user, statement))


@router.put("/statements/{statement_id}/indemnity", response_model_by_alias=True)
def enter_indemnity(
    statement: Reached,
    scope: Staff,
    body: IndemnityIn,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> DecStatementOut:
    """Enters the indemnity of a surveillance, subject writing or deliberation."""
    actions.check_version(statement, if_match)
    actions.enter_indemnity(session, settings, scope.user, statement, body.amount, body.comment)
    session.flush()
    return _tagged(response, detail(session, settings, scope.user, statement))


@router.put("/statements/{statement_id}/documents", response_model_by_alias=True)
def tick_documents(
    statement: Reached,
    scope: Staff,
    body: DocumentsIn,
    response: Response,
    session: DbSession,
    settings: AppSettings,
) -> DecStatementOut:
    """The supporting documents received (the whole list of ticks)."""
    actions.tick_documents(session, scope.user, statement, body.received)
    return _tagged(response, detail(session, settings, scope.user, statement))


# --- missions and sessions -------------------------------------------------------------------


@router.post("/missions/service-done", responses=CONFLICT)
def record_service_done(
    body: ServiceDoneIn, scope: Recorder, session: DbSession, settings: AppSettings
) -> ServiceDoneOut:
    """Constat de service fait, per mission; a chef de centre for the missions of their centres.
    A mission out of the caller's reach is answered as introuvable."""

    def may_record(row: Any) -> bool:
        place = Place(offices=frozenset((row["office"],)), centres=frozenset((row["centre_id"],)))
        return RECORDERS.holds(scope, place)

    return actions.record_service_done(
        session, settings, scope.user, body.mission_ids, may_record, body.date, body.remark
    )


@router.put(
    "/missions/{mission_id}/service-done",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=CONFLICT,
)
def correct_service_done(
    mission: Annotated[Mission, RECORDERS.reach(MISSION)],
    body: ServiceCorrectionIn,
    scope: Recorder,
    session: DbSession,
    settings: AppSettings,
) -> None:
    """Records the constat de service fait of one mission with its date and remark, or
    corrects the one recorded."""
    actions.correct_service_done(session, settings, scope.user, mission, body.date, body.remark)


@router.get("/centre-missions")
def centre_missions(
    scope: Recorder,
    session: DbSession,
    settings: AppSettings,
    session_id: QueryId | None = None,
    day: QueryDay | None = None,
) -> list[CentreMissionOut]:
    """The missions of the caller's centres (a chef de centre) or offices (the DEC), by day:
    who was convened, who withdrew or declared the mission not performed, the service done."""
    return centre.missions(session, settings, scope, session_id, day)


OfficeName = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/offices/{office}/settings", responses=answers(404))
def read_office_settings(office: OfficeName, scope: Staff, session: DbSession) -> OfficeSettingsOut:
    """How the office works: whether the service must be recorded before approval."""
    return centre.office_settings(session, scope, office)


@router.put("/offices/{office}/settings", responses=answers(404))
def change_office_settings(
    office: OfficeName, body: OfficeSettingsIn, scope: Staff, session: DbSession
) -> OfficeSettingsOut:
    """Changes the office's rule (audited)."""
    return centre.change_office_settings(session, scope, office, body)


@router.get("/dashboard")
def session_dashboard(
    exam_session: Annotated[ExamSession, STAFF.reach(SESSION, where=Query)],
    session: DbSession,
    settings: AppSettings,
) -> Dashboard:
    """Counts by status, amounts by exam and mission type, validation progress by day."""
    return dashboard(session, exam_session, clock.today(settings))


@router.post("/convocations/issue", status_code=status.HTTP_201_CREATED)
def issue_convocations(
    body: Annotated[ref.IssueIn, STAFF.refer(ref.IssueIn, mission_id=MISSION)],
    scope: Staff,
    session: DbSession,
) -> list[ref.Issued]:
    """Convenes people to a mission of the caller's offices: a convocation and its expense
    statement each (an existing one is kept)."""
    mission = session.get(Mission, body.mission_id)
    assert mission is not None  # within reach: just read
    users = auth_repository.users_by_ids(session, body.user_ids)
    missing = set(body.user_ids) - {u.id for u in users}
    if missing:
        message = f"Personne inconnue : {', '.join(str(i) for i in sorted(missing))}."
        raise InvalidInput(message, fields={"user_ids": message})
    issued = issue(session, mission, users, scope.user, clock.now())
    return [
        ref.Issued(user_id=c.user_id, convocation_id=c.id, statement_id=s.id, created=created)
        for c, s, created in issued
    ]
