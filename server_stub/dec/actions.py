"""What the DEC does to statements: validate, return, cancel and restore in bulk (set-based,
in chunks, each statement answered), correct the counts, enter an indemnity, tick the documents
received, record the constat de service fait.

Every action is audited. A statement outside the caller's office is reported as introuvable,
exactly as a missing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from server_stub.auth.models import User
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
from server_stub.dec import repository
from server_stub.dec.models import BulkRequest
from server_stub.dec.schemas import (
    ItemResult,
    MissionResult,
    Outcome,
    ServiceDoneOut,
    StatementRef,
)
from server_stub.notifications import outbox
from server_stub.notifications.kinds import Kind
from server_stub.reference.models import Mission
from server_stub.rules.anomalies import ANOMALY_LABELS, AnomalyCode
from server_stub.rules.french import HALF_DAY_NAMES, format_date, format_number, format_time
from server_stub.rules.model import HalfDay, MissionType
from server_stub.rules.money import format_euros
from server_stub.statements import anomalies, facts, lifecycle
from server_stub.statements import repository as statements_repository
from server_stub.statements import service as statements_service
from server_stub.statements.lifecycle import DEC_HANDLED, Action
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import EntryIn
from server_stub.statements.vocabulary import Recorded

PARIS = ZoneInfo("Europe/Paris")
NOT_FOUND = "Cet état de frais est introuvable."

# "Cet état de frais ne peut pas être {verb}", "Déjà {verb} par …".
VERBS: dict[Action, str] = {
    Action.APPROVE: "validé",
    Action.RETURN: "renvoyé",
    Action.CANCEL: "annulé",
    Action.UNCANCEL: "rétabli",
    Action.SEND_TO_PAYMENT: "mis en paiement",
    Action.MARK_PAID: "marqué payé",
    Action.PART_PAID: "marqué payé",
    Action.PAYMENT_REJECTED: "marqué rejeté",
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
    """A set-based move: `values` is what the UPDATE sets besides the version (it may refer to
    the statement's columns as they were before the move)."""

    action: Action
    values: Mapping[str, Any]
    reason: str | None = None
    clean_only: bool = False


def approve_move(clean_only: bool = False) -> BulkMove:
    return BulkMove(Action.APPROVE, {"status": Status.APPROVED.value}, clean_only=clean_only)


def return_move(reason: str, code: str | None = None) -> BulkMove:
    return BulkMove(
        Action.RETURN,
        {"status": Status.RETURNED.value, "reason": reason, "return_reason": code},
        reason=reason,
    )


def cancel_move(reason: str) -> BulkMove:
    return BulkMove(
        Action.CANCEL,
        {"status": Status.CANCELLED.value, "status_before_cancel": repository.status_now()},
        reason=reason,
    )


def uncancel_move(reason: str | None) -> BulkMove:
    return BulkMove(
        Action.UNCANCEL,
        {"status": repository.status_before_cancel(), "status_before_cancel": None},
        reason=reason,
    )


def _unique(refs: Iterable[StatementRef]) -> list[StatementRef]:
    seen: dict[int, StatementRef] = {}
    for ref in refs:
        seen.setdefault(ref.id, ref)
    return sorted(seen.values(), key=lambda r: r.id)


# --- resumable bulk requests ------------------------------------------------------------------

# How long the outcomes of a bulk request are kept for a retry.
KEEP_REQUESTS = dt.timedelta(days=30)
KEY_REUSED = (
    "Cette clé d'idempotence a déjà servi pour une autre action groupée : chaque action "
    "envoie une clé nouvelle, et la même seulement pour réessayer la même action."
)


def fingerprint(action: str, body: BaseModel) -> str:
    text = json.dumps([action, body.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Resumable:
    """A bulk request stored under its idempotency key: what is answered per statement is
    written in the same transaction as what is done to it, so a retry (after a crash, a
    dropped connection) does only what is left and answers the whole report."""

    request_id: int

    @classmethod
    def open(
        cls, session: Session, actor: User, key: str, action: str, body: BaseModel
    ) -> Resumable:
        """The request under `key`, recorded now if it is new (committed: a retry finds it)."""
        signature = fingerprint(action, body)
        existing = repository.bulk_request(session, actor.id, key)
        if existing is None:
            now = clock.now()
            fresh = BulkRequest(
                actor_id=actor.id, key=key, action=action, fingerprint=signature, created_at=now
            )
            if repository.add_bulk_request(session, fresh):
                repository.forget_bulk_requests(session, now - KEEP_REQUESTS)
                session.commit()
                return cls(fresh.id)
            existing = repository.bulk_request(session, actor.id, key)
            assert existing is not None
        if existing.action != action or existing.fingerprint != signature:
            raise Conflict(KEY_REUSED, fields={"Idempotency-Key": KEY_REUSED})
        request_id = existing.id
        session.commit()  # what follows starts with the request's lock
        return cls(request_id)

    def remaining(self, session: Session, refs: Sequence[StatementRef]) -> list[StatementRef]:
        done = repository.answered(session, self.request_id)
        return [r for r in refs if r.id not in done]

    def claim(self, session: Session, chunk: list[StatementRef]) -> list[StatementRef]:
        """Locks the request for this chunk's transaction; the chunk less what another try of
        the same request answered meanwhile."""
        repository.claim_bulk_request(session, self.request_id, None)
        done = repository.answered(session, self.request_id, [r.id for r in chunk])
        return [r for r in chunk if r.id not in done]

    def record(self, session: Session, results: Sequence[ItemResult]) -> None:
        repository.add_outcomes(
            session,
            [
                {
                    "request_id": self.request_id,
                    "statement_id": r.id,
                    "ok": r.ok,
                    "outcome": r.outcome.value,
                    "status": r.status.value if r.status is not None else None,
                    "version": r.version,
                    "reason": r.reason,
                }
                for r in results
            ],
        )

    def report(self, session: Session, refs: Sequence[StatementRef]) -> list[ItemResult]:
        repository.claim_bulk_request(session, self.request_id, clock.now())
        rows = repository.answered(session, self.request_id)
        session.commit()
        # Rows this server wrote: built without validating them again (10,000 at a time).
        return [
            ItemResult.model_construct(
                id=r.id,
                ok=rows[r.id]["ok"],
                outcome=Outcome(rows[r.id]["outcome"]),
                status=None if rows[r.id]["status"] is None else Status(rows[r.id]["status"]),
                version=rows[r.id]["version"],
                reason=rows[r.id]["reason"],
            )
            for r in refs
        ]


# --- bulk moves -------------------------------------------------------------------------------


def bulk_move(
    session: Session,
    settings: Settings,
    actor: User,
    refs: Sequence[StatementRef],
    move: BulkMove,
    *,
    offices: Collection[str] | None,
    commit: bool = True,
    after_chunk: Callable[[list[Mapping[Any, Any]]], None] | None = None,
    resumable: Resumable | None = None,
) -> list[ItemResult]:
    """Moves many statements, `settings.bulk_chunk` per transaction; answers each one.

    Each chunk costs the same few statements whatever its content: one SELECT ... FOR UPDATE
    of the chunk, one UPDATE ... RETURNING, one INSERT of the audit entries, two reads to
    explain the failures (and one INSERT of the outcomes of a resumable request): the cost
    grows linearly with the work. Each statement moves at most once: the UPDATE requires the
    version and a source status read under the lock, so of two gestionnaires acting at once
    the second finds it moved and is told by whom. Statements outside `offices` (None: all)
    are introuvables.
    """
    today = clock.today(settings)
    ordered = _unique(refs)
    todo = ordered if resumable is None else resumable.remaining(session, ordered)
    results: list[ItemResult] = []
    size = settings.bulk_chunk
    for start in range(0, len(todo), size):
        chunk = todo[start : start + size]
        if resumable is not None:
            chunk = resumable.claim(session, chunk)
        chunk_results, moved = _move_chunk(session, actor, chunk, move, offices, today)
        if after_chunk is not None:
            after_chunk(moved)
        if resumable is not None:
            resumable.record(session, chunk_results)
        if commit:
            session.commit()
        results += chunk_results
    if resumable is not None:
        return resumable.report(session, ordered)
    return results


def _move_chunk(
    session: Session,
    actor: User,
    chunk: Sequence[StatementRef],
    move: BulkMove,
    offices: Collection[str] | None,
    today: dt.date,
) -> tuple[list[ItemResult], list[Mapping[Any, Any]]]:
    sources = lifecycle.MOVES[move.action].sources
    now = clock.now()
    rows = repository.scoped_statements(session, [r.id for r in chunk], lock=True)
    visible = {i: r for i, r in rows.items() if offices is None or r["office"] in offices}
    expected: dict[int, int] = {}
    for ref in chunk:
        row = visible.get(ref.id)
        if (
            row is not None
            and Status(row["status"]) in sources
            and (ref.version is None or ref.version == row["version"])
        ):
            expected[ref.id] = row["version"]
    if move.action is Action.APPROVE:
        # The office may require the constat de service fait first (dec/centre.py).
        for statement_id in repository.without_required_service(session, list(expected)):
            del expected[statement_id]
    held = _held_for_documents(session, move, expected, visible)
    for statement_id in held:
        del expected[statement_id]
    moved = {
        row["id"]: row
        for row in repository.move_rows(
            session, expected, sources, move.values, clean_only=move.clean_only
        )
    }
    repository.audit_many(
        session,
        [
            {
                "statement_id": statement_id,
                "actor_id": actor.id,
                "at": now,
                "action": move.action.value,
                "from_status": visible[statement_id]["status"],
                "to_status": row["status"],
                "reason": move.reason,
            }
            for statement_id, row in moved.items()
        ],
    )
    _notify(session, move, list(moved), today)
    failed = [ref for ref in chunk if ref.id not in moved]
    explained = _explain(session, move, failed, visible, today, held)
    # What the UPDATE answered: built without validating it again.
    results = [
        ItemResult.model_construct(
            id=ref.id,
            ok=True,
            outcome=Outcome.OK,
            status=Status(moved[ref.id]["status"]),
            version=moved[ref.id]["version"],
            reason=None,
        )
        if ref.id in moved
        else explained[ref.id]
        for ref in chunk
    ]
    return results, list(moved.values())


def _notify(session: Session, move: BulkMove, moved: list[int], today: dt.date) -> None:
    """The e-mail each move tells the statement's owner, in the chunk's transaction."""
    if not moved:
        return
    if move.action is Action.APPROVE:
        outbox.about_statements(session, Kind.STATEMENT_APPROVED, moved)
    elif move.action is Action.RETURN:
        outbox.about_statements(session, Kind.STATEMENT_RETURNED, moved, move.reason)
    elif move.action is Action.MARK_PAID:
        outbox.about_payment(session, Kind.PAYMENT_SENT, moved, today)


_MISSING = f" {AnomalyCode.MISSING_DOCUMENTS.value} "


def _held_for_documents(
    session: Session,
    move: BulkMove,
    expected: Mapping[int, int],
    visible: Mapping[int, Mapping[Any, Any]],
) -> set[int]:
    """The statements an approval leaves: their office requires every supporting document
    (attached or received) and some are missing."""
    if move.action is not Action.APPROVE or not expected:
        return set()
    lacking = {i for i in expected if _MISSING in (visible[i]["anomaly_codes"] or "")}
    if not lacking:
        return set()
    strict = repository.offices_requiring_documents(
        session, {visible[i]["office"] for i in lacking}
    )
    return {i for i in lacking if visible[i]["office"] in strict}


def _explain(
    session: Session,
    move: BulkMove,
    failed: Sequence[StatementRef],
    visible: Mapping[int, Mapping[Any, Any]],
    today: dt.date,
    held: Collection[int] = (),
) -> dict[int, ItemResult]:
    """Why each statement did not move, read again after the UPDATE (inside the transaction)."""
    verb = VERBS[move.action]
    fresh = repository.scoped_statements(
        session, [r.id for r in failed if r.id in visible], lock=False
    )
    target = lifecycle.MOVES[move.action].target
    done_ids = [i for i, row in fresh.items() if target is not None and row["status"] == target]
    done_by = repository.last_actions(session, done_ids, [move.action.value])
    missing_service = (
        repository.without_required_service(session, list(fresh))
        if move.action is Action.APPROVE
        else set()
    )
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
        elif move.action is Action.APPROVE and ref.id in missing_service:
            explained[ref.id] = failure(
                Outcome.TRANSITION_REFUSED,
                "Non validé : le service fait de la mission n'est pas encore constaté, et le "
                "bureau l'exige avant la validation.",
            )
        elif ref.id in held:
            missing = next(
                (
                    a["message"]
                    for a in row["anomalies"] or []
                    if a["code"] == AnomalyCode.MISSING_DOCUMENTS.value
                ),
                "Pièces manquantes.",
            )
            explained[ref.id] = failure(
                Outcome.ANOMALIES,
                f"Non validé : votre bureau exige toutes les pièces justificatives avant la "
                f"validation. {missing}",
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


def _statement_in(
    session: Session, offices: Collection[str] | None, statement_id: int
) -> Statement:
    statement = statements_repository.get_with_mission(session, statement_id)
    if statement is None or (
        offices is not None and statement.convocation.mission.session.office not in offices
    ):
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
                found[(day.date, "Heures")] = format_number(day.hours)
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
    statement: Statement,
    entry: EntryIn,
    comment: str,
    if_match: str | None,
) -> Statement:
    """The DEC changes what the intervenant typed, with a mandatory comment; the intervenant is
    shown the correction (history) and the statement is flagged until they have read it."""
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
    outbox.about_statements(session, Kind.STATEMENT_CORRECTED, [statement.id], reason)
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
    status = Status(statement.status)
    entry = statements_service.stored_entry(statement)
    if status in (Status.OPEN, Status.RETURNED) and entry.travel.claimed and entry.travel.trips:
        # The person is filling their travel part: the indemnity is the DEC's part, the
        # statement stays with them until they validate it.
        note += (
            ". Frais de déplacement en cours de saisie par l'intervenant : l'état de frais lui "
            "reste jusqu'à sa validation."
        )
        repository.audit_many(
            session,
            [
                {
                    "statement_id": statement.id,
                    "actor_id": user.id,
                    "at": clock.now(),
                    "action": Action.ENTER_INDEMNITY.value,
                    "from_status": status.value,
                    "to_status": status.value,
                    "reason": note,
                    "details": None,
                }
            ],
        )
    else:
        statements_service.move(session, statement, user, Action.ENTER_INDEMNITY, clock.now(), note)
    anomalies.refresh(session, [statement], clock.today(settings))


def enter_indemnities(
    session: Session,
    settings: Settings,
    user: User,
    refs: Sequence[StatementRef],
    amount: Decimal,
    comment: str | None,
    resumable: Resumable | None = None,
    *,
    offices: Collection[str] | None,
) -> list[ItemResult]:
    """The same indemnity for many statements (e.g. every surveillant of a centre).

    Each statement is computed again through the rules, one at a time (its pay, its travel),
    `settings.bulk_chunk` per transaction; a resumable request records each outcome with it.
    """
    ordered = _unique(refs)
    todo = ordered if resumable is None else resumable.remaining(session, ordered)
    results = []
    size = settings.bulk_chunk
    for start in range(0, len(todo), size):
        chunk = todo[start : start + size]
        if resumable is not None:
            chunk = resumable.claim(session, chunk)
        chunk_results = [
            _enter_one(session, settings, user, offices, ref, amount, comment) for ref in chunk
        ]
        if resumable is not None:
            resumable.record(session, chunk_results)
        session.commit()
        results += chunk_results
    if resumable is not None:
        return resumable.report(session, ordered)
    return results


def _enter_one(
    session: Session,
    settings: Settings,
    user: User,
    offices: Collection[str] | None,
    ref: StatementRef,
    amount: Decimal,
    comment: str | None,
) -> ItemResult:
    try:
        with session.begin_nested():
            statement = _statement_in(session, offices, ref.id)
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
    session: Session, user: User, statement: Statement, received: Sequence[str]
) -> Statement:
    """The supporting documents the DEC has received, as a whole list (ticks and unticks)."""
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
    statements_repository.set_flags(session, statement.id, documents_received=ticks)
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
                "action": Recorded.DOCUMENTS.value,
                "from_status": status,
                "to_status": status,
                "reason": ". ".join(parts) + ".",
            }
        ],
    )
    return statement


