"""Assignment at académie size: solve time, cost against the LP bound and a greedy baseline.

A generated Académie d'Amiens (server_stub.assignment.synthetic): 6,000 intervenants, 300 papers,
150,000 copies in lots, 3,000 oral half-day commissions of two examiners. In one run:

- the solver (min-cost flow, with its copies repair rounds): wall time, target ≤ 60 s;
- the LP relaxation of the same model, solved independently with GLOP: variables x[need group,
  person] in [0, 1], one row per group (its seats), per person and half-day (≤ 1), per person
  (≤ max half-days) and per person (copies ≤ max copies: the row the flow cannot hold). Its
  optimum bounds every assignment's cost from below; target: the solver within 2 %;
- the same LP without the copies rows, which is the flow's own relaxation: its optimum is the
  first flow's cost (min-cost flow is exact), printed as a check;
- a greedy baseline: each seat in turn goes to the nearest competent available person with room;
- the hard constraints of the answer, checked independently (server_stub.assignment.checks).

    .venv/bin/python bench/assignment.py [--scale 1.0] [--seed 2026] [--no-lp]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ortools.linear_solver import pywraplp

from bench.report import emit
from server_stub.assignment.checks import violations
from server_stub.assignment.solver import (
    Instance,
    Solution,
    Task,
    greedy,
    ineligibility,
    solve,
)
from server_stub.assignment.synthetic import Size, Synthetic, generate

SOLVE_TARGET_S = 60.0
GAP_TARGET = 0.02
UNCOVERED_PENALTY_EUROS = 10_000.0  # per seat: coverage first, as the flow does


def lp_bound(instance: Instance, *, copies_rows: bool = True) -> tuple[float, float, int]:
    """(LP optimum in euros, seconds, variables) of the model's relaxation, built from the
    instance alone (eligibility from the hard constraints, costs from the cost model)."""
    started = time.perf_counter()
    limits = instance.limits
    groups: dict[tuple[int, int], list[Task]] = defaultdict(list)
    for task in instance.tasks:
        groups[(task.need_id, task.copies)].append(task)
    by_paper = defaultdict(list)
    for person in instance.people:
        for paper in person.competences:
            by_paper[paper].append(person)

    solver = pywraplp.Solver.CreateSolver("GLOP")
    objective = solver.Objective()
    objective.SetMinimization()
    per_half_day: dict[tuple[int, object], pywraplp.Constraint] = {}
    per_person: dict[int, pywraplp.Constraint] = {}
    per_copies: dict[int, pywraplp.Constraint] = {}
    variables = 0
    for (_, copies), tasks in groups.items():
        sample = tasks[0]
        seats = sum(t.seats for t in tasks)
        row = solver.Constraint(seats, seats)
        uncovered = solver.NumVar(0, seats, "")
        row.SetCoefficient(uncovered, 1)
        objective.SetCoefficient(uncovered, UNCOVERED_PENALTY_EUROS)
        centre = instance.centres.get(sample.centre_id)
        for person in by_paper.get(sample.paper_id, ()):
            if ineligibility(person, sample, centre) or copies > limits.max_copies:
                continue
            x = solver.NumVar(0, 1, "")
            variables += 1
            row.SetCoefficient(x, 1)
            objective.SetCoefficient(x, instance.costs.cost_cents(person, sample) / 100)
            key = (person.id, sample.slot)
            if key not in per_half_day:
                per_half_day[key] = solver.Constraint(0, 1)
            per_half_day[key].SetCoefficient(x, 1)
            if person.id not in per_person:
                per_person[person.id] = solver.Constraint(0, limits.max_half_days)
            per_person[person.id].SetCoefficient(x, 1)
            if copies_rows and copies:
                if person.id not in per_copies:
                    per_copies[person.id] = solver.Constraint(0, limits.max_copies)
                per_copies[person.id].SetCoefficient(x, copies)
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise SystemExit(f"GLOP did not reach an optimum (status {status})")
    return objective.Value(), time.perf_counter() - started, variables


def uncovered(solution: Solution) -> int:
    return sum(s.missing for s in solution.shortfalls)


def value(solution: Solution) -> float:
    """Euros, with the same penalty per uncovered seat as the LP."""
    return solution.travel_cents / 100 + UNCOVERED_PENALTY_EUROS * uncovered(solution)


def describe_loads(solution: Solution) -> str:
    loads = [load.half_days for load in solution.loads.values()]
    if not loads:
        return "nobody placed"
    return (
        f"{len(loads)} people placed, half-days mean {statistics.mean(loads):.2f}, "
        f"max {max(loads)}, Σ load² {solution.load_squares}"
    )


def euros(amount: float) -> str:
    return f"{amount:,.2f} €".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-lp", action="store_true", help="skip the LP bounds")
    parser.add_argument(
        "--load-step",
        type=int,
        default=0,
        help="also solve with this load step (cents per extra half-day) and show the trade-off",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    synthetic: Synthetic = generate(
        Size.scaled(args.scale) if args.scale != 1 else Size(), seed=args.seed
    )
    instance = synthetic.instance
    print(
        f"instance: {len(instance.people)} intervenants, {synthetic.copies} copies in "
        f"{synthetic.lots} lots, {synthetic.commissions} oral commissions, "
        f"{synthetic.seats} seats, "
        f"{len({t.paper_id for t in instance.tasks})} papers, {len(instance.centres)} centres "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )

    started = time.perf_counter()
    solution = solve(instance)
    solve_s = time.perf_counter() - started
    stats = solution.stats
    print(
        f"solver: {solve_s:.1f} s (target ≤ {SOLVE_TARGET_S:.0f} s) "
        f"{'OK' if solve_s <= SOLVE_TARGET_S else 'MISSED'}; network {stats.nodes} nodes, "
        f"{stats.arcs} arcs; {stats.repairs} copies repair rounds; "
        f"strict cost-then-load order: {stats.lexicographic}"
    )
    print(
        f"  expected travel cost {euros(solution.travel_cents / 100)}; "
        f"uncovered seats {uncovered(solution)}; {describe_loads(solution)}"
    )
    broken = violations(instance, solution)
    print(f"  hard constraints violated: {len(broken)}" + (f" e.g. {broken[:3]}" if broken else ""))

    started = time.perf_counter()
    baseline = greedy(instance)
    greedy_s = time.perf_counter() - started
    emit(
        "solver time",
        solve_s,
        "s",
        target=f"≤ {SOLVE_TARGET_S:.0f} s",
        baseline=greedy_s,
        met=solve_s <= SOLVE_TARGET_S,
    )
    print(
        f"greedy baseline: {greedy_s:.1f} s; expected travel cost "
        f"{euros(baseline.travel_cents / 100)}; uncovered seats {uncovered(baseline)}; "
        f"{describe_loads(baseline)}"
    )
    if value(baseline) > 0:
        saving = 1 - value(solution) / value(baseline)
        print(f"  solver vs greedy: {saving:+.2%} cheaper")

    if args.load_step:
        limits = replace(instance.limits, load_step_cents=args.load_step)
        started = time.perf_counter()
        even = solve(replace(instance, limits=limits))
        print(
            f"with a load step of {args.load_step} cents per extra half-day "
            f"({time.perf_counter() - started:.1f} s): expected travel cost "
            f"{euros(even.travel_cents / 100)}; {describe_loads(even)}"
        )

    if not args.no_lp:
        bound, lp_s, variables = lp_bound(instance)
        gap = (value(solution) - bound) / bound if bound else 0.0
        emit(
            "cost gap to the LP bound",
            gap * 100,
            "%",
            target=f"≤ {GAP_TARGET:.0%}",
            met=gap <= GAP_TARGET,
        )
        print(
            f"LP relaxation with copies rows (GLOP, {variables} variables, {lp_s:.1f} s): "
            f"bound {euros(bound)}; solver gap {gap:.3%} (target ≤ {GAP_TARGET:.0%}) "
            f"{'OK' if gap <= GAP_TARGET else 'MISSED'}"
        )
        network_bound, lp_s, _ = lp_bound(instance, copies_rows=False)
        print(
            f"LP relaxation of the network alone (GLOP, {lp_s:.1f} s): {euros(network_bound)}; "
            f"first flow, before copies repairs: {euros(stats.network_optimum_cents / 100)} "
            "(min-cost flow is exact: the two must agree)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
