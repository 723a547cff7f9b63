"""Wire shapes of payment batches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from server_stub.core.wire import AsDecimal, Day, Id, Int, WireIn
from server_stub.payment.models import BatchStatus, Channel
from server_stub.rules.model import Part

Amount = Annotated[
    Decimal, Field(ge=0, le=10_000_000_000, max_digits=13, decimal_places=2), AsDecimal
]


class BatchIn(WireIn):
    session_id: Id | None = Field(
        default=None, description="Seulement les états de frais de cette session."
    )
    office: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="Seulement les états de frais de ce service (par défaut, celui de la session "
        "ou le seul du gestionnaire).",
    )
    statement_ids: Annotated[list[Id] | None, Field(max_length=20_000)] = Field(
        default=None, description="Seulement ces états de frais (sinon tous ceux validés)."
    )
    execution_date: Day | None = Field(
        default=None,
        description="Date d'exécution des virements, un jour ouvré TARGET2 (par défaut le "
        "suivant).",
    )
    expected_statement_count: Annotated[Int | None, Field(ge=0, le=10_000_000)] = Field(
        default=None,
        description="Le nombre d'états de frais annoncé par la préparation : le lot n'est créé "
        "que s'il est le même.",
    )
    expected_total: Amount | None = Field(
        default=None,
        description="Le total annoncé par la préparation : le lot n'est créé que s'il est le même.",
    )


class PaidIn(WireIn):
    paid_on: Day


class BatchOut(BaseModel):
    id: int
    reference: str
    office: str
    session_id: int | None
    session: str | None
    status: BatchStatus
    status_label: str
    created_at: dt.datetime
    created_by: str | None
    execution_date: dt.date
    paid_on: dt.date | None
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal


class Excluded(BaseModel):
    """A statement's part that cannot be paid yet."""

    id: int = Field(description="L'état de frais.")
    part: Part | None = Field(default=None, description="La part concernée (None : tout l'état).")
    part_label: str | None = None
    person: str | None = None
    amount: Decimal | None = None
    reason: str
    who: str | None = Field(default=None, description="Qui doit agir : l'intervenant, la DEC.")


class BatchPreview(BaseModel):
    """What "Créer" would make now: the batch's totals and every part left out, with why."""

    office: str
    session_id: int | None
    session: str | None
    execution_date: dt.date
    statement_count: int
    transfer_count: int
    transfer_total: Decimal
    payroll_count: int
    payroll_total: Decimal
    total: Decimal
    excluded: list[Excluded]


class BatchCreated(BaseModel):
    batch: BatchOut
    excluded: list[Excluded] = Field(
        description="Parts d'états de frais validés laissées hors du lot, pourquoi et qui doit "
        "agir."
    )


class BankStatementIn(WireIn):
    document: str = Field(
        min_length=1,
        max_length=50_000_000,
        description="Le relevé camt.053 ou l'avis camt.054 de la banque (XML ISO 20022).",
    )


class PayrollAcknowledgementIn(WireIn):
    document: str = Field(
        min_length=1,
        max_length=50_000_000,
        description="L'accusé de la paie (CSV ; UTF-8 : Référence ; Statut ; Date de paiement ; "
        "Motif), format décrit dans docs/payroll-export.md.",
    )


class Reconciled(BaseModel):
    """What the bank's statement, or the payroll's acknowledgement, settled in the batch."""

    batch: BatchOut
    paid: int = Field(description="Parts payées.")
    rejected: int = Field(description="Parts rejetées, reprises au prochain lot.")
    statements_paid: int = Field(description="États de frais devenus « Payé ».")
    already_settled: list[str] = Field(
        description="Opérations (ou lignes de l'accusé de la paie) déjà rapprochées."
    )
    unknown: list[str] = Field(
        description="Opérations qui ne sont pas des virements du lot (ou références de l'accusé "
        "qui ne sont pas des lignes de son export de paie)."
    )
    mismatched: list[str] = Field(
        description="Opérations dont le montant diffère du virement : laissées en attente."
    )


# --- the annual statement of the sums paid to a person ---------------------------------------


class PaidPart(BaseModel):
    """One part of a statement paid in the year."""

    part: Part
    part_label: str = Field(description="« Indemnités » ou « Frais de déplacement ».")
    channel: Channel
    channel_label: str = Field(description="« Paie » ou « Virement ».")
    amount: Decimal
    paid_on: dt.date = Field(
        description="Date de paiement : la date de comptabilisation de la banque ou de la paie, "
        "ou celle saisie avec « Marquer payé »."
    )
    batch_reference: str = Field(description="Le lot de paiement, `LOT-2026-000042`.")
    reference: str | None = Field(description="La référence de la banque ou de la paie.")


class PaidMission(BaseModel):
    """A statement (one mission) with what was paid for it in the year."""

    statement_id: int
    mission_type_label: str
    session: str
    exam: str | None
    paper_code: str | None
    paper: str | None
    centre: str
    start_date: dt.date
    end_date: dt.date
    parts: list[PaidPart]
    total: Decimal


class PaidPerson(BaseModel):
    id: int
    name: str
    login: str
    interne: bool
    postal_address: str | None


class AnnualPayments(BaseModel):
    """Everything paid to a person in a calendar year, mission by mission and part by part."""

    year: int
    academie: str
    person: PaidPerson
    offices: list[str] | None = Field(
        description="Les services dont les lots sont comptés (ceux du gestionnaire) ; null : tous."
    )
    missions: list[PaidMission]
    pay_total: Decimal = Field(description="Indemnités versées dans l'année.")
    travel_total: Decimal = Field(description="Frais de déplacement remboursés dans l'année.")
    payroll_total: Decimal = Field(description="Versé par la paie (indemnités des internes).")
    transfer_total: Decimal = Field(description="Versé par virement.")
    total: Decimal
    rule: str = Field(description="Quelles sommes comptent dans l'année, en français.")
