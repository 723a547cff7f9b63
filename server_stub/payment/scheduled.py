"""Payment batches created on schedule, for the offices that want payment fully automatic.

The setting `IMAGIN_PAYMENT_AUTO_OFFICES` names them (or TOUS); each TARGET2 business day, from
`IMAGIN_PAYMENT_AUTO_TIME` (Europe/Paris) on, `create_due` makes each one's batch of the day
with everything "Préparer" would announce, exactly as "Créer" does, with no one as its author.
`imagin-server payment create-due` runs it (a systemd timer, docs/deployment.md); running it
again the same day, or from several servers at once, makes no second batch: the batch carries
its scheduled day, and a unique index on (office, day) lets one transaction only insert it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server_stub.auth.access import Scope
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import DomainError
from server_stub.core.settings import Settings
from server_stub.payment import repository, service, target2
from server_stub.payment.schemas import BatchIn
from server_stub.rules.french import format_date
from server_stub.rules.money import format_euros

log = logging.getLogger("imagin.payment")
PARIS = ZoneInfo("Europe/Paris")
EVERY_OFFICE = "TOUS"


@dataclass(frozen=True)
class Outcome:
    office: str
    message: str  # French, for the log
    reference: str | None = None  # the batch created


@dataclass(frozen=True)
class Run:
    day: dt.date
    waiting: str | None = None  # why nothing was tried today
    outcomes: list[Outcome] = field(default_factory=list)


def configured_offices(session: Session, settings: Settings) -> list[str]:
    """The offices of the setting; TOUS: every office that has a session."""
    names = [n.strip() for n in settings.payment_auto_offices.split(",") if n.strip()]
    if any(n.upper() == EVERY_OFFICE for n in names):
        return repository.offices_with_sessions(session)
    return list(dict.fromkeys(names))


def start_time(settings: Settings) -> dt.time:
    text = settings.payment_auto_time.strip()
    try:
        hours, minutes = text.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(
            f"IMAGIN_PAYMENT_AUTO_TIME « {text} » n'est pas une heure HH:MM (par exemple 07:00)."
        ) from None


def create_due(
    factory: sessionmaker[Session], settings: Settings, at: dt.datetime | None = None
) -> Run:
    """Creates today's batch of each configured office that has none yet; each office in its
    own transaction, so that one office's refusal leaves the others' batches made."""
    moment = (at or clock.now()).astimezone(PARIS)
    day = settings.today or moment.date()
    opening = start_time(settings)
    closed = target2.closing_reason(day)
    if closed is not None:
        return Run(day, f"Le {format_date(day)} ({closed}) n'est pas un jour ouvré TARGET2.")
    if moment.time() < opening:
        return Run(day, f"Les lots du jour sont créés à partir de {opening:%H:%M}.")
    with factory() as session:
        offices = configured_offices(session, settings)
    if not offices:
        return Run(day, "Aucun service n'a choisi la création automatique des lots.")
    return Run(day, outcomes=[_create(factory, settings, office, day) for office in offices])


def _create(
    factory: sessionmaker[Session], settings: Settings, office: str, day: dt.date
) -> Outcome:
    # No one is the author of a scheduled batch: its audit entries have no actor.
    scope = Scope(user=User(), offices=None)
    try:
        with factory() as session, session.begin():
            made = _existing(session, office, day)
            if made is not None:
                return Outcome(office, f"Lot du jour déjà créé : {made}.")
            created = service.create_batch(
                session, settings, scope, BatchIn(office=office), scheduled_on=day
            ).batch
    except (IntegrityError, DomainError) as error:
        # Another process may have made the office's batch of the day meanwhile: its insert
        # came first (this one's is refused by the unique key), or its statements are no
        # longer to pay when this one read them.
        with factory() as session:
            made = _existing(session, office, day)
        if made is not None:
            return Outcome(office, f"Lot du jour déjà créé : {made}.")
        if isinstance(error, IntegrityError):
            raise
        return Outcome(office, error.detail)
    message = (
        f"Lot {created.reference} créé : {created.statement_count} état(s) de frais pour "
        f"{format_euros(created.total)}."
    )
    return Outcome(office, message, created.reference)


def _existing(session: Session, office: str, day: dt.date) -> str | None:
    batch = repository.scheduled_batch(session, office, day)
    return None if batch is None else batch.reference
