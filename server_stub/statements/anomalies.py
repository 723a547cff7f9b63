"""Anomalies of expense statements: gathered from the stored rows, computed by the pure rules
(`rules/anomalies.py`), stored on each statement for the DEC's queue.

They are statement data, stored when a statement is saved, validated or declared not performed
(the statements' service), changed by the DEC or paid (the DEC's actions, the payment, which call
this module from above), and computed again in bulk (`refresh_all`, after a change of
thresholds, deadlines or financial files); their SQL is the statements' repository's.
Storing them never bumps a statement's version: they are derived data, not something a person
changed, and a DEC reading the queue must not see its versions go stale because of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import RowMapping
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server_stub.reference.communes import communes
from server_stub.referential.values import anomaly_thresholds
from server_stub.rules import anomalies as rules
from server_stub.rules.model import MissionType, Residence
from server_stub.statements import repository
from server_stub.statements.facts import entry_facts
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import EntryIn

PARIS = ZoneInfo("Europe/Paris")
# A statement in these statuses carries no journey for the person's other statements.
NOT_LIVE = frozenset({Status.CANCELLED, Status.NOT_PERFORMED})


@dataclass(frozen=True)
class Source:
    """The plain values one statement's anomalies depend on."""

    statement_id: int
    user_id: int
    status: Status
    entry: Mapping[str, Any]
    total: Decimal
    travel_total: Decimal
    submitted_at: dt.datetime | None
    dec_corrected: bool
    stored: Sequence[Mapping[str, str]]
    mission_type: MissionType
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time
    end_time: dt.time
    lot_size: int | None
    minutes_per_candidate: int | None
    commune_insee: str
    entry_deadline: dt.date | None
    administrative_residence: str | None
    family_residence: str | None
    interne: bool
    iban: str | None
    financial_file_updated: dt.datetime | None
    last_paid: dt.datetime | None
    # The supporting documents the stored computation requires, those the DEC ticked received,
    # and those with a file attached (filled in by `_with_attached`).
    documents: tuple[str, ...] = ()
    received: frozenset[str] = frozenset()
    attached: frozenset[str] = frozenset()


# Statements whose supporting documents are checked: sent to the DEC, or beyond.
DOCUMENTS_CHECKED = frozenset(
    {Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.IN_PAYMENT}
)


def stored_form(found: Iterable[rules.Anomaly]) -> list[dict[str, str]]:
    return [
        {"code": a.code.value, "label": a.label, "message": a.message, "field": a.field}
        for a in found
    ]


def codes_column(found: Sequence[Mapping[str, str]]) -> str:
    """` KM_EXCESSIVE LATE_SUBMISSION `: every code between spaces, for `LIKE '% CODE %'`."""
    codes = sorted({a["code"] for a in found})
    return f" {' '.join(codes)} " if codes else ""


def _own_values(statement: Statement) -> dict[str, Any]:
    """What a statement held in the session says of itself, its unsaved changes included."""
    return {
        "status": Status(statement.status),
        "entry": statement.entry or {},
        "total": statement.total,
        "travel_total": statement.travel_total,
        "submitted_at": statement.submitted_at,
        "dec_corrected": statement.dec_corrected,
        "stored": statement.anomalies or [],
        "documents": tuple((statement.computation or {}).get("documents") or ()),
        "received": frozenset(statement.documents_received or {}),
    }


def source_of(statement: Statement) -> Source:
    """The values of a statement held in the session, with its unsaved changes."""
    mission = statement.convocation.mission
    user = statement.user
    paper = mission.paper
    return Source(
        statement_id=statement.id,
        user_id=statement.user_id,
        **_own_values(statement),
        mission_type=MissionType(mission.type),
        start_date=mission.start_date,
        end_date=mission.end_date,
        start_time=mission.start_time,
        end_time=mission.end_time,
        lot_size=mission.lot_size,
        minutes_per_candidate=(paper.minutes_per_candidate or paper.duration_minutes)
        if paper
        else None,
        commune_insee=mission.centre.commune_insee,
        entry_deadline=mission.session.entry_deadline,
        administrative_residence=user.administrative_residence,
        family_residence=user.family_residence,
        interne=user.academic,
        iban=user.iban,
        financial_file_updated=user.financial_file_updated,
        last_paid=user.last_paid,
    )


