"""Wire shapes of the DEC's statement queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from server_stub.rules.model import MissionType
from server_stub.statements.models import Status


class QueueRow(BaseModel):
    id: int
    status: Status
    status_label: str
    intervenant: str
    login: str
    mission_type: MissionType
    exam: str | None
    paper_code: str | None
    centre: str
    start_date: dt.date
    end_date: dt.date
    total: Decimal
    submitted_at: dt.datetime | None


class QueuePage(BaseModel):
    items: list[QueueRow]
    next_cursor: str | None
