"""SQL of the académie's reference data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    Numeric,
    String,
    cast,
    column,
    func,
    literal,
    null,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Session

from server_stub.referential.models import (
    AdjacentCommuneChange,
    AnomalyThresholdValue,
    DebtorAccount,
    ReturnReasonEntry,
)

DEBTOR_ID = 1

# tariff_versions/models.py's table, named here rather than imported: the tariff versions'
# package stands above this one (it recomputes statements, which read this one's values).
_TARIFF_VERSIONS = table("tariff_versions", column("id", Integer), column("token", String))
_A, _T = AdjacentCommuneChange, AnomalyThresholdValue
# One row per stored value, whatever its kind: (kind, a, b, flag, number, count). The first
# select gives the columns their types.
_STORED = union_all(
    select(
        literal("threshold").label("kind"),
        _T.name.label("a"),
        cast(null(), String(5)).label("b"),
        cast(null(), Boolean).label("flag"),
        _T.value.label("number"),
        cast(null(), Integer).label("count"),
    ),
    select(
        literal("adjacent"),
        _A.insee_a,
        _A.insee_b,
        _A.adjacent,
        cast(null(), Numeric(12, 2)),
        cast(null(), Integer),
    ),
    # The marker of the tariff versions (tariff_versions/service.py): how many, the newest's
    # token.
    select(
        literal("tariffs"),
        select(_TARIFF_VERSIONS.c.token)
        .order_by(_TARIFF_VERSIONS.c.id.desc())
        .limit(1)
        .scalar_subquery(),
        cast(null(), String(5)),
        cast(null(), Boolean),
        cast(null(), Numeric(12, 2)),
        func.count(),
    ).select_from(_TARIFF_VERSIONS),
)


def stored_values(session: Session) -> Sequence[Any]:
    """What the rules read of the académie's own data, in one round trip: its changes to the
    adjacent communes, its anomaly thresholds, and the marker of the tariff versions."""
    return session.execute(_STORED).all()


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
