"""The académie's reference data as it is now: its stored changes over the packaged defaults.

Several server processes share one database, so nothing here outlives a transaction: the
values are read from the database, all in one query, the first time a transaction asks for one
of them, and kept on the session until that transaction ends (a bulk action reads them once, a
change made by another process is seen by the next request). What is cached for longer is keyed
on the rows read, never on time.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from server_stub.reference import communes
from server_stub.referential import repository
from server_stub.referential.models import DebtorAccount
from server_stub.rules.anomalies import AnomalyThresholds, packaged_thresholds

T = TypeVar("T")
_MEMO = "referential"
ACADEMIE_SOURCE = "Paramètre académique (modifié par l'administrateur)"

# The thresholds an administrator may change, in the order shown (rules/anomalies.py). The
# financial file's validity is not one of them: 12 months is DOMAIN §2's rule, not a setting.
THRESHOLD_NAMES = ("half_day_minutes", "km_ratio", "km_excess", "night_near_home_km")
WHOLE_THRESHOLDS = frozenset({"half_day_minutes"})


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_MEMO, None)


def forget(session: Session) -> None:
    """Read again on next use: the caller changed the reference data in this transaction."""
    session.info.pop(_MEMO, None)


def _once(session: Session, key: str, read: Callable[[], T]) -> T:
    memo: dict[str, Any] = session.info.setdefault(_MEMO, {})
    if key not in memo:
        memo[key] = read()
    value: T = memo[key]
    return value


Changes = tuple[tuple[str, str, bool], ...]
TariffMarker = tuple[int, str | None]


@dataclass(frozen=True)
class Stored:
    """What the rules read of the académie's own data, as stored: its changes to the adjacent
    communes, its thresholds, and the marker of the tariff versions (how many, the newest's
    token: tariff_versions/service.py)."""

    adjacent: Changes
    thresholds: dict[str, Decimal]
    tariff_marker: TariffMarker


def _stored(session: Session) -> Stored:
    """Read in one query the first time a transaction needs any of it: saving a statement
    needs all three."""

    def read() -> Stored:
        adjacent, thresholds, marker = [], {}, (0, None)
        for kind, a, b, flag, number, count in repository.stored_values(session):
            if kind == "adjacent":
                adjacent.append((a, b, bool(flag)))
            elif kind == "threshold":
                thresholds[a] = number
            else:
                marker = (int(count), a)
        return Stored(tuple(sorted(adjacent)), thresholds, marker)

    return _once(session, "stored", read)


def tariff_marker(session: Session) -> TariffMarker:
    """The marker of the tariff versions, read with the rest of the académie's values."""
    return _stored(session).tariff_marker


# --- adjacent communes ----------------------------------------------------------------------


def adjacent_pairs(session: Session) -> frozenset[frozenset[str]]:
    """The packaged list of adjacent communes with the académie's changes (DOMAIN §5)."""
    return _merged(_stored(session).adjacent)


@functools.lru_cache(maxsize=8)
def _merged(changes: Changes) -> frozenset[frozenset[str]]:
    packaged = communes.adjacent_pairs()
    if not changes:
        return packaged
    added = {frozenset((a, b)) for a, b, adjacent in changes if adjacent}
    removed = {frozenset((a, b)) for a, b, adjacent in changes if not adjacent}
    return (packaged - removed) | added


# --- return reasons -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnReason:
    code: str
    label: str
    active: bool
    packaged_label: str | None  # None: added by the académie


@functools.cache
def packaged_return_reasons() -> dict[str, str]:
    """The shipped reasons (dec/return_reasons.toml), code → label, in their order."""
    text = resources.files("server_stub.dec").joinpath("return_reasons.toml").read_text("utf-8")
    return {str(r["code"]): str(r["label"]) for r in tomllib.loads(text)["reasons"]}


def return_reasons(session: Session, *, active_only: bool = True) -> list[ReturnReason]:
    """The packaged reasons (as the académie changed them), then those it added."""
    stored = {row.code: row for row in repository.return_reasons(session)}
    found = []
    for code, label in packaged_return_reasons().items():
        row = stored.pop(code, None)
        found.append(
            ReturnReason(code, label, True, label)
            if row is None
            else ReturnReason(code, row.label, row.active, label)
        )
    found += [ReturnReason(row.code, row.label, row.active, None) for row in stored.values()]
    return [r for r in found if r.active or not active_only]


# --- anomaly thresholds ---------------------------------------------------------------------


def anomaly_thresholds(session: Session) -> AnomalyThresholds:
    """The packaged thresholds (rules/tariffs/anomalies.toml) with the académie's values."""

    return _once(session, "thresholds", lambda: thresholds_with(_stored(session).thresholds))


def plain(value: Decimal) -> Decimal:
    """20.00 → 20, 1.60 → 1.6: as the packaged file writes it."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def thresholds_with(values: dict[str, Decimal]) -> AnomalyThresholds:
    packaged = packaged_thresholds()
    known = {name: value for name, value in values.items() if name in THRESHOLD_NAMES}
    if not known:
        return packaged
    typed: dict[str, Any] = {
        name: int(value) if name in WHOLE_THRESHOLDS else plain(Decimal(value))
        for name, value in known.items()
    }
    return replace(packaged, info=replace(packaged.info, source=ACADEMIE_SOURCE), **typed)


# --- the debtor account ---------------------------------------------------------------------


def debtor_account(session: Session) -> DebtorAccount | None:
    """The paying account the académie set, or None: the server settings' one applies."""
    return repository.debtor_account(session)
