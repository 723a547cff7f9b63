"""From stored rows to the plain facts the rules compute on, and back to wire shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.people.service import needs_financial_file
from server_stub.reference.communes import communes
from server_stub.referential.values import adjacent_pairs
from server_stub.rules import model as rules
from server_stub.rules.model import MissionType
from server_stub.statements import repository
from server_stub.statements.lifecycle import DEC_HANDLED, MISSION_TYPE_LABELS
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import ComputationOut, EntryIn, MissionOut

PARIS = ZoneInfo("Europe/Paris")


class MissionRow(Protocol):
    """A mission as `repository.mission_row` and `summaries_of_user` read it."""

    mission_id: int
    mission_type: str
    mission_label: str | None
    session_name: str
    entry_deadline: dt.date | None
    exam_name: str | None
    speciality: str | None
    paper_code: str | None
    paper_name: str | None
    paper_kind: str | None
    evaluation_mode: str | None
    optional_oral: bool | None
    pay_group: str | None
    minutes_per_candidate: int | None
    lot_size: int | None
    centre_name: str
    centre_address: str
    commune_insee: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    travel_reimbursable: bool


def mission_facts(mission: MissionRow) -> rules.Mission:
    kind, mode = mission.paper_kind, mission.evaluation_mode  # None: a mission without a paper
    return rules.Mission(
        type=MissionType(mission.mission_type),
        start_date=mission.start_date,
        end_date=mission.end_date,
        start_time=mission.start_time,
        end_time=mission.end_time,
        commune=communes().require(mission.commune_insee),
        travel_reimbursable=mission.travel_reimbursable,
        pay_group=mission.pay_group,
        paper_kind=rules.PaperKind(kind) if kind is not None else None,
        evaluation_mode=rules.EvaluationMode(mode)
        if mode is not None
        else rules.EvaluationMode.PONCTUEL,
        minutes_per_candidate=mission.minutes_per_candidate,
        optional_oral=bool(mission.optional_oral),
        lot_size=mission.lot_size,
    )


def person_facts(user: User, now: dt.datetime) -> rules.Person:
    directory = communes()
    return rules.Person(
        administrative_residence=directory.get(user.administrative_residence or ""),
        family_residence=directory.get(user.family_residence or ""),
        fiscal_power=user.fiscal_power,
        disability=user.disability,
        interne=user.academic,
        needs_financial_file=needs_financial_file(user, now),
        has_iban=bool(user.iban),
    )


# A statement's mission as the context of the person's others: (statement id, start date, end
# date, start time, car kilometres).
OtherMission = tuple[int, dt.date, dt.date, dt.time, Decimal]
NOT_LIVE = frozenset({Status.CANCELLED, Status.NOT_PERFORMED})


class YearBook:
    """The missions of a batch of people, read in one query (`repository.missions_of_people`):
    the context of each of their statements without a query per statement.

    The batch tells the book what it changes (`note`): a statement's status and kilometres, as
    the next statement's context must see them.
    """

    def __init__(self, rows: Iterable[tuple[int, int, str, dt.date, dt.date, dt.time, Decimal]]):
        self.people: dict[int, dict[int, list[Any]]] = {}
        for statement_id, user_id, status, start, end, start_time, car_km in rows:
            entry = [Status(status), start, end, start_time, car_km]
            self.people.setdefault(user_id, {})[statement_id] = entry

    @classmethod
    def of_people(cls, session: Session, user_ids: Collection[int]) -> YearBook:
        return cls(repository.missions_of_people(session, user_ids))

    @classmethod
    def of_statements(cls, rows: Iterable[Mapping[Any, Any]]) -> YearBook:
        """From the people's statements as `anomalies.people_statements` reads them."""
        return cls(
            (
                r["id"],
                r["user_id"],
                r["status"],
                r["start_date"],
                r["end_date"],
                r["start_time"],
                r["car_km"],
            )
            for r in rows
        )

    def note(self, statement: Statement) -> None:
        """The statement's status and kilometres as they are now."""
        entry = self.people.get(statement.user_id, {}).get(statement.id)
        if entry is None:
            raise KeyError(f"statement {statement.id} is not in the book")
        entry[0], entry[4] = Status(statement.status), statement.car_km

    def others(self, statement: Statement, year: int) -> list[OtherMission]:
        """The person's other live statements of the calendar year, as `context_facts` reads
        them."""
        mine = self.people.get(statement.user_id)
        if mine is None:
            raise KeyError(f"person {statement.user_id} is not in the book")
        return [
            (other_id, start, end, start_time, car_km)
            for other_id, (status, start, end, start_time, car_km) in mine.items()
            if other_id != statement.id and status not in NOT_LIVE and start.year == year
        ]


