"""SQL the repositories share: a column among thousands of ids, as one condition with one
parameter.

On PostgreSQL the ids go as one array literal (`= ANY`, found by index whatever their number);
on SQLite as one JSON array read by `json_each`. A list of bind parameters (`IN (?, ?, …)`)
costs SQLAlchemy a rendering and the driver an adaptation per id, and SQLite caps it (32,766
parameters): a bank statement's thousands of people and statements went in chunks of a
thousand, a query each.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, String, any_, cast, func, literal, select
from sqlalchemy.orm import Session

from server_stub.core.bulk import id_array


def among(session: Session, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """`column` among `ids` (any number of them, none included)."""
    ordered = sorted({int(i) for i in ids})
    condition: ColumnElement[bool]
    if session.get_bind().dialect.name == "postgresql":
        condition = column == any_(cast(literal(id_array(ordered), String()), ARRAY(Integer)))
    else:
        listed = func.json_each(literal(json.dumps(ordered), String())).table_valued("value")
        condition = column.in_(select(listed.c.value))
    return condition
