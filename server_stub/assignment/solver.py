"""The optimal assignment of intervenants to lots, commission seats and meetings.

Pure: plain dataclasses in, plain dataclasses out; no database, no HTTP. The method and why it is
exact are in docs/assignment.md. In short, the problem is a network:

    need group --(1, cost)--> person × half-day --(1, 0)--> person --(1, 2k-1)*--> sink

* a group is the free seats of one need that cost the same (a need's lots of one size, its
  commissions): its node supplies one unit per seat;
* an arc from a group to a person's half-day exists only when every hard constraint holds
  (validated competence, available that half-day, not the school of the centre, room left in the
  person's copies), and costs the person's expected travel cost to the centre;
* the person × half-day node lets one unit through: one task, hence one place, per half-day;
* the person node reaches the sink through one arc per unit of load up to the maximum number of
  half-days; the k-th arc costs 2k-1, so a load of L costs L², a convex cost: among the cheapest
  assignments the flow picks the one with the least sum of squared loads, the most even.

Travel costs are scaled by a factor larger than any possible difference of the load term, so the
order is strict: lowest expected cost first, then the most even load. Min-cost flow on integer
capacities has integral optimal solutions and its LP relaxation has the same optimum: the result
is optimal, not a heuristic. `solve_max_flow_with_min_cost` covers as many seats as possible
first, so an instance that cannot be fully covered still gets its best partial answer, and each
uncovered need says why.

One constraint is not a flow constraint: the maximum number of copies per person (lots differ in
size, and a unit of flow does not carry its size past the half-day node). It is checked after the
solve; a person over the limit keeps their cheapest lots, the others are forbidden to them and the
flow is solved again (`Stats.repairs` counts the rounds). The bench measures what this costs
against the LP relaxation that does include the copies constraint.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np
from ortools.graph.python import min_cost_flow

from server_stub.rules.model import HalfDay

log = logging.getLogger(__name__)

# ortools multiplies costs by the number of nodes + 1 while scaling; stay well within int64.
_COST_CEILING = 2**62
_MAX_REPAIRS = 50


class TaskKind(StrEnum):
    LOT = "LOT"  # a lot of copies to correct: one corrector
    COMMISSION = "COMMISSION"  # an oral commission: `seats` examiners
    MEETING = "MEETING"  # a meeting: `seats` participants


class Reason(StrEnum):
    """Why a person may not take a task (hard constraints)."""

    NOT_COMPETENT = "NOT_COMPETENT"
    UNAVAILABLE = "UNAVAILABLE"
    ENGAGED = "ENGAGED"  # convened elsewhere that half-day
    OWN_SCHOOL = "OWN_SCHOOL"
    DOUBLE_BOOKED = "DOUBLE_BOOKED"  # two locked tasks the same half-day
    OVER_HALF_DAYS = "OVER_HALF_DAYS"
    OVER_COPIES = "OVER_COPIES"
    UNKNOWN = "UNKNOWN"  # the lock names a task or a person the instance does not hold
    FULL = "FULL"  # more locks than the task has seats


@dataclass(frozen=True, order=True)
class Slot:
    """A half-day."""

    day: dt.date
    half_day: HalfDay


@dataclass(frozen=True)
class Person:
    id: int
    competences: frozenset[int]  # papers with a validated competence
    unavailable: frozenset[Slot] = frozenset()  # declared unavailability
    engaged: frozenset[Slot] = frozenset()  # already convened elsewhere
    school: str | None = None  # a `school_key`


@dataclass(frozen=True)
class Centre:
    id: int
    schools: frozenset[str] = frozenset()  # `school_key`s of the schools whose candidates sit here


@dataclass(frozen=True)
class Task:
    """One lot, one commission or one meeting, at one centre and one half-day."""

    id: str
    need_id: int
    kind: TaskKind
    paper_id: int
    centre_id: int
    slot: Slot
    seats: int = 1
    copies: int = 0  # the lot's copies; 0 for commissions and meetings


@dataclass(frozen=True)
class Lock:
    """A seat the DEC has filled by hand (or a convocation already issued): kept as it is."""

    task_id: str
    person_id: int


@dataclass(frozen=True)
class Limits:
    max_half_days: int = 8
    max_copies: int = 200
    # Optional trade-off: each extra half-day of a person costs this many cents more than the
    # previous one, at the same level as travel costs. 0: load only breaks ties.
    load_step_cents: int = 0


class CostModel(Protocol):
    def cost_cents(self, person: Person, task: Task) -> int:
        """The expected travel cost, in cents, of `person` doing `task`."""
        ...


@dataclass(frozen=True)
class Instance:
    people: Sequence[Person]
    centres: Mapping[int, Centre]
    tasks: Sequence[Task]
    costs: CostModel
    limits: Limits = Limits()
    locks: Sequence[Lock] = ()


@dataclass(frozen=True)
class Placement:
    task_id: str
    person_id: int
    cost_cents: int
    locked: bool = False
    rank: int | None = None  # 1: the cheapest of the task's candidates
    candidates: int = 0  # people who could take the task, before loads are counted


@dataclass(frozen=True)
class Shortfall:
    """A need whose seats could not all be filled, with the counts that say why."""

    need_id: int
    task_ids: tuple[str, ...]  # the tasks left with an empty seat
    required: int  # seats of the need
    placed: int
    competent: int  # people with a validated competence for the paper
    available: int  # … and available that half-day (neither declared unavailable nor engaged)
    eligible: int  # … and not of the school of the centre

    @property
    def missing(self) -> int:
        return self.required - self.placed


@dataclass(frozen=True)
class LockProblem:
    lock: Lock
    reason: Reason


@dataclass(frozen=True)
class Load:
    person_id: int
    half_days: int
    copies: int
    cost_cents: int


@dataclass(frozen=True)
class Stats:
    seconds: float
    nodes: int
    arcs: int
    repairs: int
    lexicographic: bool  # False only if the cost range forced a smaller scale (see `_scale`)
    # The travel cost of the first flow, before any copies repair: the network's exact optimum.
    network_optimum_cents: int = 0


@dataclass(frozen=True)
class Solution:
    placements: tuple[Placement, ...]
    shortfalls: tuple[Shortfall, ...]
    loads: Mapping[int, Load]
    lock_problems: tuple[LockProblem, ...]
    stats: Stats

    @property
    def travel_cents(self) -> int:
        return sum(p.cost_cents for p in self.placements)

    @property
    def load_squares(self) -> int:
        return sum(load.half_days**2 for load in self.loads.values())

    @property
    def complete(self) -> bool:
        return not self.shortfalls


class SolverError(RuntimeError):
    """The flow solver answered something other than an optimum (a bug, not an instance)."""


def lot_sizes(copies: int, lot_size: int) -> list[int]:
    """The lots of `copies` copies, none above `lot_size`, as even as can be (larger first)."""
    if copies <= 0:
        return []
    count = -(-copies // max(lot_size, 1))
    base, extra = divmod(copies, count)
    return [base + 1] * extra + [base] * (count - extra)


# --- the hard constraints ---------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def school_key(name: str) -> str:
    """A school or centre name compared without case, accents or punctuation."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", letters).strip()


