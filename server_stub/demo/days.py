"""Working days and times of the demonstration calendar."""

from __future__ import annotations

import datetime as dt
from functools import cache


def easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """The French public holidays (jours fériés) of a year."""
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    after_easter = (1, 39, 50)  # lundi de Pâques, Ascension, lundi de Pentecôte
    sunday = easter(year)
    return frozenset(
        [dt.date(year, month, day) for month, day in fixed]
        + [sunday + dt.timedelta(days=n) for n in after_easter]
    )


def working_day(day: dt.date) -> dt.date:
    """The day itself, or the next one that is neither a week-end day nor a public holiday."""
    while day.weekday() >= 5 or day in public_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def working_days(first: dt.date, count: int) -> list[dt.date]:
    days = [working_day(first)]
    while len(days) < count:
        days.append(working_day(days[-1] + dt.timedelta(days=1)))
    return days


def every_day(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=n) for n in range((last - first).days + 1))


def add_minutes(moment: dt.time, minutes: int) -> dt.time:
    total = moment.hour * 60 + moment.minute + minutes
    return dt.time(total // 60, total % 60)


def minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour - start.hour) * 60 + end.minute - start.minute


def utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)
