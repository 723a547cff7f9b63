"""The DEC's dashboard for a session: counts by status, amounts by exam and mission type,
validation progress day by day (from the audit trail). JSON for the client's charts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.errors import NotFound
from server_stub.dec import repository
from server_stub.dec.schemas import (
    Dashboard,
    DayProgress,
    ExamAmounts,
    StatusCount,
    TypeAmounts,
)
from server_stub.dec.service import in_scope
from server_stub.reference.models import ExamSession
from server_stub.rules.model import MissionType
from server_stub.statements.lifecycle import DEC_LABELS, MISSION_TYPE_LABELS, Action
from server_stub.statements.models import Status

PARIS = ZoneInfo("Europe/Paris")
SENT = (Status.SUBMITTED, Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID)
VALIDATED = (Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID)
_PROGRESS = {
    Action.SUBMIT.value: "submitted",
    Action.APPROVE.value: "approved",
    Action.ENTER_INDEMNITY.value: "approved",
    Action.RETURN.value: "returned",
}


def dashboard(session: Session, user: User, session_id: int) -> Dashboard:
    exam_session = session.get(ExamSession, session_id)
    if exam_session is None or not in_scope(user, exam_session.office):
        raise NotFound("Cette session d'examen est introuvable.")
    counts = {
        Status(s): (n, total) for s, n, total in repository.counts_by_status(session, session_id)
    }
    by_status = [
        StatusCount(status=s, label=DEC_LABELS[s], count=counts[s][0], total=counts[s][1])
        for s in Status
        if s in counts
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