# --- the constat de service fait ---------------------------------------------------------


def record_service_done(
    session: Session,
    settings: Settings,
    user: User,
    mission_ids: Sequence[int],
    may_record: Callable[[Mapping[Any, Any]], bool],
    day: dt.date | None = None,
    remark: str | None = None,
) -> ServiceDoneOut:
    """Records that the work of each mission was done; audited on each of its statements.
    `may_record(row)`: whether the caller reaches the mission (its office, its centre)."""
    wanted = list(dict.fromkeys(mission_ids))
    rows = repository.missions_with_scope(session, wanted)
    today = clock.today(settings)
    now = clock.now()
    day = day or today
    remark = (remark or "").strip() or None
    if day > today:
        message = "La date du constat ne peut pas être postérieure à aujourd'hui."
        raise InvalidInput(message, fields={"date": message})
    results: list[MissionResult] = []
    recorded: list[int] = []
    for mission_id in wanted:
        row = rows.get(mission_id)
        if row is None or not may_record(row):
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
        elif row["start_date"] > day:
            results.append(
                MissionResult(
                    mission_id=mission_id,
                    ok=False,
                    outcome=Outcome.INVALID,
                    reason=f"La mission commence le {format_date(row['start_date'])} : le "
                    f"service ne peut pas avoir été constaté le {format_date(day)}.",
                )
            )
        else:
            recorded.append(mission_id)
            results.append(MissionResult(mission_id=mission_id, ok=True, outcome=Outcome.OK))
    try:
        with session.begin_nested():
            repository.record_service_on(session, recorded, user, now, day, remark)
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
                "action": Recorded.SERVICE_DONE.value,
                "from_status": status,
                "to_status": status,
                "reason": f"Service fait constaté le {format_date(day)}"
                + (f" : {remark}" if remark else "."),
            }
            for statement_id, _, status in repository.statements_of_missions(session, recorded)
            if status != Status.CANCELLED
        ],
    )
    done = len(recorded)
    return ServiceDoneOut(done=done, failed=len(results) - done, results=results)