def _source_of_row(row: Mapping[Any, Any]) -> Source:
    return Source(
        statement_id=row["id"],
        user_id=row["user_id"],
        status=Status(row["status"]),
        entry=row["entry"] or {},
        total=row["total"],
        travel_total=row["travel_total"],
        submitted_at=row["submitted_at"],
        dec_corrected=bool(row["dec_corrected"]),
        stored=row["anomalies"] or [],
        mission_type=MissionType(row["mission_type"]),
        start_date=row["start_date"],
        end_date=row["end_date"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        lot_size=row["lot_size"],
        minutes_per_candidate=row["minutes_per_candidate"] or row["duration_minutes"],
        commune_insee=row["commune_insee"],
        entry_deadline=row["entry_deadline"],
        administrative_residence=row["administrative_residence"],
        family_residence=row["family_residence"],
        interne=bool(row["academic"]),
        iban=row["iban"],
        financial_file_updated=row["financial_file_updated"],
        last_paid=row["last_paid"],
        documents=tuple(row["documents"] or ()),
        received=frozenset(row["documents_received"] or {}),
    )


def _with_attached(session: Session, sources: Sequence[Source]) -> list[Source]:
    """The sources with the documents that have a file: the statement's own, or its person's
    financial file's. Read only for the people of a statement whose documents are checked and
    not all received: for any other, which have a file changes nothing."""
    people = {
        s.user_id
        for s in sources
        if s.status in DOCUMENTS_CHECKED and not s.received.issuperset(s.documents)
    }
    if not people:
        return list(sources)
    found = repository.attached_labels(session, people)
    return [
        replace(
            s,
            attached=frozenset(
                found.get((s.user_id, s.statement_id), set()) | found.get((s.user_id, None), set())
            ),
        )
        for s in sources
    ]


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


def _entry(source: Source) -> EntryIn:
    try:
        return EntryIn.model_validate(source.entry)
    except ValidationError:  # written by an older version: nothing to check
        return EntryIn()


def _trip_days(entry: EntryIn) -> set[dt.date]:
    if not entry.travel.claimed:
        return set()
    return rules.trip_days(entry_facts(entry, None).trips)


def compute(
    source: Source,
    entry: EntryIn,
    others: Mapping[dt.date, int],
    today: dt.date,
    limits: rules.AnomalyThresholds | None = None,
) -> tuple[rules.Anomaly, ...]:
    """The anomalies of one statement, with the académie's thresholds (`limits`; the packaged
    ones when None)."""
    directory = communes()
    plain = entry_facts(entry, None)
    administrative = directory.get(source.administrative_residence or "")
    family = directory.get(source.family_residence or "")
    departure = family if plain.departure is Residence.FAMILY else administrative
    facts = rules.StatementFacts(
        mission_type=source.mission_type,
        start_date=source.start_date,
        end_date=source.end_date,
        start_time=source.start_time,
        end_time=source.end_time,
        mission_commune=directory.get(source.commune_insee),
        lot_size=source.lot_size,
        minutes_per_candidate=source.minutes_per_candidate,
        days=plain.days,
        travel_claimed=plain.travel_claimed,
        trips=plain.trips,
        meals=plain.meals,
        nights=plain.nights,
        residences=rules.Residences(administrative, family, departure),
        other_trip_days=others,
        submitted_on=_local_day(source.submitted_at),
        entry_deadline=source.entry_deadline,
        externe=not source.interne,
        total=source.total,
        travel_total=source.travel_total,
        iban=source.iban,
        financial_file_updated=_local_day(source.financial_file_updated),
        last_paid=_local_day(source.last_paid),
        today=today,
        dec_corrected=source.dec_corrected,
        documents_required=source.documents if source.status in DOCUMENTS_CHECKED else None,
        documents_present=source.received | source.attached,
    )
    return rules.anomalies(facts, limits)


def _compute_all(
    session: Session,
    sources: Sequence[Source],
    today: dt.date,
    *,
    around: Collection[int] | None = None,
) -> dict[int, list[dict[str, str]]]:
    """The anomalies of every source; journeys are compared among the sources of each person.

    With `around`, only those statements and the ones whose anomalies they can change: the
    statements sharing a journey day with them, or already flagged for a journey claimed twice.
    """
    entries = {s.statement_id: _entry(s) for s in sources}
    journeys: dict[int, dict[dt.date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for s in sources:
        if s.status not in NOT_LIVE:
            for day in _trip_days(entries[s.statement_id]):
                journeys[s.user_id][day].append(s.statement_id)
    wanted = None if around is None else _linked(sources, journeys, around)
    limits = anomaly_thresholds(session)
    result = {}
    for s in sources:
        if wanted is not None and s.statement_id not in wanted:
            continue
        others = {
            day: min(i for i in ids if i != s.statement_id)
            for day, ids in journeys[s.user_id].items()
            if any(i != s.statement_id for i in ids)
        }
        result[s.statement_id] = stored_form(
            compute(s, entries[s.statement_id], others, today, limits)
        )
    return result


def _linked(
    sources: Sequence[Source],
    journeys: Mapping[int, Mapping[dt.date, Sequence[int]]],
    around: Collection[int],
) -> set[int]:
    linked = set(around)
    for days in journeys.values():
        for ids in days.values():
            if not linked.isdisjoint(ids):
                linked.update(ids)
    twice = rules.AnomalyCode.TRAVEL_TWICE.value
    linked.update(s.statement_id for s in sources if any(a["code"] == twice for a in s.stored))
    return linked


def _held_source(row: Mapping[Any, Any], statement: Statement) -> Source:
    """A statement held in the session: its stored row, with the changes not yet written."""
    return replace(_source_of_row(row), **_own_values(statement))


def refresh(
    session: Session,
    statements: Sequence[Statement],
    today: dt.date,
    rows: Sequence[Mapping[Any, Any]] | None = None,
) -> None:
    """Recomputes the anomalies of statements held in the session (their attributes are set, to
    be written with their other changes) and of those of their people's other statements they
    can change (written now). `rows`: their people's statements as `people_statements` read
    them earlier in the unit of work, when nothing but the held statements has changed since.

    Reads with autoflush off: a statement being saved is flushed once, with its anomalies.
    """
    held = {s.id: s for s in statements}
    with session.no_autoflush:
        if rows is None:
            rows = people_statements(session, {s.user_id for s in statements})
        sources = [
            _held_source(row, held[row["id"]]) if row["id"] in held else _source_of_row(row)
            for row in rows
        ]
        known = {s.statement_id for s in sources}
        sources += [source_of(s) for i, s in held.items() if i not in known]
        sources = _with_attached(session, sources)
        computed = _compute_all(session, sources, today, around=held.keys())
        for statement in statements:
            found = computed[statement.id]
            if found != list(statement.anomalies or []):
                statement.anomalies = found
                statement.anomaly_codes = codes_column(found)
                statement.anomaly_count = len(found)
        others = [s for s in sources if s.statement_id in computed and s.statement_id not in held]
        _write(session, others, computed)


def people_statements(session: Session, user_ids: Collection[int]) -> list[RowMapping]:
    """Every statement of these people, with what their anomalies and the context of their
    computation (facts.YearBook.of_statements) are worked out from."""
    return repository.anomaly_sources_of_people(session, user_ids)


def refresh_people(session: Session, user_ids: Iterable[int], today: dt.date) -> int:
    """Recomputes every statement of these people; returns how many changed."""
    people = set(user_ids)
    if not people:
        return 0
    rows = repository.anomaly_sources_of_people(session, people)
    sources = _with_attached(session, [_source_of_row(row) for row in rows])
    return _write(session, sources, _compute_all(session, sources, today))


def refresh_all(
    session: Session,
    today: dt.date,
    *,
    offices: Collection[str] | None = None,
    session_id: int | None = None,
) -> int:
    """Recomputes the anomalies of every statement (of some offices or a session), in bulk."""
    rows = repository.anomaly_sources(session, offices=offices, session_id=session_id)
    sources = [_source_of_row(row) for row in rows]
    # A person's statements outside the selection still count for "travel claimed twice".
    selected = {s.statement_id for s in sources}
    people = {s.user_id for s in sources}
    if offices is not None or session_id is not None:
        extra = repository.anomaly_sources_of_people(session, people)
        sources += [_source_of_row(r) for r in extra if r["id"] not in selected]
    sources = _with_attached(session, sources)
    computed = _compute_all(session, sources, today)
    return _write(session, [s for s in sources if s.statement_id in selected], computed)


def current(session: Session, statement: Statement, today: dt.date) -> list[dict[str, str]]:
    """The anomalies as they are now (the person's file or a deadline may have changed since
    they were stored); the stored ones are brought up to date when they differ."""
    rows = repository.anomaly_sources_of_people(session, {statement.user_id})
    sources = [_source_of_row(row) for row in rows]
    if not any(s.statement_id == statement.id for s in sources):
        sources.append(source_of(statement))
    sources = _with_attached(session, sources)
    computed = _compute_all(session, sources, today)
    found = computed[statement.id]
    if _write(session, [s for s in sources if s.statement_id == statement.id], computed):
        set_committed_value(statement, "anomalies", found)
        set_committed_value(statement, "anomaly_codes", codes_column(found))
        set_committed_value(statement, "anomaly_count", len(found))
    return found


def foreseen(
    session: Session,
    statement: Statement,
    entry: EntryIn,
    total: Decimal,
    today: dt.date,
) -> list[dict[str, str]]:
    """What the DEC would see if `entry` were validated `today`: the same checks on the same
    data, the person's other statements included. Nothing is stored."""
    rows = repository.anomaly_sources_of_people(session, {statement.user_id})
    sources = [_source_of_row(row) for row in rows if row["id"] != statement.id]
    mine = replace(
        source_of(statement),
        status=Status.SUBMITTED,
        entry=entry.model_dump(mode="json"),
        total=total,
        submitted_at=dt.datetime.combine(today, dt.time(12), tzinfo=PARIS),
        dec_corrected=False,
    )
    return _compute_all(session, [*sources, mine], today, around={statement.id})[statement.id]


def _write(
    session: Session, sources: Sequence[Source], computed: Mapping[int, list[dict[str, str]]]
) -> int:
    changes = [
        (s.statement_id, found)
        for s in sources
        if (found := computed[s.statement_id]) != list(s.stored)
    ]
    repository.store_anomalies(
        session, [(i, found, codes_column(found), len(found)) for i, found in changes]
    )
    return len(changes)
