"""Payment batches: create from validated statements, read, download the files, mark paid."""

from __future__ import annotations

from fastapi import Response, status

from server_stub.auth.deps import Gestionnaire
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.payment import service
from server_stub.payment.schemas import BatchCreated, BatchIn, BatchOut, PaidIn

router = api_router(prefix="/dec/payment-batches", tags=["payment"])


def _download(name: str, content: bytes, media_type: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def create_batch(
    body: BatchIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BatchCreated:
    """Sends the office's validated statements to payment (they are then locked)."""
    return service.create_batch(session, settings, user, body)


@router.get("")
def list_batches(user: Gestionnaire, session: DbSession) -> list[BatchOut]:
    return service.listing(session, user)


@router.get("/{batch_id}")
def read_batch(batch_id: int, user: Gestionnaire, session: DbSession) -> BatchOut:
    return service.out(session, service.scoped_batch(session, user, batch_id))


@router.post("/{batch_id}/paid")
def mark_paid(
    batch_id: int, body: PaidIn, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> BatchOut:
    """The batch was paid on `paid_on`: its statements become Payé."""
    return service.mark_paid(session, settings, user, batch_id, body.paid_on)


@router.get(
    "/{batch_id}/sepa.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "pain.001.001.03"}},
)
def sepa_file(batch_id: int, user: Gestionnaire, session: DbSession) -> Response:
    """The SEPA credit-transfer file (ISO 20022 pain.001.001.03), one transfer per person."""
    return _download(*service.sepa_file(session, user, batch_id), "application/xml")


@router.get(
    "/{batch_id}/payroll.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "docs/payroll-export.md"}},
)
def payroll_file(batch_id: int, user: Gestionnaire, session: DbSession) -> Response:
    """The payroll export of the internes' indemnities (format: docs/payroll-export.md)."""
    return _download(*service.payroll_file(session, user, batch_id), "text/csv; charset=utf-8")


@router.get(
    "/{batch_id}/summary.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "Récapitulatif"}},
)
def summary_file(
    batch_id: int, user: Gestionnaire, session: DbSession, settings: AppSettings
) -> Response:
    """The batch's summary for the accounting office."""
    return _download(*service.summary_file(session, settings, user, batch_id), "application/pdf")
