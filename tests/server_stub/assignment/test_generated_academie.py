"""A generated académie (a twentieth of Amiens, real communes and tariffs): no hard constraint is
broken, the flow is exact, and it beats the nearest-first baseline. The full size is the bench's."""

from __future__ import annotations

import random

import pytest
from ortools.linear_solver import pywraplp

from server_stub.assignment.checks import violations
from server_stub.assignment.solver import Instance, Limits, Lock, greedy, ineligibility, solve
from server_stub.assignment.synthetic import Size, Synthetic, generate


@pytest.fixture(scope="module")
def academie() -> Synthetic:
    return generate(Size.scaled(0.05), seed=7)


def network_lp(instance: Instance) -> float:
    """The LP relaxation of the flow network (no copies rows), in cents, with GLOP."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    objective = solver.Objective()
    groups: dict[tuple[int, int], int] = {}
    samples = {}
    for task in instance.tasks:
        key = (task.need_id, task.copies)
        groups[key] = groups.get(key, 0) + task.seats
        samples[key] = task
    per_half_day: dict[object, pywraplp.Constraint] = {}
    per_person: dict[int, pywraplp.Constraint] = {}
    for key, seats in groups.items():
        sample = samples[key]
        row = solver.Constraint(seats, seats)
        for person in instance.people:
            if ineligibility(person, sample, instance.centres[sample.centre_id]):
                continue
            x = solver.NumVar(0, 1, "")
            row.SetCoefficient(x, 1)
            objective.SetCoefficient(x, instance.costs.cost_cents(person, sample))
            half_day = per_half_day.setdefault((person.id, sample.slot), solver.Constraint(0, 1))
            half_day.SetCoefficient(x, 1)
            load = per_person.setdefault(
                person.id, solver.Constraint(0, instance.limits.max_half_days)
            )
            load.SetCoefficient(x, 1)
    objective.SetMinimization()
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return float(objective.Value())


def test_no_hard_constraint_is_broken_and_every_seat_is_filled(academie: Synthetic) -> None:
    instance = academie.instance

    solution = solve(instance)

    assert violations(instance, solution) == []
    assert solution.complete
    assert len(solution.placements) == academie.seats


def test_the_flow_reaches_the_lp_bound_of_its_network(academie: Synthetic) -> None:
    solution = solve(academie.instance)

    assert solution.stats.network_optimum_cents == pytest.approx(
        network_lp(academie.instance), abs=0.5
    )


def test_it_costs_no_more_than_giving_each_seat_to_the_nearest(academie: Synthetic) -> None:
    optimal = solve(academie.instance)
    baseline = greedy(academie.instance)

    assert violations(academie.instance, baseline) == []
    assert len(optimal.placements) >= len(baseline.placements)
    assert optimal.travel_cents <= baseline.travel_cents


def test_locks_hold_and_the_rest_still_obeys_the_rules(academie: Synthetic) -> None:
    base = academie.instance
    # No copies limit here: without repair rounds the flow is exactly optimal, so locking seats
    # the optimum chose cannot change its cost.
    instance = Instance(base.people, base.centres, base.tasks, base.costs, Limits(max_copies=10**6))
    first = solve(instance)
    rng = random.Random(3)
    locks = [Lock(p.task_id, p.person_id) for p in rng.sample(first.placements, 15)]
    locked = Instance(
        instance.people, instance.centres, instance.tasks, instance.costs, instance.limits, locks
    )

    again = solve(locked)

    assert first.stats.repairs == again.stats.repairs == 0
    assert violations(locked, again) == []
    assert {(p.task_id, p.person_id) for p in again.placements if p.locked} == {
        (lock.task_id, lock.person_id) for lock in locks
    }
    assert again.travel_cents == first.travel_cents


def test_moving_a_seat_by_hand_costs_at_least_the_optimum(academie: Synthetic) -> None:
    instance = academie.instance
    first = solve(instance)
    rng = random.Random(5)
    moved = []
    taken: set[tuple[int, object]] = set()
    for placement in rng.sample(first.placements, 40):
        task = next(t for t in instance.tasks if t.id == placement.task_id)
        others = [
            p
            for p in instance.people
            if p.id != placement.person_id
            and (p.id, task.slot) not in taken
            and not ineligibility(p, task, instance.centres[task.centre_id])
        ]
        if others:
            chosen = rng.choice(others)
            taken.add((chosen.id, task.slot))
            moved.append(Lock(task.id, chosen.id))
    locked = Instance(
        instance.people, instance.centres, instance.tasks, instance.costs, instance.limits, moved
    )

    again = solve(locked)

    assert violations(locked, again) == []
    assert again.stats.network_optimum_cents >= first.stats.network_optimum_cents
