"""Solving a session's needs, reviewing the proposal, editing it, ranking candidates.

`board()` reads once what the solver needs; the solver itself (`solver.solve`) is pure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

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
    shortfall_message,
    slot_label,
)
from server_stub.assignment.models import Assignment, AssignmentStatus, Need, NeedKind, Run
from server_stub.assignment.schemas import (
    AssignmentOut,
    CandidateOut,
    ExplanationOut,
    LockIn,
    ManualIn,
    NeedCoverageOut,
    PersonLoadOut,
    PlacementOut,
    ReassignIn,
    RunOut,
    SessionResultOut,
    ShortfallOut,
    SolveIn,
    SolveOut,
    TaskOut,
)
from server_stub.assignment.service import (
    TASK_KINDS,
    need,
    need_out,
    required,
    task_count,
    title_of,
)
from server_stub.assignment.solver import Limits, Reason, Slot, lot_sizes, school_key
from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput, NotFound
from server_stub.reference import service as reference
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.reference.models import Centre, ExamSession
from server_stub.rules.model import HalfDay, MissionType
from server_stub.rules.money import ZERO

ACTIVE = (AssignmentStatus.PROPOSED, AssignmentStatus.ISSUED)
# A mission is at the centre in the morning when it starts before noon, in the afternoon when it
# ends after 13h: this tells which half-days another convocation takes.
NOON = dt.time(12, 0)
AFTERNOON_FROM = dt.time(13, 0)


# --- tasks and half-days ----------------------------------------------------------------------


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
        return f"Lot n° {index} ({copies} copies)"
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


# --- the board --------------------------------------------------------------------------------


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


def board(session: Session, exam_session: ExamSession, limits: Limits) -> Board:
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
        adjacent=adjacent_pairs(),
    )
    return result


# --- solving ----------------------------------------------------------------------------------


def _session(session: Session, session_id: int) -> ExamSession:
    found: ExamSession = reference.require(session, ExamSession, session_id)
    return found


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


def solve_session(session: Session, actor: User, session_id: int, body: SolveIn) -> SolveOut:
    exam_session = _session(session, session_id)
    limits = default_limits(session, session_id, body)
    b = board(session, exam_session, limits)
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


# --- review -----------------------------------------------------------------------------------


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
    _session(session, session_id)
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
    _session(session, session_id)
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


# --- edits ------------------------------------------------------------------------------------


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


def single_board(session: Session, row: Need, users: Iterable[User], limits: Limits) -> Board:
    """A board holding one need and a few people, for explanations outside a solve."""
    people = list(users)
    b = Board(_session(session, row.session_id), limits)
    b.needs = {row.id: row}
    b.users = {u.id: u for u in people}
    for user_id, paper_id, decided_at, first, last in repository.validated_competences(
        session, {row.paper_id}
    ):
        if user_id in b.users:
            b.decisions[(user_id, paper_id)] = (decided_at, f"{first} {last}" if first else None)
    b.costs = EstimatedCosts(
        {u.id: home_of(u) for u in people}, {row.id: venue_of(row)}, adjacent=adjacent_pairs()
    )
    return b


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
    b = single_board(session, row, [user], limits)
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


# --- candidates -------------------------------------------------------------------------------


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
    b = single_board(session, row, [s.user for s in eligible], limits)
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
