"""Reading, computing, saving and moving expense statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import (
    InvalidInput,
    PreconditionRequired,
    StaleVersion,
    TransitionRefused,
)
from server_stub.core.settings import Settings
from server_stub.people.financial_file import REJECTED, transfer_request
from server_stub.reference.communes import communes, distance_km
from server_stub.rules import model as rules
from server_stub.rules.anomalies import INTERVENANT_ADVICE, AnomalyCode
from server_stub.rules.french import format_date
from server_stub.rules.money import format_euros
from server_stub.rules.proposals import accepted_meals, accepted_nights
from server_stub.rules.road import road_estimate
from server_stub.rules.statement import compute_statement
from server_stub.rules.tariffs import Tariffs
from server_stub.statements import (
    anomalies,
    certification,
    facts,
    lifecycle,
    repository,
    vocabulary,
)
from server_stub.statements.lifecycle import DEC_HANDLED, Action, Timing
from server_stub.statements.models import PartPayment, Statement, Status
from server_stub.statements.schemas import (
    AuditOut,
    CertificationIn,
    ComputationOut,
    ConvocationOut,
    DecCommentOut,
    EntryIn,
    Labels,
    MealIn,
    PartPaymentOut,
    Permissions,
    PreviewOut,
    Proposals,
    StatementOut,
    WarningOut,
    WordsOut,
)

TRAVEL_AFTER_INDEMNITY = (
    "Frais de déplacement saisis par l'intervenant après la saisie de l'indemnité par la DEC : "
    "l'indemnité est conservée, l'état de frais est à valider de nouveau."
)

PARIS = ZoneInfo("Europe/Paris")


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
    session: Session,
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
    book: facts.YearBook | None = None,
    tariffs: Tariffs | None = None,
) -> rules.Computation:
    """What the rules make of the entry; a batch passes the `book` of its people's missions."""
    return compute_statement(
        facts.mission_facts(mission),
        facts.person_facts(statement.user, clock.now()),
        facts.entry_facts(entry, statement.direct_indemnity),
        facts.context_facts(session, statement, mission, book),
        tariffs,
    )


# Validated by the DEC: its amounts are those it was validated with, whatever tariff comes after.
VALIDATED = frozenset({Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID})


def recomputed(
    session: Session, statement: Statement, mission: facts.MissionRow, tariffs: Tariffs
) -> rules.Computation:
    """What the statement's own entry computes to under `tariffs`; nothing is stored."""
    return compute(session, statement, mission, stored_entry(statement), tariffs=tariffs)


def store_recomputed(statement: Statement, computation: rules.Computation) -> None:
    """Stores what the statement's own entry computes to under a new tariff version. A validated
    statement is never computed again."""
    if Status(statement.status) in VALIDATED:
        raise TransitionRefused(
            "Un état de frais validé garde les montants avec lesquels il a été validé."
        )
    _store(statement, stored_entry(statement), computation)


def proposals(
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
    computation: ComputationOut | rules.Computation,
) -> Proposals:
    """What the client may offer: only meals and nights the rules would accept, read with the
    eligibility and the days taken elsewhere of `computation` (the stored one, or a preview's)."""
    rule_entry = facts.entry_facts(entry, None)
    rule_mission = facts.mission_facts(mission)
    eligible = computation.travel_eligible
    elsewhere = computation.travel_days_elsewhere
    user = statement.user
    departure = (
        user.family_residence
        if entry.travel.departure is rules.Residence.FAMILY
        else user.administrative_residence
    )
    directory = communes()
    origin = directory.get(departure or "")
    destination = directory.get(mission.commune_insee)
    suggested = road = None
    if origin is not None and destination is not None:
        suggested = Decimal(round(2 * distance_km(origin, destination)))
        road = road_estimate(suggested, mission.start_date)
    return Proposals(
        meals=[
            MealIn(date=m.date, kind=m.kind, administrative_restaurant=m.administrative_restaurant)
            for m in accepted_meals(rule_mission, rule_entry, eligible, elsewhere)
        ],
        nights=accepted_nights(rule_mission, rule_entry, eligible, elsewhere),
        suggested_km=suggested,
        road_km=road,
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
    status: Status,
    mission: facts.MissionRow,
    computation: Mapping[str, Any],
    today: dt.date,
    parts: lifecycle.PartAmounts | None = None,
) -> Labels:
    """What the statement's state reads as; `computation` is the stored one (its JSON);
    `parts`, each part's amount and payment state once it is in payment."""
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
    if parts is not None:
        pay, travel = lifecycle.paid_part_labels(status, (pay, travel), parts)
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
    return Permissions(
        edit=own and timing.started and lifecycle.allowed(Action.SAVE, status),
        validate_=own and timing.started and lifecycle.allowed(Action.SUBMIT, status),
        declare_not_performed=own and lifecycle.allowed(Action.DECLARE_NOT_PERFORMED, status),
    )