def ineligibility(person: Person, task: Task, centre: Centre | None) -> list[Reason]:
    """The hard constraints `person` breaks by taking `task` on its own (loads aside)."""
    reasons = []
    if task.paper_id not in person.competences:
        reasons.append(Reason.NOT_COMPETENT)
    if task.slot in person.unavailable:
        reasons.append(Reason.UNAVAILABLE)
    if task.slot in person.engaged:
        reasons.append(Reason.ENGAGED)
    if person.school is not None and centre is not None and person.school in centre.schools:
        reasons.append(Reason.OWN_SCHOOL)
    return reasons


# --- solving ----------------------------------------------------------------------------------


@dataclass
class _Group:
    """The free seats of one need that cost the same for everyone (same copies)."""

    need_id: int
    copies: int
    representative: Task
    seats: list[tuple[Task, int]] = field(default_factory=list)  # (task, free seats)
    candidates: list[tuple[int, int]] = field(default_factory=list)  # (person id, cost)

    @property
    def supply(self) -> int:
        return sum(free for _, free in self.seats)


@dataclass
class _Locked:
    by_task: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    slots: dict[int, set[Slot]] = field(default_factory=lambda: defaultdict(set))
    half_days: Counter[int] = field(default_factory=Counter)
    copies: Counter[int] = field(default_factory=Counter)
    placements: list[Placement] = field(default_factory=list)
    problems: list[LockProblem] = field(default_factory=list)


