"""Writing messages to the outbox, in the transaction of the change that causes them: if the
change is rolled back, so is the message; if it commits, the message will be sent.

A person without an e-mail address gets no message (the letter and the application remain);
one who declined a kind of message that is not statutory does not get it either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from server_stub.core import clock
from server_stub.notifications import repository
from server_stub.notifications.kinds import STATUTORY, Kind
from server_stub.notifications.models import Delivery
from server_stub.notifications.templates import render
from server_stub.rules.french import format_date
from server_stub.rules.model import MissionType
from server_stub.rules.money import format_euros
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS


@dataclass(frozen=True)
class Notice:
    """One message for one person: the facts its template needs, written in French."""

    user_id: int
    context: Mapping[str, str]
    dedupe_key: str | None = None


def enqueue(session: Session, kind: Kind, notices: Sequence[Notice]) -> int:
    """Writes the messages of `notices` that have somewhere to go; answers how many."""
    if not notices:
        return 0
    ids = [n.user_id for n in notices]
    people = repository.recipients(session, ids)
    declined = set() if kind in STATUTORY else repository.opted_out(session, ids, kind)
    now = clock.now()
    rows: list[dict[str, Any]] = []
    for notice in notices:
        person = people.get(notice.user_id)
        if person is None or not person.email or notice.user_id in declined:
            continue
        message = render(kind, person.full_name, notice.context)
        rows.append(
            {
                "user_id": person.id,
                "kind": kind.value,
                "recipient": person.email,
                "subject": message.subject,
                "body_text": message.text,
                "body_html": message.html,
                "dedupe_key": notice.dedupe_key,
                "created_at": now,
                "status": Delivery.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
            }
        )
    repository.add(session, rows)
    return len(rows)


def mission_text(
    type: MissionType | str,
    start: dt.date,
    end: dt.date,
    paper: str | None,
    centre: str,
) -> str:
    """`Correction, Épreuve de mathématiques, Lycée professionnel Jean Moulin, le 15/06/2026`."""
    when = (
        f"le {format_date(start)}"
        if start == end
        else (f"du {format_date(start)} au {format_date(end)}")
    )
    parts = [MISSION_TYPE_LABELS[MissionType(type)], *([paper] if paper else []), centre]
    return f"{', '.join(parts)}, {when}"


def _statement_mission(row: Mapping[str, Any]) -> str:
    return mission_text(
        row["type"], row["start_date"], row["end_date"], row["paper"], row["centre"]
    )


def about_statements(
    session: Session, kind: Kind, statement_ids: Sequence[int], reason: str | None = None
) -> int:
    """A message to the owner of each statement: returned, corrected or validated."""
    rows = repository.statement_missions(session, statement_ids)
    notices = [
        Notice(
            row["user_id"],
            {
                "mission": _statement_mission(row),
                "amount": format_euros(Decimal(row["total"])),
                "reason": reason or "",
            },
        )
        for statement_id in statement_ids
        if (row := rows.get(statement_id)) is not None
    ]
    return enqueue(session, kind, notices)


def schedule_reminders(session: Session, today: dt.date, days_before: int) -> int:
    """A reminder for each statement still to send whose session's entry deadline is at most
    `days_before` days away: once per statement and deadline, whoever schedules it."""
    due = repository.reminders_due(session, today, today + dt.timedelta(days=days_before))
    if not due:
        return 0
    missions = repository.statement_missions(session, [s for s, _, _, _ in due])
    notices = [
        Notice(
            user_id,
            {
                "mission": _statement_mission(missions[statement_id]),
                "deadline": format_date(deadline),
            },
            dedupe_key=f"reminder:{statement_id}:{deadline.isoformat()}",
        )
        for statement_id, user_id, _, deadline in due
        if statement_id in missions
    ]
    return enqueue(session, Kind.DEADLINE_REMINDER, notices)


def about_payment(
    session: Session,
    kind: Kind,
    statement_ids: Sequence[int],
    day: dt.date,
    reason: str | None = None,
) -> int:
    """One message per person for the statements of theirs paid (or rejected) together: the
    amount is their total."""
    owed = repository.statement_owners(session, statement_ids).values()
    return about_amounts(session, kind, owed, day, reason)


def about_amounts(
    session: Session,
    kind: Kind,
    owed: Iterable[tuple[int, Decimal]],
    day: dt.date,
    reason: str | None = None,
) -> int:
    """One message per person for the amounts (person, amount) paid (or rejected) together:
    the amount is their total."""
    totals: dict[int, Decimal] = {}
    for user_id, amount in owed:
        totals[user_id] = totals.get(user_id, Decimal("0.00")) + Decimal(amount)
    on = format_date(day)
    notices = [
        Notice(user_id, {"amount": format_euros(total), "date": on, "reason": reason or ""})
        for user_id, total in sorted(totals.items())
    ]
    return enqueue(session, kind, notices)


def payments_rejected(
    session: Session, rejected: Sequence[tuple[int, Decimal, str]], day: dt.date
) -> int:
    """One message per person whose transfers the bank rejected: (user id, amount, reason) of
    each, their amounts added up and their reasons listed."""
    totals: dict[int, Decimal] = {}
    reasons: dict[int, list[str]] = {}
    for user_id, amount, reason in rejected:
        totals[user_id] = totals.get(user_id, Decimal("0.00")) + amount
        reasons.setdefault(user_id, [])
        if reason not in reasons[user_id]:
            reasons[user_id].append(reason)
    notices = [
        Notice(
            user_id,
            {
                "amount": format_euros(total),
                "date": format_date(day),
                "reason": " ; ".join(reasons[user_id]),
            },
        )
        for user_id, total in sorted(totals.items())
    ]
    return enqueue(session, Kind.PAYMENT_REJECTED, notices)