def _words(words: vocabulary.Words) -> WordsOut:
    return WordsOut(intervenant=words.intervenant, dec=words.dec)


def _status_words(
    status: str | None, mission: facts.MissionRow, at: dt.datetime
) -> WordsOut | None:
    if status is None:
        return None
    timing = Timing(mission.start_date, mission.end_date, at.astimezone(PARIS).date())
    return _words(vocabulary.STAGES[vocabulary.stage(Status(status), timing)])


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
            action_labels=_words(vocabulary.action_words(row.action)),
            from_status=row.from_status,
            to_status=row.to_status,
            to_status_labels=_status_words(row.to_status, mission, row.at),
            reason=row.reason,
        )
        for row in repository.history(session, statement.id)
    ]
    today = clock.today(settings)
    status = Status(statement.status)
    shown = labels(status, mission, statement.computation or {}, today, part_amounts(statement))
    return StatementOut(
        id=statement.id,
        version=statement.version,
        status=statement.status,
        labels=shown,
        permissions=_permissions(statement, mission, user, settings),
        convocation_id=statement.convocation_id,
        intervenant=statement.user.full_name,
        mission=facts.mission_out(mission, clock.today(settings)),
        entry=entry,
        computation=computation,
        proposals=proposals(statement, mission, entry, computation),
        reason=statement.reason,
        saved_at=statement.saved_at,
        submitted_at=statement.submitted_at,
        history=history,
        pledges=certification.all_pledges(),
        certification=certification.stored(statement.certification),
        payment_missing=payment_missing(statement.user, part_amounts(statement), status, today),
        payments=payments(session, statement, shown),
        dec_comment=dec_comment(history),
    )


# From the DEC's validation on, each part with an amount is shown on its way to payment.
_PAYABLE = frozenset({Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID})


def payments(session: Session, statement: Statement, shown: Labels) -> list[PartPaymentOut]:
    """Each part's payment as the person reads it: the last batch it went in (a part the bank
    rejected is sent again), or, not sent yet, its amount and its label. The batches are read
    only for a statement with a part sent, in one query."""
    if Status(statement.status) not in _PAYABLE:
        return []
    sent = statement.pay_payment is not None or statement.travel_payment is not None
    rows = repository.payment_parts(session, statement.id) if sent else ()
    last = {rules.Part(row.part): row for row in rows}  # in the batches' order: the last wins
    found = []
    for part, amount, label in (
        (rules.Part.PAY, statement.pay_total, shown.pay),
        (rules.Part.TRAVEL, statement.travel_total, shown.travel),
    ):
        row = last.get(part)
        if row is not None:
            found.append(_part_payment(part, row))
        elif amount > 0:
            found.append(
                PartPaymentOut(
                    part=part,
                    part_label=lifecycle.PART_LABELS[part],
                    channel=None,
                    channel_label=None,
                    status=None,
                    status_label=label,
                    amount=amount,
                    batch_created_on=None,
                    execution_date=None,
                    paid_on=None,
                    reference=None,
                    rejected_on=None,
                    rejection_reason=None,
                )
            )
    return found


def _part_payment(part: rules.Part, row: Any) -> PartPaymentOut:
    state = PartPayment(row.status)
    paid = state is PartPayment.PAID
    rejected = state is PartPayment.REJECTED
    return PartPaymentOut(
        part=part,
        part_label=lifecycle.PART_LABELS[part],
        channel=row.channel,
        channel_label=lifecycle.CHANNEL_LABELS.get(row.channel),
        status=state,
        status_label=lifecycle.PART_PAYMENT_LABELS[state],
        amount=row.amount,
        batch_created_on=row.created_at.astimezone(PARIS).date(),
        execution_date=row.execution_date,
        paid_on=row.settled_on if paid else None,
        reference=row.settled_reference if paid else None,
        rejected_on=row.settled_on if rejected else None,
        rejection_reason=(row.return_reason or row.return_code or REJECTION_UNEXPLAINED)
        if rejected
        else None,
    )


REJECTION_UNEXPLAINED = "motif non précisé par la banque"


def dec_comment(history: list[AuditOut]) -> DecCommentOut | None:
    """The DEC's last return reason or correction comment, as its history entry gives it."""
    for entry in reversed(history):
        if entry.action in vocabulary.DEC_COMMENTS and entry.reason:
            return DecCommentOut(
                at=entry.at,
                actor=entry.actor,
                label=entry.action_labels.intervenant,
                text=entry.reason,
            )
    return None


def part_amounts(row: Any) -> lifecycle.PartAmounts:
    """Each part's amount and payment state, of a statement or a row that has them."""
    return lifecycle.PartAmounts(
        pay_total=row.pay_total,
        travel_total=row.travel_total,
        pay_payment=None if row.pay_payment is None else PartPayment(row.pay_payment),
        travel_payment=None if row.travel_payment is None else PartPayment(row.travel_payment),
    )


