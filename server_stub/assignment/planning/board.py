"""The solver's input for one exam session, read once: its needs cut into tasks (lots,
commissions, meetings), the people who may take them and the half-days they are not free, the
centres' schools, the estimated cost of every journey, the assignments to keep.

The solver itself (`assignment.solver`) is pure; this is where the database is read for it.
`explain` tells, from a board, why a person is on a task.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from server_stub.assignment import repository, solver
from server_stub.assignment.costing import (
    Estimate,
    EstimatedCosts,
    Home,
    Venue,
    packaged_estimation,
)
from server_stub.assignment.explanation import (
    Explanation,
    choice_text,
    competence_text,
    estimate_text,
    load_text,
    reasons_text,
)
from server_stub.assignment.models import Assignment, AssignmentStatus, Need, NeedKind
from server_stub.assignment.schemas import SolveIn
from server_stub.assignment.service import TASK_KINDS, task_count
from server_stub.assignment.solver import Limits, Reason, Slot, lot_sizes, school_key
from server_stub.auth.models import Role, User
from server_stub.reference import service as reference
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, ExamSession
from server_stub.referential.values import adjacent_pairs
from server_stub.rules.french import plural
from server_stub.rules.model import HalfDay, MissionType

ACTIVE = (AssignmentStatus.PROPOSED, AssignmentStatus.ISSUED)
# A mission is at the centre in the morning when it starts before noon, in the afternoon when it
# ends after 13h: this tells which half-days another convocation takes.
NOON = dt.time(12, 0)
AFTERNOON_FROM = dt.time(13, 0)


def task_id(need_id: int, index: int) -> str:
    return f"{need_id}:{index}"


def slot_of(row: Need) -> Slot:
    return Slot(row.day, HalfDay(row.half_day))


def tasks_of(row: Need) -> list[solver.Task]:
    kind = TASK_KINDS[NeedKind(row.kind)]
    slot = slot_of(row)
    if row.kind == NeedKind.CORRECTION:
        return [
            solver.Task(task_id(row.id, i), row.id, kind, row.paper_id, row.centre_id, slot, 1, n)
            for i, n in enumerate(lot_sizes(row.copies or 0, row.lot_size or 1), start=1)
        ]
    return [
        solver.Task(task_id(row.id, i), row.id, kind, row.paper_id, row.centre_id, slot, row.seats)
        for i in range(1, task_count(row) + 1)
    ]


def task_label(row: Need, index: int, copies: int) -> str:
    if row.kind == NeedKind.CORRECTION:
        return f"Lot n° {index} ({plural(copies, 'copie', 'copies')})"
    if row.kind == NeedKind.ORAL:
        return f"Commission n° {index}"
    return "Réunion"


def mission_slots(
    kind: str, start: dt.date, end: dt.date, start_time: dt.time, end_time: dt.time
) -> set[Slot]:
    """The half-days a convocation keeps the person at its centre.

    A correction keeps them there only when the copies are handed over (its first day); other
    missions every day from the first to the last.
    """
    days = [start] if kind == MissionType.CORRECTION else _days(start, end)
    slots = set()
    for day in days:
        if start_time < NOON or len(days) > 1:
            slots.add(Slot(day, HalfDay.MORNING))
        if end_time > AFTERNOON_FROM or len(days) > 1:
            slots.add(Slot(day, HalfDay.AFTERNOON))
    return slots


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def period_slots(
    start: dt.date, start_half: HalfDay, end: dt.date, end_half: HalfDay, within: Collection[Slot]
) -> set[Slot]:
    low, high = (start, start_half), (end, end_half)
    return {s for s in within if low <= (s.day, s.half_day) <= high}


@dataclass
class Board:
    """Everything about one session the solver and the explanations need, read once."""

    exam_session: ExamSession
    limits: Limits
    needs: dict[int, Need] = field(default_factory=dict)
    tasks: list[solver.Task] = field(default_factory=list)
    people: dict[int, solver.Person] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    centres: dict[int, solver.Centre] = field(default_factory=dict)
    decisions: dict[tuple[int, int], tuple[dt.datetime | None, str | None]] = field(
        default_factory=dict
    )
    active: list[Assignment] = field(default_factory=list)
    costs: EstimatedCosts = field(default_factory=lambda: EstimatedCosts({}, {}))

    @property
    def locks(self) -> list[solver.Lock]:
        return [
            solver.Lock(task_id(a.need_id, a.task_index), a.user_id)
            for a in self.active
            if a.status == AssignmentStatus.ISSUED or a.locked
        ]

    def instance(self) -> solver.Instance:
        return solver.Instance(
            people=list(self.people.values()),
            centres=self.centres,
            tasks=self.tasks,
            costs=self.costs,
            limits=self.limits,
            locks=self.locks,
        )


def require_exam_session(session: Session, session_id: int) -> ExamSession:
    """The exam session, or the French 404 when there is none."""
    found: ExamSession = reference.require(session, ExamSession, session_id)
    return found


def default_limits(session: Session, session_id: int, body: SolveIn | None = None) -> Limits:
    """The body's figures, else the last run's, else the académie's defaults."""
    estimation = packaged_estimation()
    run = repository.last_run(session, session_id)
    previous = run.options if run is not None else {}
    body = body or SolveIn()

    def pick(name: str, default: int) -> int:
        value = getattr(body, name)
        if value is not None:
            return int(value)
        return int(previous.get(name, default))

    return Limits(
        max_half_days=pick("max_half_days", estimation.max_half_days),
        max_copies=pick("max_copies", estimation.max_copies),
        load_step_cents=pick("load_step_cents", estimation.load_step_cents),
    )


