"""Endpoints of the assignment: declarations, their validation, needs, solving, issuing.

Who reaches what is declared in each signature (see `auth.access`): a person their own
declarations, assignments and letters; a gestionnaire the sessions of their offices with their
needs, assignments and letters, and the people those offices work with; a chef de centre the
competences of the people of their school. No `from __future__ import annotations`: FastAPI
reads the access declarations as objects.
"""

from typing import Annotated, Any

from fastapi import Depends, Query, Response, status

from server_stub.assignment import convening, service
from server_stub.assignment.models import (
    Assignment,
    Competence,
    CompetenceStatus,
    ConvocationLetter,
    Need,
    Unavailability,
)
from server_stub.assignment.planning import edits, ranking, review, solving
from server_stub.assignment.repository import (
    ASSIGNMENT,
    COMPETENCE,
    INTERVENANT,
    LETTER,
    NEED,
    PERSON,
    UNAVAILABILITY,
    competence_place,
)
from server_stub.assignment.schemas import (
    AssignmentOut,
    BulkOut,
    CandidateOut,
    CentreSchoolsIn,
    CentreSchoolsOut,
    CompetenceIn,
    CompetenceOut,
    DeclarationsOut,
    ExterneIn,
    IssueIn,
    IssueOut,
    LetterOut,
    LockIn,
    ManualIn,
    MyAssignmentOut,
    NeedIn,
    NeedOut,
    NeedPatch,
    PaperChoice,
    PersonLoadOut,
    PersonOut,
    ReassignIn,
    RefusalIn,
    ReplaceIn,
    ReplacementOut,
    SessionResultOut,
    SolveDefaultsOut,
    SolveIn,
    SolveOut,
    UnavailabilityIn,
    UnavailabilityOut,
    ValidateManyIn,
    WithdrawalOut,
    WithdrawIn,
)
from server_stub.assignment.solver import school_key
from server_stub.auth.access import (
    ANYONE,
    OWNER_OR_STAFF,
    STAFF,
    Anyone,
    Place,
    Policy,
    Scope,
    Staff,
    office,
)
from server_stub.auth.models import Role, User
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import CONFLICT
from server_stub.core.routing import api_router
from server_stub.core.wire import Digits, QueryFlag, QueryId, QueryText
from server_stub.reference.models import Centre, ExamSession
from server_stub.reference.repository import CENTRE, PAPER, SESSION

router = api_router(prefix="/assignment", tags=["assignment"])

_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "La convocation en PDF."}
}


def _same_school(scope: Scope, place: Place) -> bool:
    """A chef de centre knows the people of their school (their own, or one of their centres')."""
    return not {school_key(s) for s in scope.schools}.isdisjoint(place.schools)


VALIDATORS = Policy(
    "validators",
    (Role.GESTIONNAIRE, Role.ADMIN, Role.CHEF_CENTRE),
    (office, _same_school),
    "La validation des compétences est réservée aux gestionnaires de la DEC et aux chefs de "
    "centre.",
)
"""Who decides on competences: the DEC for its offices' papers, a chef de centre for the people
of their school."""

Validator = Annotated[Scope, Depends(VALIDATORS)]
Session_ = Annotated[ExamSession, STAFF.reach(SESSION)]
NeedReached = Annotated[Need, STAFF.reach(NEED)]
AssignmentReached = Annotated[Assignment, STAFF.reach(ASSIGNMENT)]
Limit = Annotated[int, Query(ge=1, le=200), Digits]


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- the intervenant --------------------------------------------------------------------------


@router.get("/papers")
def papers(
    _: Anyone,
    session: DbSession,
    session_id: QueryId | None = None,
    q: Annotated[QueryText | None, Query(max_length=100)] = None,
) -> list[PaperChoice]:
    """Papers one may declare a competence for (those of every office: anyone may work for
    any)."""
    return service.paper_choices(session, session_id, q)


@router.get("/me/competences")
def my_competences(me: Anyone, session: DbSession) -> list[CompetenceOut]:
    return service.my_competences(session, me.user)


