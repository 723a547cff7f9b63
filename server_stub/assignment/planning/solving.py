"""Solving a session: the solver run on the session's board, its proposal stored in place of the
open one (locked and issued assignments kept), the run recorded; or only answered (dry run).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from server_stub.assignment import repository, solver
from server_stub.assignment.explanation import reasons_text, shortfall_message, slot_label
from server_stub.assignment.models import Assignment, AssignmentStatus, NeedKind, Run
from server_stub.assignment.planning.board import (
    default_limits,
    explain,
    require_exam_session,
    session_board,
    task_id,
)
from server_stub.assignment.schemas import PlacementOut, RunOut, ShortfallOut, SolveIn, SolveOut
from server_stub.assignment.service import TASK_KINDS, title_of
from server_stub.assignment.solver import Reason
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.rules.model import HalfDay


def solve_session(session: Session, actor: User, session_id: int, body: SolveIn) -> SolveOut:
    exam_session = require_exam_session(session, session_id)
    limits = default_limits(session, session_id, body)
    b = session_board(session, exam_session, limits)
    instance = b.instance()
    solution = solver.solve(instance)
    previous = repository.last_run(session, session_id)

    shortfalls = [
        ShortfallOut(
            need_id=s.need_id,
            missing=s.missing,
            message=shortfall_message(
                title_of(b.needs[s.need_id]),
                slot_label(b.needs[s.need_id].day, HalfDay(b.needs[s.need_id].half_day)),
                TASK_KINDS[NeedKind(b.needs[s.need_id].kind)],
                s,
            ),
        )
        for s in solution.shortfalls
    ]
    problems: dict[tuple[str, int], list[Reason]] = defaultdict(list)
    for problem in solution.lock_problems:
        problems[(problem.lock.task_id, problem.lock.person_id)].append(problem.reason)
    warnings = []
    for (tid, user_id), reasons in problems.items():
        row = b.needs.get(int(tid.split(":")[0]))
        user = b.users.get(user_id)
        if row is not None and user is not None:
            warnings.append(f"{title_of(row)} : {reasons_text(user.full_name, reasons)}")

    options = {
        "max_half_days": limits.max_half_days,
        "max_copies": limits.max_copies,
        "load_step_cents": limits.load_step_cents,
    }
    run = RunOut(
        id=None,
        at=clock.now(),
        options=options,
        placed=len(solution.placements),
        uncovered=sum(s.missing for s in solution.shortfalls),
        expected_cost=cents(solution.travel_cents),
        milliseconds=round(solution.stats.seconds * 1000),
        shortfalls=shortfalls,
        warnings=warnings,
    )
    answer = SolveOut(
        run=run,
        dry_run=body.dry_run,
        previous_expected_cost=previous.expected_cost if previous is not None else None,
        placements=[],
    )
    if body.dry_run:
        answer.placements = [
            PlacementOut(
                need_id=int(p.task_id.split(":")[0]),
                task_index=int(p.task_id.split(":")[1]),
                user_id=p.person_id,
                person_name=b.users[p.person_id].full_name,
                expected_cost=cents(p.cost_cents),
                locked=p.locked,
            )
            for p in solution.placements
        ]
        return answer

    kept = {(task_id(a.need_id, a.task_index), a.user_id): a for a in b.active if _kept(a)}
    repository.delete_open_proposals(session, session_id)
    now = clock.now()
    sizes = {t.id: t.copies for t in b.tasks}
    for placement in solution.placements:
        need_id, index = (int(x) for x in placement.task_id.split(":"))
        row = b.needs[need_id]
        existing = kept.get((placement.task_id, placement.person_id))
        explanation, estimate = explain(
            b,
            row,
            placement.person_id,
            load=solution.loads.get(placement.person_id),
            rank=placement.rank,
            candidates=placement.candidates,
            locked=placement.locked,
            manual=existing.manual if existing else False,
            issued=existing is not None and existing.status == AssignmentStatus.ISSUED,
            reasons=problems.get((placement.task_id, placement.person_id), ()),
        )
        if existing is not None:
            refreshed = explanation.as_dict()
            if existing.status == AssignmentStatus.ISSUED:  # keeps "Remplace …" and the like
                refreshed["choice"] = (existing.explanation or {}).get("choice", explanation.choice)
            existing.explanation = refreshed
            continue
        session.add(
            Assignment(
                need_id=need_id,
                task_index=index,
                user_id=placement.person_id,
                copies=sizes[placement.task_id],
                status=AssignmentStatus.PROPOSED,
                locked=False,
                manual=False,
                expected_cost=estimate.amount,
                round_trip_km=estimate.round_trip_km,
                explanation=explanation.as_dict(),
                created_at=now,
            )
        )
    stored = Run(
        session_id=session_id,
        actor_id=actor.id,
        at=run.at,
        options=options,
        placed=run.placed,
        uncovered=run.uncovered,
        expected_cost=run.expected_cost,
        milliseconds=run.milliseconds,
        shortfalls=[s.model_dump() for s in shortfalls],
        warnings=warnings,
    )
    session.add(stored)
    session.flush()
    answer.run.id = stored.id
    return answer


def cents(amount: int) -> Decimal:
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


def _kept(assignment: Assignment) -> bool:
    return assignment.status == AssignmentStatus.ISSUED or assignment.locked
