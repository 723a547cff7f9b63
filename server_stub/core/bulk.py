"""Thousands of rows written by one PostgreSQL statement, with one parameter each way.

A set-based write joins its table to the rows sent as one JSON document
(`json_to_recordset`): the driver sends one text, encoded by the standard library's C encoder,
where arrays of values are adapted value by value and a statement per row costs a round trip
each. The ids the rows concern also go as one array literal, so that the planner finds them
by primary key (`id = ANY(...)`) whatever it guesses of the document's size.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any


def json_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """`rows`, their `columns` only, as a JSON array of objects: dates and times in ISO 8601
    (PostgreSQL reads them as the record's declared types), amounts as exact text."""
    # Thousands of rows share a few days and moments (a bank statement's booking date, the
    # moment of its audit entries): each is written once.
    written: dict[tuple[Any, Any], str] = {}

    def plain(value: Any) -> str:
        if isinstance(value, dt.date):
            key = (value, value.utcoffset() if isinstance(value, dt.datetime) else None)
            text = written.get(key)
            if text is None:
                text = written[key] = value.isoformat()
            return text
        return _plain(value)

    return json.dumps(
        [{column: row[column] for column in columns} for row in rows],
        default=plain,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def id_array(ids: Iterable[int]) -> str:
    """`{1,2,3}`: PostgreSQL's text of an integer array, for `CAST(:ids AS integer[])`."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _plain(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not sent as JSON")
