"""What the generator keeps beside the rows: who is busy when, who goes where, and how each
statement should end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from server_stub.auth.models import Category, User
from server_stub.demo.catalogue import PaperSpec, SessionSpec
from server_stub.reference.models import Centre, Mission
from server_stub.rules.model import Commune, MissionType, TravelMode


class Plan(StrEnum):
    """Where a statement ends up, and whether anything was typed into it."""

    EMPTY = "EMPTY"  # OPEN, nothing typed
    DRAFT = "DRAFT"  # OPEN, saved but not validated
    NOT_PERFORMED = "NOT_PERFORMED"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    DEC_ENTERED = "DEC_ENTERED"
    CANCELLED = "CANCELLED"
    IN_PAYMENT = "IN_PAYMENT"
    PAID = "PAID"


@dataclass(eq=False)
class Person:
    user: User
    category: Category
    home: Commune  # family residence
    work: Commune  # administrative residence
    vehicle: TravelMode
    bank_details: bool
    demo: bool = False
    busy: set[dt.date] = field(default_factory=set)

    @property
    def department(self) -> str:
        return self.home.department


@dataclass(eq=False)
class CentreInfo:
    row: Centre
    commune: Commune


@dataclass(eq=False)
class Planned:
    """A mission, with what the generator needs to staff it and fill its statements."""

    row: Mission
    session: SessionSpec
    centre: CentreInfo
    days: tuple[dt.date, ...]
    paper: PaperSpec | None
    diploma: str | None
    over: bool  # ended before today
    upcoming: bool  # starts after today
    weight: float = 0.0  # how many people it convenes, relatively to the others
    seats: int = 0
    people: list[Person] = field(default_factory=list)
    forced: dict[Person, Plan] = field(default_factory=dict)
    briefing: Planned | None = None  # a meeting the same morning, with the same people
    main: Planned | None = None  # for such a meeting: the mission it prepares

    @property
    def type(self) -> MissionType:
        return MissionType(self.row.type)

    def convene(self, person: Person, plan: Plan | None = None) -> None:
        self.people.append(person)
        person.busy.update(self.days)
        if plan is not None:
            self.forced[person] = plan
