"""Endpoints of the assignment: declarations, their validation, needs, solving, issuing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Response, status

from server_stub.assignment import convening, planning, service
from server_stub.assignment.models import CompetenceStatus
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
    SolveIn,
    SolveOut,
    UnavailabilityIn,
    UnavailabilityOut,
    ValidateManyIn,
    WithdrawalOut,
    WithdrawIn,
)
from server_stub.auth.deps import Caller, Gestionnaire, require
from server_stub.auth.models import Role, User
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router

router = api_router(prefix="/assignment", tags=["assignment"])

_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "La convocation en PDF."}
}
Limit = Annotated[int, Query(ge=1, le=200)]


Validator = Annotated[
    User,
    Depends(
        require(
            Role.GESTIONNAIRE,
            Role.ADMIN,
            Role.CHEF_CENTRE,
            refusal="La validation des compétences est réservée aux gestionnaires de la DEC et "
            "aux chefs de centre.",
        )
    ),
]


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- the intervenant --------------------------------------------------------------------------


@router.get("/papers")
def papers(
    _: Caller,
    session: DbSession,
    session_id: int | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> list[PaperChoice]:
    """Papers one may declare a competence for."""
    return service.paper_choices(session, session_id, q)


@router.get("/me/competences")
def my_competences(user: Caller, session: DbSession) -> list[CompetenceOut]:
    return service.my_competences(session, user)


@router.post("/me/competences", status_code=status.HTTP_201_CREATED)
def declare_competence(body: CompetenceIn, user: Caller, session: DbSession) -> CompetenceOut:
    """Declares a paper one can examine; the DEC or one's chef de centre validates it."""
    return service.declare_competence(session, user, body)


