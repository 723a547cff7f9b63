"""What a client may send, strictly: the types of every request field and parameter.

pydantic, left to itself, turns `"12"`, `true` and `"1_000"` into numbers, `0` into a date and
`"yes"` into a boolean, and lets a name carry a NUL or a right-to-left override. A request field
or parameter is one of the types below instead, and a request body derives from `WireIn`:

- a number in a JSON body is a JSON number (never a string or a boolean); in a path or a query
  it is ASCII digits, nothing else (no sign, space, underscore or other script's digits);
- an id fits the database's integer (1 to 2 147 483 647);
- a date is `AAAA-MM-JJ`, between 1950 and 2150; a time `HH:MM[:SS]` and a moment
  `AAAA-MM-JJTHH:MM[:SS]`, local (to the place of the mission) and without a UTC offset, which
  would otherwise be compared with local times;
- an amount is a JSON number or a string of ASCII digits with an optional decimal point;
- a boolean is `true` or `false`;
- text holds no control character (NUL, ESC…; a line break only where text may span lines),
  no invisible formatting character (bidirectional overrides such as U+202E, zero-width
  spaces…) and no lone surrogate.

Each refusal is a pydantic error whose type `core/handlers.py` words in French.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

MAX_ID = 2_147_483_647  # PostgreSQL's integer
# Dates a request may name: far enough for any mission or deadline, and never where date
# arithmetic (the next day, the week after) would leave the calendar.
FIRST_YEAR, LAST_YEAR = 1950, 2150
_DIGITS = re.compile(r"[0-9]{1,12}")
_DECIMAL = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,6})?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
_ZONE = r"([+-][0-9]{2}(:?[0-9]{2})?|Z)"
_TIME = re.compile(_CLOCK)
_TIME_IN_ZONE = re.compile(_CLOCK + _ZONE)
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T" + _CLOCK)
_MOMENT_IN_ZONE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T" + _CLOCK + _ZONE)

# Error types, worded in French by core/handlers.py (pydantic's own for strict numbers).
INT_PARSING = "int_parsing"
BOOL_TYPE = "bool_type"
DECIMAL_PARSING = "decimal_parsing"
DATE_PARSING = "date_parsing"
TIME_PARSING = "time_parsing"
DATETIME_PARSING = "datetime_parsing"
TIME_ZONE = "time_zone_refused"
DATE_RANGE = "date_out_of_range"
TEXT_CHARACTER = "text_character"


def _refuse(kind: str) -> PydanticCustomError:
    return PydanticCustomError(kind, kind)


def text_int(value: Any) -> Any:
    """A path or query number: ASCII digits only."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    raise _refuse(INT_PARSING)


