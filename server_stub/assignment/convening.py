"""Issuing convocations from the proposal, the letters, withdrawals and replacements.

Issuing creates the missions the needs call for and convenes people through
`statements.issuing.issue`, which creates each convocation's expense statement. An externe who
has never logged in gets a new temporary password, printed on their letter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from sqlalchemy.orm import Session

from server_stub.assignment import repository
from server_stub.assignment.costing import packaged_estimation
from server_stub.assignment.explanation import choice_text, day_label, reasons_text, slot_label
from server_stub.assignment.letter import Access, Letter, LetterMission, render_letter
from server_stub.assignment.models import (
    Assignment,
    AssignmentStatus,
    ConvocationLetter,
    Need,
    NeedKind,
)
from server_stub.assignment.planning.board import (
    ACTIVE,
    default_limits,
    explain,
    need_board,
    slot_of,
    task_label,
)
from server_stub.assignment.planning.ranking import candidates, standings
from server_stub.assignment.planning.review import assignment_out
from server_stub.assignment.schemas import (
    CandidateOut,
    IssueIn,
    IssueOut,
    LetterOut,
    MyAssignmentOut,
    ReplaceIn,
    ReplacementOut,
    WithdrawalOut,
    WithdrawIn,
)
from server_stub.assignment.service import title_of
from server_stub.assignment.solver import Load
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput, NotFound
from server_stub.core.security import hash_password, temporary_password
from server_stub.core.settings import Settings
from server_stub.notifications import outbox
from server_stub.notifications.kinds import Kind
from server_stub.notifications.outbox import Notice, mission_text
from server_stub.reference import service as reference
from server_stub.reference.communes import communes
from server_stub.reference.models import ExamSession, Mission
from server_stub.rules.french import format_time, plural
from server_stub.rules.model import MissionType
from server_stub.statements import service as statements
from server_stub.statements.issuing import issue, issue_many
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS, Action
from server_stub.statements.models import Status

_MISSION_TYPES = {
    NeedKind.CORRECTION: MissionType.CORRECTION,
    NeedKind.ORAL: MissionType.INTERROGATION,
}


def _mission_type(row: Need) -> MissionType:
    if row.kind == NeedKind.MEETING:
        return MissionType(row.meeting_type or MissionType.REUNION)
    return _MISSION_TYPES[NeedKind(row.kind)]


def _mission(session: Session, row: Need) -> tuple[Mission, bool]:
    """The need's mission, created the first time it is convened to."""
    if row.mission is not None:
        return row.mission, False
    mission = Mission(
        session_id=row.session_id,
        type=_mission_type(row),
        paper_id=row.paper_id,
        centre_id=row.centre_id,
        start_date=row.day,
        end_date=row.end_date or row.day,
        start_time=row.start_time,
        end_time=row.end_time,
        lot_size=row.lot_size if row.kind == NeedKind.CORRECTION else None,
        travel_reimbursable=row.travel_reimbursable,
        label=row.label,
    )
    session.add(mission)
    row.mission = mission  # its id is written with the others, at the next flush
    return mission, True


# --- letters ----------------------------------------------------------------------------------


def _letter_mission(assignment: Assignment) -> LetterMission:
    row = assignment.need
    paper, centre = row.paper, row.centre
    commune = communes().get(centre.commune_insee)
    postal = communes().postal_codes(centre.commune_insee)[0] if commune else ""
    hours = f"de {format_time(row.start_time)} à {format_time(row.end_time)}"
    label = task_label(row, assignment.task_index, assignment.copies)
    if row.kind == NeedKind.CORRECTION:
        when = f"Remise des copies le {day_label(row.day)}, {hours}"
        details = f"{label.split(' (')[0]} : {plural(assignment.copies, 'copie', 'copies')}"
        if row.end_date:
            details += f", à rendre au plus tard le {day_label(row.end_date)}"
    else:
        when = f"{day_label(row.day)}, {hours}"
        details = label if row.kind == NeedKind.ORAL else ""
    return LetterMission(
        title=f"{MISSION_TYPE_LABELS[_mission_type(row)]} – épreuve {paper.code} ({paper.name})",
        exam=f"{paper.exam.name} {paper.exam.speciality}",
        place=centre.name,
        address=full_address(centre.address, postal, commune.name if commune else ""),
        when=when,
        details=details,
    )


