"""Realistic statements for the rules tests: communes of the académie d'Amiens and beyond
(COG 2024, population 2021), a jury member living in Laon, missions in June 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

from server_stub.rules.model import (
    Commune,
    Computation,
    Context,
    Entry,
    Mission,
    MissionType,
    PaperKind,
    Person,
    TravelMode,
    Trip,
)
from server_stub.rules.statement import compute_statement
from server_stub.rules.tariffs import TARIFF_FILES, Tariffs

AMIENS = Commune("80021", "Amiens", "80", 133625, 49.89871, 2.28468)
LONGUEAU = Commune("80489", "Longueau", "80", 5767, 49.87266, 2.35878)
LAON = Commune("02408", "Laon", "02", 24021, 49.57109, 3.61295)
BEAUVAIS = Commune("60057", "Beauvais", "60", 56677, 49.44254, 2.0877)
LILLE = Commune("59350", "Lille", "59", 236710, 50.63108, 3.04702)
PARIS_12 = Commune("75112", "Paris 12e Arrondissement", "75", 140954, 48.834, 2.41661)
BOULOGNE = Commune("92012", "Boulogne-Billancourt", "92", 119808, 48.8375, 2.24286)
ARGENTEUIL = Commune("95018", "Argenteuil", "95", 107221, 48.95008, 2.2478)
MARSEILLE_5 = Commune("13205", "Marseille 5e Arrondissement", "13", 45449, 43.29252, 5.40058)
LYON_3 = Commune("69383", "Lyon 3e Arrondissement", "69", 101302, 45.75141, 4.86848)

JUNE_12 = dt.date(2026, 6, 12)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str) -> dt.datetime:
    """`"2026-06-12 07:30"` → a local wall-clock time."""
    return dt.datetime.fromisoformat(text)


def euros(text: str) -> Decimal:
    return Decimal(text)


def mission(
    type: MissionType = MissionType.CORRECTION,
    start: dt.date = JUNE_12,
    end: dt.date | None = None,
    commune: Commune = AMIENS,
    **fields: Any,
) -> Mission:
    defaults: dict[str, Any] = {"travel_reimbursable": True}
    if type is MissionType.CORRECTION:
        defaults |= {"pay_group": "5", "paper_kind": PaperKind.WRITTEN}
    if type is MissionType.INTERROGATION:
        defaults |= {"pay_group": "3", "paper_kind": PaperKind.ORAL, "minutes_per_candidate": 20}
    return Mission(
        type=type,
        start_date=start,
        end_date=end or start,
        start_time=dt.time(8),
        end_time=dt.time(17),
        commune=commune,
        **(defaults | fields),
    )


def person(**fields: Any) -> Person:
    defaults: dict[str, Any] = {
        "administrative_residence": LAON,
        "family_residence": LAON,
        "fiscal_power": 5,
    }
    return Person(**(defaults | fields))


def trip(depart: str, back: str, mode: TravelMode = TravelMode.CAR, **amounts: str) -> Trip:
    return Trip(
        depart_at=at(depart),
        return_at=at(back),
        mode=mode,
        **{name: Decimal(value) for name, value in amounts.items()},
    )


def travel(*trips: Trip, **fields: Any) -> Entry:
    """An entry claiming travel with these trips."""
    return Entry(travel_claimed=True, trips=trips, **fields)


def compute(
    the_mission: Mission | None = None,
    the_person: Person | None = None,
    entry: Entry | None = None,
    context: Context | None = None,
    tariffs: Tariffs | None = None,
) -> Computation:
    return compute_statement(
        the_mission or mission(),
        the_person or person(),
        entry or Entry(),
        context or Context(),
        tariffs,
    )


def tariffs_with(stem: str, old: str, new: str) -> Tariffs:
    """The packaged tariffs with one text replaced in one file, as an académie would edit it."""
    folder = resources.files("server_stub.rules").joinpath("tariffs")
    texts = {s: folder.joinpath(f"{s}.toml").read_text(encoding="utf-8") for s in TARIFF_FILES}
    assert old in texts[stem]
    texts[stem] = texts[stem].replace(old, new)
    return Tariffs.from_texts(texts)


def amounts(computation: Computation) -> list[Decimal]:
    return [line.amount for line in computation.lines]


def problems(computation: Computation) -> dict[str, str]:
    return {problem.field: problem.message for problem in computation.problems}
