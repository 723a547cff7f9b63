"""The DEC's queue of statements: filters, sorting and keyset paging, and who sees what."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.settings import Settings
from server_stub.dec import repository
from server_stub.dec.repository import QueueFilter, QueueSort
from server_stub.dec.schemas import QueuePage, QueueRow
from server_stub.rules.anomalies import AnomalyCode
from server_stub.statements import lifecycle
from server_stub.statements.models import Status

_BAD_CURSOR = "Curseur de pagination invalide : reprenez depuis la première page."


# --- cursors: the sort, its direction and the last row's key, opaque to the client ---------


def _encode(sort: QueueSort, descending: bool, key: list[Any]) -> str:
    plain = [
        v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v
        for v in key
    ]
    text = json.dumps({"s": sort.value, "d": descending, "k": plain}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(cursor: str, sort: QueueSort, descending: bool) -> list[Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        if data["s"] != sort.value or data["d"] is not descending:
            raise ValueError("cursor of another sort")
        key = list(data["k"])
        *values, last_id = key
        _integer(last_id)
        typed: list[Any]
        match sort:
            case QueueSort.ID:
                typed = []
            case QueueSort.INTERVENANT:
                typed = [str(values[0]), str(values[1]), _integer(values[2])]
            case QueueSort.START_DATE:
                typed = [dt.date.fromisoformat(values[0]), _integer(values[1])]
            case QueueSort.TOTAL:
                typed = [Decimal(values[0]).quantize(Decimal("0.01"))]
            case QueueSort.STATUS:
                typed = [int(values[0])]
        if len(typed) != len(values):
            raise ValueError("length")
        return [*typed, last_id]
    except (
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        InvalidOperation,
        binascii.Error,
        UnicodeDecodeError,
    ):
        raise InvalidInput(_BAD_CURSOR, fields={"cursor": _BAD_CURSOR}) from None


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("integer")
    return value


def queue(
    session: Session,
    settings: Settings,
    offices: frozenset[str] | None,
    where: QueueFilter,
    cursor: str | None,
    limit: int,
    sort: QueueSort = QueueSort.ID,
    descending: bool = False,
) -> QueuePage:
    after = _decode(cursor, sort, descending) if cursor else None
    today = clock.today(settings)
    where = replace(where, offices=offices, today=today)
    rows = repository.queue_page(session, where, sort, descending, after, limit + 1)
    required = repository.offices_requiring_service(session)

    def service_missing(r: Any) -> bool:
        return (
            r["office"] in required
            and r["service_done_at"] is None
            and r["status"] == Status.SUBMITTED
        )

    items = [
        QueueRow(
            id=r["id"],
            version=r["version"],
            status=r["status"],
            status_label=lifecycle.dec_label(
                Status(r["status"]), lifecycle.Timing(r["start_date"], r["end_date"], today)
            ),
            intervenant=f"{r['first_name']} {r['last_name']}",
            login=r["login"],
            mission_id=r["mission_id"],
            mission_type=r["mission_type"],
            start_date=r["start_date"],
            end_date=r["end_date"],
            exam=r["exam"] or r["mission_label"],
            paper_code=r["paper_code"],
            centre=r["centre"],
            total=r["total"],
            submitted_at=r["submitted_at"],
            anomaly_count=r["anomaly_count"] + service_missing(r),
            anomaly_codes=[AnomalyCode(c) for c in (r["anomaly_codes"] or "").split()]
            + ([AnomalyCode.SERVICE_NOT_DONE] if service_missing(r) else []),
            dec_corrected=r["dec_corrected"],
            service_done=r["service_done_at"] is not None,
            payment_batch_id=r["payment_batch_id"],
        )
        for r in rows[:limit]
    ]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = _encode(sort, descending, repository.sort_key(sort, rows[limit - 1]))
    return QueuePage(items=items, next_cursor=next_cursor)
