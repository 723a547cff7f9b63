"""A generated académie for the bench and the constraint tests (no database).

The Académie d'Amiens by default: the people live in real communes of the Aisne, the Oise and the
Somme (drawn by population), teach in schools near home, declare competences for the papers of
one or two subject families and a few unavailable half-days; the centres are schools of the big
towns. Written papers are corrected in lots handed over at correction centres during the first
week; orals are commissions of two examiners over two weeks. Costs are the real estimates
(`costing`), on the packaged tariffs and list of adjacent communes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from server_stub.assignment.costing import EstimatedCosts, Home, Venue, packaged_estimation
from server_stub.assignment.solver import (
    Centre,
    Instance,
    Limits,
    Person,
    Slot,
    Task,
    TaskKind,
    lot_sizes,
    school_key,
)
from server_stub.reference.communes import adjacent_pairs, communes, distance_km
from server_stub.rules.model import Commune, HalfDay

AMIENS_DEPARTMENTS = frozenset({"02", "60", "80"})
FIRST_DAY = dt.date(2026, 6, 15)  # a Monday


@dataclass(frozen=True)
class Size:
    people: int = 6000
    papers: int = 300
    oral_share: float = 1 / 3  # of the papers
    copies: int = 150_000
    commissions: int = 3000
    centres: int = 125
    schools: int = 200
    families: int = 40  # subject families: a teacher examines papers of one or two
    days: int = 10  # working days of the session

    @classmethod
    def scaled(cls, factor: float) -> Size:
        """An académie `factor` times the size (0.1: a tenth)."""
        full = cls()
        return cls(
            people=max(20, round(full.people * factor)),
            papers=max(6, round(full.papers * factor)),
            copies=max(200, round(full.copies * factor)),
            commissions=max(6, round(full.commissions * factor)),
            centres=max(4, round(full.centres * factor)),
            schools=max(6, round(full.schools * factor)),
            families=max(2, round(full.families * factor)),
        )


@dataclass
class Synthetic:
    instance: Instance
    copies: int
    lots: int
    commissions: int
    seats: int
    centre_names: dict[int, str] = field(default_factory=dict)


def working_days(first: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def generate(
    size: Size | None = None,
    *,
    seed: int = 2026,
    limits: Limits | None = None,
    departments: frozenset[str] = AMIENS_DEPARTMENTS,
) -> Synthetic:
    size = size or Size()
    rng = random.Random(seed)
    estimation = packaged_estimation()
    limits = limits or Limits(estimation.max_half_days, estimation.max_copies)
    places = communes().in_departments(set(departments))
    weights = [c.population + 50 for c in places]
    days = working_days(FIRST_DAY, size.days)
    slots = [Slot(day, half) for day in days for half in HalfDay]

    # Schools in the towns, the first ones being the exam centres.
    towns = sorted(places, key=lambda c: -c.population)[: max(size.schools // 2, 4)]
    school_places = [
        rng.choices(towns, [t.population for t in towns])[0] for _ in range(size.schools)
    ]
    school_names = [f"Lycée {i + 1} de {place.name}" for i, place in enumerate(school_places)]
    centres = {
        i + 1: Centre(i + 1, frozenset({school_key(school_names[i])})) for i in range(size.centres)
    }
    centre_places = {i + 1: school_places[i] for i in range(size.centres)}

    # Papers, each in a subject family.
    oral_count = max(1, round(size.papers * size.oral_share))
    paper_ids = list(range(1, size.papers + 1))
    oral_papers = paper_ids[:oral_count]
    written_papers = paper_ids[oral_count:]
    family_of = {paper: rng.randrange(size.families) for paper in paper_ids}
    papers_of_family: dict[int, list[int]] = {}
    for paper, family in family_of.items():
        papers_of_family.setdefault(family, []).append(paper)

    people, homes = _people(
        size, rng, places, weights, school_places, school_names, papers_of_family, slots
    )

    tasks: list[Task] = []
    venues: dict[int, Venue] = {}
    need_ids = itertools.count(1)
    lots = _written_needs(
        size, rng, written_papers, centres, centre_places, slots, tasks, venues, need_ids
    )
    commissions = _oral_needs(
        size, rng, oral_papers, centres, centre_places, slots, tasks, venues, need_ids
    )

    costs = EstimatedCosts(homes, venues, adjacent=adjacent_pairs(), estimation=estimation)
    instance = Instance(people, centres, tasks, costs, limits)
    return Synthetic(
        instance=instance,
        copies=sum(t.copies for t in tasks),
        lots=lots,
        commissions=commissions,
        seats=sum(t.seats for t in tasks),
        centre_names={i: school_names[i - 1] for i in centres},
    )


def _people(
    size: Size,
    rng: random.Random,
    places: list[Commune],
    weights: list[int],
    school_places: list[Commune],
    school_names: list[str],
    papers_of_family: dict[int, list[int]],
    slots: list[Slot],
) -> tuple[list[Person], dict[int, Home]]:
    families = sorted(papers_of_family)
    people = []
    homes = {}
    for person_id in range(1, size.people + 1):
        home = rng.choices(places, weights)[0]
        school = None
        if rng.random() < 0.85:  # teachers; the others are professionals
            nearest = sorted(
                range(len(school_places)), key=lambda i: distance_km(home, school_places[i])
            )[:5]
            school = school_key(school_names[rng.choice(nearest)])
        chosen = [rng.choice(families)]
        if rng.random() < 0.25:
            chosen.append(rng.choice(families))
        competences: set[int] = set()
        for family in chosen:
            papers = papers_of_family[family]
            competences.update(rng.sample(papers, k=max(1, min(len(papers), rng.randint(2, 5)))))
        unavailable: set[Slot] = set()
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                start = rng.randrange(len(slots))
                unavailable.update(slots[start : start + rng.randint(1, 4)])
        engaged: set[Slot] = set()
        if rng.random() < 0.05:
            engaged.update(rng.sample(slots, k=rng.randint(1, 2)))
        people.append(
            Person(
                id=person_id,
                competences=frozenset(competences),
                unavailable=frozenset(unavailable),
                engaged=frozenset(engaged - unavailable),
                school=school,
            )
        )
        fiscal_power = None if rng.random() < 0.1 else rng.choice([4, 5, 5, 6, 6, 7, 8, 9])
        homes[person_id] = Home(administrative=home, family=home, fiscal_power=fiscal_power)
    return people, homes


def _written_needs(
    size: Size,
    rng: random.Random,
    papers: list[int],
    centres: dict[int, Centre],
    centre_places: dict[int, Commune],
    slots: list[Slot],
    tasks: list[Task],
    venues: dict[int, Venue],
    need_ids: Iterator[int],
) -> int:
    hand_over_slots = slots[:10]  # the first week
    shares = [rng.uniform(0.5, 1.5) for _ in papers]
    total = sum(shares)
    lots = 0
    for paper, share in zip(papers, shares, strict=True):
        copies = max(1, round(size.copies * share / total))
        parts = rng.randint(2, 6)
        for part in range(parts):
            need_copies = copies // parts + (1 if part < copies % parts else 0)
            if need_copies <= 0:
                continue
            need_id = next(need_ids)
            centre = rng.choice(list(centres))
            slot = rng.choice(hand_over_slots)
            lot_size = rng.choice([40, 45, 50, 55, 60])
            sizes = lot_sizes(need_copies, lot_size)
            for index, lot in enumerate(sizes):
                tasks.append(
                    Task(
                        id=f"{need_id}:{index + 1}",
                        need_id=need_id,
                        kind=TaskKind.LOT,
                        paper_id=paper,
                        centre_id=centre,
                        slot=slot,
                        seats=1,
                        copies=lot,
                    )
                )
            lots += len(sizes)
            venues[need_id] = _venue(centre_places[centre], slot, hand_over=True)
    return lots


def _oral_needs(
    size: Size,
    rng: random.Random,
    papers: list[int],
    centres: dict[int, Centre],
    centre_places: dict[int, Commune],
    slots: list[Slot],
    tasks: list[Task],
    venues: dict[int, Venue],
    need_ids: Iterator[int],
) -> int:
    made = 0
    per_paper = max(1, size.commissions // len(papers))
    for number, paper in enumerate(papers):
        wanted = per_paper + (1 if number < size.commissions - per_paper * len(papers) else 0)
        paper_centres = rng.sample(list(centres), k=min(len(centres), rng.randint(3, 8)))
        while wanted > 0:
            commissions = min(wanted, rng.randint(1, 3))
            wanted -= commissions
            need_id = next(need_ids)
            centre = rng.choice(paper_centres)
            slot = rng.choice(slots[4:])  # orals from the third day
            for index in range(commissions):
                tasks.append(
                    Task(
                        id=f"{need_id}:{index + 1}",
                        need_id=need_id,
                        kind=TaskKind.COMMISSION,
                        paper_id=paper,
                        centre_id=centre,
                        slot=slot,
                        seats=2,
                    )
                )
            made += commissions
            venues[need_id] = _venue(centre_places[centre], slot, hand_over=False)
    return made


def _venue(place: Commune, slot: Slot, *, hand_over: bool) -> Venue:
    hours = packaged_estimation().hours[slot.half_day]
    if hand_over:  # copies are handed over in two hours
        start = hours[0]
        end = (dt.datetime.combine(slot.day, start) + dt.timedelta(hours=2)).time()
        return Venue(place, slot.day, start, end)
    return Venue(place, slot.day, *hours)
