"""Wire shapes of the administrator's tariff routes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from server_stub.core.wire import Day, Text, WireIn


class TariffVersionOut(BaseModel):
    version: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    added: bool  # by an administrator (stored in the database), not packaged with the server
    added_at: dt.datetime | None
    added_by: str | None
    # The version's values in the shape of its TOML file: amounts as strings with their
    # digits, times as HH:MM.
    values: dict[str, Any]


class TariffFileOut(BaseModel):
    file: str
    title: str
    editable: bool
    note: str | None  # why it cannot be changed here
    labels: dict[str, str]  # the French meaning of each key of `values`
    versions: list[TariffVersionOut]


class TariffVersionIn(WireIn):
    valid_from: Day
    source: Text = Field(min_length=1, max_length=400)
    # The values in the shape of a `[[versions]]` table of the file (without version, dates
    # and source): amounts as JSON numbers or strings of digits, times as "HH:MM".
    values: dict[str, Any] = Field(max_length=100)


class StatementChangeOut(BaseModel):
    statement_id: int
    person: str
    mission: str
    start_date: dt.date
    status: str
    old_total: Decimal
    new_total: Decimal


class TariffPreviewOut(BaseModel):
    file: str
    version: str
    valid_from: dt.date
    changed: list[StatementChangeOut]  # not yet validated: computed again when it is added
    validated_kept: int  # validated statements of the period, never computed again


class TariffAddedOut(BaseModel):
    version: TariffVersionOut
    recomputed: int
    validated_kept: int
