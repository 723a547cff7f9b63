"""Properties every statement keeps, whatever is typed (DOMAIN §7)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from server_stub.rules.kilometres import split_into_bands
from server_stub.rules.model import (
    Computation,
    Context,
    Entry,
    HalfDay,
    MealClaim,
    MealKind,
    MissionType,
    NightClaim,
    PayDay,
    TravelMode,
    Trip,
)
from tests.server_stub.rules.rules_factories import (
    AMIENS,
    JUNE_12,
    LILLE,
    PARIS_12,
    compute,
    mission,
    person,
)

JUNE_13 = JUNE_12 + dt.timedelta(days=1)
money = st.decimals(min_value=0, max_value=500, places=2)
kilometres = st.decimals(min_value=0, max_value=1900, places=1)
year_km = st.decimals(min_value=0, max_value=15000, places=0)


@st.composite
def trips(draw: st.DrawFn) -> Trip:
    evening = draw(st.booleans())
    depart = dt.datetime.combine(
        JUNE_12 - dt.timedelta(days=evening), dt.time(draw(st.integers(0, 23)))
    )
    return Trip(
        depart_at=depart,
        return_at=depart + dt.timedelta(minutes=draw(st.integers(0, 60 * 40))),
        mode=draw(st.sampled_from(TravelMode)),
        km=draw(kilometres),
        fare=draw(money),
        parking=draw(money),
        tolls=draw(money),
    )


@st.composite
def statements(draw: st.DrawFn) -> Computation:
    kind = draw(st.sampled_from([MissionType.CORRECTION, MissionType.INTERROGATION]))
    days = tuple(
        PayDay(
            date,
            copies=draw(st.integers(0, 400)) if kind is MissionType.CORRECTION else None,
            candidates={h: draw(st.integers(0, 30)) for h in HalfDay}
            if kind is MissionType.INTERROGATION
            else {},
        )
        for date in (JUNE_12, JUNE_13)
    )
    entry = Entry(
        days=days,
        travel_claimed=True,
        trips=tuple(draw(st.lists(trips(), max_size=4))),
        meals=tuple(
            MealClaim(date, meal, draw(st.booleans()))
            for date in (JUNE_12, JUNE_13)
            for meal in MealKind
            if draw(st.booleans())
        ),
        nights=tuple(
            NightClaim(date, draw(money)) for date in (JUNE_12, JUNE_13) if draw(st.booleans())
        ),
    )
    return compute(
        mission(
            kind,
            end=JUNE_13,
            commune=draw(st.sampled_from([AMIENS, LILLE, PARIS_12])),
            pay_group=draw(st.sampled_from(["1", "2", "3", "4"])),
            minutes_per_candidate=draw(st.integers(5, 60)),
            optional_oral=draw(st.booleans()),
        ),
        the_person=person(fiscal_power=draw(st.integers(1, 15)), disability=draw(st.booleans())),
        entry=entry,
        context=Context(car_km_before=draw(year_km)),
    )


@given(statements())
def test_no_amount_is_negative_and_every_amount_has_two_decimals(result: Computation) -> None:
    for line in result.lines:
        assert line.amount >= 0
        assert line.amount.as_tuple().exponent == -2
    for value in (result.pay_total, result.travel_total, result.total):
        assert value.as_tuple().exponent == -2


@given(statements())
def test_totals_are_sums_of_rounded_lines(result: Computation) -> None:
    assert result.total == sum((line.amount for line in result.lines), Decimal(0))
    assert result.total == result.pay_total + result.travel_total


@given(st.integers(0, 1000), st.integers(0, 1000), st.sampled_from(["1", "2", "3", "4", "5"]))
def test_more_copies_never_pay_less(copies: int, more: int, group: str) -> None:
    def paid(count: int) -> Decimal:
        entry = Entry(days=(PayDay(JUNE_12, copies=count),))
        return compute(mission(pay_group=group), entry=entry).total

    assert paid(copies + more) >= paid(copies)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(1, 90), st.booleans())
def test_more_candidates_never_pay_less(
    candidates: int, more: int, minutes: int, optional: bool
) -> None:
    def paid(count: int) -> Decimal:
        oral = mission(
            MissionType.INTERROGATION, minutes_per_candidate=minutes, optional_oral=optional
        )
        entry = Entry(days=(PayDay(JUNE_12, candidates={HalfDay.MORNING: count}),))
        return compute(oral, entry=entry).total

    assert paid(candidates + more) >= paid(candidates)


@given(kilometres, kilometres, year_km, st.integers(1, 15))
def test_more_kilometres_never_pay_less(
    km: Decimal, more: Decimal, before: Decimal, fiscal_power: int
) -> None:
    def paid(distance: Decimal) -> Decimal:
        journey = Trip(
            dt.datetime.combine(JUNE_12, dt.time(7)),
            dt.datetime.combine(JUNE_12, dt.time(19)),
            TravelMode.CAR,
            km=distance,
        )
        entry = Entry(travel_claimed=True, trips=(journey,))
        return compute(
            the_person=person(fiscal_power=fiscal_power),
            entry=entry,
            context=Context(car_km_before=before),
        ).total

    assert paid(min(km + more, Decimal(2000))) >= paid(km)


@given(year_km, kilometres)
def test_band_segments_add_up_to_the_trip(before: Decimal, km: Decimal) -> None:
    segments = split_into_bands(before, km, (2000, 10000))
    assert sum((s.km for s in segments), Decimal(0)) == km
    assert all(s.km > 0 for s in segments)
    assert [s.band for s in segments] == sorted({s.band for s in segments})
