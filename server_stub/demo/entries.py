"""What a demonstration intervenant types into an expense statement.

Pure: from the mission's days and hours and the person's journey, an `EntryIn` the rules accept
without a problem. Meals and nights are the ones the trips' times make due (the rules' own
proposals), so that every claim is justified.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from server_stub.rules import model as rules
from server_stub.rules.meals import proposed_meals
from server_stub.rules.model import HalfDay, MealKind, MissionType, Residence, TravelMode
from server_stub.rules.nights import proposed_nights
from server_stub.statements.schemas import (
    EntryIn,
    MealIn,
    NightIn,
    PayDayIn,
    TravelIn,
    TripIn,
)

CENT = Decimal("0.01")
# A half-day of orals: 8h-12h or 13h30-17h30, less the breaks.
HALF_DAY_MINUTES = 210
# Roads are longer than the great circle; average speeds by car and by public transport.
ROAD_FACTOR = 1.25
CAR_KMH = 65
PUBLIC_TRANSPORT_KMH = 45


@dataclass(frozen=True)
class Journey:
    """One day on site: when the person must arrive and may leave."""

    day: dt.date
    arrive: dt.time
    leave: dt.time


@dataclass(frozen=True)
class Visit:
    """Everything the entry of one convocation depends on."""

    mission_type: MissionType
    days: tuple[dt.date, ...]
    start: dt.time
    end: dt.time
    journeys: tuple[Journey, ...]
    counts: bool  # pay counts may be typed (a paid, one-off paper, or a meeting)
    minutes_per_candidate: int | None
    lot_size: int | None
    travel: bool  # travel costs are due and claimed
    departure: Residence
    distance_km: float  # great circle, departure residence to the mission commune
    mode: TravelMode
    overnight: bool
    parking_town: bool


def road_km(distance: float) -> float:
    return distance * ROAD_FACTOR + 2


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def _at(day: dt.date, minutes: int) -> dt.datetime:
    minutes = max(5 * 60, min(minutes, 23 * 60 + 55))
    minutes -= minutes % 5
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def _hours(start: dt.time, end: dt.time) -> Decimal:
    return (Decimal(_minutes(end) - _minutes(start)) / 60).quantize(CENT)


def build_entry(
    rng: random.Random, visit: Visit, *, draft: bool = False, overstated: bool = False
) -> EntryIn:
    """The entry of `visit`; a draft holds the pay part and the journeys, no meal or night.

    An overstated entry declares a few copies beyond the lot, or too many kilometres: what
    the DEC's checks flag (the rules accept both).
    """
    days = _pay_days(rng, visit)
    travel = _travel(rng, visit, draft) if visit.travel and visit.journeys else TravelIn()
    if draft:
        days = days[: max(1, len(days) // 2)]
    entry = EntryIn(days=days, travel=travel)
    return _overstate(rng, entry) if overstated else entry


def _overstate(rng: random.Random, entry: EntryIn) -> EntryIn:
    copies = [n for n, day in enumerate(entry.days) if day.copies]
    if copies:
        days = list(entry.days)
        last = days[copies[-1]]
        days[copies[-1]] = last.model_copy(
            update={"copies": (last.copies or 0) + rng.randint(3, 9)}
        )
        return entry.model_copy(update={"days": days})
    trips = list(entry.travel.trips)
    for n, trip in enumerate(trips):
        if trip.mode is TravelMode.CAR and trip.km > 0:
            trips[n] = trip.model_copy(update={"km": (trip.km * Decimal("1.8") + 30).quantize(1)})
            travel = entry.travel.model_copy(update={"trips": trips})
            return entry.model_copy(update={"travel": travel})
    return entry


# --- pay ------------------------------------------------------------------------------------


def _pay_days(rng: random.Random, visit: Visit) -> list[PayDayIn]:
    if not visit.counts:
        return []
    if visit.mission_type is MissionType.CORRECTION:
        return _copies(rng, visit)
    if visit.mission_type is MissionType.INTERROGATION:
        return _candidates(rng, visit)
    if visit.mission_type in (MissionType.REUNION, MissionType.HARMONISATION):
        return [PayDayIn(date=day, hours=_hours(visit.start, visit.end)) for day in visit.days]
    return []


def _copies(rng: random.Random, visit: Visit) -> list[PayDayIn]:
    lot = visit.lot_size or 0
    total = lot - rng.randint(0, lot // 8)
    weights = [rng.uniform(0.3, 1.0) if i else 0.3 for i in range(len(visit.days))]
    scale = total / sum(weights)
    counts = [math.floor(w * scale) for w in weights]
    counts[-1] += total - sum(counts)
    return [PayDayIn(date=day, copies=count) for day, count in zip(visit.days, counts, strict=True)]


def _candidates(rng: random.Random, visit: Visit) -> list[PayDayIn]:
    most = HALF_DAY_MINUTES // (visit.minutes_per_candidate or HALF_DAY_MINUTES)
    first, last = visit.days[0], visit.days[-1]
    days = []
    for day in visit.days:
        counts: dict[HalfDay, int] = {}
        if day != first or visit.start < dt.time(11):
            counts[HalfDay.MORNING] = rng.randint(max(1, most // 2), max(1, most))
        if day != last or visit.end >= dt.time(16):
            counts[HalfDay.AFTERNOON] = rng.randint(max(1, most // 2), max(1, most))
        days.append(PayDayIn(date=day, candidates=counts))
    return days


# --- travel ---------------------------------------------------------------------------------


def _travel(rng: random.Random, visit: Visit, draft: bool) -> TravelIn:
    trips = _trips(rng, visit)
    if draft:
        return TravelIn(claimed=True, departure=visit.departure, trips=trips)
    plain = [rules.Trip(depart_at=t.depart_at, return_at=t.return_at, mode=t.mode) for t in trips]
    canteen = rng.random() < 0.25
    meals = [
        MealIn(
            date=m.date,
            kind=m.kind,
            administrative_restaurant=canteen and m.kind is MealKind.LUNCH,
        )
        for m in proposed_meals(plain)
    ]
    nights = [
        NightIn(date=evening, cost=Decimal(rng.randrange(116, 210)) / 2)
        for evening in proposed_nights(plain)
    ]
    return TravelIn(
        claimed=True, departure=visit.departure, trips=trips, meals=meals, nights=nights
    )


def _trips(rng: random.Random, visit: Visit) -> list[TripIn]:
    one_way = road_km(visit.distance_km)
    speed = PUBLIC_TRANSPORT_KMH if visit.mode is TravelMode.PUBLIC_TRANSPORT else CAR_KMH
    travel_minutes = round(one_way / speed * 60) + 10
    spans: list[tuple[dt.datetime, dt.datetime]]
    if visit.overnight:
        first, last = visit.journeys[0], visit.journeys[-1]
        spans = [
            (
                _at(first.day, _minutes(first.arrive) - travel_minutes - 15),
                _at(last.day, _minutes(last.leave) + travel_minutes + 5),
            )
        ]
    else:
        spans = [
            (
                _at(j.day, _minutes(j.arrive) - travel_minutes - 15),
                _at(j.day, _minutes(j.leave) + travel_minutes + 5),
            )
            for j in visit.journeys
        ]
    km = Decimal(round(2 * one_way))
    tolls = (
        Decimal(round(2 * one_way * 0.075, 1)).quantize(CENT)
        if one_way > 70 and rng.random() < 0.4
        else Decimal(0)
    )
    trips = []
    for depart, back in spans:
        if visit.mode is TravelMode.PUBLIC_TRANSPORT:
            fare = Decimal(round((2.5 + 0.105 * one_way) * 2, 1)).quantize(CENT)
            trips.append(TripIn(depart_at=depart, return_at=back, mode=visit.mode, fare=fare))
            continue
        parking = Decimal(0)
        if visit.mode is TravelMode.CAR and visit.parking_town and rng.random() < 0.4:
            parking = Decimal(rng.choice(("3.60", "4.50", "6.00", "8.40")))
        trips.append(
            TripIn(
                depart_at=depart,
                return_at=back,
                mode=visit.mode,
                km=km,
                parking=parking,
                tolls=tolls if visit.mode is TravelMode.CAR else Decimal(0),
            )
        )
    return trips
