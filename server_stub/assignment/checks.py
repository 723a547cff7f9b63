"""An independent check of a solution against the hard constraints, in plain loops.

It shares nothing with the solver but the data classes, so the tests and the bench can trust it to
catch a solver that breaks a rule. Locked placements are the DEC's decisions: they count in the
loads but are not held to the other rules unless asked.
"""

from __future__ import annotations

from collections import Counter

from server_stub.assignment.solver import Instance, Solution


def violations(instance: Instance, solution: Solution, *, check_locked: bool = False) -> list[str]:
    """Every broken hard constraint, in English (this is a developer's tool); empty when none."""
    people = {p.id: p for p in instance.people}
    tasks = {t.id: t for t in instance.tasks}
    limits = instance.limits
    found: list[str] = []
    seats: Counter[str] = Counter()
    per_half_day: Counter[tuple[int, object]] = Counter()
    half_days: Counter[int] = Counter()
    copies: Counter[int] = Counter()
    pairs: Counter[tuple[str, int]] = Counter()

    for placement in solution.placements:
        task = tasks.get(placement.task_id)
        person = people.get(placement.person_id)
        if task is None or person is None:
            found.append(f"{placement}: unknown task or person")
            continue
        seats[task.id] += 1
        pairs[(task.id, person.id)] += 1
        per_half_day[(person.id, task.slot)] += 1
        half_days[person.id] += 1
        copies[person.id] += task.copies
        if placement.locked and not check_locked:
            continue
        where = f"person {person.id} on task {task.id}"
        if task.paper_id not in person.competences:
            found.append(f"{where}: no validated competence for paper {task.paper_id}")
        if task.slot in person.unavailable:
            found.append(f"{where}: unavailable on {task.slot}")
        if task.slot in person.engaged:
            found.append(f"{where}: already convened elsewhere on {task.slot}")
        centre = instance.centres.get(task.centre_id)
        if centre is not None and person.school is not None and person.school in centre.schools:
            found.append(f"{where}: examines the candidates of their own school")

    for task_id, count in seats.items():
        if count > tasks[task_id].seats:
            found.append(f"task {task_id}: {count} people for {tasks[task_id].seats} seats")
    for (task_id, person_id), count in pairs.items():
        if count > 1:
            found.append(f"task {task_id}: person {person_id} placed {count} times")
    for (person_id, slot), count in per_half_day.items():
        if count > 1:
            found.append(f"person {person_id}: {count} tasks on {slot}")
    for person_id, count in half_days.items():
        if count > limits.max_half_days:
            found.append(f"person {person_id}: {count} half-days > {limits.max_half_days}")
    for person_id, count in copies.items():
        if count > limits.max_copies:
            found.append(f"person {person_id}: {count} copies > {limits.max_copies}")

    placed = {(p.task_id, p.person_id) for p in solution.placements if p.locked}
    refused = {problem.lock for problem in solution.lock_problems}
    for lock in instance.locks:
        if (lock.task_id, lock.person_id) not in placed and lock not in refused:
            found.append(f"lock {lock} lost")
    return found