def full_address(street: str, postal: str, town: str) -> str:
    """The centre's address with its postal code and town, once: an address that already
    ends with them ("1 rue X, 80000 Amiens") is not given them a second time."""
    street = street.strip(" ,")
    place = f"{postal} {town}".strip()
    if not place or place.lower() in street.lower() or (postal and postal in street):
        return street
    return f"{street}, {place}".strip(" ,")


def _activate(user: User) -> str | None:
    """A new temporary password for an externe who has never logged in, else None."""
    if user.academic or not user.must_change_password:
        return None
    password = temporary_password()
    user.password_hash = hash_password(password)
    return password


def _write_letter(
    session: Session,
    settings: Settings,
    exam_session: ExamSession,
    user: User,
    assignments: Sequence[Assignment],
    now: dt.datetime,
) -> tuple[ConvocationLetter, str | None]:
    password = _activate(user)
    access = Access.TEMPORARY if password else Access.PERSONAL
    if user.academic:
        access = Access.ACADEMIC
    letter = Letter(
        academie=settings.academie,
        office=exam_session.office,
        session_name=exam_session.name,
        person_name=user.full_name,
        login=user.login,
        access=access,
        temporary_password=password,
        missions=[_letter_mission(a) for a in sorted(assignments, key=_chronological)],
        issued_on=clock.today(settings),
        help=packaged_estimation().help,
    )
    row = ConvocationLetter(
        session_id=exam_session.id,
        user_id=user.id,
        created_at=now,
        with_password=password is not None,
        pdf=render_letter(letter),
    )
    session.add(row)
    return row, password


def _convocation_notice(
    settings: Settings,
    exam_session: ExamSession,
    user: User,
    assignments: Sequence[Assignment],
    missions: dict[int, Mission],
    password: str | None,
) -> Notice:
    texts = []
    for assignment in sorted(assignments, key=_chronological):
        mission = missions[assignment.need_id]
        text = mission_text(
            mission.type,
            mission.start_date,
            mission.end_date,
            mission.paper.name if mission.paper else None,
            mission.centre.name,
        )
        texts.append(text)
    context = {
        "academie": settings.academie,
        "session": exam_session.name,
        "missions": " ; ".join(dict.fromkeys(texts)),
        "login": user.login,
        "password": password or "",
    }
    return Notice(user.id, context)


def _chronological(assignment: Assignment) -> tuple[dt.date, str, int]:
    return (assignment.need.day, assignment.need.half_day, assignment.id)


def letter_out(row: ConvocationLetter, user: User) -> LetterOut:
    return LetterOut(
        id=row.id,
        user_id=user.id,
        login=user.login,
        person_name=user.full_name,
        with_password=row.with_password,
        created_at=row.created_at,
    )


def letters(session: Session, session_id: int | None, user_id: int | None) -> list[LetterOut]:
    return [
        LetterOut(
            id=letter_id,
            user_id=uid,
            login=login,
            person_name=f"{first} {last}",
            with_password=with_password,
            created_at=created_at,
        )
        for letter_id, uid, login, first, last, with_password, created_at in repository.letters(
            session, session_id=session_id, user_id=user_id
        )
    ]


def letter_pdf(session: Session, row: ConvocationLetter) -> tuple[bytes, str]:
    owner = session.get(User, row.user_id)
    login = owner.login if owner else "intervenant"
    return row.pdf, f"convocation-{login}-{row.created_at.date().isoformat()}.pdf"


# --- issuing ----------------------------------------------------------------------------------


