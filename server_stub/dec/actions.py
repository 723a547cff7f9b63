"""What the DEC does to statements: validate, return, cancel and restore in bulk (set-based,
in chunks, each statement answered), correct the counts, enter an indemnity, tick the documents
received, record the constat de service fait.

Every action is audited. A statement outside the caller's office is reported as introuvable,
exactly as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionRequired,
    StaleVersion,
    TransitionRefused,
)
from server_stub.core.settings import Settings
from server_stub.dec import anomalies, repository
from server_stub.dec.repository import STATEMENTS
from server_stub.dec.schemas import (
    ItemResult,
    MissionResult,
    Outcome,
    ServiceDoneOut,
    StatementRef,
)
from server_stub.dec.service import in_scope
from server_stub.rules.anomalies import ANOMALY_LABELS, AnomalyCode
from server_stub.rules.french import HALF_DAY_NAMES, format_date, format_time
from server_stub.rules.model import HalfDay, MissionType
from server_stub.rules.money import format_euros
from server_stub.statements import facts, lifecycle
from server_stub.statements import repository as statements_repository
from server_stub.statements import service as statements_service
from server_stub.statements.lifecycle import DEC_HANDLED, Action
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import EntryIn

PARIS = ZoneInfo("Europe/Paris")
# Statements per transaction in a bulk action: a crash loses at most one chunk, locks are short.
CHUNK = 500
NOT_FOUND = "Cet état de frais est introuvable."

# "Cet état de frais ne peut pas être {verb}", "Déjà {verb} par …".
VERBS: dict[Action, str] = {
    Action.APPROVE: "validé",
    Action.RETURN: "renvoyé",
    Action.CANCEL: "annulé",
    Action.UNCANCEL: "rétabli",
    Action.SEND_TO_PAYMENT: "mis en paiement",
    Action.MARK_PAID: "marqué payé",
    Action.ENTER_INDEMNITY: "traité par le gestionnaire",
    Action.CORRECT: "corrigé",
}


def _moment(at: dt.datetime) -> str:
    local = at.astimezone(PARIS)
    return f"le {format_date(local.date())} à {format_time(local.time())}"


def _status_label(row: Mapping[Any, Any], today: dt.date) -> str:
    timing = lifecycle.Timing(row["start_date"], row["end_date"], today)
    return lifecycle.dec_label(Status(row["status"]), timing)


# --- bulk moves ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkMove:
    """A set-based move: `values(source)` is what the UPDATE sets besides status and version."""

    action: Action
    values: Callable[[Status], dict[str, Any]]
    reason: str | None = None
    clean_only: bool = False


def approve_move(clean_only: bool = False) -> BulkMove:
    return BulkMove(
        Action.APPROVE, lambda _: {"status": Status.APPROVED.value}, clean_only=clean_only
    )


def return_move(reason: str) -> BulkMove:
    return BulkMove(
        Action.RETURN,
        lambda _: {"status": Status.RETURNED.value, "reason": reason},
        reason=reason,
    )


def cancel_move(reason: str) -> BulkMove:
    return BulkMove(
        Action.CANCEL,
        lambda source: {"status": Status.CANCELLED.value, "status_before_cancel": source.value},
        reason=reason,
    )


def uncancel_move(reason: str | None) -> BulkMove:
    t = STATEMENTS.c
    return BulkMove(
        Action.UNCANCEL,
        lambda _: {
            "status": func.coalesce(t.status_before_cancel, literal(Status.OPEN.value)),
            "status_before_cancel": None,
        },
        reason=reason,
    )


def _unique(refs: Iterable[StatementRef]) -> list[StatementRef]:
    seen: dict[int, StatementRef] = {}
    for ref in refs:
        seen.setdefault(ref.id, ref)
    return sorted(seen.values(), key=lambda r: r.id)


def bulk_move(
    session: Session,
    settings: Settings,
    actor: User,
    refs: Sequence[StatementRef],
    move: BulkMove,
    *,
    office: str | None,
    commit: bool = True,
    after_chunk: Callable[[list[Mapping[Any, Any]]], None] | None = None,
) -> list[ItemResult]:
    """Moves many statements, CHUNK per transaction; answers each one.

    One UPDATE ... RETURNING per (current status, version read) group of a chunk, one INSERT of
    the audit entries: no statement is loaded as an object. Each statement moves at most once:
    the UPDATE requires a source status, so of two gestionnaires acting at once the second
    finds it moved and is told by whom. Statements outside `office` (None: all) are introuvables.
    """
    today = clock.today(settings)
    sources = lifecycle.MOVES[move.action].sources
    results: list[ItemResult] = []
    ordered = _unique(refs)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        now = clock.now()
        rows = repository.scoped_statements(session, [r.id for r in chunk], lock=True)
        visible = {i: r for i, r in rows.items() if office is None or r["office"] == office}
        groups: dict[tuple[Status, int | None], list[int]] = defaultdict(list)
        for ref in chunk:
            row = visible.get(ref.id)
            if row is not None and Status(row["status"]) in sources:
                groups[(Status(row["status"]), ref.version)].append(ref.id)
        moved_rows = (
            (source, moved_row)
            for (source, version), ids in groups.items()
            for moved_row in repository.move_rows(
                session,
                ids,
                source,
                move.values(source),
                version=version,
                clean_only=move.clean_only,
            )
        )
        moved: dict[int, Mapping[Any, Any]] = {}
        audits = []
        for source, moved_row in moved_rows:
            moved[moved_row["id"]] = moved_row
            audits.append(
                {
                    "statement_id": moved_row["id"],
                    "actor_id": actor.id,
                    "at": now,
                    "action": move.action.value,
                    "from_status": source.value,
                    "to_status": moved_row["status"],
                    "reason": move.reason,
                }
            )
        repository.audit_many(session, audits)
        failed = [ref for ref in chunk if ref.id not in moved]
        explained = _explain(session, move, failed, visible, today)
        if after_chunk is not None:
            after_chunk(list(moved.values()))
        if commit:
            session.commit()
        for ref in chunk:
            if ref.id in moved:
                results.append(
                    ItemResult(
                        id=ref.id,
                        ok=True,
                        outcome=Outcome.OK,
                        status=moved[ref.id]["status"],
                        version=moved[ref.id]["version"],
                    )
                )
            else:
                results.append(explained[ref.id])
    return results


def _explain(
    session: Session,
    move: BulkMove,
    failed: Sequence[StatementRef],
    visible: Mapping[int, Mapping[Any, Any]],
    today: dt.date,
) -> dict[int, ItemResult]:
    """Why each statement did not move, read again after the UPDATE (inside the transaction)."""
    verb = VERBS[move.action]
    fresh = repository.scoped_statements(
        session, [r.id for r in failed if r.id in visible], lock=False
    )
    target = lifecycle.MOVES[move.action].target
    done_ids = [i for i, row in fresh.items() if target is not None and row["status"] == target]
    done_by = repository.last_actions(session, done_ids, [move.action.value])
    explained: dict[int, ItemResult] = {}
    for ref in failed:
        row = fresh.get(ref.id)
        if row is None:
            explained[ref.id] = ItemResult(
                id=ref.id, ok=False, outcome=Outcome.NOT_FOUND, reason=NOT_FOUND
            )
            continue
        status = Status(row["status"])

        def failure(
            outcome: Outcome, reason: str, ref: StatementRef = ref, row: Mapping[Any, Any] = row
        ) -> ItemResult:
            return ItemResult(
                id=ref.id,
                ok=False,
                outcome=outcome,
                status=row["status"],
                version=row["version"],
                reason=reason,
            )

        if status not in lifecycle.MOVES[move.action].sources:
            if ref.id in done_by:
                name, at = done_by[ref.id]
                who = f" par {name}" if name else ""
                explained[ref.id] = failure(
                    Outcome.ALREADY_DONE, f"Déjà {verb}{who} {_moment(at)}."
                )
            else:
                label = _status_label(row, today)
                explained[ref.id] = failure(
                    Outcome.TRANSITION_REFUSED,
                    f"Cet état de frais est « {label} » : il ne peut pas être {verb}.",
                )
        elif ref.version is not None and row["version"] != ref.version:
            explained[ref.id] = failure(
                Outcome.STALE_VERSION,
                f"Cet état de frais a été modifié depuis votre lecture (version "
                f"{row['version']}, vous aviez la {ref.version}) : rechargez-le.",
            )
        elif move.clean_only and row["anomaly_count"]:
            labels = sorted(
                {ANOMALY_LABELS[AnomalyCode(a["code"])] for a in row["anomalies"] or []}
            )
            explained[ref.id] = failure(
                Outcome.ANOMALIES,
                f"Non validé : anomalies à examiner ({', '.join(labels).lower()}).",
            )
        else:
            explained[ref.id] = failure(
                Outcome.STALE_VERSION,
                "Cet état de frais vient d'être modifié par quelqu'un d'autre : rechargez-le.",
            )
    return explained


def summary(results: Sequence[ItemResult]) -> tuple[int, int]:
    done = sum(1 for r in results if r.ok)
    return done, len(results) - done


def refresh_people_after(
    session: Session, settings: Settings
) -> Callable[[list[Mapping[Any, Any]]], None]:
    """A cancelled or restored statement changes "travel claimed twice" for the person's others."""

    def refresh(moved: list[Mapping[Any, Any]]) -> None:
        anomalies.refresh_people(session, {row["user_id"] for row in moved}, clock.today(settings))

    return refresh


