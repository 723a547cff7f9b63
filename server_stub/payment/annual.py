"""The annual statement: everything paid to a person in a calendar year, for their tax return.

Which sums count in a year. Each part of a statement (its pay part, its travel part) is paid on
its own (payment/models.py `PaymentPart`): a part counts in year Y when its row in a payment
batch is `PAID` and its `settled_on`, the payment date, falls between 1 January and 31 December
of Y. That date is the booking date the bank gives for the transfer (camt.053/054 `BookgDt`),
the payroll's date for an interne's indemnity, or the date the gestionnaire entered with
"Marquer payé". A part sent, rejected by the bank and sent again counts once, in the year the
later batch paid it; a part still awaiting an answer counts nowhere yet. What matters is the
payment, neither the mission's date nor the batch's: a June mission paid on 2 January counts
in the following year.

The DEC reaches only the batches of its offices (an administrator, every one); the person
reaches all of theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.settings import Settings
from server_stub.payment import planning, repository
from server_stub.payment.models import Channel, batch_reference
from server_stub.payment.schemas import AnnualPayments, PaidMission, PaidPart, PaidPerson
from server_stub.rules.model import MissionType, Part
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS

FIRST_YEAR = 2000
CHANNEL_LABELS = {Channel.PAYROLL: "Paie", Channel.TRANSFER: "Virement"}
RULE = (
    "Une somme compte dans l'année de sa date de paiement : la date de comptabilisation de la "
    "banque pour un virement, celle de la paie pour les indemnités versées avec le traitement, "
    "ou la date de paiement enregistrée par le service gestionnaire. La date de la mission "
    "n'entre pas en compte."
)
ZERO = Decimal("0.00")


def check_year(settings: Settings, year: int) -> None:
    """A year in which something can have been paid: from 2000 to next year."""
    last = clock.today(settings).year + 1
    if not FIRST_YEAR <= year <= last:
        message = f"L'année doit être comprise entre {FIRST_YEAR} et {last} (et non {year})."
        raise InvalidInput(message, fields={"year": message})


def annual_payments(
    session: Session,
    settings: Settings,
    person: User,
    year: int,
    offices: Collection[str] | None,
) -> AnnualPayments:
    """What was paid to `person` in `year` (see the module's docstring for which sums count),
    within the batches of `offices` (None: every one)."""
    check_year(settings, year)
    rows = repository.paid_between(
        session, person.id, dt.date(year, 1, 1), dt.date(year, 12, 31), offices
    )
    missions = [
        _mission(list(parts)) for _, parts in groupby(rows, key=lambda r: r["statement_id"])
    ]
    parts = [p for m in missions for p in m.parts]
    return AnnualPayments(
        year=year,
        academie=settings.academie,
        person=PaidPerson(
            id=person.id,
            name=person.full_name,
            login=person.login,
            interne=person.interne,
            postal_address=person.postal_address,
        ),
        offices=None if offices is None else sorted(offices),
        missions=missions,
        pay_total=_sum(p.amount for p in parts if p.part is Part.PAY),
        travel_total=_sum(p.amount for p in parts if p.part is Part.TRAVEL),
        payroll_total=_sum(p.amount for p in parts if p.channel is Channel.PAYROLL),
        transfer_total=_sum(p.amount for p in parts if p.channel is Channel.TRANSFER),
        total=_sum(p.amount for p in parts),
        rule=RULE,
    )


def _sum(amounts: Any) -> Decimal:
    return sum(amounts, ZERO)


def _mission(rows: list[Mapping[Any, Any]]) -> PaidMission:
    first = rows[0]
    parts = sorted((_part(r) for r in rows), key=lambda p: (p.part is not Part.PAY, p.paid_on))
    return PaidMission(
        statement_id=first["statement_id"],
        mission_type_label=MISSION_TYPE_LABELS[MissionType(first["mission_type"])],
        session=first["session_name"],
        exam=first["exam_name"] if first["exam_name"] is not None else first["mission_label"],
        paper_code=first["paper_code"],
        paper=first["paper_name"],
        centre=first["centre_name"],
        start_date=first["start_date"],
        end_date=first["end_date"],
        parts=parts,
        total=_sum(p.amount for p in parts),
    )


def _part(row: Mapping[Any, Any]) -> PaidPart:
    part, channel = Part(row["part"]), Channel(row["channel"])
    return PaidPart(
        part=part,
        part_label=planning.PART_LABELS[part],
        channel=channel,
        channel_label=CHANNEL_LABELS[channel],
        amount=row["amount"],
        paid_on=row["settled_on"],
        batch_reference=batch_reference(row["batch_id"], row["batch_created_at"]),
        reference=row["settled_reference"],
    )
