"""Wire shapes of payment batches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from server_stub.payment.models import BatchStatus


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchIn(Strict):
    session_id: int | None = Field(
        default=None, description="Seulement les états de frais de cette session."
    )
    statement_ids: Annotated[list[int] | None, Field(max_length=20_000)] = Field(
        default=None, description="Seulement ces états de frais (sinon tous ceux validés)."
    )
    execution_date: dt.date | None = Field(
        default=None,
        description="Date d'exécution des virements (par défaut le jour ouvré suivant).",
    )


class PaidIn(Strict):
    paid_on: dt.date


class BatchOut(BaseModel):
    id: int
    reference: str
    office: str
    session_id: int | None
    session: str | None
    status: BatchStatus
    status_label: str
    created_at: dt.datetime
    created_by: str | None
    execution_date: dt.date
    paid_on: dt.date | None
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal


class Excluded(BaseModel):
    id: int
    reason: str


class BatchCreated(BaseModel):
    batch: BatchOut
    excluded: list[Excluded] = Field(
        description="États de frais validés laissés hors du lot, et pourquoi."
    )