def issue_session(
    session: Session, settings: Settings, actor: User, session_id: int, body: IssueIn
) -> IssueOut:
    exam_session: ExamSession = reference.require(session, ExamSession, session_id)
    proposals = repository.assignments_of_session(session, session_id, (AssignmentStatus.PROPOSED,))
    if body.need_ids is not None:
        wanted = set(body.need_ids)
        proposals = [a for a in proposals if a.need_id in wanted]
    now = clock.now()
    by_need: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in proposals:
        by_need[assignment.need_id].append(assignment)

    missions_created = convocations_created = 0
    by_person: dict[int, list[Assignment]] = defaultdict(list)
    missions: dict[int, Mission] = {}
    batches = []
    for items in by_need.values():
        row = items[0].need
        mission, created = _mission(session, row)
        missions[row.id] = mission
        missions_created += created
        batches.append((mission, [a.user for a in items], now))
    for items, issued_to_need in zip(
        by_need.values(), issue_many(session, batches, actor), strict=True
    ):
        issued = {
            convocation.user_id: (convocation, fresh) for convocation, _, fresh in issued_to_need
        }
        for assignment in items:
            convocation, fresh = issued[assignment.user_id]
            convocations_created += fresh
            assignment.status = AssignmentStatus.ISSUED
            assignment.locked = True
            assignment.convocation_id = convocation.id
            explanation = dict(assignment.explanation or {})
            explanation["choice"] = choice_text(None, 0, locked=True, manual=False, issued=True)
            assignment.explanation = explanation
            by_person[assignment.user_id].append(assignment)

    written: list[LetterOut] = []
    activated: list[str] = []
    notices: list[Notice] = []
    for items in by_person.values():
        user = items[0].user
        letter, password = _write_letter(session, settings, exam_session, user, items, now)
        if password:
            activated.append(user.login)
        session.flush()
        written.append(letter_out(letter, user))
        notices.append(_convocation_notice(settings, exam_session, user, items, missions, password))
    session.flush()
    # Beside each letter, in the same transaction: the e-mail with the access of a new externe.
    outbox.enqueue(session, Kind.CONVOCATION, notices)
    return IssueOut(
        issued=len(proposals),
        missions_created=missions_created,
        convocations_created=convocations_created,
        # Each new convocation comes with its expense statement (statements.issuing.issue).
        statements_created=convocations_created,
        activated_accounts=sorted(activated),
        letters=written,
    )


# --- withdrawals and replacements ---------------------------------------------------------------


def my_assignments(session: Session, user: User) -> list[MyAssignmentOut]:
    return [
        MyAssignmentOut(
            id=a.id,
            need_id=a.need_id,
            title=title_of(a.need),
            slot=slot_label(a.need.day, slot_of(a.need).half_day),
            status=AssignmentStatus(a.status),
            convocation_id=a.convocation_id,
            withdrawn_at=a.withdrawn_at,
        )
        for a in repository.assignments_of_user(session, user.id)
    ]


def withdraw(
    session: Session, settings: Settings, user: User, assignment_id: int, body: WithdrawIn
) -> MyAssignmentOut:
    """The person declares, before the day, that they cannot come."""
    assignment = repository.assignment(session, assignment_id, for_update=True)
    if assignment is None or assignment.user_id != user.id:
        raise NotFound("Cette convocation n'existe pas.")
    if assignment.status != AssignmentStatus.ISSUED:
        raise Conflict("Vous avez déjà signalé ne pas pouvoir assurer cette mission.")
    if clock.today(settings) >= assignment.need.day:
        raise Conflict(
            "La mission a commencé : déclarez-la non effectuée depuis votre état de frais."
        )
    assignment.status = AssignmentStatus.WITHDRAWN
    assignment.withdrawn_at = clock.now()
    assignment.withdrawal_reason = (body.reason or "").strip() or None
    session.flush()
    [mine] = [a for a in my_assignments(session, user) if a.id == assignment.id]
    return mine


def withdrawals(session: Session, settings: Settings, session_id: int) -> list[WithdrawalOut]:
    """Who said they cannot come and still awaits a replacement: withdrawals, and statements
    declared not performed before the mission's day."""
    reference.require(session, ExamSession, session_id)
    today = clock.today(settings)
    assignments = repository.assignments_of_session(
        session, session_id, (AssignmentStatus.WITHDRAWN, AssignmentStatus.ISSUED)
    )
    statements_by_convocation = repository.statements_of(
        session, [a.convocation_id for a in assignments if a.convocation_id]
    )
    answer = []
    for assignment in assignments:
        declared: Literal["WITHDRAWAL", "NOT_PERFORMED"] | None = None
        if assignment.status == AssignmentStatus.WITHDRAWN:
            declared = "WITHDRAWAL"
        else:
            statement = statements_by_convocation.get(assignment.convocation_id or 0)
            if (
                statement is not None
                and statement.status == Status.NOT_PERFORMED
                and assignment.need.day > today
            ):
                declared = "NOT_PERFORMED"
        if declared is None:
            continue
        answer.append(
            WithdrawalOut(
                assignment=assignment_out(assignment),
                title=title_of(assignment.need),
                slot=slot_label(assignment.need.day, slot_of(assignment.need).half_day),
                declared_by=declared,
            )
        )
    return answer