def solve(instance: Instance) -> Solution:
    """The assignment of least expected travel cost, then most even load (see the module doc)."""
    started = time.perf_counter()
    people = {p.id: p for p in instance.people}
    tasks = {t.id: t for t in instance.tasks}
    limits = instance.limits
    locked = _apply_locks(instance, people, tasks)
    groups = _groups(instance.tasks, locked)
    _find_candidates(instance, groups, locked)

    network = _Network(instance, groups, locked)
    flows = network.solve()
    repairs = 0
    network_optimum: int | None = None
    while True:
        chosen = network.chosen(flows)
        if network_optimum is None:
            network_optimum = sum(c[2] for c in chosen) + sum(
                p.cost_cents for p in locked.placements
            )
        banned = _over_copies(chosen, groups, locked, limits)
        if not banned:
            break
        repairs += 1
        if repairs > _MAX_REPAIRS:  # never seen; keeps the loop finite whatever happens
            chosen = [c for c in chosen if c not in set(banned)]
            break
        network.ban(banned)
        flows = network.solve()

    placements = list(locked.placements)
    filled: dict[int, list[tuple[int, int]]] = defaultdict(list)  # group → (person, cost)
    for group_index, person_id, cost, _ in chosen:
        filled[group_index].append((person_id, cost))
    for index, group in enumerate(groups):
        placements.extend(_seat(group, filled.get(index, [])))

    solution_placements = tuple(sorted(placements, key=lambda p: (p.task_id, p.person_id)))
    return Solution(
        placements=solution_placements,
        shortfalls=tuple(_shortfalls(instance, solution_placements, locked)),
        loads=_loads(solution_placements, tasks),
        lock_problems=tuple(locked.problems),
        stats=Stats(
            seconds=time.perf_counter() - started,
            nodes=network.nodes,
            arcs=network.arcs,
            repairs=repairs,
            lexicographic=network.lexicographic,
            network_optimum_cents=network_optimum or 0,
        ),
    )


def _apply_locks(
    instance: Instance, people: Mapping[int, Person], tasks: Mapping[str, Task]
) -> _Locked:
    locked = _Locked()
    for lock in instance.locks:
        task, person = tasks.get(lock.task_id), people.get(lock.person_id)
        if task is None or person is None:
            locked.problems.append(LockProblem(lock, Reason.UNKNOWN))
            continue
        holders = locked.by_task[task.id]
        if person.id in holders:
            continue  # the same lock twice
        if len(holders) >= task.seats:
            locked.problems.append(LockProblem(lock, Reason.FULL))
            continue
        # The DEC may overrule a hard constraint by hand: the lock stays, the problem is told.
        reasons = ineligibility(person, task, instance.centres.get(task.centre_id))
        if task.slot in locked.slots[person.id]:
            reasons.append(Reason.DOUBLE_BOOKED)
        locked.problems.extend(LockProblem(lock, reason) for reason in reasons)
        holders.append(person.id)
        locked.slots[person.id].add(task.slot)
        locked.half_days[person.id] += 1
        locked.copies[person.id] += task.copies
        cost = instance.costs.cost_cents(person, task)
        locked.placements.append(Placement(task.id, person.id, cost, locked=True))
    return locked


def _groups(tasks: Iterable[Task], locked: _Locked) -> list[_Group]:
    groups: dict[tuple[int, int], _Group] = {}
    for task in tasks:
        free = task.seats - len(locked.by_task.get(task.id, ()))
        if free <= 0:
            continue
        key = (task.need_id, task.copies)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(task.need_id, task.copies, task)
        group.seats.append((task, free))
    return list(groups.values())