def text_bool(value: Any) -> Any:
    """A query flag: `true` or `false`, nothing else (`1`, `yes` and `on` are refused)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _refuse(BOOL_TYPE)


def plain_decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise _refuse(DECIMAL_PARSING)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(DECIMAL_PARSING)
        return Decimal(repr(value))
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return Decimal(value)
    raise _refuse(DECIMAL_PARSING)


def _in_range(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError(
            DATE_RANGE, "{first}-{last}", {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def iso_day(value: Any) -> Any:
    day: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _DAY.fullmatch(value):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise _refuse(DATE_PARSING)
    _in_range(day)
    return day


def local_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise _refuse(TIME_ZONE)
        return value
    if isinstance(value, str):
        if _TIME.fullmatch(value):
            with contextlib.suppress(ValueError):
                return dt.time.fromisoformat(value)
        elif _TIME_IN_ZONE.fullmatch(value):
            raise _refuse(TIME_ZONE)
    raise _refuse(TIME_PARSING)


def local_moment(value: Any) -> Any:
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise _refuse(TIME_ZONE)
        moment = value
    elif isinstance(value, str):
        if _MOMENT.fullmatch(value):
            with contextlib.suppress(ValueError):
                moment = dt.datetime.fromisoformat(value)
        elif _MOMENT_IN_ZONE.fullmatch(value):
            raise _refuse(TIME_ZONE)
    if moment is None:
        raise _refuse(DATETIME_PARSING)
    _in_range(moment.date())
    return moment


# Line breaks, where text may span lines (a reason, an address); every other control character,
# invisible formatting character (Cf: bidirectional controls, zero-width spaces, soft hyphens),
# surrogate and private-use character is refused.
_MULTILINE = frozenset("\n\r\t")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


# In ASCII, only the control characters are refused: a search in C, where a document of
# megabytes (a bank statement) would take a second looked up character by character.
_ASCII_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_REFUSED_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def refused_character(text: str, *, multiline: bool = True) -> str | None:
    """The first character `text` may not hold, or None."""
    if text.isascii():
        found = (_ASCII_REFUSED if multiline else _ASCII_REFUSED_ONE_LINE).search(text)
        return None if found is None else found.group()
    # Each distinct character looked up once; the first refused one in the text's order.
    refused = [
        character
        for character in set(text)
        if not (multiline and character in _MULTILINE)
        and unicodedata.category(character) in _REFUSED_CATEGORIES
    ]
    return min(refused, key=text.index) if refused else None


def plain_text(value: Any) -> Any:
    if isinstance(value, str):
        character = refused_character(value)
        if character is not None:
            raise PydanticCustomError(TEXT_CHARACTER, "{code}", {"code": f"U+{ord(character):04X}"})
    return value


# --- in a JSON body -------------------------------------------------------------------------
# Strict: a number, a boolean, never a string; constraints (`Field(ge=…)`) apply on top.

Int = Annotated[int, Strict()]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Flag = Annotated[bool, Strict()]
# RFC 3339's times (OpenAPI's `time` and `date-time` formats) carry an offset; these do not,
# and the document says so.
_LOCAL_TIME = {
    "type": "string",
    "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$",
    "description": "Heure locale HH:MM[:SS], sans fuseau horaire.",
}
_LOCAL_MOMENT = {
    "type": "string",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$",
    "description": "Date et heure locales AAAA-MM-JJTHH:MM[:SS], sans fuseau horaire.",
}
LocalTime = Annotated[dt.time, WithJsonSchema(_LOCAL_TIME)]
"""A local time in an answer (a mission's hours)."""

Day = Annotated[dt.date, BeforeValidator(iso_day)]
ClockTime = Annotated[dt.time, BeforeValidator(local_time), WithJsonSchema(_LOCAL_TIME)]
LocalMoment = Annotated[dt.datetime, BeforeValidator(local_moment), WithJsonSchema(_LOCAL_MOMENT)]
AsDecimal = BeforeValidator(plain_decimal)
"""An amount's parsing, after its bounds: `Annotated[Decimal, Field(ge=0, …), AsDecimal]` (in
this order, so that the document shows the bounds)."""

# --- in a path or a query ---------------------------------------------------------------------

Digits = BeforeValidator(text_int)
"""A path or query number's parsing, after its bounds: `Annotated[int, Query(ge=1), Digits]`."""
QueryId = Annotated[int, Field(ge=1, le=MAX_ID), Digits]
QueryFlag = Annotated[bool, BeforeValidator(text_bool)]
QueryDay = Annotated[dt.date, BeforeValidator(iso_day)]
QueryText = Annotated[str, AfterValidator(plain_text)]
Text = Annotated[str, AfterValidator(plain_text)]
"""Text checked where it stands: the items of a list of texts, each named in the error."""

STRICT_PARSERS = frozenset({text_int, text_bool, plain_decimal, iso_day, local_time, local_moment})
"""With `Strict()`, what a request's number, flag, amount, date or time must be read with (a test
walks every route and body model to see that each is)."""


class WireIn(BaseModel):
    """A request body: unknown fields are refused, and so is any text holding a character
    a person cannot see or type (see above), in any field, however nested."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return _plain_texts(value)


def _plain_texts(value: Any) -> Any:
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _plain_texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _plain_texts(key)
            _plain_texts(item)
    return value