@router.post("/me/competences", status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def declare_competence(body: CompetenceIn, me: Anyone, session: DbSession) -> CompetenceOut:
    """Declares a paper one can examine; the DEC or one's chef de centre validates it."""
    return service.declare_competence(session, me.user, body)


@router.delete("/me/competences/{competence_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_competence(
    competence: Annotated[Competence, ANYONE.reach(COMPETENCE)], session: DbSession
) -> None:
    """Withdraws one of one's own declared competences."""
    service.withdraw_competence(session, competence)


@router.get("/me/unavailabilities")
def my_unavailabilities(me: Anyone, session: DbSession) -> list[UnavailabilityOut]:
    return service.my_unavailabilities(session, me.user)


@router.post("/me/unavailabilities", status_code=status.HTTP_201_CREATED)
def declare_unavailability(
    body: UnavailabilityIn, me: Anyone, session: DbSession
) -> UnavailabilityOut:
    return service.declare_unavailability(session, me.user, body)


@router.delete("/me/unavailabilities/{unavailability_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_unavailability(
    row: Annotated[Unavailability, ANYONE.reach(UNAVAILABILITY)], session: DbSession
) -> None:
    """Removes one of one's own periods of unavailability."""
    service.remove_unavailability(session, row)


@router.get("/me/assignments")
def my_assignments(me: Anyone, session: DbSession) -> list[MyAssignmentOut]:
    """The caller's convocations made through the assignment, with their withdrawals."""
    return convening.my_assignments(session, me.user)


@router.post("/me/assignments/{assignment_id}/withdraw", responses=CONFLICT)
def withdraw(
    assignment: Annotated[Assignment, ANYONE.reach(ASSIGNMENT)],
    me: Anyone,
    body: WithdrawIn,
    session: DbSession,
    settings: AppSettings,
) -> MyAssignmentOut:
    """Declares, before the day, that one cannot come: the DEC is offered replacements."""
    return convening.withdraw(session, settings, me.user, assignment.id, body)


@router.get("/me/letters")
def my_letters(me: Anyone, session: DbSession) -> list[LetterOut]:
    return convening.letters(session, None, me.user.id)


@router.get("/letters/{letter_id}/pdf", response_class=Response, responses=_PDF)
def letter_pdf(
    letter: Annotated[ConvocationLetter, OWNER_OR_STAFF.reach(LETTER)], session: DbSession
) -> Response:
    """A convocation letter: one's own, or one of their offices' sessions for the DEC."""
    return _pdf(*convening.letter_pdf(session, letter))


# --- validation of competences ----------------------------------------------------------------


@router.get("/competences")
def competence_queue(
    scope: Validator,
    session: DbSession,
    status: CompetenceStatus | None = CompetenceStatus.PENDING,
    session_id: QueryId | None = None,
    paper_id: QueryId | None = None,
) -> list[CompetenceOut]:
    """Declared competences to decide: those of the caller's offices' papers, or for a chef de
    centre those of the people of their school."""
    by_office_only = scope.user.role == Role.GESTIONNAIRE
    return service.competence_queue(
        session,
        scope.offices if by_office_only else None,
        lambda c: VALIDATORS.holds(scope, competence_place(c)),
        status,
        session_id,
        paper_id,
    )


@router.post("/competences/{competence_id}/validate")
def validate_competence(
    competence: Annotated[Competence, VALIDATORS.reach(COMPETENCE)],
    scope: Validator,
    session: DbSession,
) -> CompetenceOut:
    return service.validate(session, scope.user, competence)


@router.post("/competences/{competence_id}/refuse", responses=CONFLICT)
def refuse_competence(
    competence: Annotated[Competence, VALIDATORS.reach(COMPETENCE)],
    scope: Validator,
    body: RefusalIn,
    session: DbSession,
) -> CompetenceOut:
    return service.refuse(session, scope.user, competence, body.reason)


@router.post("/competences/validate")
def validate_competences(body: ValidateManyIn, scope: Validator, session: DbSession) -> BulkOut:
    """Validates many at once; answers what succeeded and what failed, and why (one out of the
    caller's reach as absent)."""
    return service.validate_many(
        session,
        scope.user,
        body.ids,
        lambda competence_id: VALIDATORS.find(session, scope, COMPETENCE, competence_id),
    )


# --- people, for the DEC ----------------------------------------------------------------------


@router.post("/externes", status_code=status.HTTP_201_CREATED)
def register_externe(body: ExterneIn, _: Staff, session: DbSession) -> PersonOut:
    """Registers a person from outside the académie; the temporary password comes with their
    first convocation."""
    return service.register_externe(session, body)


@router.get("/people/{user_id}/declarations")
def declarations(
    person: Annotated[User, STAFF.reach(PERSON, "user_id")], scope: Staff, session: DbSession
) -> DeclarationsOut:
    """A person the caller's offices work with: their residences, their unavailability and their
    competences for the papers of those offices."""
    return service.declarations(session, person, lambda c: STAFF.holds(scope, competence_place(c)))


@router.post(
    "/people/{user_id}/competences", status_code=status.HTTP_201_CREATED, responses=CONFLICT
)
def declare_for(
    person: Annotated[User, STAFF.reach(INTERVENANT, "user_id")],
    body: Annotated[CompetenceIn, STAFF.refer(CompetenceIn, paper_id=PAPER)],
    scope: Staff,
    session: DbSession,
) -> CompetenceOut:
    """A competence for a paper of the caller's offices, entered by the DEC, validated at once."""
    return service.declare_competence(session, person, body, by=scope.user)


@router.delete("/competences/{competence_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_competence(
    competence: Annotated[Competence, STAFF.reach(COMPETENCE)], session: DbSession
) -> None:
    service.withdraw_competence(session, competence)


@router.post("/people/{user_id}/unavailabilities", status_code=status.HTTP_201_CREATED)
def declare_unavailability_for(
    person: Annotated[User, STAFF.reach(PERSON, "user_id")],
    body: UnavailabilityIn,
    session: DbSession,
) -> UnavailabilityOut:
    return service.declare_unavailability(session, person, body)


@router.delete("/unavailabilities/{unavailability_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_unavailability(
    row: Annotated[Unavailability, STAFF.reach(UNAVAILABILITY)], session: DbSession
) -> None:
    service.remove_unavailability(session, row)


@router.get("/centres/{centre_id}/schools")
def centre_schools(
    centre: Annotated[Centre, STAFF.reach(CENTRE)], session: DbSession
) -> CentreSchoolsOut:
    """The schools whose candidates sit at the centre (its own name always counts)."""
    return service.centre_schools(session, centre.id)


@router.put("/centres/{centre_id}/schools")
def set_centre_schools(
    centre: Annotated[Centre, STAFF.reach(CENTRE)], body: CentreSchoolsIn, session: DbSession
) -> CentreSchoolsOut:
    return service.set_centre_schools(session, centre.id, body)


# --- needs ------------------------------------------------------------------------------------


@router.get("/sessions/{session_id}/needs")
def needs(exam_session: Session_, session: DbSession) -> list[NeedOut]:
    return service.needs(session, exam_session.id)


@router.post("/sessions/{session_id}/needs", status_code=status.HTTP_201_CREATED)
def create_need(
    exam_session: Session_,
    body: Annotated[NeedIn, STAFF.refer(NeedIn, paper_id=PAPER, centre_id=CENTRE)],
    session: DbSession,
) -> NeedOut:
    """Copies to correct in lots, oral commissions, or a meeting, at a centre on a half-day."""
    return service.create_need(session, exam_session.id, body)


@router.get("/needs/{need_id}")
def read_need(need: NeedReached, session: DbSession) -> NeedOut:
    return service.need_out(service.need(session, need.id))


@router.patch("/needs/{need_id}", responses=CONFLICT)
def update_need(need: NeedReached, body: NeedPatch, session: DbSession) -> NeedOut:
    """Changes a need not yet convened; its unlocked proposals are dropped."""
    return service.update_need(session, need.id, body)


@router.delete("/needs/{need_id}", status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT)
def delete_need(need: NeedReached, session: DbSession) -> None:
    service.delete_need(session, need.id)


@router.get("/needs/{need_id}/candidates")
def need_candidates(need: NeedReached, session: DbSession, limit: Limit = 20) -> list[CandidateOut]:
    """Who could still take a seat of the need, cheapest first."""
    return ranking.need_candidates(session, need.id, limit)


@router.post(
    "/needs/{need_id}/assignments", status_code=status.HTTP_201_CREATED, responses=CONFLICT
)
def fill_seat(
    need: NeedReached,
    body: Annotated[ManualIn, STAFF.refer(ManualIn, user_id=INTERVENANT)],
    session: DbSession,
) -> AssignmentOut:
    """Puts someone on a seat by hand; the assignment is locked."""
    return edits.fill(session, need.id, body)


# --- solving, reviewing, editing --------------------------------------------------------------


@router.post("/sessions/{session_id}/solve")
def solve(exam_session: Session_, body: SolveIn, scope: Staff, session: DbSession) -> SolveOut:
    """Computes the assignment of least expected cost, then most even load, around the locked
    and issued assignments; `dry_run` answers without replacing the current proposal."""
    return solving.solve_session(session, scope.user, exam_session.id, body)


@router.get("/sessions/{session_id}/solve-defaults")
def solve_defaults(exam_session: Session_, session: DbSession) -> SolveDefaultsOut:
    """The limits a solve takes when its body names none: the last run's, else the
    académie's; the screen starts from them instead of figures of its own."""
    return review.solve_defaults(session, exam_session.id)


@router.get("/sessions/{session_id}/result")
def result(
    exam_session: Session_,
    session: DbSession,
    paper_id: QueryId | None = None,
    centre_id: QueryId | None = None,
    short_only: QueryFlag = False,
) -> SessionResultOut:
    """Each need with its lots or commissions, who is on them and why, and what is missing;
    narrowed to a paper, a centre or the needs with empty seats if asked."""
    return review.result(
        session, exam_session.id, paper_id=paper_id, centre_id=centre_id, short_only=short_only
    )


@router.get("/sessions/{session_id}/loads")
def loads(exam_session: Session_, session: DbSession) -> list[PersonLoadOut]:
    return review.loads(session, exam_session.id)


@router.patch("/assignments/{assignment_id}", responses=CONFLICT)
def lock(assignment: AssignmentReached, body: LockIn, session: DbSession) -> AssignmentOut:
    return edits.set_locked(session, assignment.id, body)


@router.post("/assignments/{assignment_id}/reassign", responses=CONFLICT)
def reassign(
    assignment: AssignmentReached,
    body: Annotated[ReassignIn, STAFF.refer(ReassignIn, user_id=INTERVENANT)],
    session: DbSession,
) -> AssignmentOut:
    """Gives a proposed seat to someone else, by hand (locked)."""
    return edits.reassign(session, assignment.id, body)


@router.delete(
    "/assignments/{assignment_id}", status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT
)
def remove(assignment: AssignmentReached, session: DbSession) -> None:
    edits.remove(session, assignment.id)


# --- issuing, replacements --------------------------------------------------------------------


@router.post("/sessions/{session_id}/issue")
def issue(
    exam_session: Session_, body: IssueIn, scope: Staff, session: DbSession, settings: AppSettings
) -> IssueOut:
    """Convenes the proposed people (all, or those of `need_ids`): missions, convocations,
    expense statements and one letter per person."""
    return convening.issue_session(session, settings, scope.user, exam_session.id, body)


@router.get("/sessions/{session_id}/letters")
def session_letters(exam_session: Session_, session: DbSession) -> list[LetterOut]:
    return convening.letters(session, exam_session.id, None)


@router.get("/sessions/{session_id}/withdrawals")
def withdrawals(
    exam_session: Session_, session: DbSession, settings: AppSettings
) -> list[WithdrawalOut]:
    """Convened people who said in advance they cannot come."""
    return convening.withdrawals(session, settings, exam_session.id)


@router.get("/assignments/{assignment_id}/replacements", responses=CONFLICT)
def replacements(
    assignment: AssignmentReached, session: DbSession, limit: Limit = 10
) -> list[CandidateOut]:
    """Ranked replacements: competent, available, cheapest first, then least loaded."""
    return convening.replacements(session, assignment.id, limit)


@router.post("/assignments/{assignment_id}/replace", responses=CONFLICT)
def replace(
    assignment: AssignmentReached,
    body: Annotated[ReplaceIn, STAFF.refer(ReplaceIn, user_id=INTERVENANT)],
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> ReplacementOut:
    """Convenes a replacement (the best-ranked by default) and cancels the old statement."""
    return convening.replace(session, settings, scope.user, assignment.id, body)
