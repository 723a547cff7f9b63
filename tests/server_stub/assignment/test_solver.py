"""The solver on small instances whose optimum is worked out by hand, and on infeasible ones."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping

from server_stub.assignment.checks import violations
from server_stub.assignment.explanation import shortfall_message
from server_stub.assignment.solver import (
    Centre,
    Instance,
    Limits,
    Lock,
    Person,
    Reason,
    Slot,
    Solution,
    Task,
    TaskKind,
    greedy,
    lot_sizes,
    school_key,
    solve,
)
from server_stub.rules.model import HalfDay

MONDAY_AM = Slot(dt.date(2026, 6, 15), HalfDay.MORNING)
MONDAY_PM = Slot(dt.date(2026, 6, 15), HalfDay.AFTERNOON)
TUESDAY_AM = Slot(dt.date(2026, 6, 16), HalfDay.MORNING)
TUESDAY_PM = Slot(dt.date(2026, 6, 16), HalfDay.AFTERNOON)
MATHS = 10
LETTERS = 20


class Table:
    """Costs by (person, centre); anything missing costs 1 €."""

    def __init__(self, costs: Mapping[tuple[int, int], int]) -> None:
        self.costs = costs

    def cost_cents(self, person: Person, task: Task) -> int:
        return self.costs.get((person.id, task.centre_id), 100)


def teacher(
    person_id: int,
    *papers: int,
    unavailable: frozenset[Slot] = frozenset(),
    engaged: frozenset[Slot] = frozenset(),
    school: str | None = None,
) -> Person:
    return Person(person_id, frozenset(papers or (MATHS,)), unavailable, engaged, school)


def task(
    task_id: str,
    centre: int,
    slot: Slot = MONDAY_AM,
    *,
    seats: int = 1,
    copies: int = 0,
    paper: int = MATHS,
    need: int | None = None,
) -> Task:
    kind = TaskKind.LOT if copies else TaskKind.COMMISSION
    need_id = need if need is not None else zlib.crc32(task_id.encode())
    return Task(task_id, need_id, kind, paper, centre, slot, seats, copies)


CENTRES = {c: Centre(c) for c in (1, 2, 3, 4)}


def placed(solution: Solution) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for p in solution.placements:
        found.setdefault(p.task_id, set()).add(p.person_id)
    return found


def run(instance: Instance) -> Solution:
    solution = solve(instance)
    assert violations(instance, solution) == []
    return solution


def test_the_cheapest_combination_wins_where_taking_the_nearest_first_does_not() -> None:
    # a and b on the same half-day: one each. Greedy gives a to 1 (10) then b to 2 (100): 110.
    # The optimum crosses them: a to 2 (20) and b to 1 (30): 50.
    costs = Table({(1, 1): 10, (1, 2): 30, (2, 1): 20, (2, 2): 100})
    tasks = [task("a", 1, need=1), task("b", 2, need=2)]
    instance = Instance([teacher(1), teacher(2)], CENTRES, tasks, costs)

    solution = run(instance)

    assert placed(solution) == {"a": {2}, "b": {1}}
    assert solution.travel_cents == 50
    assert greedy(instance).travel_cents == 110


def test_a_commission_takes_distinct_examiners_and_leaves_the_third_for_the_lot() -> None:
    # Commission (2 seats) at centre 1 and a lot at centre 2, same half-day, three people.
    # {1,2} on the commission + 3 on the lot = 10 + 20 + 40 = 70; {1,3} + 2 = 10 + 50 + 30 = 90;
    # {2,3} + 1 = 20 + 50 + 100 = 170.
    costs = Table({(1, 1): 10, (1, 2): 100, (2, 1): 20, (2, 2): 30, (3, 1): 50, (3, 2): 40})
    instance = Instance(
        [teacher(1), teacher(2), teacher(3)],
        CENTRES,
        [task("oral", 1, seats=2), task("lot", 2, copies=50)],
        costs,
    )

    solution = run(instance)

    assert placed(solution) == {"oral": {1, 2}, "lot": {3}}
    assert solution.travel_cents == 70
    assert solution.stats.network_optimum_cents == 70


def test_equal_costs_are_shared_out_evenly() -> None:
    # Four half-days, two people, nothing to pay: 2 + 2 (Σ L² = 8), never 4 + 0 (16).
    tasks = [
        task(f"t{i}", 1, slot)
        for i, slot in enumerate((MONDAY_AM, MONDAY_PM, TUESDAY_AM, TUESDAY_PM))
    ]
    instance = Instance([teacher(1), teacher(2)], CENTRES, tasks, Table({(1, 1): 0, (2, 1): 0}))

    solution = run(instance)

    assert sorted(load.half_days for load in solution.loads.values()) == [2, 2]
    assert solution.load_squares == 8


def test_one_cent_of_travel_outweighs_an_even_load_unless_a_load_step_is_set() -> None:
    tasks = [task("t1", 1, MONDAY_AM), task("t2", 1, TUESDAY_AM)]
    costs = Table({(1, 1): 0, (2, 1): 1})
    people = [teacher(1), teacher(2)]

    strict = run(Instance(people, CENTRES, tasks, costs))
    assert placed(strict) == {"t1": {1}, "t2": {1}}  # 0 €, loads 2 + 0

    traded = run(Instance(people, CENTRES, tasks, costs, Limits(load_step_cents=5)))
    # Person 1's second half-day would cost 5 cents more than person 2's single cent.
    assert sorted(p.person_id for p in traded.placements) == [1, 2]
    assert traded.travel_cents == 1


def test_the_copies_limit_keeps_the_cheapest_lot_and_moves_the_other() -> None:
    # Lots of 60 copies on two half-days, at most 100 copies each. Person 1 is cheapest for both
    # (10 + 20) but may take one: 1 on A + 2 on B = 50 beats 1 on B + 2 on A = 70.
    lots = [task("A", 1, MONDAY_AM, copies=60), task("B", 2, TUESDAY_AM, copies=60)]
    costs = Table({(1, 1): 10, (1, 2): 20, (2, 1): 50, (2, 2): 40})
    instance = Instance([teacher(1), teacher(2)], CENTRES, lots, costs, Limits(max_copies=100))

    solution = run(instance)

    assert placed(solution) == {"A": {1}, "B": {2}}
    assert solution.travel_cents == 50
    assert solution.stats.repairs == 1
    assert solution.stats.network_optimum_cents == 30  # the flow without the copies limit


def test_the_half_day_limit_caps_a_persons_load() -> None:
    tasks = [task(f"t{i}", 1, slot) for i, slot in enumerate((MONDAY_AM, MONDAY_PM, TUESDAY_AM))]
    instance = Instance([teacher(1)], CENTRES, tasks, Table({}), Limits(max_half_days=2))

    solution = run(instance)

    assert len(solution.placements) == 2
    [shortfall] = solution.shortfalls
    assert shortfall.missing == 1


def test_nobody_examines_the_candidates_of_their_own_school() -> None:
    lycee = "Lycée professionnel Jean-Moulin"
    centres = {1: Centre(1, frozenset({school_key(lycee)})), 2: Centre(2)}
    person = teacher(1, school=school_key("LYCEE PROFESSIONNEL JEAN MOULIN"))
    instance = Instance(
        [person],
        centres,
        [task("home", 1, need=7), task("away", 2, TUESDAY_AM)],
        Table({(1, 1): 0, (1, 2): 500}),
    )

    solution = run(instance)

    assert placed(solution) == {"away": {1}}
    [shortfall] = solution.shortfalls
    assert (shortfall.need_id, shortfall.competent, shortfall.available, shortfall.eligible) == (
        7,
        1,
        1,
        0,
    )


def test_declared_unavailability_and_other_convocations_are_respected() -> None:
    people = [
        teacher(1, unavailable=frozenset({MONDAY_AM})),
        teacher(2, engaged=frozenset({MONDAY_AM})),
        teacher(3),
    ]
    instance = Instance(
        people, CENTRES, [task("a", 1, seats=1)], Table({(1, 1): 0, (2, 1): 0, (3, 1): 900})
    )

    solution = run(instance)

    assert placed(solution) == {"a": {3}}


def test_infeasible_commission_says_how_many_are_competent_and_available() -> None:
    # Épreuve E21, commission of 3 examiners on Monday afternoon: three competent people,
    # one unavailable, one convened elsewhere: one seat filled, two empty.
    people = [
        teacher(1),
        teacher(2, unavailable=frozenset({MONDAY_PM})),
        teacher(3, engaged=frozenset({MONDAY_PM})),
        teacher(4, LETTERS),
    ]
    instance = Instance(people, CENTRES, [task("E21", 1, MONDAY_PM, seats=3, need=21)], Table({}))

    solution = run(instance)

    assert placed(solution) == {"E21": {1}}
    [shortfall] = solution.shortfalls
    assert (shortfall.required, shortfall.placed, shortfall.missing) == (3, 1, 2)
    assert (shortfall.competent, shortfall.available, shortfall.eligible) == (3, 1, 1)
    message = shortfall_message(
        "Épreuve E21 (Mathématiques) au centre « Lycée Condorcet »",
        "lundi 15/06/2026 après-midi",
        TaskKind.COMMISSION,
        shortfall,
    )
    assert message == (
        "Épreuve E21 (Mathématiques) au centre « Lycée Condorcet », lundi 15/06/2026 "
        "après-midi : 3 examinateurs requis, 1 seul compétent et disponible."
    )


def test_a_paper_nobody_is_competent_for_is_reported_as_such() -> None:
    instance = Instance(
        [teacher(1, LETTERS)], CENTRES, [task("x", 1, copies=40, need=3)], Table({})
    )

    solution = run(instance)

    [shortfall] = solution.shortfalls
    assert shortfall.competent == 0
    message = shortfall_message("Correction de l'épreuve E1", "lundi", TaskKind.LOT, shortfall)
    assert "aucun intervenant n'a de compétence validée" in message
    assert "1 lot à corriger" in message


def test_seats_taken_elsewhere_are_explained_as_such() -> None:
    # One person, two needs the same half-day: one need gets them, the other is told they are
    # competent and available but already placed.
    instance = Instance(
        [teacher(1)],
        CENTRES,
        [task("a", 1, need=1), task("b", 2, need=2)],
        Table({(1, 1): 10, (1, 2): 20}),
    )

    solution = run(instance)

    [shortfall] = solution.shortfalls
    assert shortfall.need_id == 2
    text = shortfall_message("Épreuve E2", "lundi 15/06/2026 matin", TaskKind.COMMISSION, shortfall)
    assert "déjà affectés ailleurs" in text


def test_locked_assignments_stay_and_the_rest_is_solved_around_them() -> None:
    # Without the lock: a to 2 (20), b to 1 (30). Locking 1 on a (10) leaves b to 2 (100).
    costs = Table({(1, 1): 10, (1, 2): 30, (2, 1): 20, (2, 2): 100})
    people = [teacher(1), teacher(2)]
    tasks = [task("a", 1), task("b", 2)]

    solution = run(Instance(people, CENTRES, tasks, costs, locks=[Lock("a", 1)]))

    assert placed(solution) == {"a": {1}, "b": {2}}
    assert [p.locked for p in solution.placements] == [True, False]
    assert solution.travel_cents == 110


def test_a_lock_that_breaks_a_rule_is_kept_and_reported() -> None:
    instance = Instance(
        [teacher(1, LETTERS)],
        CENTRES,
        [task("a", 1)],
        Table({}),
        locks=[Lock("a", 1), Lock("zz", 1)],
    )

    solution = solve(instance)

    assert placed(solution) == {"a": {1}}
    assert {(p.lock.task_id, p.reason) for p in solution.lock_problems} == {
        ("a", Reason.NOT_COMPETENT),
        ("zz", Reason.UNKNOWN),
    }


def test_the_rank_says_where_the_chosen_person_stands_among_the_candidates() -> None:
    costs = Table({(1, 1): 10, (1, 2): 30, (2, 1): 20, (2, 2): 100})
    instance = Instance([teacher(1), teacher(2)], CENTRES, [task("a", 1), task("b", 2)], costs)

    solution = run(instance)

    ranks = {p.task_id: (p.rank, p.candidates) for p in solution.placements}
    assert ranks == {"a": (2, 2), "b": (1, 2)}


def test_an_empty_instance_solves_to_nothing() -> None:
    solution = solve(Instance([], {}, [], Table({})))
    assert solution.placements == () and solution.complete


def test_lots_are_as_even_as_the_lot_size_allows() -> None:
    assert lot_sizes(1234, 50) == [50] * 9 + [49] * 16
    assert sum(lot_sizes(1234, 50)) == 1234
    assert lot_sizes(40, 50) == [40]
    assert lot_sizes(0, 50) == []


def test_school_names_match_without_case_accents_or_punctuation() -> None:
    assert (
        school_key("Lycée  Jean-Moulin ") == school_key("LYCEE JEAN MOULIN") == "lycee jean moulin"
    )
