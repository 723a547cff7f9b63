"""SQL of a person's own file."""

from __future__ import annotations

from sqlalchemy import column, exists, select, table
from sqlalchemy.orm import Session

# Read by name: the statements' package sits above this one (docs/architecture.md). Only what
# the question needs: whether the person is still owed anything by transfer.
_STATEMENTS = table(
    "statements",
    column("user_id"),
    column("status"),
    column("pay_total"),
    column("travel_total"),
    column("pay_payment"),
    column("travel_payment"),
)
_CLOSED = ("CANCELLED", "NOT_PERFORMED", "PAID")


def owed_by_transfer(session: Session, user_id: int, *, academic: bool) -> bool:
    """Whether a live statement of the person holds an amount to transfer not yet paid: an
    interne's travel costs, anything of an externe's."""
    s = _STATEMENTS.c
    unpaid_travel = (s.travel_total > 0) & (
        s.travel_payment.is_(None) | (s.travel_payment == "REJECTED")
    )
    owed = (
        unpaid_travel
        if academic
        else unpaid_travel
        | ((s.pay_total > 0) & (s.pay_payment.is_(None) | (s.pay_payment == "REJECTED")))
    )
    query = select(exists().where(s.user_id == user_id, s.status.not_in(_CLOSED), owed))
    return bool(session.scalar(query))