# --- one statement at a time ----------------------------------------------------------------


def scoped_statement(session: Session, user: User, statement_id: int) -> Statement:
    statement = statements_repository.get_with_mission(session, statement_id)
    if statement is None or not in_scope(user, statement.convocation.mission.session.office):
        raise NotFound(NOT_FOUND)
    return statement


def check_version(statement: Statement, if_match: str | None) -> None:
    if if_match is None:
        raise PreconditionRequired(
            "La version de l'état de frais lue est requise (en-tête If-Match)."
        )
    if if_match.strip().removeprefix("W/").strip('"') != str(statement.version):
        raise StaleVersion(
            "Cet état de frais a été modifié depuis que vous l'avez ouvert : rechargez-le avant "
            "de continuer."
        )


def _refuse_unless(action: Action, statement: Statement, settings: Settings) -> None:
    status = Status(statement.status)
    if not lifecycle.allowed(action, status):
        mission = statement.convocation.mission
        label = lifecycle.dec_label(
            status,
            lifecycle.Timing(mission.start_date, mission.end_date, clock.today(settings)),
        )
        raise TransitionRefused(
            f"Cet état de frais est « {label} » : il ne peut pas être {VERBS[action]}."
        )


def _count_changes(before: EntryIn, after: EntryIn) -> list[str]:
    """The counts that changed, day by day, in French."""

    def counts(entry: EntryIn) -> dict[tuple[dt.date, str], str]:
        found: dict[tuple[dt.date, str], str] = {}
        for day in entry.days:
            if day.copies is not None:
                found[(day.date, "Copies")] = str(day.copies)
            for half_day in HalfDay:
                if half_day in day.candidates:
                    what = f"Candidats ({HALF_DAY_NAMES[half_day]})"
                    found[(day.date, what)] = str(day.candidates[half_day])
            if day.hours is not None:
                found[(day.date, "Heures")] = str(day.hours).replace(".", ",")
        return found

    old, new = counts(before), counts(after)
    changes = [
        f"{what} du {format_date(day)} : {old.get((day, what), '0')} → {new.get((day, what), '0')}"
        for day, what in sorted(old.keys() | new.keys())
        if old.get((day, what), "0") != new.get((day, what), "0")
    ]
    if before.travel != after.travel:
        changes.append("Frais de déplacement modifiés")
    return changes