def _find_candidates(instance: Instance, groups: list[_Group], locked: _Locked) -> None:
    limits = instance.limits
    by_paper: dict[int, list[Person]] = defaultdict(list)
    for person in instance.people:
        for paper in person.competences:
            by_paper[paper].append(person)
    for group in groups:
        task = group.representative
        centre = instance.centres.get(task.centre_id)
        schools = centre.schools if centre is not None else frozenset()
        for person in by_paper.get(task.paper_id, ()):
            slot = task.slot
            if slot in person.unavailable or slot in person.engaged:
                continue
            if person.school is not None and person.school in schools:
                continue
            if slot in locked.slots.get(person.id, ()):
                continue
            if locked.half_days[person.id] >= limits.max_half_days:
                continue
            if locked.copies[person.id] + task.copies > limits.max_copies:
                continue
            group.candidates.append((person.id, instance.costs.cost_cents(person, task)))


class _Network:
    """The flow network of module doc, built once; bans and re-solves change capacities only."""

    def __init__(self, instance: Instance, groups: list[_Group], locked: _Locked) -> None:
        limits = instance.limits
        self.flow = min_cost_flow.SimpleMinCostFlow()
        sink = 0
        # A person's half-day needs its own node only when two groups compete for it; with a
        # single candidate group the arc already carries at most one unit and goes straight to
        # the person. Same network, fewer nodes and arcs.
        competing = Counter(
            (person_id, group.representative.slot)
            for group in groups
            for person_id, _ in group.candidates
        )
        next_node = 1 + len(groups)
        person_nodes: dict[int, int] = {}
        for person_id, _ in competing:
            if person_id not in person_nodes:
                person_nodes[person_id] = next_node
                next_node += 1
        half_day_nodes: dict[tuple[int, Slot], int] = {}
        for key, count in competing.items():
            if count > 1:
                half_day_nodes[key] = next_node
                next_node += 1

        tails: list[int] = []
        heads: list[int] = []
        costs: list[int] = []
        self.assignment_arcs: list[tuple[int, int, Slot, int]] = []  # (group, person, slot, cost)
        for index, group in enumerate(groups):
            slot = group.representative.slot
            for person_id, cost in group.candidates:
                tails.append(1 + index)
                heads.append(half_day_nodes.get((person_id, slot)) or person_nodes[person_id])
                costs.append(cost)
                self.assignment_arcs.append((index, person_id, slot, cost))

        supply = sum(group.supply for group in groups)
        max_cost = max(costs, default=0)
        self.scale, self.lexicographic = _scale(
            supply, limits, max_cost, nodes=next_node, step=limits.load_step_cents
        )

        capacities = [1] * len(tails)
        scaled = [cost * self.scale for cost in costs]
        for (person_id, _), node in half_day_nodes.items():
            tails.append(node)
            heads.append(person_nodes[person_id])
            capacities.append(1)
            scaled.append(0)
        for person_id, node in person_nodes.items():
            # The k-th half-day of a person costs 2k-1: a load of L costs L² in all.
            for k in range(locked.half_days[person_id] + 1, limits.max_half_days + 1):
                tails.append(node)
                heads.append(sink)
                capacities.append(1)
                scaled.append(2 * k - 1 + limits.load_step_cents * self.scale * (k - 1))

        self.arcs = len(tails)
        self.nodes = next_node
        if tails:
            self.flow.add_arcs_with_capacity_and_unit_cost(
                np.asarray(tails, dtype=np.int32),
                np.asarray(heads, dtype=np.int32),
                np.asarray(capacities, dtype=np.int64),
                np.asarray(scaled, dtype=np.int64),
            )
        supplies = [-supply] + [group.supply for group in groups]
        self.flow.set_nodes_supplies(
            np.arange(len(supplies), dtype=np.int32), np.asarray(supplies, dtype=np.int64)
        )
        self._assignment_arc_ids = np.arange(len(self.assignment_arcs), dtype=np.int32)

    def solve(self) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
        if not self.assignment_arcs:
            return np.zeros(0, dtype=np.int64)
        status = self.flow.solve_max_flow_with_min_cost()
        if status != self.flow.OPTIMAL:
            raise SolverError(f"min-cost flow answered {status!r}")
        flows: np.ndarray[tuple[int], np.dtype[np.int64]] = np.asarray(
            self.flow.flows(self._assignment_arc_ids), dtype=np.int64
        )
        return flows

    def chosen(
        self, flows: np.ndarray[tuple[int], np.dtype[np.int64]]
    ) -> list[tuple[int, int, int, int]]:
        """(group, person, cost, arc) of each assignment arc carrying flow."""
        return [(*self._arc_info(int(arc)), int(arc)) for arc in np.flatnonzero(flows)]

    def _arc_info(self, arc: int) -> tuple[int, int, int]:
        group, person, _, cost = self.assignment_arcs[arc]
        return group, person, cost

    def ban(self, arcs: Iterable[tuple[int, int, int, int]]) -> None:
        for *_, arc in arcs:
            self.flow.set_arc_capacity(arc, 0)


