"""The lives of the demonstration statements: typed, validated, returned.

Each statement is filled through `statements.service.apply_entry` (the rules compute every
amount) and moved through `statements.service.move` (every transition is audited), at dates
after its mission, by the intervenant or by a gestionnaire as the lifecycle wants. A statement
meant to be in payment or paid stops once validated: it is paid in a real batch afterwards
(`demo/payments.py`), as the DEC pays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from server_stub.auth.models import Category, User
from server_stub.demo import names
from server_stub.demo.days import add_minutes, minutes_between, utc, working_day
from server_stub.demo.entries import Journey, Visit, build_entry, road_km
from server_stub.demo.plans import Person, Plan, Planned
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.rules.model import EvaluationMode, MissionType, Residence, TravelMode
from server_stub.statements import repository
from server_stub.statements.facts import MissionRow, YearBook
from server_stub.statements.lifecycle import DEC_HANDLED, Action
from server_stub.statements.models import Statement, Status
from server_stub.statements.service import apply_entry, move

# How statements end, in per cent, for missions over before today.
PAST_PLANS = {
    Plan.EMPTY: 10,
    Plan.DRAFT: 7,
    Plan.NOT_PERFORMED: 4,
    Plan.SUBMITTED: 18,
    Plan.RETURNED: 5,
    Plan.APPROVED: 15,
    Plan.CANCELLED: 4,
    Plan.IN_PAYMENT: 14,
    Plan.PAID: 23,
}
# The mission types whose indemnity the DEC enters: nothing for the intervenant to validate.
PAST_DEC_PLANS = {
    Plan.EMPTY: 15,
    Plan.DEC_ENTERED: 35,
    Plan.CANCELLED: 5,
    Plan.IN_PAYMENT: 18,
    Plan.PAID: 27,
}
FUTURE_PLANS = {Plan.EMPTY: 92, Plan.CANCELLED: 8}

# What the DEC of the demonstration enters for the mission types it handles (no national
# rate: académie amounts).
SURVEILLANCE_HOURLY = Decimal("9.60")
SUBJECT_WRITING_AMOUNTS = ("180.00", "240.00", "320.00")
DELIBERATION_AMOUNT = Decimal("45.00")


@dataclass(frozen=True)
class Issued:
    mission: Planned
    person: Person
    statement: Statement


@dataclass(frozen=True)
class Payable:
    """A statement validated by the DEC that the demo sends to payment (and pays, for PAID)."""

    statement: Statement
    person: Person
    plan: Plan
    validated: dt.datetime
    status: Status  # Validé par gestionnaire, or Traité for what the DEC entered


@dataclass
class Outcome:
    statuses: dict[Status, int]
    amount: Decimal
    audit_entries: int
    payable: list[Payable]


def _pick(rng: random.Random, weights: dict[Plan, int]) -> Plan:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Lives:
    def __init__(
        self,
        db: Session,
        rng: random.Random,
        today: dt.date,
        gestionnaires: Sequence[User],
    ) -> None:
        self.db = db
        self.rng = rng
        self.today = today
        self.gestionnaires = gestionnaires
        self.audit_entries = 0
        self.missions: Mapping[int, MissionRow] = {}
        self.book = YearBook([])
        self.trail = repository.AuditTrail()
        self.payable: list[Payable] = []

    def live(self, issued: list[Issued], flush_every: int) -> Outcome:
        # In the order the rules read a person's year: car kilometres accumulate in date order
        # and a day's journey belongs to its first mission, so earlier statements come first.
        issued.sort(
            key=lambda i: (i.mission.row.start_date, i.mission.row.start_time, i.statement.id)
        )
        self.db.flush()
        self.missions = repository.mission_rows(
            self.db, [i.statement.convocation_id for i in issued]
        )
        # Every statement's context (the person's kilometres of the year, the days travelled
        # for another mission) is read from the book, which each play keeps up to date.
        self.book = YearBook.of_people(self.db, {i.statement.user_id for i in issued})
        statuses = dict.fromkeys(Status, 0)
        for n, item in enumerate(issued, start=1):
            self.play(item, self.plan_for(item.mission, item.person))
            statuses[Status(item.statement.status)] += 1
            if n % flush_every == 0:
                self.db.flush()
                self.trail.write(self.db)
        self.db.flush()
        self.trail.write(self.db)
        amount = sum((i.statement.total for i in issued), Decimal(0))
        return Outcome(statuses, amount, self.audit_entries, self.payable)

    # --- where each statement ends ------------------------------------------------------

    def plan_for(self, mission: Planned, person: Person) -> Plan:
        dec_handled = mission.type in DEC_HANDLED
        forced = mission.forced.get(person)
        if forced is not None:
            plan = forced
        elif mission.upcoming:
            plan = _pick(self.rng, FUTURE_PLANS)
        elif not mission.over:
            plan = Plan.EMPTY  # under way: nothing typed yet
        else:
            plan = _pick(self.rng, PAST_DEC_PLANS if dec_handled else PAST_PLANS)
        if plan in (Plan.IN_PAYMENT, Plan.PAID) and not (
            person.user.academic or person.bank_details
        ):
            # An externe without bank details cannot be paid: the statement waits at the DEC.
            plan = Plan.DEC_ENTERED if dec_handled else Plan.APPROVED
        if dec_handled and plan in (Plan.SUBMITTED, Plan.RETURNED, Plan.APPROVED):
            plan = Plan.DEC_ENTERED
        if dec_handled and plan in (Plan.DRAFT, Plan.NOT_PERFORMED):
            plan = Plan.EMPTY
        return plan

    # --- what is typed --------------------------------------------------------------------

    def visit(self, mission: Planned, person: Person) -> Visit:
        rng = self.rng
        row = mission.row
        where = mission.centre.commune
        due = row.travel_reimbursable and all(
            home.insee != where.insee
            and frozenset((home.insee, where.insee)) not in adjacent_pairs()
            for home in (person.work, person.home)
        )
        family = person.home.insee != person.work.insee and (
            person.category is Category.OTHER_ACADEMY or rng.random() < 0.25
        )
        origin = person.home if family else person.work
        distance = communes().distance_km(origin, where)
        mode = person.vehicle
        if mode is TravelMode.CAR and where.population > 20_000 and rng.random() < 0.1:
            mode = TravelMode.PUBLIC_TRANSPORT
        paper = mission.paper
        counts = mission.type in (MissionType.REUNION, MissionType.HARMONISATION) or (
            mission.type in (MissionType.CORRECTION, MissionType.INTERROGATION)
            and paper is not None
            and paper.mode is EvaluationMode.PONCTUEL
            and not paper.unpaid
        )
        overnight = (
            len(mission.days) >= 2
            and mission.type is not MissionType.CORRECTION
            and road_km(distance) > 55
            and rng.random() < 0.7
        )
        return Visit(
            mission_type=mission.type,
            days=mission.days,
            start=row.start_time,
            end=row.end_time,
            journeys=journeys(mission),
            counts=counts,
            minutes_per_candidate=paper.minutes_per_candidate if paper else None,
            lot_size=row.lot_size,
            # A few people do not claim the travel costs they could: demo accounts always do.
            travel=due and distance > 0 and (person.demo or rng.random() < 0.93),
            departure=Residence.FAMILY if family else Residence.ADMINISTRATIVE,
            distance_km=distance,
            mode=mode,
            overnight=overnight,
            parking_town=where.population > 20_000,
        )

    def indemnity(self, mission: Planned) -> Decimal:
        row = mission.row
        if mission.type is MissionType.SURVEILLANCE:
            hours = Decimal(minutes_between(row.start_time, row.end_time)) / 60
            return (hours * SURVEILLANCE_HOURLY).quantize(Decimal("0.01"))
        if mission.type is MissionType.SUBJECT_WRITING:
            return Decimal(self.rng.choice(SUBJECT_WRITING_AMOUNTS))
        return DELIBERATION_AMOUNT

    # --- what happens -------------------------------------------------------------------

    def dec_time(self, after: dt.datetime, low: int, high: int) -> dt.datetime:
        """An office hour of a working day, `low` to `high` days after `after`."""
        day = working_day((after + dt.timedelta(days=self.rng.randint(low, high))).date())
        return utc(day, self.rng.randint(7, 15), self.rng.randrange(0, 60, 10))

    def act(
        self,
        statement: Statement,
        actor: User,
        action: Action,
        at: dt.datetime,
        reason: str | None = None,
    ) -> None:
        move(self.db, statement, actor, action, at, reason, trail=self.trail, book=self.book)
        self.audit_entries += 1

    def play(self, item: Issued, plan: Plan) -> None:
        rng = self.rng
        mission, statement, user = item.mission, item.statement, item.person.user
        row = mission.row
        dec = rng.choice(self.gestionnaires)
        if plan is Plan.EMPTY:
            return
        if plan is Plan.CANCELLED:
            at = utc(row.start_date - dt.timedelta(days=rng.randint(2, 12)), 9)
            self.act(statement, dec, Action.CANCEL, at, rng.choice(names.CANCEL_REASONS))
            return
        if plan is Plan.NOT_PERFORMED:
            statement.reason = rng.choice(names.NOT_PERFORMED_REASONS)
            at = utc(row.start_date, 6, 30)
            self.act(statement, user, Action.DECLARE_NOT_PERFORMED, at, statement.reason)
            return

        dec_handled = mission.type in DEC_HANDLED
        visit = self.visit(mission, item.person)
        if dec_handled:
            statement.direct_indemnity = self.indemnity(mission)
        # Some statements waiting at the DEC declare more than they should.
        overstated = plan in (Plan.SUBMITTED, Plan.RETURNED) and rng.random() < 0.12
        entry = build_entry(rng, visit, draft=plan is Plan.DRAFT, overstated=overstated)
        apply_entry(self.db, statement, self.missions[statement.convocation_id], entry, self.book)
        # The intervenant types only what there is to type: for a mission the DEC pays
        # itself, the travel costs.
        typed = not dec_handled or visit.travel
        moment = utc(row.end_date, 17) + dt.timedelta(
            days=rng.randint(0, 5), minutes=rng.randrange(0, 240, 5)
        )
        if typed:
            statement.saved_at = moment
            self.trail.add(statement, user, Action.SAVE, moment)
            self.audit_entries += 1
            if plan is Plan.DRAFT:
                return
            moment += dt.timedelta(minutes=rng.randrange(5, 3 * 24 * 60, 5))
            statement.submitted_at = moment
            self.act(statement, user, Action.SUBMIT, moment)

        if dec_handled:
            moment = self.dec_time(moment, 2, 15)
            self.act(statement, dec, Action.ENTER_INDEMNITY, moment)
        else:
            if plan is Plan.RETURNED or rng.random() < 0.15:
                reason = rng.choice(names.RETURN_REASONS)
                moment = self.dec_time(moment, 2, 8)
                statement.reason = reason
                self.act(statement, dec, Action.RETURN, moment, reason)
                if plan is Plan.RETURNED:
                    return
                moment += dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 5))
                statement.reason = None
                statement.submitted_at = moment
                self.act(statement, user, Action.SUBMIT, moment)
            if plan is Plan.SUBMITTED:
                return
            moment = self.dec_time(moment, 2, 10)
            self.act(statement, dec, Action.APPROVE, moment)
        if plan in (Plan.IN_PAYMENT, Plan.PAID):
            self.payable.append(
                Payable(statement, item.person, plan, moment, Status(statement.status))
            )


def journeys(mission: Planned) -> tuple[Journey, ...]:
    """The days the person travels to the mission, and when they must be there."""
    row = mission.row
    if mission.main is not None:
        # The morning meeting: the day goes on with the mission it prepares.
        return (Journey(row.start_date, row.start_time, _first_day_ends(mission.main)),)
    days: tuple[Journey, ...]
    if mission.type is MissionType.CORRECTION:
        # Copies are handed out on the first day, corrected at home, given back on the last.
        days = (
            Journey(row.start_date, row.start_time, _first_day_ends(mission)),
            Journey(row.end_date, dt.time(14), row.end_time),
        )
    else:
        days = tuple(Journey(day, row.start_time, row.end_time) for day in mission.days)
    if mission.briefing is not None:
        # The morning meeting carries that day's journey (DOMAIN §5: claimed once, on the
        # first mission of the day): nothing to declare here for it.
        days = tuple(j for j in days if j.day != row.start_date)
    return days


def _first_day_ends(mission: Planned) -> dt.time:
    row = mission.row
    if mission.type is MissionType.CORRECTION:
        return add_minutes(row.start_time, 150)  # the copies are handed out
    return row.end_time
