"""TARGET2 business days: the days euro credit transfers are settled.

The Eurosystem's settlement system is closed on Saturdays and Sundays, on 1 January, Good
Friday, Easter Monday, 1 May, 25 and 26 December (and on the rare extra closing days the ECB
announces). The calendar is the one the `holidays` library keeps for the European Central Bank
(market "XECB"), not a list kept here; a requested execution date falls on a business day.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

# The library names the closing days in English: what they read as in French.
_FRENCH = {
    "New Year's Day": "jour de l'an",
    "Good Friday": "Vendredi saint",
    "Easter Monday": "lundi de Pâques",
    "Labour Day": "fête du Travail",
    "Christmas Day": "Noël",
    "Christmas Holiday": "lendemain de Noël",
    "Additional closing day": "fermeture exceptionnelle",
}


@functools.cache
def _closed(year: int) -> dict[dt.date, str]:
    calendar = holidays.financial_holidays("XECB", years=year)
    return {day: str(name) for day, name in calendar.items()}


def closing_reason(day: dt.date) -> str | None:
    """Why TARGET2 is closed on `day` (in French), or None on a business day."""
    if day.weekday() == 5:
        return "samedi"
    if day.weekday() == 6:
        return "dimanche"
    name = _closed(day.year).get(day)
    if name is None:
        return None
    return " ; ".join(_FRENCH.get(part.strip(), part.strip()) for part in name.split(";"))


def is_business_day(day: dt.date) -> bool:
    return closing_reason(day) is None


def next_business_day(day: dt.date) -> dt.date:
    """The first TARGET2 business day after `day`."""
    following = day + dt.timedelta(days=1)
    while not is_business_day(following):
        following += dt.timedelta(days=1)
    return following
