"""What the DEC reviews of a session's assignment: each need with its tasks, who is on them and
why, what is missing; each person's load; the last run.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from server_stub.assignment import repository
from server_stub.assignment.models import Assignment, AssignmentStatus, NeedKind, Run
from server_stub.assignment.planning.board import (
    ACTIVE,
    default_limits,
    require_exam_session,
    task_label,
)
from server_stub.assignment.schemas import (
    AssignmentOut,
    ExplanationOut,
    NeedCoverageOut,
    PersonLoadOut,
    RunOut,
    SessionResultOut,
    ShortfallOut,
    SolveDefaultsOut,
    TaskOut,
)
from server_stub.assignment.service import need_out, required, task_count
from server_stub.assignment.solver import lot_sizes
from server_stub.rules.money import ZERO


def assignment_out(assignment: Assignment) -> AssignmentOut:
    return AssignmentOut(
        id=assignment.id,
        need_id=assignment.need_id,
        task_index=assignment.task_index,
        task_label=task_label(assignment.need, assignment.task_index, assignment.copies),
        user_id=assignment.user_id,
        person_name=assignment.user.full_name,
        login=assignment.user.login,
        status=AssignmentStatus(assignment.status),
        locked=assignment.locked,
        manual=assignment.manual,
        copies=assignment.copies,
        expected_cost=assignment.expected_cost,
        round_trip_km=assignment.round_trip_km,
        explanation=ExplanationOut.model_validate(assignment.explanation or {}),
        convocation_id=assignment.convocation_id,
        replaces_id=assignment.replaces_id,
        withdrawn_at=assignment.withdrawn_at,
        withdrawal_reason=assignment.withdrawal_reason,
    )


def run_out(run: Run) -> RunOut:
    return RunOut(
        id=run.id,
        at=run.at,
        options={k: int(v) for k, v in (run.options or {}).items()},
        placed=run.placed,
        uncovered=run.uncovered,
        expected_cost=run.expected_cost,
        milliseconds=run.milliseconds,
        shortfalls=[ShortfallOut.model_validate(s) for s in run.shortfalls or []],
        warnings=list(run.warnings or []),
    )


def result(
    session: Session,
    session_id: int,
    *,
    paper_id: int | None = None,
    centre_id: int | None = None,
    short_only: bool = False,
) -> SessionResultOut:
    """The session's needs and who covers them; the totals are the whole session's, the needs
    listed can be narrowed to a paper, a centre, or those with empty seats."""
    require_exam_session(session, session_id)
    run = repository.last_run(session, session_id)
    messages = {s["need_id"]: s["message"] for s in (run.shortfalls if run else [])}
    by_need: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in repository.assignments_of_session(session, session_id):
        by_need[assignment.need_id].append(assignment)
    coverage = []
    total_cost = ZERO
    for row in repository.needs(session, session_id):
        assignments = by_need.get(row.id, [])
        active = [a for a in assignments if a.status in ACTIVE]
        total_cost += sum((a.expected_cost for a in active), ZERO)
        seats = row.seats if row.kind != NeedKind.CORRECTION else 1
        sizes = lot_sizes(row.copies or 0, row.lot_size or 1)
        tasks = [
            TaskOut(
                index=index,
                label=task_label(row, index, sizes[index - 1] if sizes else 0),
                seats=seats,
                copies=sizes[index - 1] if row.kind == NeedKind.CORRECTION else 0,
                assignments=[assignment_out(a) for a in assignments if a.task_index == index],
            )
            for index in range(1, task_count(row) + 1)
        ]
        placed = len(active)
        wanted = required(row)
        shortfall = None
        if placed < wanted:
            shortfall = messages.get(row.id) or (
                f"{wanted - placed} place(s) non pourvue(s) : lancez le calcul de l'affectation "
                "ou affectez quelqu'un à la main."
            )
        coverage.append(
            NeedCoverageOut(
                need=need_out(row),
                required=wanted,
                placed=placed,
                issued=sum(a.status == AssignmentStatus.ISSUED for a in active),
                shortfall=shortfall,
                tasks=tasks,
            )
        )
    listed = [
        c
        for c in coverage
        if (paper_id is None or c.need.paper_id == paper_id)
        and (centre_id is None or c.need.centre_id == centre_id)
        and (not short_only or c.placed < c.required)
    ]
    return SessionResultOut(
        session_id=session_id,
        run=run_out(run) if run else None,
        required=sum(c.required for c in coverage),
        placed=sum(c.placed for c in coverage),
        issued=sum(c.issued for c in coverage),
        expected_cost=total_cost,
        needs=listed,
    )


def loads(session: Session, session_id: int) -> list[PersonLoadOut]:
    require_exam_session(session, session_id)
    people: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in repository.assignments_of_session(session, session_id, ACTIVE):
        people[assignment.user_id].append(assignment)
    answer = [
        PersonLoadOut(
            user_id=user_id,
            person_name=items[0].user.full_name,
            login=items[0].user.login,
            school=items[0].user.school,
            half_days=len(items),
            copies=sum(a.copies for a in items),
            expected_cost=sum((a.expected_cost for a in items), ZERO),
            assignment_ids=[a.id for a in items],
        )
        for user_id, items in people.items()
    ]
    return sorted(answer, key=lambda p: (-p.half_days, -p.copies, p.person_name))


def solve_defaults(session: Session, session_id: int) -> SolveDefaultsOut:
    """What the next solve takes when asked for nothing else: the last run's limits."""
    require_exam_session(session, session_id)
    limits = default_limits(session, session_id)
    return SolveDefaultsOut(
        max_half_days=limits.max_half_days,
        max_copies=limits.max_copies,
        load_step_cents=limits.load_step_cents,
        from_last_run=repository.last_run(session, session_id) is not None,
    )