def context_facts(
    session: Session, statement: Statement, mission: MissionRow, book: YearBook | None = None
) -> rules.Context:
    """What the person's other missions of the year change for this one; read from `book` when
    a batch holds one, else from the database."""
    year = mission.start_date.year
    if book is not None:
        others: Iterable[OtherMission] = book.others(statement, year)
    else:
        others = repository.active_missions_in_year(session, statement.user_id, year, statement.id)
    return context_of(statement.id, mission, others, adjacent_pairs(session))


def context_of(
    statement_id: int,
    mission: MissionRow,
    others: Iterable[OtherMission],
    adjacent: frozenset[frozenset[str]],
) -> rules.Context:
    """The context of a statement from the person's other live missions of the year, and the
    académie's adjacent communes."""
    key = (mission.start_date, mission.start_time, statement_id)
    km_before = Decimal(0)
    elsewhere: set[dt.date] = set()
    for other_id, start, end, start_time, car_km in others:
        if (start, start_time, other_id) < key:
            km_before += car_km
        # Several missions the same day: the journey is claimed once, on the first (DOMAIN §5).
        day = max(start, mission.start_date)
        while day <= min(end, mission.end_date):
            first_that_day = (start_time, other_id) < (mission.start_time, statement_id)
            if first_that_day:
                elsewhere.add(day)
            day += dt.timedelta(days=1)
    return rules.Context(
        car_km_before=km_before,
        days_travelled_elsewhere=frozenset(elsewhere),
        adjacent=adjacent,
    )


def _local(moment: dt.datetime) -> dt.datetime:
    """Mission times are wall-clock times in France; an aware time is brought there."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(PARIS).replace(tzinfo=None)


def entry_facts(entry: EntryIn, direct_indemnity: Decimal | None) -> rules.Entry:
    travel = entry.travel
    return rules.Entry(
        days=tuple(
            rules.PayDay(date=d.date, copies=d.copies, candidates=dict(d.candidates), hours=d.hours)
            for d in entry.days
        ),
        travel_claimed=travel.claimed,
        departure=travel.departure,
        trips=tuple(
            rules.Trip(
                depart_at=_local(t.depart_at),
                return_at=_local(t.return_at),
                mode=t.mode,
                km=t.km,
                fare=t.fare,
                parking=t.parking,
                tolls=t.tolls,
            )
            for t in travel.trips
        ),
        meals=tuple(
            rules.MealClaim(m.date, m.kind, m.administrative_restaurant) for m in travel.meals
        ),
        nights=tuple(rules.NightClaim(n.date, n.cost) for n in travel.nights),
        direct_indemnity=direct_indemnity,
    )


def computation_out(computation: rules.Computation) -> ComputationOut:
    return ComputationOut.model_validate(
        {
            "lines": [vars(line) for line in computation.lines],
            "pay_total": computation.pay_total,
            "travel_total": computation.travel_total,
            "total": computation.total,
            "documents": list(computation.documents),
            "problems": [vars(p) for p in computation.problems],
            "notes": list(computation.notes),
            "travel_eligible": computation.travel_eligible,
            "travel_days_elsewhere": list(computation.travel_days_elsewhere),
        }
    )


def stored_computation(statement: Statement) -> ComputationOut:
    data: dict[str, Any] = statement.computation or {}
    if not data:
        return ComputationOut(
            lines=[],
            pay_total=Decimal("0.00"),
            travel_total=Decimal("0.00"),
            total=Decimal("0.00"),
            documents=[],
            problems=[],
            notes=[],
            travel_eligible=False,
        )
    return ComputationOut.model_validate(data)


def mission_out(mission: MissionRow, today: dt.date) -> MissionOut:
    commune = communes().get(mission.commune_insee)
    mission_type = MissionType(mission.mission_type)
    deadline = mission.entry_deadline
    return MissionOut(
        entry_deadline=deadline,
        days_left=None if deadline is None else (deadline - today).days,
        id=mission.mission_id,
        type=mission_type,
        type_label=MISSION_TYPE_LABELS[mission_type],
        session=mission.session_name,
        exam=mission.exam_name if mission.exam_name is not None else mission.mission_label,
        speciality=mission.speciality,
        paper_code=mission.paper_code,
        paper=mission.paper_name,
        paper_kind=mission.paper_kind,
        optional_oral=bool(mission.optional_oral),
        pay_group=mission.pay_group,
        minutes_per_candidate=mission.minutes_per_candidate,
        lot_size=mission.lot_size,
        centre=mission.centre_name,
        centre_address=mission.centre_address,
        commune_insee=mission.commune_insee,
        commune=commune.name if commune else mission.commune_insee,
        start_date=mission.start_date,
        end_date=mission.end_date,
        start_time=mission.start_time,
        end_time=mission.end_time,
        travel_reimbursable=mission.travel_reimbursable,
        dec_handled=mission_type in DEC_HANDLED,
    )