def _scale(
    supply: int, limits: Limits, max_cost: int, *, nodes: int, step: int
) -> tuple[int, bool]:
    """The factor that puts travel cost strictly before the load term.

    The load term is Σ (L² - L₀²) ≤ 2 · max_half_days · seats placed, so a factor above that makes
    one cent of travel outweigh any change of the load term. ortools refuses costs whose magnitude
    times (nodes + 1) overflows, and the total must fit too: the factor stays under both.
    """
    wanted = 2 * limits.max_half_days * max(supply, 1) + 1
    per_unit = max(max_cost, 1) + step * limits.max_half_days
    ceiling = _COST_CEILING // (per_unit * max(nodes + 1, supply, 1))
    if wanted <= ceiling:
        return wanted, True
    log.warning("cost range too wide for a strict order: load weighs on travel cost")
    return max(1, ceiling), False


def _over_copies(
    chosen: list[tuple[int, int, int, int]], groups: list[_Group], locked: _Locked, limits: Limits
) -> list[tuple[int, int, int, int]]:
    """The lots to forbid to people over their copies: each keeps their cheapest lots that fit."""
    lots: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for choice in chosen:
        group_index, person_id, _, _ = choice
        if groups[group_index].copies:
            lots[person_id].append(choice)
    banned = []
    for person_id, choices in lots.items():
        total = locked.copies[person_id] + sum(groups[c[0]].copies for c in choices)
        if total <= limits.max_copies:
            continue
        budget = limits.max_copies - locked.copies[person_id]
        for choice in sorted(choices, key=lambda c: (c[2], c[0])):
            copies = groups[choice[0]].copies
            if copies <= budget:
                budget -= copies
            else:
                banned.append(choice)
    return banned


def _seat(group: _Group, people: list[tuple[int, int]]) -> list[Placement]:
    """Gives the group's people their tasks: lots one by one, commissions filled in order."""
    ranking = sorted(cost for _, cost in group.candidates)
    queue = sorted(people, key=lambda p: (p[1], p[0]))
    placements: list[Placement] = []
    for task, free in group.seats:
        for _ in range(free):
            if not queue:
                return placements
            person_id, cost = queue.pop(0)
            rank = bisect.bisect_left(ranking, cost) + 1
            placements.append(
                Placement(task.id, person_id, cost, rank=rank, candidates=len(ranking))
            )
    return placements