def centre_of(row: Centre, extra_schools: Iterable[str]) -> solver.Centre:
    return solver.Centre(
        row.id, frozenset({school_key(row.name)} | {school_key(s) for s in extra_schools})
    )


def home_of(user: User) -> Home:
    directory = communes()
    return Home(
        administrative=directory.get(user.administrative_residence or ""),
        family=directory.get(user.family_residence or ""),
        fiscal_power=user.fiscal_power,
    )


def venue_of(row: Need) -> Venue:
    return Venue(
        commune=communes().require(row.centre.commune_insee),
        day=row.day,
        start=row.start_time,
        end=row.end_time,
        travel_reimbursable=row.travel_reimbursable,
    )


def session_board(session: Session, exam_session: ExamSession, limits: Limits) -> Board:
    """The board of a whole session: every need, every person with a validated competence for
    one of its papers or already on one of its tasks, what keeps them busy on its days."""
    result = Board(exam_session, limits)
    needs = repository.needs(session, exam_session.id)
    if not needs:
        return result
    result.needs = {n.id: n for n in needs}
    result.tasks = [t for n in needs for t in tasks_of(n)]
    slots = {t.slot for t in result.tasks}
    first, last = min(n.day for n in needs), max(n.day for n in needs)

    validated = repository.validated_competences(session, {n.paper_id for n in needs})
    result.active = list(repository.assignments_of_session(session, exam_session.id, ACTIVE))
    user_ids = {row[0] for row in validated} | {a.user_id for a in result.active}
    result.users = {
        uid: u
        for uid, u in repository.users(session, user_ids).items()
        if u.role == Role.INTERVENANT
    }
    competences: dict[int, set[int]] = defaultdict(set)
    for user_id, paper_id, decided_at, first_name, last_name in validated:
        competences[user_id].add(paper_id)
        decider = f"{first_name} {last_name}" if first_name else None
        result.decisions[(user_id, paper_id)] = (decided_at, decider)

    unavailable: dict[int, set[Slot]] = defaultdict(set)
    for row in repository.unavailabilities_between(session, None, first, last):
        unavailable[row.user_id] |= period_slots(
            row.start_date,
            HalfDay(row.start_half_day),
            row.end_date,
            HalfDay(row.end_half_day),
            slots,
        )
    for user_id, day, half_day in repository.withdrawn_slots(session, exam_session.id):
        unavailable[user_id].add(Slot(day, HalfDay(half_day)))
    engaged: dict[int, set[Slot]] = defaultdict(set)
    for user_id, day, half_day, _, _ in repository.active_slots(
        session, None, first, last, other_than_session=exam_session.id
    ):
        engaged[user_id].add(Slot(day, HalfDay(half_day)))
    for user_id, kind, start, end, start_time, end_time in repository.other_convocations(
        session, None, first, last
    ):
        engaged[user_id] |= mission_slots(kind, start, end, start_time, end_time) & slots

    result.people = {
        uid: solver.Person(
            id=uid,
            competences=frozenset(competences.get(uid, ())),
            unavailable=frozenset(unavailable.get(uid, ())),
            engaged=frozenset(engaged.get(uid, ())),
            school=school_key(user.school) if user.school else None,
        )
        for uid, user in result.users.items()
    }
    extra = repository.centre_schools(session, {n.centre_id for n in needs})
    result.centres = {n.centre_id: centre_of(n.centre, extra.get(n.centre_id, ())) for n in needs}
    result.costs = EstimatedCosts(
        {uid: home_of(u) for uid, u in result.users.items()},
        {n.id: venue_of(n) for n in needs},
        adjacent=adjacent_pairs(session),
    )
    return result


def need_board(session: Session, row: Need, users: Iterable[User], limits: Limits) -> Board:
    """A board holding one need and a few people, for explanations outside a solve."""
    people = list(users)
    b = Board(require_exam_session(session, row.session_id), limits)
    b.needs = {row.id: row}
    b.users = {u.id: u for u in people}
    for user_id, paper_id, decided_at, first, last in repository.validated_competences(
        session, {row.paper_id}
    ):
        if user_id in b.users:
            b.decisions[(user_id, paper_id)] = (decided_at, f"{first} {last}" if first else None)
    b.costs = EstimatedCosts(
        {u.id: home_of(u) for u in people},
        {row.id: venue_of(row)},
        adjacent=adjacent_pairs(session),
    )
    return b


def explain(
    b: Board,
    row: Need,
    user_id: int,
    *,
    load: solver.Load | None,
    rank: int | None = None,
    candidates: int = 0,
    locked: bool = False,
    manual: bool = False,
    issued: bool = False,
    reasons: Iterable[Reason] = (),
) -> tuple[Explanation, Estimate]:
    """Why `user_id` is on a task of `row` (competence, journey, load, choice, what they break)
    and what their journey is expected to cost."""
    estimate = b.costs.estimate(user_id, row.id)
    decided_at, decided_by = b.decisions.get((user_id, row.paper_id), (None, None))
    user = b.users.get(user_id)
    warnings = []
    listed = list(reasons)
    if listed and user is not None:
        warnings.append(reasons_text(user.full_name, listed))
    explanation = Explanation(
        competence=competence_text(row.paper.code, decided_at, decided_by),
        travel=estimate_text(estimate, venue_of(row).commune.name),
        load=load_text(load.half_days if load else 1, load.copies if load else 0, b.limits),
        choice=choice_text(rank, candidates, locked=locked, manual=manual, issued=issued),
        warnings=warnings,
    )
    return explanation, estimate
