"""Changes the DEC makes by hand to a proposal: locking, giving a seat to someone else, filling an
empty seat, removing someone. A hand-made assignment is locked; what it breaks is refused unless
the DEC confirms.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from server_stub.assignment import repository, solver
from server_stub.assignment.costing import Estimate
from server_stub.assignment.explanation import Explanation, choice_text, reasons_text
from server_stub.assignment.models import Assignment, AssignmentStatus, Need, NeedKind
from server_stub.assignment.planning.board import ACTIVE, default_limits, explain, need_board
from server_stub.assignment.planning.ranking import standings
from server_stub.assignment.planning.review import assignment_out
from server_stub.assignment.schemas import AssignmentOut, LockIn, ManualIn, ReassignIn
from server_stub.assignment.service import need, task_count
from server_stub.assignment.solver import lot_sizes
from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput, NotFound


def _assignment(session: Session, assignment_id: int) -> Assignment:
    found = repository.assignment(session, assignment_id, for_update=True)
    if found is None:
        raise NotFound("Cette affectation n'existe pas.")
    return found


def _proposal(session: Session, assignment_id: int) -> Assignment:
    found = _assignment(session, assignment_id)
    if found.status != AssignmentStatus.PROPOSED:
        raise Conflict(
            "La convocation de cette personne est émise : pour la changer, remplacez-la."
        )
    return found


def set_locked(session: Session, assignment_id: int, body: LockIn) -> AssignmentOut:
    assignment = _proposal(session, assignment_id)
    assignment.locked = body.locked
    explanation = dict(assignment.explanation or {})
    if body.locked or assignment.manual:
        explanation["choice"] = choice_text(None, 0, locked=body.locked, manual=assignment.manual)
    else:
        explanation["choice"] = "Affectation déverrouillée : le prochain calcul pourra la changer."
    assignment.explanation = explanation
    session.flush()
    return assignment_out(assignment)


def _manual(
    session: Session,
    row: Need,
    user: User,
    index: int,
    *,
    force: bool,
    ignoring: Collection[int] = (),
) -> tuple[Explanation, Estimate]:
    limits = default_limits(session, row.session_id)
    sizes = lot_sizes(row.copies or 0, row.lot_size or 1)
    copies = sizes[index - 1] if row.kind == NeedKind.CORRECTION else 0
    [standing] = standings(session, row, [user], limits, copies=copies, ignoring=ignoring)
    if standing.reasons and not force:
        message = reasons_text(user.full_name, standing.reasons)
        raise InvalidInput(f"{message} Confirmez pour passer outre.", fields={"user_id": message})
    b = need_board(session, row, [user], limits)
    load = solver.Load(user.id, standing.half_days + 1, standing.copies + copies, 0)
    return explain(b, row, user.id, load=load, locked=True, manual=True, reasons=standing.reasons)


def _intervenant(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.INTERVENANT:
        message = "Cet intervenant n'existe pas."
        raise InvalidInput(message, fields={"user_id": message})
    return user


def reassign(session: Session, assignment_id: int, body: ReassignIn) -> AssignmentOut:
    assignment = _proposal(session, assignment_id)
    user = _intervenant(session, body.user_id)
    explanation, estimate = _manual(
        session,
        assignment.need,
        user,
        assignment.task_index,
        force=body.force,
        ignoring=[assignment.id],
    )
    assignment.user_id = user.id
    assignment.user = user
    assignment.locked = True
    assignment.manual = True
    assignment.expected_cost = estimate.amount
    assignment.round_trip_km = estimate.round_trip_km
    assignment.explanation = explanation.as_dict()
    session.flush()
    return assignment_out(assignment)


def fill(session: Session, need_id: int, body: ManualIn) -> AssignmentOut:
    row = need(session, need_id)
    if body.task_index > task_count(row):
        message = f"Ce besoin compte {task_count(row)} lot(s) ou commission(s)."
        raise InvalidInput(message, fields={"task_index": message})
    holders = [
        a
        for a in repository.assignments_of_need(session, row.id, ACTIVE)
        if a.task_index == body.task_index
    ]
    seats = 1 if row.kind == NeedKind.CORRECTION else row.seats
    if len(holders) >= seats:
        raise Conflict("Toutes les places de ce lot ou de cette commission sont pourvues.")
    user = _intervenant(session, body.user_id)
    explanation, estimate = _manual(session, row, user, body.task_index, force=body.force)
    sizes = lot_sizes(row.copies or 0, row.lot_size or 1)
    assignment = Assignment(
        need_id=row.id,
        task_index=body.task_index,
        user_id=user.id,
        copies=sizes[body.task_index - 1] if row.kind == NeedKind.CORRECTION else 0,
        status=AssignmentStatus.PROPOSED,
        locked=True,
        manual=True,
        expected_cost=estimate.amount,
        round_trip_km=estimate.round_trip_km,
        explanation=explanation.as_dict(),
        created_at=clock.now(),
    )
    session.add(assignment)
    session.flush()
    found = repository.assignment(session, assignment.id)
    assert found is not None
    return assignment_out(found)


def remove(session: Session, assignment_id: int) -> None:
    session.delete(_proposal(session, assignment_id))
    session.flush()