def correct(
    session: Session,
    settings: Settings,
    user: User,
    statement_id: int,
    entry: EntryIn,
    comment: str,
    if_match: str | None,
) -> Statement:
    """The DEC changes what the intervenant typed, with a mandatory comment; the intervenant is
    shown the correction (history) and the statement is flagged until they have read it."""
    statement = scoped_statement(session, user, statement_id)
    check_version(statement, if_match)
    _refuse_unless(Action.CORRECT, statement, settings)
    before = statements_service.stored_entry(statement)
    before_total = statement.total
    mission = statements_service.mission_of(session, statement)
    computation = statements_service.apply_entry(session, statement, mission, entry)
    changes = _count_changes(before, entry) or ["Aucun décompte modifié"]
    reason = (
        f"Décompte corrigé par la DEC : {comment} ({'. '.join(changes)}. Total : "
        f"{format_euros(before_total)} → {format_euros(computation.total)}.)"
    )
    statement.dec_corrected = True
    status = Status(statement.status)
    repository.audit_many(
        session,
        [
            {
                "statement_id": statement.id,
                "actor_id": user.id,
                "at": clock.now(),
                "action": Action.CORRECT.value,
                "from_status": status.value,
                "to_status": status.value,
                "reason": reason,
                "details": {
                    "comment": comment,
                    "before": before.model_dump(mode="json"),
                    "after": entry.model_dump(mode="json"),
                    "total_before": str(before_total),
                    "total_after": str(computation.total),
                },
            }
        ],
    )
    anomalies.refresh(session, [statement], clock.today(settings))
    session.flush()
    return statement


