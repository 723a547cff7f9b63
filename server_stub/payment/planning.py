"""What a batch will hold: each part of each payable statement, or why it must wait and who
must act.

DOMAIN §1: an interne's indemnity goes through payroll, their travel costs by transfer; an
externe's two parts both by transfer. Each part is paid on its own: an interne's indemnity goes
to payroll whatever the state of their financial file, and only what is transferred waits for
it. "Préparer" and "Créer" read the same plan, so a batch holds exactly what was announced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from server_stub.payment.models import Channel
from server_stub.payment.schemas import Excluded
from server_stub.rules.anomalies import financial_file_problem
from server_stub.rules.french import format_date
from server_stub.rules.model import Part
from server_stub.statements.lifecycle import PART_LABELS as PART_LABELS
from server_stub.statements.models import PartPayment, Status

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal("0.00")
INTERVENANT = "L'intervenant"
GESTIONNAIRE = "Le gestionnaire"


@dataclass(frozen=True)
class Due:
    """A part the batch pays."""

    statement_id: int
    version: int
    user_id: int
    part: Part
    channel: Channel
    amount: Decimal
    row: Mapping[Any, Any]


@dataclass(frozen=True)
class Plan:
    dues: list[Due]
    excluded: list[Excluded]

    @property
    def statement_ids(self) -> list[int]:
        return list(dict.fromkeys(d.statement_id for d in self.dues))

    @property
    def payroll(self) -> list[Due]:
        return [d for d in self.dues if d.channel is Channel.PAYROLL and d.amount > 0]

    @property
    def transfers(self) -> dict[int, Decimal]:
        """What each person is owed by transfer."""
        owed: dict[int, Decimal] = {}
        for d in self.dues:
            if d.channel is Channel.TRANSFER and d.amount > 0:
                owed[d.user_id] = owed.get(d.user_id, ZERO) + d.amount
        return owed


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


def parts_of(row: Mapping[Any, Any]) -> list[tuple[Part, Channel, Decimal]]:
    """The parts of a statement with an amount (a statement of nothing keeps its pay part of
    zero, so that it is settled with its batch), each with the way it is paid."""
    interne = bool(row["academic"])
    parts = []
    if row["pay_total"] > 0 or row["travel_total"] <= 0:
        parts.append((Part.PAY, Channel.PAYROLL if interne else Channel.TRANSFER, row["pay_total"]))
    if row["travel_total"] > 0:
        parts.append((Part.TRAVEL, Channel.TRANSFER, row["travel_total"]))
    return parts


def payment_state(row: Mapping[Any, Any], part: Part) -> PartPayment | None:
    value = row["pay_payment"] if part is Part.PAY else row["travel_payment"]
    return None if value is None else PartPayment(value)


def transfer_problem(
    row: Mapping[Any, Any], today: dt.date, lacking: Sequence[str] = ()
) -> str | None:
    """Why the person's account cannot receive a transfer now, or None. `lacking`: the
    documents of the financial file neither attached nor received (DOMAIN §6: required before
    an externe's first payment)."""
    if row["academic"]:
        if not row["iban"]:
            return "RIB manquant : aucun IBAN n'est renseigné dans le dossier financier."
        return None
    problem = financial_file_problem(
        row["iban"], _local_day(row["financial_file_updated"]), _local_day(row["last_paid"]), today
    )
    if problem is None and lacking and row["last_paid"] is None:
        return (
            "Premier virement d'un intervenant externe : les pièces de son dossier financier "
            f"doivent être jointes ou reçues d'abord ({', '.join(lacking)})."
        )
    return problem


def plan(
    rows: Sequence[Mapping[Any, Any]],
    today: dt.date,
    rejections: Mapping[int, dt.date] | None = None,
    lacking: Mapping[int, Sequence[str]] | None = None,
) -> Plan:
    """Every part to send of `rows` (repository.candidates), or why it waits; `rejections`,
    the day the bank last rejected a transfer to each person: their rejected parts wait until
    they update their financial file; `lacking`, for each statement, the documents of its
    person's financial file still missing."""
    rejections = rejections or {}
    dues: list[Due] = []
    excluded: list[Excluded] = []
    for row in rows:
        # A statement in payment from before payment by part: none of its parts is known.
        legacy = Status(row["status"]) is Status.IN_PAYMENT and (
            row["pay_payment"] is None and row["travel_payment"] is None
        )
        if legacy:
            continue
        name = f"{row['first_name']} {row['last_name']}"
        for part, channel, amount in parts_of(row):
            if payment_state(row, part) not in (None, PartPayment.REJECTED):
                continue
            problem = (
                transfer_problem(row, today, (lacking or {}).get(row["id"], ()))
                if channel is Channel.TRANSFER
                else None
            )
            rejected_on = rejections.get(row["user_id"])
            if (
                problem is None
                and channel is Channel.TRANSFER
                and payment_state(row, part) is PartPayment.REJECTED
                and rejected_on is not None
                and (_local_day(row["financial_file_updated"]) or dt.date.min) < rejected_on
            ):
                problem = (
                    f"Virement rejeté par la banque le {format_date(rejected_on)} : "
                    "l'intervenant doit corriger son dossier financier (IBAN) avant un nouvel "
                    "envoi."
                )
            if problem and amount > 0:
                excluded.append(
                    Excluded(
                        id=row["id"],
                        part=part,
                        part_label=PART_LABELS[part],
                        person=name,
                        amount=amount,
                        reason=problem,
                        who=INTERVENANT,
                    )
                )
                continue
            dues.append(Due(row["id"], row["version"], row["user_id"], part, channel, amount, row))
    return Plan(dues, excluded)
