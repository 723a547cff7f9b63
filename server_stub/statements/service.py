"""Reading, computing, saving and moving expense statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.errors import (
    InvalidInput,
    NotFound,
    PreconditionRequired,
    StaleVersion,
    TransitionRefused,
)
from server_stub.core.settings import Settings
from server_stub.dec import anomalies
from server_stub.dec import repository as dec_repository
from server_stub.reference.communes import communes, distance_km
from server_stub.rules import model as rules
from server_stub.rules.meals import proposed_meals
from server_stub.rules.nights import proposed_nights
from server_stub.rules.statement import compute_statement
from server_stub.statements import facts, lifecycle, repository
from server_stub.statements.lifecycle import DEC_HANDLED, Action, Timing
from server_stub.statements.models import Statement, Status
from server_stub.statements.schemas import (
    AuditOut,
    ComputationOut,
    ConvocationOut,
    EntryIn,
    Labels,
    MealIn,
    Permissions,
    PreviewOut,
    Proposals,
    StatementOut,
)

_STAFF = (Role.GESTIONNAIRE, Role.ADMIN)
_NOT_FOUND = "Cet état de frais n'existe pas."


def visible(session: Session, user: User, statement_id: int) -> Statement:
    """The statement if the caller may see it; someone else's is as absent as a missing one."""
    statement = repository.get(session, statement_id)
    if statement is None or (statement.user_id != user.id and user.role not in _STAFF):
        raise NotFound(_NOT_FOUND)
    return statement


def _owned(session: Session, user: User, statement_id: int) -> Statement:
    statement = repository.get(session, statement_id)
    if statement is None or statement.user_id != user.id:
        raise NotFound(_NOT_FOUND)
    return statement


def mission_of(session: Session, statement: Statement) -> facts.MissionRow:
    return repository.mission_row(session, statement.convocation_id)


def _timing(mission: facts.MissionRow, settings: Settings) -> Timing:
    return Timing(mission.start_date, mission.end_date, clock.today(settings))


def stored_entry(statement: Statement) -> EntryIn:
    try:
        return EntryIn.model_validate(statement.entry or {})
    except ValidationError:  # written by an older version: start again rather than fail
        return EntryIn()


def compute(
    session: Session, statement: Statement, mission: facts.MissionRow, entry: EntryIn
) -> rules.Computation:
    return compute_statement(
        facts.mission_facts(mission),
        facts.person_facts(statement.user, clock.now()),
        facts.entry_facts(entry, statement.direct_indemnity),
        facts.context_facts(session, statement, mission),
    )


def proposals(statement: Statement, mission: facts.MissionRow, entry: EntryIn) -> Proposals:
    rule_entry = facts.entry_facts(entry, None)
    user = statement.user
    departure = (
        user.family_residence
        if entry.travel.departure is rules.Residence.FAMILY
        else user.administrative_residence
    )
    directory = communes()
    origin = directory.get(departure or "")
    destination = directory.get(mission.commune_insee)
    suggested = None
    if origin is not None and destination is not None:
        suggested = Decimal(round(2 * distance_km(origin, destination)))
    return Proposals(
        meals=[
            MealIn(date=m.date, kind=m.kind, administrative_restaurant=m.administrative_restaurant)
            for m in proposed_meals(rule_entry.trips)
        ],
        nights=list(proposed_nights(rule_entry.trips)),
        suggested_km=suggested,
        departure_commune=origin.name if origin else None,
    )


def _pay_possible(mission: facts.MissionRow) -> bool:
    if mission.mission_type in (rules.MissionType.REUNION, rules.MissionType.HARMONISATION):
        return True
    return (
        mission.pay_group is not None
        and mission.pay_group != "NR"
        and mission.evaluation_mode != "IN_YEAR"
    )


def labels(
    status: Status, mission: facts.MissionRow, computation: Mapping[str, Any], today: dt.date
) -> Labels:
    """What the statement's state reads as; `computation` is the stored one (its JSON)."""
    timing = Timing(mission.start_date, mission.end_date, today)
    mission_days = (mission.end_date - mission.start_date).days + 1
    pay, travel = lifecycle.part_labels(
        status,
        timing,
        dec_handled=mission.mission_type in DEC_HANDLED,
        pay_possible=_pay_possible(mission),
        travel_possible=mission.travel_reimbursable
        and (computation.get("travel_eligible", False) or not computation.get("lines")),
        travel_elsewhere=len(computation.get("travel_days_elsewhere", ())) == mission_days,
    )
    return Labels(
        intervenant=lifecycle.intervenant_label(status, timing),
        dec=lifecycle.dec_label(status, timing),
        pay=pay,
        travel=travel,
    )


