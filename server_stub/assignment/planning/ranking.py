"""Who could take a seat: each person's standing for a need (the hard constraints they would break,
their load in the session), and the eligible candidates ranked cheapest first, then least loaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from server_stub.assignment import repository
from server_stub.assignment.explanation import estimate_text
from server_stub.assignment.models import Need
from server_stub.assignment.planning.board import (
    ACTIVE,
    centre_of,
    default_limits,
    mission_slots,
    need_board,
    period_slots,
    slot_of,
    venue_of,
)
from server_stub.assignment.schemas import CandidateOut
from server_stub.assignment.service import need
from server_stub.assignment.solver import Limits, Reason, Slot, lot_sizes, school_key
from server_stub.auth.models import Role, User
from server_stub.rules.model import HalfDay


@dataclass(frozen=True)
class Standing:
    """A person's situation for one need: what they break, their load in the session."""

    user: User
    reasons: tuple[Reason, ...]
    half_days: int
    copies: int


def standings(
    session: Session,
    row: Need,
    users: Iterable[User],
    limits: Limits,
    *,
    copies: int,
    ignoring: Collection[int] = (),
) -> list[Standing]:
    """Every hard constraint each person breaks by taking a seat of `row` (a lot of `copies`),
    the assignments `ignoring` set aside (the one being replaced)."""
    people = [u for u in users if u.role == Role.INTERVENANT]
    if not people:
        return []
    ids = {u.id for u in people}
    slot = slot_of(row)
    competent = {
        user_id
        for user_id, paper_id, *_ in repository.validated_competences(session, {row.paper_id})
    }
    unavailable = {
        u.user_id
        for u in repository.unavailabilities_between(session, ids, row.day, row.day)
        if period_slots(
            u.start_date, HalfDay(u.start_half_day), u.end_date, HalfDay(u.end_half_day), {slot}
        )
    }
    unavailable |= {
        user_id
        for user_id, day, half_day in repository.withdrawn_slots(session, row.session_id)
        if Slot(day, HalfDay(half_day)) == slot
    }
    busy: set[int] = set()
    half_days: Counter[int] = Counter()
    lot_copies: Counter[int] = Counter()
    for assignment in repository.assignments_of_session(session, row.session_id, ACTIVE):
        if assignment.id in ignoring or assignment.user_id not in ids:
            continue
        half_days[assignment.user_id] += 1
        lot_copies[assignment.user_id] += assignment.copies
    for user_id, day, half_day, _, _ in repository.active_slots(session, ids, row.day, row.day):
        if Slot(day, HalfDay(half_day)) == slot:
            busy.add(user_id)
    for assignment_id in ignoring:
        ignored = repository.assignment(session, assignment_id)
        if ignored is not None and slot_of(ignored.need) == slot:
            # The seat being given up does not make its holder busy elsewhere.
            busy.discard(ignored.user_id)
    engaged = {
        user_id
        for user_id, kind, start, end, start_time, end_time in repository.other_convocations(
            session, ids, row.day, row.day
        )
        if slot in mission_slots(kind, start, end, start_time, end_time)
    }
    extra = repository.centre_schools(session, [row.centre_id]).get(row.centre_id, [])
    schools = centre_of(row.centre, extra).schools
    answer = []
    for user in people:
        reasons = []
        if user.id not in competent:
            reasons.append(Reason.NOT_COMPETENT)
        if user.id in unavailable:
            reasons.append(Reason.UNAVAILABLE)
        if user.id in engaged:
            reasons.append(Reason.ENGAGED)
        if user.id in busy:
            reasons.append(Reason.DOUBLE_BOOKED)
        if user.school and school_key(user.school) in schools:
            reasons.append(Reason.OWN_SCHOOL)
        if half_days[user.id] + 1 > limits.max_half_days:
            reasons.append(Reason.OVER_HALF_DAYS)
        if lot_copies[user.id] + copies > limits.max_copies:
            reasons.append(Reason.OVER_COPIES)
        answer.append(Standing(user, tuple(reasons), half_days[user.id], lot_copies[user.id]))
    return answer


def candidates(
    session: Session,
    row: Need,
    *,
    copies: int,
    excluded: Collection[int] = (),
    ignoring: Collection[int] = (),
    limit: int = 20,
) -> list[CandidateOut]:
    """Who could take a seat of `row`, cheapest first, then least loaded: competent, available,
    not of the centre's school, with room left."""
    limits = default_limits(session, row.session_id)
    users = [
        u
        for u in repository.intervenants_with_competence(session, row.paper_id)
        if u.id not in excluded
    ]
    eligible = [
        s
        for s in standings(session, row, users, limits, copies=copies, ignoring=ignoring)
        if not s.reasons
    ]
    b = need_board(session, row, [s.user for s in eligible], limits)
    venue = venue_of(row).commune.name
    ranked = []
    for standing in eligible:
        estimate = b.costs.estimate(standing.user.id, row.id)
        ranked.append(
            (estimate.amount, standing.half_days, standing.user.full_name, standing, estimate)
        )
    ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].user.id))
    return [
        CandidateOut(
            user_id=standing.user.id,
            person_name=standing.user.full_name,
            login=standing.user.login,
            school=standing.user.school,
            expected_cost=estimate.amount,
            round_trip_km=estimate.round_trip_km,
            half_days=standing.half_days,
            copies=standing.copies,
            travel=estimate_text(estimate, venue),
        )
        for *_, standing, estimate in ranked[:limit]
    ]


def need_candidates(session: Session, need_id: int, limit: int) -> list[CandidateOut]:
    row = need(session, need_id)
    sizes = lot_sizes(row.copies or 0, row.lot_size or 1)
    holders = {a.user_id for a in repository.assignments_of_need(session, row.id, ACTIVE)}
    return candidates(session, row, copies=max(sizes, default=0), excluded=holders, limit=limit)
