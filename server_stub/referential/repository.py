"""SQL of the académie's reference data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.referential.models import (
    AdjacentCommuneChange,
    AnomalyThresholdValue,
    DebtorAccount,
    ReturnReasonEntry,
)

DEBTOR_ID = 1


def adjacent_changes(session: Session) -> Sequence[AdjacentCommuneChange]:
    query = select(AdjacentCommuneChange).order_by(
        AdjacentCommuneChange.insee_a, AdjacentCommuneChange.insee_b
    )
    return session.scalars(query).all()


def adjacent_change(session: Session, insee_a: str, insee_b: str) -> AdjacentCommuneChange | None:
    return session.get(AdjacentCommuneChange, (insee_a, insee_b))


def return_reasons(session: Session) -> Sequence[ReturnReasonEntry]:
    query = select(ReturnReasonEntry).order_by(ReturnReasonEntry.created_at, ReturnReasonEntry.code)
    return session.scalars(query).all()


def return_reason(session: Session, code: str) -> ReturnReasonEntry | None:
    return session.get(ReturnReasonEntry, code)


def threshold_values(session: Session) -> Sequence[AnomalyThresholdValue]:
    return session.scalars(select(AnomalyThresholdValue)).all()


def threshold_value(session: Session, name: str) -> AnomalyThresholdValue | None:
    return session.get(AnomalyThresholdValue, name)


def debtor_account(session: Session) -> DebtorAccount | None:
    return session.get(DebtorAccount, DEBTOR_ID)


def add(session: Session, row: object) -> None:
    session.add(row)


def remove(session: Session, row: object) -> None:
    session.delete(row)