def _permissions(
    statement: Statement, mission: facts.MissionRow, user: User, settings: Settings
) -> Permissions:
    status = Status(statement.status)
    timing = _timing(mission, settings)
    own = statement.user_id == user.id
    dec_handled = mission.mission_type in DEC_HANDLED
    return Permissions(
        edit=own and timing.started and lifecycle.allowed(Action.SAVE, status),
        validate_=own and timing.started and lifecycle.allowed(Action.SUBMIT, status),
        declare_not_performed=own
        and not dec_handled
        and lifecycle.allowed(Action.DECLARE_NOT_PERFORMED, status),
    )


def view(
    session: Session,
    statement: Statement,
    mission: facts.MissionRow,
    user: User,
    settings: Settings,
    *,
    entry: EntryIn | None = None,
    computation: ComputationOut | None = None,
) -> StatementOut:
    """The statement as its reader sees it; `entry` and `computation`, when the caller has just
    stored them, spare reading them back from their JSON."""
    if entry is None:
        entry = stored_entry(statement)
    if computation is None:
        computation = facts.stored_computation(statement)
    history = [
        AuditOut(
            at=row.at,
            actor=f"{row.first_name} {row.last_name}" if row.first_name else None,
            action=row.action,
            from_status=row.from_status,
            to_status=row.to_status,
            reason=row.reason,
        )
        for row in repository.history(session, statement.id)
    ]
    return StatementOut(
        id=statement.id,
        version=statement.version,
        status=statement.status,
        labels=labels(
            Status(statement.status), mission, statement.computation or {}, clock.today(settings)
        ),
        permissions=_permissions(statement, mission, user, settings),
        convocation_id=statement.convocation_id,
        intervenant=statement.user.full_name,
        mission=facts.mission_out(mission),
        entry=entry,
        computation=computation,
        proposals=proposals(statement, mission, entry),
        reason=statement.reason,
        saved_at=statement.saved_at,
        submitted_at=statement.submitted_at,
        history=history,
    )


def read(session: Session, settings: Settings, user: User, statement_id: int) -> StatementOut:
    statement = visible(session, user, statement_id)
    acknowledge_dec_correction(session, statement, user, settings)
    return view(session, statement, mission_of(session, statement), user, settings)


def summaries(session: Session, user: User, settings: Settings) -> list[ConvocationOut]:
    today = clock.today(settings)
    return [
        ConvocationOut(
            id=row.convocation_id,
            statement_id=row.id,
            mission=facts.mission_out(row),
            status=row.status,
            labels=labels(Status(row.status), row, row.computation or {}, today),
            total=row.total,
        )
        for row in repository.summaries_of_user(session, user.id)
    ]


def _check_version(
    statement: Statement, if_match: str | None, current: Callable[[], StatementOut]
) -> None:
    if if_match is None:
        raise PreconditionRequired(
            "La version de l'état de frais lue est requise (en-tête If-Match)."
        )
    if if_match.strip().strip('"').removeprefix("W/").strip('"') != str(statement.version):
        raise StaleVersion(
            "Cet état de frais a été modifié depuis que vous l'avez ouvert (sur un autre poste "
            "ou par la DEC). Voici la version enregistrée : vérifiez-la avant de continuer.",
            current=current().model_dump(mode="json", by_alias=True),
        )


def _refuse_unless(
    action: Action, statement: Statement, mission: facts.MissionRow, settings: Settings
) -> None:
    status = Status(statement.status)
    if not lifecycle.allowed(action, status):
        raise TransitionRefused(lifecycle.refusal(action, status))
    if action in (Action.SAVE, Action.SUBMIT) and not _timing(mission, settings).started:
        start = mission.start_date
        raise TransitionRefused(
            f"La mission commence le {start:%d/%m/%Y} : vous pourrez saisir votre état de frais "
            "à partir de cette date."
        )


def _problems_error(computation: rules.Computation) -> InvalidInput:
    fields = {p.field: p.message for p in computation.problems}
    first = computation.problems[0].message
    count = len(computation.problems)
    detail = first if count == 1 else f"{first} ({count} points à corriger au total.)"
    return InvalidInput(detail, fields=fields)


def apply_entry(
    session: Session, statement: Statement, mission: facts.MissionRow, entry: EntryIn
) -> rules.Computation:
    """Computes and stores an entry typed by a trusted caller (DEC, import, demo data)."""
    computation = compute(session, statement, mission, entry)
    if computation.problems:
        raise _problems_error(computation)
    _store(statement, entry, computation)
    return computation


