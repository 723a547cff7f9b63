"""Declarations (competences, unavailability), their validation, centres' schools and needs.

Solving, reviewing, editing and ranking are in `planning` (one module each), issuing and
replacements in `convening`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable

from sqlalchemy.orm import Session

from server_stub.assignment import repository
from server_stub.assignment.costing import packaged_estimation
from server_stub.assignment.explanation import need_title, slot_label
from server_stub.assignment.models import (
    Assignment,
    AssignmentStatus,
    Competence,
    CompetenceStatus,
    Need,
    NeedKind,
    Unavailability,
)
from server_stub.assignment.repository import COMPETENCE
from server_stub.assignment.schemas import (
    BulkOut,
    CentreSchoolsIn,
    CentreSchoolsOut,
    CompetenceIn,
    CompetenceOut,
    DeclarationsOut,
    ExterneIn,
    Failure,
    NeedIn,
    NeedOut,
    NeedPatch,
    PaperChoice,
    PersonOut,
    UnavailabilityIn,
    UnavailabilityOut,
)
from server_stub.assignment.solver import TaskKind, lot_sizes, school_key
from server_stub.auth.accounts import create_account
from server_stub.auth.models import Category, Role, User
from server_stub.core import clock
from server_stub.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from server_stub.core.security import temporary_password
from server_stub.reference import service as reference
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, ExamSession, Paper
from server_stub.rules.model import HalfDay

TASK_KINDS = {
    NeedKind.CORRECTION: TaskKind.LOT,
    NeedKind.ORAL: TaskKind.COMMISSION,
    NeedKind.MEETING: TaskKind.MEETING,
}


# --- papers -----------------------------------------------------------------------------------


def paper_choices(
    session: Session, session_id: int | None, search: str | None
) -> list[PaperChoice]:
    return [
        PaperChoice(
            id=paper.id,
            code=paper.code,
            name=paper.name,
            kind=paper.kind,
            exam_code=exam.code,
            exam_name=f"{exam.name} {exam.speciality}",
            session_id=exam_session.id,
            session_name=exam_session.name,
        )
        for paper, exam, exam_session in repository.papers(session, session_id, search)
    ]


# --- competences ------------------------------------------------------------------------------


def competence_out(competence: Competence) -> CompetenceOut:
    paper = competence.paper
    return CompetenceOut(
        id=competence.id,
        user_id=competence.user_id,
        person_name=competence.user.full_name,
        school=competence.user.school,
        paper_id=paper.id,
        paper_code=paper.code,
        paper_name=paper.name,
        exam_name=f"{paper.exam.name} {paper.exam.speciality}",
        session_id=paper.exam.session_id,
        status=CompetenceStatus(competence.status),
        subject=competence.subject,
        declared_at=competence.declared_at,
        decided_at=competence.decided_at,
        decided_by=competence.decided_by.full_name if competence.decided_by else None,
        refusal_reason=competence.refusal_reason,
    )


def my_competences(session: Session, user: User) -> list[CompetenceOut]:
    return [competence_out(c) for c in repository.competences_of(session, user.id)]


def declare_competence(
    session: Session, person: User, body: CompetenceIn, *, by: User | None = None
) -> CompetenceOut:
    """The person declares a paper; declared by the DEC (`by`), it is validated at once."""
    if person.role != Role.INTERVENANT:
        raise Forbidden("Seuls les intervenants déclarent des compétences.")
    paper = repository.paper(session, body.paper_id)
    if paper is None:
        message = "Cette épreuve n'existe pas."
        raise InvalidInput(message, fields={"paper_id": message})
    if repository.competence_for(session, person.id, paper.id) is not None:
        raise Conflict(f"Une compétence pour l'épreuve {paper.code} est déjà déclarée.")
    now = clock.now()
    competence = Competence(
        user_id=person.id,
        paper_id=paper.id,
        status=CompetenceStatus.PENDING if by is None else CompetenceStatus.VALIDATED,
        subject=(body.subject or "").strip() or None,
        declared_at=now,
        decided_at=None if by is None else now,
        decided_by_id=None if by is None else by.id,
    )
    repository.add(
        session, competence, f"Une compétence pour l'épreuve {paper.code} est déjà déclarée."
    )
    found = repository.competence(session, competence.id)
    assert found is not None
    return competence_out(found)


def withdraw_competence(session: Session, competence: Competence) -> None:
    session.delete(competence)
    session.flush()


def competence_queue(
    session: Session,
    offices: Collection[str] | None,
    reaches: Callable[[Competence], bool],
    status: CompetenceStatus | None,
    session_id: int | None,
    paper_id: int | None,
) -> list[CompetenceOut]:
    """The competences to decide that the validator reaches (`reaches`); `offices` narrows the
    query beforehand when the validator reaches them by office alone."""
    rows = repository.competences(
        session, status=status, session_id=session_id, paper_id=paper_id, offices=offices
    )
    return [competence_out(c) for c in rows if reaches(c)]


def _decide(
    session: Session,
    validator: User,
    competence: Competence,
    status: CompetenceStatus,
    reason: str | None = None,
) -> Competence:
    if competence.status == status:
        return competence
    if status is CompetenceStatus.REFUSED and _in_use(session, competence):
        raise Conflict(
            "Cette personne est déjà convoquée pour cette épreuve : remplacez-la avant de "
            "refuser sa compétence."
        )
    competence.status = status
    competence.decided_at = clock.now()
    competence.decided_by_id = validator.id
    competence.decided_by = validator
    competence.refusal_reason = reason.strip() if reason else None
    session.flush()
    return competence


def _in_use(session: Session, competence: Competence) -> bool:
    return any(
        a.user_id == competence.user_id
        for need in _needs_of_paper(session, competence.paper)
        for a in repository.assignments_of_need(session, need.id, (AssignmentStatus.ISSUED,))
    )


def _needs_of_paper(session: Session, paper: Paper) -> Iterable[Need]:
    return (n for n in repository.needs(session, paper.exam.session_id) if n.paper_id == paper.id)


def validate(session: Session, validator: User, competence: Competence) -> CompetenceOut:
    return competence_out(_decide(session, validator, competence, CompetenceStatus.VALIDATED))


def refuse(session: Session, validator: User, competence: Competence, reason: str) -> CompetenceOut:
    decided = _decide(session, validator, competence, CompetenceStatus.REFUSED, reason)
    return competence_out(decided)


def validate_many(
    session: Session,
    validator: User,
    ids: list[int],
    reached: Callable[[int], Competence | None],
) -> BulkOut:
    """Validates each competence `reached(id)` finds within the validator's reach; any other
    is answered as absent."""
    succeeded: list[int] = []
    failed: list[Failure] = []
    for competence_id in dict.fromkeys(ids):
        competence = reached(competence_id)
        if competence is None:
            failed.append(Failure(id=competence_id, detail=COMPETENCE.absent))
            continue
        try:
            with session.begin_nested():
                _decide(session, validator, competence, CompetenceStatus.VALIDATED)
            succeeded.append(competence_id)
        except DomainError as error:
            failed.append(Failure(id=competence_id, detail=error.detail))
    return BulkOut(succeeded=succeeded, failed=failed)


# --- unavailability ---------------------------------------------------------------------------


def period_label(start: dt.date, start_half: HalfDay, end: dt.date, end_half: HalfDay) -> str:
    if (start, start_half) == (end, end_half):
        return f"le {slot_label(start, start_half)}"
    if start == end:
        return f"le {slot_label(start, HalfDay.MORNING).rsplit(' ', 1)[0]} toute la journée"
    first = f"{slot_label(start, start_half)}"
    last = f"{slot_label(end, end_half)}"
    return f"du {first} au {last}"


def unavailability_out(row: Unavailability) -> UnavailabilityOut:
    start_half, end_half = HalfDay(row.start_half_day), HalfDay(row.end_half_day)
    return UnavailabilityOut(
        id=row.id,
        user_id=row.user_id,
        start_date=row.start_date,
        start_half_day=start_half,
        end_date=row.end_date,
        end_half_day=end_half,
        reason=row.reason,
        label=period_label(row.start_date, start_half, row.end_date, end_half),
    )


def my_unavailabilities(session: Session, user: User) -> list[UnavailabilityOut]:
    return [unavailability_out(u) for u in repository.unavailabilities_of(session, user.id)]


def declare_unavailability(
    session: Session, person: User, body: UnavailabilityIn
) -> UnavailabilityOut:
    row = Unavailability(
        user_id=person.id,
        start_date=body.start_date,
        start_half_day=body.start_half_day,
        end_date=body.end_date,
        end_half_day=body.end_half_day,
        reason=(body.reason or "").strip() or None,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return unavailability_out(row)


def remove_unavailability(session: Session, row: Unavailability) -> None:
    session.delete(row)
    session.flush()


# --- people -----------------------------------------------------------------------------------


def person_out(user: User) -> PersonOut:
    return PersonOut(
        id=user.id,
        login=user.login,
        first_name=user.first_name,
        last_name=user.last_name,
        category=user.category,
        academic=user.academic,
        school=user.school,
        administrative_residence=user.administrative_residence,
        family_residence=user.family_residence,
        fiscal_power=user.fiscal_power,
    )


def register_externe(session: Session, body: ExterneIn) -> PersonOut:
    """An externe the DEC knows of, to declare competences for and assign.

    The account exists from now on, with a random password nobody knows: the temporary password
    the person logs in with is drawn when a first convocation is issued, and printed on it.
    """
    fields: dict[str, str] = {}
    for name in ("administrative_residence", "family_residence"):
        insee = getattr(body, name)
        if insee is not None and communes().get(insee) is None:
            fields[name] = f"Commune inconnue (code INSEE {insee})."
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    user = create_account(
        session,
        first_name=body.first_name.strip(),
        last_name=body.last_name.strip(),
        role=Role.INTERVENANT,
        password=temporary_password(),
        academic=False,
        temporary=True,
        category=Category(body.category),
        email=body.email,
        administrative_residence=body.administrative_residence,
        family_residence=body.family_residence or body.administrative_residence,
        fiscal_power=body.fiscal_power,
        school=(body.school or "").strip() or None,
    )
    return person_out(user)


def declarations(
    session: Session, user: User, shown: Callable[[Competence], bool]
) -> DeclarationsOut:
    """A person's declarations for the DEC: their unavailability, and the competences `shown`
    to the reader (those for the papers of the reader's offices)."""
    return DeclarationsOut(
        person=person_out(user),
        competences=[
            competence_out(c) for c in repository.competences_of(session, user.id) if shown(c)
        ],
        unavailabilities=my_unavailabilities(session, user),
    )


# --- centres ----------------------------------------------------------------------------------


def centre_schools(session: Session, centre_id: int) -> CentreSchoolsOut:
    centre: Centre = reference.require(session, Centre, centre_id)
    return CentreSchoolsOut(
        centre_id=centre.id,
        centre_name=centre.name,
        schools=repository.centre_schools(session, [centre.id]).get(centre.id, []),
    )


def set_centre_schools(session: Session, centre_id: int, body: CentreSchoolsIn) -> CentreSchoolsOut:
    centre: Centre = reference.require(session, Centre, centre_id)
    schools: dict[str, str] = {}
    for name in body.schools:
        cleaned = " ".join(name.split())
        if cleaned and school_key(cleaned) not in schools and len(cleaned) <= 200:
            schools[school_key(cleaned)] = cleaned
    repository.replace_centre_schools(session, centre.id, list(schools.values()))
    return centre_schools(session, centre.id)


# --- needs ------------------------------------------------------------------------------------


def task_count(need: Need) -> int:
    if need.kind == NeedKind.CORRECTION:
        return len(lot_sizes(need.copies or 0, need.lot_size or 1))
    if need.kind == NeedKind.ORAL:
        return need.commissions or 1
    return 1


def required(need: Need) -> int:
    if need.kind == NeedKind.CORRECTION:
        return task_count(need)
    return task_count(need) * need.seats


def need_out(need: Need) -> NeedOut:
    half_day = HalfDay(need.half_day)
    return NeedOut(
        id=need.id,
        session_id=need.session_id,
        kind=NeedKind(need.kind),
        paper_id=need.paper_id,
        paper_code=need.paper.code,
        centre_id=need.centre_id,
        centre_name=need.centre.name,
        day=need.day,
        half_day=half_day,
        start_time=need.start_time,
        end_time=need.end_time,
        end_date=need.end_date,
        copies=need.copies,
        lot_size=need.lot_size,
        commissions=need.commissions,
        seats=need.seats,
        meeting_type=need.meeting_type,
        travel_reimbursable=need.travel_reimbursable,
        label=need.label,
        mission_id=need.mission_id,
        title=title_of(need),
        slot=slot_label(need.day, half_day),
        tasks=task_count(need),
        required=required(need),
    )


def title_of(need: Need) -> str:
    if need.label:
        return need.label
    kind = TASK_KINDS[NeedKind(need.kind)]
    return need_title(kind, need.paper.code, need.paper.name, need.centre.name)


def _session(session: Session, session_id: int) -> ExamSession:
    found: ExamSession = reference.require(session, ExamSession, session_id)
    return found


def needs(session: Session, session_id: int) -> list[NeedOut]:
    _session(session, session_id)
    return [need_out(n) for n in repository.needs(session, session_id)]


def need(session: Session, need_id: int) -> Need:
    found = repository.need(session, need_id)
    if found is None:
        raise NotFound("Ce besoin n'existe pas.")
    return found


def create_need(session: Session, session_id: int, body: NeedIn) -> NeedOut:
    _session(session, session_id)
    paper = repository.paper(session, body.paper_id)
    if paper is None or paper.exam.session_id != session_id:
        message = "Cette épreuve n'appartient pas à la session."
        raise InvalidInput(message, fields={"paper_id": message})
    reference.require(session, Centre, body.centre_id, "centre_id")
    estimation = packaged_estimation()
    default_start, default_end = estimation.hours[body.half_day]
    row = Need(
        session_id=session_id,
        kind=body.kind,
        paper_id=paper.id,
        centre_id=body.centre_id,
        day=body.day,
        half_day=body.half_day,
        start_time=body.start_time or default_start,
        end_time=body.end_time or default_end,
        end_date=body.end_date,
        copies=body.copies,
        lot_size=(body.lot_size or estimation.default_lot_size)
        if body.kind is NeedKind.CORRECTION
        else None,
        commissions=(body.commissions or 1) if body.kind is NeedKind.ORAL else None,
        seats=1 if body.kind is NeedKind.CORRECTION else (body.seats or 2),
        meeting_type=(body.meeting_type or "REUNION") if body.kind is NeedKind.MEETING else None,
        travel_reimbursable=body.travel_reimbursable,
        label=(body.label or "").strip() or None,
        created_at=clock.now(),
    )
    _check_hours(row)
    session.add(row)
    session.flush()
    return need_out(need(session, row.id))


def _check_hours(row: Need) -> None:
    problem = reference.tariff_problem(row.day)
    if problem:
        raise InvalidInput(problem, fields={"day": problem})
    if row.end_time <= row.start_time:
        message = "L'heure de fin précède l'heure de début."
        raise InvalidInput(message, fields={"end_time": message})
    if row.end_date is not None and row.end_date < row.day:
        message = "La date de retour des copies précède la remise."
        raise InvalidInput(message, fields={"end_date": message})


def _refuse_if_issued(session: Session, row: Need, action: str) -> list[Assignment]:
    assignments = list(repository.assignments_of_need(session, row.id))
    if any(a.status != AssignmentStatus.PROPOSED for a in assignments):
        raise Conflict(
            f"Des convocations ont été émises pour ce besoin : il ne peut plus être {action}. "
            "Remplacez les personnes une à une si nécessaire."
        )
    return assignments


def update_need(session: Session, need_id: int, patch: NeedPatch) -> NeedOut:
    row = need(session, need_id)
    assignments = _refuse_if_issued(session, row, "modifié")
    changes = patch.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in ("label", "end_date"):
            continue
        if name in ("copies", "lot_size") and row.kind != NeedKind.CORRECTION:
            continue
        if name == "commissions" and row.kind != NeedKind.ORAL:
            continue
        if name == "seats" and row.kind == NeedKind.CORRECTION:
            continue
        setattr(row, name, value)
    if "half_day" in changes and not ({"start_time", "end_time"} & changes.keys()):
        row.start_time, row.end_time = packaged_estimation().hours[HalfDay(row.half_day)]
    _check_hours(row)
    # The proposal no longer fits what is asked: unlocked ones go, locked ones stay if their task
    # still exists (the DEC chose them) and carry the new lot size.
    sizes = lot_sizes(row.copies or 0, row.lot_size or 1)
    for assignment in assignments:
        if not assignment.locked or assignment.task_index > task_count(row):
            session.delete(assignment)
        elif row.kind == NeedKind.CORRECTION:
            assignment.copies = sizes[assignment.task_index - 1]
    session.flush()
    return need_out(need(session, row.id))


def delete_need(session: Session, need_id: int) -> None:
    row = need(session, need_id)
    for assignment in _refuse_if_issued(session, row, "supprimé"):
        session.delete(assignment)
    session.flush()
    session.delete(row)
    session.flush()