_CLOSED = frozenset({Status.CANCELLED, Status.NOT_PERFORMED, Status.PAID})
_WAITING = (None, PartPayment.REJECTED)


def payment_missing(
    user: User, parts: lifecycle.PartAmounts, status: Status, today: dt.date
) -> str | None:
    """What the person must give for what this statement owes them by transfer (an interne's
    travel costs, anything of an externe's) to be paid; None when nothing."""
    if status in _CLOSED:
        return None
    rejected = parts.travel_payment is PartPayment.REJECTED or (
        not user.academic and parts.pay_payment is PartPayment.REJECTED
    )
    if rejected:
        return REJECTED
    owed = parts.travel_total > 0 and parts.travel_payment in _WAITING
    if not user.academic:
        owed = owed or (parts.pay_total > 0 and parts.pay_payment in _WAITING)
    return transfer_request(user, today) if owed else None


def read(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    mission: facts.MissionRow,
) -> StatementOut:
    acknowledge_dec_correction(session, statement, user, settings)
    return view(session, statement, mission, user, settings)


def summaries(session: Session, user: User, settings: Settings) -> list[ConvocationOut]:
    today = clock.today(settings)
    return [
        ConvocationOut(
            id=row.convocation_id,
            statement_id=row.id,
            mission=facts.mission_out(row, today),
            status=row.status,
            labels=labels(Status(row.status), row, row.computation or {}, today, part_amounts(row)),
            total=row.total,
            payment_missing=payment_missing(user, part_amounts(row), Status(row.status), today),
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
            f"La mission commence le {format_date(start)} : vous pourrez saisir votre état de "
            "frais à partir de cette date."
        )


def _problems_error(computation: rules.Computation) -> InvalidInput:
    fields = {p.field: p.message for p in computation.problems}
    first = computation.problems[0].message
    count = len(computation.problems)
    detail = first if count == 1 else f"{first} ({count} points à corriger au total.)"
    return InvalidInput(detail, fields=fields)


def apply_entry(
    session: Session,
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
    book: facts.YearBook | None = None,
) -> rules.Computation:
    """Computes and stores an entry typed by a trusted caller (DEC, import, demo data); with a
    `book`, the statement's new kilometres are noted in it."""
    computation = compute(session, statement, mission, entry, book)
    if computation.problems:
        raise _problems_error(computation)
    _store(statement, entry, computation)
    if book is not None:
        book.note(statement)
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
    *,
    trail: repository.AuditTrail | None = None,
    book: facts.YearBook | None = None,
) -> None:
    """Moves the statement as `action` does, recording who, when, from, to and why: now, or in
    a bulk path's `trail`, written with the others; its new status is noted in `book`."""
    before = Status(statement.status)
    if not lifecycle.allowed(action, before):
        raise TransitionRefused(lifecycle.refusal(action, before))
    after = lifecycle.target(action, before, statement.status_before_cancel)
    if after is Status.CANCELLED:
        statement.status_before_cancel = before
    statement.status = after
    if book is not None:
        book.note(statement)
    if trail is not None:
        trail.add(statement, actor, action, now, from_status=before, to_status=after, reason=reason)
    else:
        repository.audit(
            session,
            statement,
            actor,
            action,
            now,
            from_status=before,
            to_status=after,
            reason=reason,
        )


def preview(
    session: Session,
    settings: Settings,
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
) -> PreviewOut:
    computation = compute(session, statement, mission, entry)
    warnings: list[WarningOut] = []
    if not computation.problems:
        found = anomalies.foreseen(
            session, statement, entry, computation.total, clock.today(settings)
        )
        warnings = [
            WarningOut(
                code=a["code"],
                label=a["label"],
                advice=INTERVENANT_ADVICE[AnomalyCode(a["code"])],
                message=a["message"],
                field=a["field"],
            )
            for a in found
        ]
    return PreviewOut(
        computation=facts.computation_out(computation),
        proposals=proposals(statement, mission, entry, computation),
        warnings=warnings,
    )