def _store(statement: Statement, entry: EntryIn, computation: rules.Computation) -> ComputationOut:
    """Writes the entry and what it computes to; returns the computation as it is read."""
    stored = facts.computation_out(computation)
    statement.entry = entry.model_dump(mode="json")
    statement.computation = stored.model_dump(mode="json")
    statement.pay_total = computation.pay_total
    statement.travel_total = computation.travel_total
    statement.total = computation.total
    statement.car_km = sum(
        (
            t.km
            for t in entry.travel.trips
            if t.mode is rules.TravelMode.CAR and computation.travel_eligible
        ),
        Decimal(0),
    ).quantize(Decimal("0.01"))
    return stored


def move(
    session: Session,
    statement: Statement,
    actor: User,
    action: Action,
    now: dt.datetime,
    reason: str | None = None,
) -> None:
    """Moves the statement as `action` does, recording who, when, from, to and why."""
    before = Status(statement.status)
    if not lifecycle.allowed(action, before):
        raise TransitionRefused(lifecycle.refusal(action, before))
    after = lifecycle.target(action, before, statement.status_before_cancel)
    if after is Status.CANCELLED:
        statement.status_before_cancel = before
    statement.status = after
    repository.audit(
        session, statement, actor, action, now, from_status=before, to_status=after, reason=reason
    )


def preview(session: Session, user: User, statement_id: int, entry: EntryIn) -> PreviewOut:
    statement = _owned(session, user, statement_id)
    mission = mission_of(session, statement)
    computation = compute(session, statement, mission, entry)
    return PreviewOut(
        computation=facts.computation_out(computation),
        proposals=proposals(statement, mission, entry),
    )


def save(
    session: Session,
    settings: Settings,
    user: User,
    statement_id: int,
    entry: EntryIn,
    if_match: str | None,
) -> StatementOut:
    statement = _owned(session, user, statement_id)
    mission = mission_of(session, statement)
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    _refuse_unless(Action.SAVE, statement, mission, settings)
    computation = compute(session, statement, mission, entry)
    if computation.problems:
        raise _problems_error(computation)
    now = clock.now()
    stored = _store(statement, entry, computation)
    statement.saved_at = now
    refresh_anomalies(session, statement, settings)
    repository.audit(session, statement, user, Action.SAVE, now)
    session.flush()
    return view(session, statement, mission, user, settings, entry=entry, computation=stored)


def submit(
    session: Session, settings: Settings, user: User, statement_id: int, if_match: str | None
) -> StatementOut:
    statement = _owned(session, user, statement_id)
    mission = mission_of(session, statement)
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    _refuse_unless(Action.SUBMIT, statement, mission, settings)
    entry = stored_entry(statement)
    # Recomputed at validation: rates or other missions of the day may have changed since.
    computation = compute(session, statement, mission, entry)
    if computation.problems:
        raise _problems_error(computation)
    now = clock.now()
    stored = _store(statement, entry, computation)
    statement.submitted_at = now
    statement.reason = None
    move(session, statement, user, Action.SUBMIT, now)
    refresh_anomalies(session, statement, settings)
    session.flush()
    return view(session, statement, mission, user, settings, entry=entry, computation=stored)


def declare_not_performed(
    session: Session,
    settings: Settings,
    user: User,
    statement_id: int,
    reason: str | None,
    if_match: str | None,
) -> StatementOut:
    statement = _owned(session, user, statement_id)
    mission = mission_of(session, statement)
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    status = Status(statement.status)
    if mission.mission_type in DEC_HANDLED or not lifecycle.allowed(
        Action.DECLARE_NOT_PERFORMED, status
    ):
        raise TransitionRefused(lifecycle.refusal(Action.DECLARE_NOT_PERFORMED, status))
    now = clock.now()
    statement.reason = (reason or "").strip() or None
    move(session, statement, user, Action.DECLARE_NOT_PERFORMED, now, statement.reason)
    refresh_anomalies(session, statement, settings)
    session.flush()
    return view(session, statement, mission, user, settings)


def refresh_anomalies(session: Session, statement: Statement, settings: Settings) -> None:
    """Stores what the DEC should check on the statement (and on the person's other statements,
    for a journey claimed twice); written with the statement's own changes."""
    anomalies.refresh(session, [statement], clock.today(settings))


def acknowledge_dec_correction(
    session: Session, statement: Statement, user: User, settings: Settings
) -> None:
    """The intervenant has read a statement whose counts the DEC corrected: the flag goes, and
    the history says when. The version stays: the statement itself did not change."""
    if statement.user_id != user.id or not statement.dec_corrected:
        return
    dec_repository.set_flags(session, statement.id, dec_corrected=False)
    set_committed_value(statement, "dec_corrected", False)
    status = Status(statement.status)
    repository.audit(
        session,
        statement,
        user,
        "CORRECTION_SEEN",
        clock.now(),
        from_status=status,
        to_status=status,
        reason="Correction de la DEC consultée par l'intervenant.",
    )
    anomalies.current(session, statement, clock.today(settings))