@router.delete("/me/competences/{competence_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_competence(competence_id: int, user: Caller, session: DbSession) -> None:
    service.withdraw_competence(session, user, competence_id)


@router.get("/me/unavailabilities")
def my_unavailabilities(user: Caller, session: DbSession) -> list[UnavailabilityOut]:
    return service.my_unavailabilities(session, user)


@router.post("/me/unavailabilities", status_code=status.HTTP_201_CREATED)
def declare_unavailability(
    body: UnavailabilityIn, user: Caller, session: DbSession
) -> UnavailabilityOut:
    return service.declare_unavailability(session, user, body)


@router.delete("/me/unavailabilities/{unavailability_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_unavailability(unavailability_id: int, user: Caller, session: DbSession) -> None:
    service.remove_unavailability(session, user, unavailability_id)


@router.get("/me/assignments")
def my_assignments(user: Caller, session: DbSession) -> list[MyAssignmentOut]:
    """The caller's convocations made through the assignment, with their withdrawals."""
    return convening.my_assignments(session, user)


@router.post("/me/assignments/{assignment_id}/withdraw")
def withdraw(
    assignment_id: int, body: WithdrawIn, user: Caller, session: DbSession, settings: AppSettings
) -> MyAssignmentOut:
    """Declares, before the day, that one cannot come: the DEC is offered replacements."""
    return convening.withdraw(session, settings, user, assignment_id, body)


@router.get("/me/letters")
def my_letters(user: Caller, session: DbSession) -> list[LetterOut]:
    return convening.letters(session, None, user.id)


@router.get("/letters/{letter_id}/pdf", response_class=Response, responses=_PDF)
def letter_pdf(letter_id: int, user: Caller, session: DbSession) -> Response:
    """A convocation letter: one's own, or any for the DEC."""
    return _pdf(*convening.letter_pdf(session, user, letter_id))


# --- validation of competences ----------------------------------------------------------------


@router.get("/competences")
def competence_queue(
    user: Validator,
    session: DbSession,
    status: CompetenceStatus | None = CompetenceStatus.PENDING,
    session_id: int | None = None,
    paper_id: int | None = None,
) -> list[CompetenceOut]:
    """Declared competences to decide (a chef de centre sees the people of their school)."""
    return service.competence_queue(session, user, status, session_id, paper_id)


@router.post("/competences/{competence_id}/validate")
def validate_competence(competence_id: int, user: Validator, session: DbSession) -> CompetenceOut:
    return service.validate(session, user, competence_id)


@router.post("/competences/{competence_id}/refuse")
def refuse_competence(
    competence_id: int, body: RefusalIn, user: Validator, session: DbSession
) -> CompetenceOut:
    return service.refuse(session, user, competence_id, body.reason)


@router.post("/competences/validate")
def validate_competences(body: ValidateManyIn, user: Validator, session: DbSession) -> BulkOut:
    """Validates many at once; answers what succeeded and what failed, and why."""
    return service.validate_many(session, user, body.ids)


# --- people, for the DEC ----------------------------------------------------------------------


@router.post("/externes", status_code=status.HTTP_201_CREATED)
def register_externe(body: ExterneIn, _: Gestionnaire, session: DbSession) -> PersonOut:
    """Registers a person from outside the académie; the temporary password comes with their
    first convocation."""
    return service.register_externe(session, body)


@router.get("/people/{user_id}/declarations")
def declarations(user_id: int, _: Gestionnaire, session: DbSession) -> DeclarationsOut:
    return service.declarations(session, user_id)


@router.post("/people/{user_id}/competences", status_code=status.HTTP_201_CREATED)
def declare_for(
    user_id: int, body: CompetenceIn, user: Gestionnaire, session: DbSession
) -> CompetenceOut:
    """A competence entered by the DEC, validated at once."""
    return service.declare_competence(session, service.intervenant(session, user_id), body, by=user)


@router.delete("/competences/{competence_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_competence(competence_id: int, user: Gestionnaire, session: DbSession) -> None:
    service.withdraw_competence(session, user, competence_id)


@router.post("/people/{user_id}/unavailabilities", status_code=status.HTTP_201_CREATED)
def declare_unavailability_for(
    user_id: int, body: UnavailabilityIn, _: Gestionnaire, session: DbSession
) -> UnavailabilityOut:
    return service.declare_unavailability(session, service.intervenant(session, user_id), body)


@router.delete("/unavailabilities/{unavailability_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_unavailability(unavailability_id: int, user: Gestionnaire, session: DbSession) -> None:
    service.remove_unavailability(session, user, unavailability_id)


@router.get("/centres/{centre_id}/schools")
def centre_schools(centre_id: int, _: Gestionnaire, session: DbSession) -> CentreSchoolsOut:
    """The schools whose candidates sit at the centre (its own name always counts)."""
    return service.centre_schools(session, centre_id)


@router.put("/centres/{centre_id}/schools")
def set_centre_schools(
    centre_id: int, body: CentreSchoolsIn, _: Gestionnaire, session: DbSession
) -> CentreSchoolsOut:
    return service.set_centre_schools(session, centre_id, body)


# --- needs ------------------------------------------------------------------------------------


@router.get("/sessions/{session_id}/needs")
def needs(session_id: int, _: Gestionnaire, session: DbSession) -> list[NeedOut]:
    return service.needs(session, session_id)


@router.post("/sessions/{session_id}/needs", status_code=status.HTTP_201_CREATED)
def create_need(session_id: int, body: NeedIn, _: Gestionnaire, session: DbSession) -> NeedOut:
    """Copies to correct in lots, oral commissions, or a meeting, at a centre on a half-day."""
    return service.create_need(session, session_id, body)


@router.get("/needs/{need_id}")
def read_need(need_id: int, _: Gestionnaire, session: DbSession) -> NeedOut:
    return service.need_out(service.need(session, need_id))


@router.patch("/needs/{need_id}")
def update_need(need_id: int, body: NeedPatch, _: Gestionnaire, session: DbSession) -> NeedOut:
    """Changes a need not yet convened; its unlocked proposals are dropped."""
    return service.update_need(session, need_id, body)


@router.delete("/needs/{need_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_need(need_id: int, _: Gestionnaire, session: DbSession) -> None:
    service.delete_need(session, need_id)


@router.get("/needs/{need_id}/candidates")
def need_candidates(
    need_id: int, _: Gestionnaire, session: DbSession, limit: Limit = 20
) -> list[CandidateOut]:
    """Who could still take a seat of the need, cheapest first."""
    return planning.need_candidates(session, need_id, limit)


@router.post("/needs/{need_id}/assignments", status_code=status.HTTP_201_CREATED)
def fill_seat(need_id: int, body: ManualIn, _: Gestionnaire, session: DbSession) -> AssignmentOut:
    """Puts someone on a seat by hand; the assignment is locked."""
    return planning.fill(session, need_id, body)


# --- solving, reviewing, editing --------------------------------------------------------------


@router.post("/sessions/{session_id}/solve")
def solve(session_id: int, body: SolveIn, user: Gestionnaire, session: DbSession) -> SolveOut:
    """Computes the assignment of least expected cost, then most even load, around the locked
    and issued assignments; `dry_run` answers without replacing the current proposal."""
    return planning.solve_session(session, user, session_id, body)


@router.get("/sessions/{session_id}/result")
def result(
    session_id: int,
    _: Gestionnaire,
    session: DbSession,
    paper_id: int | None = None,
    centre_id: int | None = None,
    short_only: bool = False,
) -> SessionResultOut:
    """Each need with its lots or commissions, who is on them and why, and what is missing;
    narrowed to a paper, a centre or the needs with empty seats if asked."""
    return planning.result(
        session, session_id, paper_id=paper_id, centre_id=centre_id, short_only=short_only
    )


@router.get("/sessions/{session_id}/loads")
def loads(session_id: int, _: Gestionnaire, session: DbSession) -> list[PersonLoadOut]:
    return planning.loads(session, session_id)


@router.patch("/assignments/{assignment_id}")
def lock(assignment_id: int, body: LockIn, _: Gestionnaire, session: DbSession) -> AssignmentOut:
    return planning.set_locked(session, assignment_id, body)


@router.post("/assignments/{assignment_id}/reassign")
def reassign(
    assignment_id: int, body: ReassignIn, _: Gestionnaire, session: DbSession
) -> AssignmentOut:
    """Gives a proposed seat to someone else, by hand (locked)."""
    return planning.reassign(session, assignment_id, body)


@router.delete("/assignments/{assignment_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove(assignment_id: int, _: Gestionnaire, session: DbSession) -> None:
    planning.remove(session, assignment_id)


# --- issuing, replacements --------------------------------------------------------------------


@router.post("/sessions/{session_id}/issue")
def issue(
    session_id: int, body: IssueIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> IssueOut:
    """Convenes the proposed people (all, or those of `need_ids`): missions, convocations,
    expense statements and one letter per person."""
    return convening.issue_session(session, settings, user, session_id, body)


@router.get("/sessions/{session_id}/letters")
def session_letters(session_id: int, _: Gestionnaire, session: DbSession) -> list[LetterOut]:
    return convening.letters(session, session_id, None)


@router.get("/sessions/{session_id}/withdrawals")
def withdrawals(
    session_id: int, _: Gestionnaire, session: DbSession, settings: AppSettings
) -> list[WithdrawalOut]:
    """Convened people who said in advance they cannot come."""
    return convening.withdrawals(session, settings, session_id)


@router.get("/assignments/{assignment_id}/replacements")
def replacements(
    assignment_id: int, _: Gestionnaire, session: DbSession, limit: Limit = 10
) -> list[CandidateOut]:
    """Ranked replacements: competent, available, cheapest first, then least loaded."""
    return convening.replacements(session, assignment_id, limit)


@router.post("/assignments/{assignment_id}/replace")
def replace(
    assignment_id: int,
    body: ReplaceIn,
    user: Gestionnaire,
    session: DbSession,
    settings: AppSettings,
) -> ReplacementOut:
    """Convenes a replacement (the best-ranked by default) and cancels the old statement."""
    return convening.replace(session, settings, user, assignment_id, body)
