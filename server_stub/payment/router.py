"""Payment batches: create from validated statements, read, download the files, mark paid; and
the annual statement of what was paid to a person (`annual_router`).

A gestionnaire reaches the batches of their offices (see `auth.access`). No
`from __future__ import annotations`: FastAPI reads the access declarations as objects.
"""

from typing import Annotated

from fastapi import Path, Response, status

from server_stub.assignment.repository import PERSON
from server_stub.auth.access import STAFF, Anyone, Staff
from server_stub.auth.models import User
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import CONFLICT
from server_stub.core.routing import api_router
from server_stub.core.wire import Digits
from server_stub.payment import annual, service
from server_stub.payment.models import PaymentBatch
from server_stub.payment.repository import BATCH
from server_stub.payment.schemas import (
    AnnualPayments,
    BankStatementIn,
    BatchCreated,
    BatchIn,
    BatchOut,
    BatchPreview,
    PaidIn,
    PayrollAcknowledgementIn,
    Reconciled,
)
from server_stub.reference.repository import SESSION

router = api_router(prefix="/dec/payment-batches", tags=["payment"])
Batch = Annotated[PaymentBatch, STAFF.reach(BATCH)]


def _download(name: str, content: bytes, media_type: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def create_batch(
    body: Annotated[BatchIn, STAFF.refer(BatchIn, session_id=SESSION)],
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> BatchCreated:
    """Sends an office's validated statements to payment (they are then locked); with the
    figures of the preview, only if they are still those."""
    return service.create_batch(session, settings, scope, body)


@router.post("/preview")
def preview_batch(
    body: Annotated[BatchIn, STAFF.refer(BatchIn, session_id=SESSION)],
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> BatchPreview:
    """What "Créer" would make now (its totals, every part left out and who must act),
    changing nothing."""
    return service.preview_batch(session, settings, scope, body)


@router.get("")
def list_batches(scope: Staff, session: DbSession) -> list[BatchOut]:
    return service.listing(session, scope.offices)


@router.get("/{batch_id}")
def read_batch(batch: Batch, session: DbSession) -> BatchOut:
    return service.out(session, batch)


@router.post("/{batch_id}/paid", responses=CONFLICT)
def mark_paid(
    batch: Batch, body: PaidIn, scope: Staff, session: DbSession, settings: AppSettings
) -> BatchOut:
    """The batch was paid on `paid_on`: its statements become Payé."""
    return service.mark_paid(session, settings, scope.user, batch, body.paid_on)


@router.post("/{batch_id}/bank-statement", responses=CONFLICT)
def reconcile(
    batch: Batch, body: BankStatementIn, scope: Staff, session: DbSession, settings: AppSettings
) -> Reconciled:
    """The bank's camt.054 (avis de débit) or camt.053 (relevé) for the batch: transfers booked
    become Payé with their date and reference, those rejected "Paiement rejeté" with the
    reason, sent again in the next batch."""
    return service.reconcile(session, settings, scope.user, batch, body.document)


@router.post("/{batch_id}/payroll-acknowledgement", responses=CONFLICT)
def acknowledge_payroll(
    batch: Batch,
    body: PayrollAcknowledgementIn,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> Reconciled:
    """The payroll's acknowledgement of the batch's payroll export (docs/payroll-export.md):
    lines paid become Payé with their payment date, lines rejected "Paiement rejeté" with the
    reason, sent again in the next batch. Imported twice, nothing is answered twice."""
    return service.acknowledge_payroll(session, settings, scope.user, batch, body.document)


@router.get(
    "/{batch_id}/sepa.xml",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}}, "description": "pain.001.001.09 ou .03"},
        **CONFLICT,
    },
)
def sepa_file(batch: Batch, session: DbSession) -> Response:
    """The SEPA credit-transfer file (ISO 20022 pain.001, in the version the payment
    configuration chooses: .09 or .03), one transfer per person."""
    return _download(*service.sepa_file(session, batch), "application/xml")


@router.get(
    "/{batch_id}/payroll.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "docs/payroll-export.md"}},
)
def payroll_file(batch: Batch, session: DbSession) -> Response:
    """The payroll export of the internes' indemnities (format: docs/payroll-export.md)."""
    return _download(*service.payroll_file(session, batch), "text/csv; charset=utf-8")


@router.get(
    "/{batch_id}/summary.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "Récapitulatif"}},
)
def summary_file(batch: Batch, session: DbSession, settings: AppSettings) -> Response:
    """The batch's summary for the accounting office."""
    return _download(*service.summary_file(session, settings, batch), "application/pdf")


# --- the annual statement --------------------------------------------------------------------

annual_router = api_router(tags=["payment"])
Year = Annotated[
    int,
    Path(ge=1, le=9999, description="L'année civile (2026), de 2000 à l'année prochaine."),
    Digits,
]


@annual_router.get("/me/payments/{year}")
def my_annual_payments(
    year: Year, me: Anyone, session: DbSession, settings: AppSettings
) -> AnnualPayments:
    """Everything paid to the caller in the calendar year `year`, per mission and per part,
    with the totals: for their tax return. A part counts in the year of its payment date (the
    bank's or the payroll's booking date, or the date entered with "Marquer payé"), whatever
    the mission's date (payment/annual.py). An unknown year is refused in French (422)."""
    return annual.annual_payments(session, settings, me.user, year, offices=None)


@annual_router.get("/dec/people/{user_id}/payments/{year}")
def annual_payments_of(
    person: Annotated[User, STAFF.reach(PERSON, "user_id")],
    year: Year,
    scope: Staff,
    session: DbSession,
    settings: AppSettings,
) -> AnnualPayments:
    """The same for an intervenant the caller's offices work with, counting the batches of
    those offices (every batch for an administrator); anyone else is absent (404)."""
    return annual.annual_payments(session, settings, person, year, scope.offices)