def _replaceable(session: Session, assignment_id: int, *, for_update: bool = False) -> Assignment:
    assignment = repository.assignment(session, assignment_id, for_update=for_update)
    if assignment is None:
        raise NotFound("Cette affectation n'existe pas.")
    if assignment.status not in (AssignmentStatus.ISSUED, AssignmentStatus.WITHDRAWN):
        raise Conflict("Seule une personne convoquée peut être remplacée.")
    return assignment


def replacements(session: Session, assignment_id: int, limit: int) -> list[CandidateOut]:
    assignment = _replaceable(session, assignment_id)
    holders = {
        a.user_id for a in repository.assignments_of_need(session, assignment.need_id, ACTIVE)
    }
    return candidates(
        session,
        assignment.need,
        copies=assignment.copies,
        excluded=holders | {assignment.user_id},
        ignoring=[assignment.id],
        limit=limit,
    )


def replace(
    session: Session, settings: Settings, actor: User, assignment_id: int, body: ReplaceIn
) -> ReplacementOut:
    """Convenes someone else in one action: the old statement is cancelled, the new person gets
    their convocation, statement and letter."""
    old = _replaceable(session, assignment_id, for_update=True)
    row = old.need
    ranked = replacements(session, assignment_id, limit=1000)
    if body.user_id is None:
        if not ranked:
            raise Conflict(
                "Aucun intervenant compétent, disponible et sans conflit ne peut remplacer "
                "cette personne : élargissez les compétences validées ou les charges maximales."
            )
        chosen_id = ranked[0].user_id
    else:
        chosen_id = body.user_id
        if chosen_id not in {c.user_id for c in ranked}:
            user = session.get(User, chosen_id)
            limits = default_limits(session, row.session_id)
            found = (
                standings(session, row, [user], limits, copies=old.copies, ignoring=[old.id])
                if user is not None
                else []
            )
            message = (
                reasons_text(user.full_name, found[0].reasons)
                if user is not None and found and found[0].reasons
                else "Cette personne ne peut pas remplacer l'intervenant convoqué."
            )
            raise InvalidInput(message, fields={"user_id": message})
    user = session.get(User, chosen_id)
    assert user is not None
    now = clock.now()

    cancelled: int | None = None
    if old.convocation_id is not None:
        statement = repository.statements_of(session, [old.convocation_id]).get(old.convocation_id)
        if statement is not None and statement.status != Status.CANCELLED:
            reason = "Remplacé(e) par un autre intervenant"
            if old.withdrawal_reason:
                reason += f" : {old.withdrawal_reason}"
            statements.move(session, statement, actor, Action.CANCEL, now, reason)
            cancelled = statement.id
    old.status = AssignmentStatus.REPLACED
    old.withdrawn_at = old.withdrawn_at or now

    mission, _ = _mission(session, row)
    [(convocation, _, _)] = issue(session, mission, [user], actor, now)
    limits = default_limits(session, row.session_id)
    standing = standings(session, row, [user], limits, copies=old.copies)[0]
    b = need_board(session, row, [user], limits)
    explanation, estimate = explain(
        b,
        row,
        user.id,
        load=Load(user.id, standing.half_days + 1, standing.copies + old.copies, 0),
        issued=True,
    )
    explanation.choice = f"Remplace {old.user.full_name}. " + explanation.choice
    new = Assignment(
        need_id=row.id,
        task_index=old.task_index,
        user_id=user.id,
        copies=old.copies,
        status=AssignmentStatus.ISSUED,
        locked=True,
        manual=True,
        expected_cost=estimate.amount,
        round_trip_km=estimate.round_trip_km,
        explanation=explanation.as_dict(),
        convocation_id=convocation.id,
        replaces_id=old.id,
        created_at=now,
    )
    session.add(new)
    session.flush()
    stored = repository.assignment(session, new.id)
    assert stored is not None
    exam_session: ExamSession = reference.require(session, ExamSession, row.session_id)
    letter, password = _write_letter(session, settings, exam_session, user, [stored], now)
    session.flush()
    notice = _convocation_notice(
        settings, exam_session, user, [stored], {row.id: mission}, password
    )
    outbox.enqueue(session, Kind.CONVOCATION, [notice])
    return ReplacementOut(
        replaced=assignment_out(old),
        replacement=assignment_out(stored),
        letter=letter_out(letter, user),
        cancelled_statement_id=cancelled,
    )
