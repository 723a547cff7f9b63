"""The DEC's dashboard for a session: counts by status, amounts by exam and mission type,
validation progress day by day (from the audit trail). JSON for the client's charts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.dec import repository
from server_stub.dec.schemas import (
    Dashboard,
    DayProgress,
    ExamAmounts,
    StatusCount,
    TypeAmounts,
)
from server_stub.reference.models import ExamSession
from server_stub.rules.model import MissionType
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS, Action
from server_stub.statements.models import Status
from server_stub.statements.vocabulary import dec_status_kinds

PARIS = ZoneInfo("Europe/Paris")
SENT = (Status.SUBMITTED, Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID)
VALIDATED = (Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID)
_PROGRESS = {
    Action.SUBMIT.value: "submitted",
    Action.APPROVE.value: "approved",
    Action.ENTER_INDEMNITY.value: "approved",
    Action.RETURN.value: "returned",
}


def dashboard(session: Session, exam_session: ExamSession, today: dt.date) -> Dashboard:
    """The session's figures; an open statement counts as its mission stands on `today`."""
    session_id = exam_session.id
    counts: dict[Status, tuple[int, Decimal]] = {}
    by_kind: dict[tuple[Status, bool | None], tuple[int, Decimal]] = {}
    for s, over, n, total in repository.counts_by_status(session, session_id, today):
        status = Status(s)
        kind = (status, over if status is Status.OPEN else None)
        count, amount = counts.get(status, (0, Decimal("0.00")))
        counts[status] = (count + n, amount + total)
        count, amount = by_kind.get(kind, (0, Decimal("0.00")))
        by_kind[kind] = (count + n, amount + total)
    by_status = [
        StatusCount(
            status=k.status,
            done=k.done,
            label=k.label,
            count=by_kind[(k.status, k.done)][0],
            total=by_kind[(k.status, k.done)][1],
        )
        for k in dec_status_kinds()
        if (k.status, k.done) in by_kind
    ]
    by_exam = [
        ExamAmounts(
            exam_id=r["exam_id"],
            exam=r["exam"],
            speciality=r["speciality"],
            mission_type=r["mission_type"],
            mission_type_label=MISSION_TYPE_LABELS[MissionType(r["mission_type"])],
            count=r["count"],
            pay_total=r["pay_total"],
            travel_total=r["travel_total"],
            total=r["total"],
        )
        for r in repository.amounts_by_exam(session, session_id, SENT)
    ]
    by_exam.sort(key=lambda e: (e.exam or "", e.mission_type_label))
    types: dict[MissionType, tuple[int, Decimal]] = {}
    for e in by_exam:
        n, total = types.get(e.mission_type, (0, Decimal("0.00")))
        types[e.mission_type] = (n + e.count, total + e.total)
    by_type = [
        TypeAmounts(mission_type=t, label=MISSION_TYPE_LABELS[t], count=n, total=total)
        for t, (n, total) in sorted(types.items(), key=lambda item: MISSION_TYPE_LABELS[item[0]])
    ]
    statement_count = sum(n for n, _ in counts.values())
    validated = sum(counts.get(s, (0, 0))[0] for s in VALIDATED)
    sent = validated + counts.get(Status.SUBMITTED, (0, 0))[0]
    share = (Decimal(validated) / sent).quantize(Decimal("0.0001")) if sent else Decimal(0)
    return Dashboard(
        session_id=exam_session.id,
        session=exam_session.name,
        statement_count=statement_count,
        to_validate=counts.get(Status.SUBMITTED, (0, 0))[0],
        validated=validated,
        validated_share=share,
        by_status=by_status,
        by_exam=by_exam,
        by_mission_type=by_type,
        progress=_progress(session, session_id),
    )


def _progress(session: Session, session_id: int) -> list[DayProgress]:
    days: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for hour, action, count in repository.actions_by_hour(session, session_id, _PROGRESS.keys()):
        utc = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        days[utc.astimezone(PARIS).date()][_PROGRESS[action]] += count
    cumulative = 0
    progress = []
    for day in sorted(days):
        counts = days[day]
        cumulative += counts["approved"]
        progress.append(
            DayProgress(
                date=day,
                submitted=counts["submitted"],
                approved=counts["approved"],
                returned=counts["returned"],
                approved_cumulative=cumulative,
            )
        )
    return progress