def save(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
    if_match: str | None,
) -> StatementOut:
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    _refuse_unless(Action.SAVE, statement, mission, settings)
    # The person's statements, read once: the context of the computation, then the anomalies.
    theirs = anomalies.people_statements(session, {statement.user_id})
    computation = compute(session, statement, mission, entry, facts.YearBook.of_statements(theirs))
    if computation.problems:
        raise _problems_error(computation)
    now = clock.now()
    stored = _store(statement, entry, computation)
    statement.saved_at = now
    before = Status(statement.status)
    if before is Status.DEC_ENTERED:
        # The pay part stays the DEC's; the travel part the person types goes to the DEC again.
        statement.status = lifecycle.target(Action.SAVE, before)
        repository.audit(
            session,
            statement,
            user,
            vocabulary.Recorded.TRAVEL_AFTER_INDEMNITY,
            now,
            from_status=before,
            to_status=Status(statement.status),
            reason=TRAVEL_AFTER_INDEMNITY,
        )
    else:
        repository.audit(session, statement, user, Action.SAVE, now)
    refresh_anomalies(session, statement, settings, theirs)
    session.flush()
    return view(session, statement, mission, user, settings, entry=entry, computation=stored)


def submit(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    mission: facts.MissionRow,
    if_match: str | None,
    pledge: CertificationIn | None = None,
) -> StatementOut:
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    _refuse_unless(Action.SUBMIT, statement, mission, settings)
    entry = stored_entry(statement)
    theirs = anomalies.people_statements(session, {statement.user_id})
    # Recomputed at validation: rates or other missions of the day may have changed since.
    computation = compute(session, statement, mission, entry, facts.YearBook.of_statements(theirs))
    if computation.problems:
        raise _problems_error(computation)
    now = clock.now()
    statement.certification = certification.certified(pledge, computation.pay_total, now)
    stored = _store(statement, entry, computation)
    statement.submitted_at = now
    statement.reason = None
    move(session, statement, user, Action.SUBMIT, now)
    refresh_anomalies(session, statement, settings, theirs)
    session.flush()
    return view(session, statement, mission, user, settings, entry=entry, computation=stored)


def save_and_submit(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    mission: facts.MissionRow,
    entry: EntryIn,
    if_match: str | None,
    pledge: CertificationIn | None = None,
) -> StatementOut:
    """Stores `entry` over the version read, then validates it, in one transaction (one
    round trip for « Valider » with unsaved changes). Sent again after its answer was lost,
    it finds the statement validated with that very entry and answers it as it is."""
    if Status(statement.status) is Status.SUBMITTED and stored_entry(statement) == entry:
        return view(session, statement, mission, user, settings)
    save(session, settings, user, statement, mission, entry, if_match)
    return submit(session, settings, user, statement, mission, f'"{statement.version}"', pledge)


def declare_not_performed(
    session: Session,
    settings: Settings,
    user: User,
    statement: Statement,
    mission: facts.MissionRow,
    reason: str | None,
    if_match: str | None,
) -> StatementOut:
    _check_version(statement, if_match, lambda: view(session, statement, mission, user, settings))
    status = Status(statement.status)
    if not lifecycle.allowed(Action.DECLARE_NOT_PERFORMED, status):
        raise TransitionRefused(lifecycle.refusal(Action.DECLARE_NOT_PERFORMED, status))
    now = clock.now()
    if statement.direct_indemnity is not None:
        _cancel_direct_indemnity(session, statement, mission, user, now)
    statement.reason = (reason or "").strip() or None
    move(session, statement, user, Action.DECLARE_NOT_PERFORMED, now, statement.reason)
    refresh_anomalies(session, statement, settings)
    session.flush()
    return view(session, statement, mission, user, settings)


def _cancel_direct_indemnity(
    session: Session, statement: Statement, mission: facts.MissionRow, user: User, now: dt.datetime
) -> None:
    """A mission declared not performed owes no indemnity: the one the DEC entered goes, and the
    history says which amount and why."""
    amount = statement.direct_indemnity
    statement.direct_indemnity = None
    entry = stored_entry(statement)
    _store(statement, entry, compute(session, statement, mission, entry))
    status = Status(statement.status)
    repository.audit(
        session,
        statement,
        user,
        vocabulary.Recorded.INDEMNITY_CANCELLED,
        now,
        from_status=status,
        to_status=status,
        reason=(
            f"Indemnité saisie par la DEC ({format_euros(amount or Decimal(0))}) annulée : "
            "mission déclarée non effectuée par l'intervenant."
        ),
    )


def refresh_anomalies(
    session: Session,
    statement: Statement,
    settings: Settings,
    theirs: Sequence[Mapping[Any, Any]] | None = None,
) -> None:
    """Stores what the DEC should check on the statement (and on the person's other statements,
    for a journey claimed twice); written with the statement's own changes. `theirs`: the
    person's statements read earlier in the request (`anomalies.people_statements`)."""
    anomalies.refresh(session, [statement], clock.today(settings), theirs)


def acknowledge_dec_correction(
    session: Session, statement: Statement, user: User, settings: Settings
) -> None:
    """The intervenant has read a statement whose counts the DEC corrected: the flag goes, and
    the history says when. The version stays: the statement itself did not change."""
    if statement.user_id != user.id or not statement.dec_corrected:
        return
    repository.set_flags(session, statement.id, dec_corrected=False)
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