def correct_service_done(
    session: Session,
    settings: Settings,
    user: User,
    mission: Mission,
    day: dt.date,
    remark: str | None,
) -> None:
    """Records the constat with this date and remark, or corrects the one recorded; audited on
    each of the mission's statements."""
    today = clock.today(settings)
    remark = (remark or "").strip() or None
    if day > today or day < mission.start_date:
        message = (
            f"La date du constat doit être comprise entre le début de la mission "
            f"({format_date(mission.start_date)}) et aujourd'hui."
        )
        raise InvalidInput(message, fields={"date": message})
    now = clock.now()
    action, what = "SERVICE_DONE_CORRECTED", "Constat de service fait corrigé : le"
    if not repository.correct_service(session, mission.id, user, now, day, remark):
        action, what = "SERVICE_DONE", "Service fait constaté le"
        try:
            with session.begin_nested():
                repository.record_service_on(session, [mission.id], user, now, day, remark)
        except IntegrityError:
            raise Conflict(
                "Le service fait de cette mission vient d'être constaté par quelqu'un d'autre : "
                "rechargez la liste."
            ) from None
    repository.audit_many(
        session,
        [
            {
                "statement_id": statement_id,
                "actor_id": user.id,
                "at": now,
                "action": action,
                "from_status": status,
                "to_status": status,
                "reason": f"{what} {format_date(day)}" + (f" : {remark}" if remark else "."),
            }
            for statement_id, _, status in repository.statements_of_missions(session, [mission.id])
            if status != Status.CANCELLED
        ],
    )