def enter_indemnity(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    amount: Decimal,
    comment: str | None,
) -> None:
    """DEC_ENTERED (Traité par le gestionnaire): the amount becomes the DIRECT_INDEMNITY line."""
    mission = statement.convocation.mission
    if MissionType(mission.type) not in DEC_HANDLED:
        raise TransitionRefused(
            "L'indemnité ne se saisit directement que pour une surveillance, une élaboration de "
            "sujets ou une délibération."
        )
    _refuse_unless(Action.ENTER_INDEMNITY, statement, settings)
    statement.direct_indemnity = amount
    statements_service.apply_entry(
        session,
        statement,
        statements_service.mission_of(session, statement),
        statements_service.stored_entry(statement),
    )
    note = f"Indemnité saisie par la DEC : {format_euros(amount)}"
    if comment and comment.strip():
        note += f" ({comment.strip()})"
    statements_service.move(session, statement, user, Action.ENTER_INDEMNITY, clock.now(), note)
    anomalies.refresh(session, [statement], clock.today(settings))


def enter_indemnities(
    session: Session,
    settings: Settings,
    user: User,
    refs: Sequence[StatementRef],
    amount: Decimal,
    comment: str | None,
) -> list[ItemResult]:
    """The same indemnity for many statements (e.g. every surveillant of a centre)."""
    results = []
    for start in range(0, len(ordered := _unique(refs)), CHUNK):
        for ref in ordered[start : start + CHUNK]:
            results.append(_enter_one(session, settings, user, ref, amount, comment))
        session.commit()
    return results


def _enter_one(
    session: Session,
    settings: Settings,
    user: User,
    ref: StatementRef,
    amount: Decimal,
    comment: str | None,
) -> ItemResult:
    try:
        with session.begin_nested():
            statement = scoped_statement(session, user, ref.id)
            if ref.version is not None and ref.version != statement.version:
                return ItemResult(
                    id=ref.id,
                    ok=False,
                    outcome=Outcome.STALE_VERSION,
                    status=statement.status,
                    version=statement.version,
                    reason="Cet état de frais a été modifié depuis votre lecture : rechargez-le.",
                )
            enter_indemnity(session, settings, user, statement, amount, comment)
            session.flush()
        return ItemResult(
            id=ref.id,
            ok=True,
            outcome=Outcome.OK,
            status=statement.status,
            version=statement.version,
        )
    except NotFound:
        return ItemResult(id=ref.id, ok=False, outcome=Outcome.NOT_FOUND, reason=NOT_FOUND)
    except StaleDataError:
        return ItemResult(
            id=ref.id,
            ok=False,
            outcome=Outcome.STALE_VERSION,
            reason="Cet état de frais vient d'être modifié par quelqu'un d'autre : rechargez-le.",
        )
    except DomainError as error:
        outcome = (
            Outcome.TRANSITION_REFUSED if isinstance(error, TransitionRefused) else Outcome.INVALID
        )
        return ItemResult(id=ref.id, ok=False, outcome=outcome, reason=error.detail)