def _shortfalls(
    instance: Instance, placements: Sequence[Placement], locked: _Locked
) -> list[Shortfall]:
    placed_by_task = Counter(p.task_id for p in placements)
    by_need: dict[int, list[Task]] = defaultdict(list)
    for task in instance.tasks:
        by_need[task.need_id].append(task)
    open_needs = {
        need_id: tasks
        for need_id, tasks in by_need.items()
        if any(placed_by_task[t.id] < t.seats for t in tasks)
    }
    if not open_needs:
        return []
    by_paper: dict[int, list[Person]] = defaultdict(list)
    for person in instance.people:
        for paper in person.competences:
            by_paper[paper].append(person)
    # The half-days each person holds by a lock, and the need of each.
    tasks = {t.id: t for t in instance.tasks}
    held: dict[int, dict[Slot, int]] = defaultdict(dict)
    for task_id, holders in locked.by_task.items():
        for person_id in holders:
            held[person_id][tasks[task_id].slot] = tasks[task_id].need_id

    shortfalls = []
    for need_id, need_tasks in open_needs.items():
        sample = need_tasks[0]
        centre = instance.centres.get(sample.centre_id)
        competent = by_paper.get(sample.paper_id, [])
        available = [
            p
            for p in competent
            if sample.slot not in p.unavailable
            and sample.slot not in p.engaged
            and held.get(p.id, {}).get(sample.slot, need_id) == need_id
        ]
        eligible = [p for p in available if not ineligibility(p, sample, centre)]
        shortfalls.append(
            Shortfall(
                need_id=need_id,
                task_ids=tuple(t.id for t in need_tasks if placed_by_task[t.id] < t.seats),
                required=sum(t.seats for t in need_tasks),
                placed=sum(min(placed_by_task[t.id], t.seats) for t in need_tasks),
                competent=len(competent),
                available=len(available),
                eligible=len(eligible),
            )
        )
    return shortfalls


def _loads(placements: Sequence[Placement], tasks: Mapping[str, Task]) -> dict[int, Load]:
    half_days: Counter[int] = Counter()
    copies: Counter[int] = Counter()
    cost: Counter[int] = Counter()
    for placement in placements:
        half_days[placement.person_id] += 1
        copies[placement.person_id] += tasks[placement.task_id].copies
        cost[placement.person_id] += placement.cost_cents
    return {
        person: Load(person, half_days[person], copies[person], cost[person])
        for person in sorted(half_days)
    }


# --- the baseline -----------------------------------------------------------------------------


def greedy(instance: Instance) -> Solution:
    """The baseline the bench compares with: each seat in turn, by half-day, goes to the nearest
    (cheapest) competent and available person who still has room."""
    started = time.perf_counter()
    people = {p.id: p for p in instance.people}
    tasks = {t.id: t for t in instance.tasks}
    limits = instance.limits
    locked = _apply_locks(instance, people, tasks)
    slots = {pid: set(s) for pid, s in locked.slots.items()}
    half_days = Counter(locked.half_days)
    copies = Counter(locked.copies)
    by_paper: dict[int, list[Person]] = defaultdict(list)
    for person in instance.people:
        for paper in person.competences:
            by_paper[paper].append(person)
    placements = list(locked.placements)
    order = sorted(instance.tasks, key=lambda t: (t.slot, t.need_id, t.id))
    for task in order:
        centre = instance.centres.get(task.centre_id)
        free = task.seats - len(locked.by_task.get(task.id, ()))
        taken = set(locked.by_task.get(task.id, ()))
        for _ in range(max(free, 0)):
            best: tuple[int, int] | None = None
            for person in by_paper.get(task.paper_id, ()):
                if person.id in taken or task.slot in slots.get(person.id, ()):
                    continue
                if ineligibility(person, task, centre):
                    continue
                if half_days[person.id] >= limits.max_half_days:
                    continue
                if copies[person.id] + task.copies > limits.max_copies:
                    continue
                cost = instance.costs.cost_cents(person, task)
                if best is None or (cost, person.id) < best:
                    best = (cost, person.id)
            if best is None:
                break
            cost, person_id = best
            taken.add(person_id)
            slots.setdefault(person_id, set()).add(task.slot)
            half_days[person_id] += 1
            copies[person_id] += task.copies
            placements.append(Placement(task.id, person_id, cost))
    ordered = tuple(sorted(placements, key=lambda p: (p.task_id, p.person_id)))
    return Solution(
        placements=ordered,
        shortfalls=tuple(_shortfalls(instance, ordered, locked)),
        loads=_loads(ordered, tasks),
        lock_problems=tuple(locked.problems),
        stats=Stats(time.perf_counter() - started, 0, 0, 0, lexicographic=False),
    )