def tick_documents(
    session: Session, settings: Settings, user: User, statement_id: int, received: Sequence[str]
) -> Statement:
    """The supporting documents the DEC has received, as a whole list (ticks and unticks)."""
    statement = scoped_statement(session, user, statement_id)
    required = facts.stored_computation(statement).documents
    unknown = {
        f"received.{i}": "Cette pièce n'est pas demandée pour cet état de frais."
        for i, label in enumerate(received)
        if label not in required
    }
    if unknown:
        raise InvalidInput(next(iter(unknown.values())), fields=unknown)
    current: dict[str, Any] = dict(statement.documents_received or {})
    wanted = list(dict.fromkeys(received))
    added = [label for label in wanted if label not in current]
    removed = [label for label in current if label not in wanted]
    if not added and not removed:
        return statement
    now = clock.now()
    ticks = {
        label: current.get(label) or {"at": now.isoformat(), "by": user.full_name}
        for label in wanted
    }
    # Not a change of the statement itself: its version stays, a colleague's action still holds.
    repository.set_flags(session, statement.id, documents_received=ticks)
    set_committed_value(statement, "documents_received", ticks)
    parts = []
    if added:
        parts.append(f"Pièces reçues : {', '.join(added)}")
    if removed:
        parts.append(f"Pièces décochées : {', '.join(removed)}")
    status = Status(statement.status).value
    repository.audit_many(
        session,
        [
            {
                "statement_id": statement.id,
                "actor_id": user.id,
                "at": now,
                "action": "DOCUMENTS",
                "from_status": status,
                "to_status": status,
                "reason": ". ".join(parts) + ".",
            }
        ],
    )
    return statement


# --- the constat de service fait ---------------------------------------------------------


def _may_record(user: User, row: Mapping[Any, Any]) -> bool:
    if user.role == Role.CHEF_CENTRE:
        return user.centre_id is not None and row["centre_id"] == user.centre_id
    return user.role in (Role.GESTIONNAIRE, Role.ADMIN) and in_scope(user, row["office"])


def record_service_done(
    session: Session, settings: Settings, user: User, mission_ids: Sequence[int]
) -> ServiceDoneOut:
    """Records that the work of each mission was done; audited on each of its statements."""
    wanted = list(dict.fromkeys(mission_ids))
    rows = repository.missions_with_scope(session, wanted)
    today = clock.today(settings)
    now = clock.now()
    results: list[MissionResult] = []
    recorded: list[int] = []
    for mission_id in wanted:
        row = rows.get(mission_id)
        if row is None or not _may_record(user, row):
            results.append(
                MissionResult(
                    mission_id=mission_id,
                    ok=False,
                    outcome=Outcome.NOT_FOUND,
                    reason="Cette mission est introuvable.",
                )
            )
        elif row["recorded_at"] is not None:
            who = f" par {row['first_name']} {row['last_name']}" if row["first_name"] else ""
            results.append(
                MissionResult(
                    mission_id=mission_id,
                    ok=False,
                    outcome=Outcome.ALREADY_DONE,
                    reason=f"Service fait déjà constaté{who} {_moment(row['recorded_at'])}.",
                )
            )
        elif row["start_date"] > today:
            results.append(
                MissionResult(
                    mission_id=mission_id,
                    ok=False,
                    outcome=Outcome.TRANSITION_REFUSED,
                    reason=f"La mission commence le {format_date(row['start_date'])} : le "
                    "service fait ne peut pas encore être constaté.",
                )
            )
        else:
            recorded.append(mission_id)
            results.append(MissionResult(mission_id=mission_id, ok=True, outcome=Outcome.OK))
    try:
        with session.begin_nested():
            repository.record_service(session, recorded, user, now)
    except IntegrityError:
        raise Conflict(
            "Le service fait de l'une de ces missions vient d'être constaté par quelqu'un "
            "d'autre : rechargez la liste."
        ) from None
    repository.audit_many(
        session,
        [
            {
                "statement_id": statement_id,
                "actor_id": user.id,
                "at": now,
                "action": "SERVICE_DONE",
                "from_status": status,
                "to_status": status,
                "reason": "Service fait constaté.",
            }
            for statement_id, _, status in repository.statements_of_missions(session, recorded)
            if status != Status.CANCELLED
        ],
    )
    done = len(recorded)
    return ServiceDoneOut(done=done, failed=len(results) - done, results=results)
