"""The DEC's endpoints and payment batches as Python calls (blocking, Qt-free).

`DecApi` rides on an `ImaginClient`: its `_call` renews an expired session once and turns
every unsuccessful answer into the typed error of `client.api.errors`, so these methods only
shape requests and parse answers.

Bulk actions answer per statement (`BulkResult`): a statement already handled by a colleague,
read at an older version or in a status that forbids the move is reported, never raised, and
the others go through.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from client.api.client import ImaginClient
from client.api.dec_models import (
    AnomalyKind,
    Batch,
    BatchCreated,
    BulkResult,
    CentreRef,
    Dashboard,
    DecQueuePage,
    DecStatement,
    Download,
    ExamRef,
    Ordering,
    PaperRef,
    QueueFilters,
    ReturnReason,
    ServiceDoneOut,
    SessionRef,
    StatementRef,
)
from client.api.models import Entry

M = TypeVar("M", bound=BaseModel)

_FILENAME = re.compile(r'filename="?([^";]+)"?')


def _refs(statements: Iterable[StatementRef]) -> list[dict[str, Any]]:
    return [ref.model_dump(exclude_none=True) for ref in statements]


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


class DecApi:
    """Every DEC and payment endpoint of the IMAG'IN API."""

    def __init__(self, client: ImaginClient) -> None:
        self.client = client

    # --- the queue and its reference data -------------------------------------------------

    def statements(
        self,
        filters: QueueFilters = QueueFilters(),
        ordering: Ordering = Ordering(),
        *,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DecQueuePage:
        """One page of the queue; pass `next_cursor` back as `cursor` with the same ordering."""
        params = {**filters.params(), **ordering.params(), "limit": str(limit)}
        if cursor is not None:
            params["cursor"] = cursor
        return self._get(DecQueuePage, "/dec/statements", params)

    def anomaly_kinds(self) -> list[AnomalyKind]:
        return self._get_list(AnomalyKind, "/dec/anomaly-kinds")

    def return_reasons(self) -> list[ReturnReason]:
        return self._get_list(ReturnReason, "/dec/return-reasons")

    def sessions(self) -> list[SessionRef]:
        return self._get_list(SessionRef, "/dec/sessions")

    def exams(self, session_id: int | None = None) -> list[ExamRef]:
        params = {"session_id": str(session_id)} if session_id is not None else None
        return self._get_list(ExamRef, "/dec/exams", params)

    def papers(self, exam_id: int | None = None) -> list[PaperRef]:
        params = {"exam_id": str(exam_id)} if exam_id is not None else None
        return self._get_list(PaperRef, "/dec/papers", params)

    def centres(self) -> list[CentreRef]:
        return self._get_list(CentreRef, "/dec/centres")

    # --- bulk actions ---------------------------------------------------------------------

    def approve(
        self, statements: Sequence[StatementRef], *, only_clean: bool = False
    ) -> BulkResult:
        body = {"statements": _refs(statements), "only_clean": only_clean}
        return self._post(BulkResult, "/dec/statements/approve", body)

    def return_(self, statements: Sequence[StatementRef], reason: str) -> BulkResult:
        """Sends the statements back to their intervenants, who read `reason`."""
        body = {"statements": _refs(statements), "reason": reason}
        return self._post(BulkResult, "/dec/statements/return", body)

    def cancel(self, statements: Sequence[StatementRef], reason: str) -> BulkResult:
        body = {"statements": _refs(statements), "reason": reason}
        return self._post(BulkResult, "/dec/statements/cancel", body)

    def uncancel(self, statements: Sequence[StatementRef], reason: str | None = None) -> BulkResult:
        body = {"statements": _refs(statements), "reason": reason}
        return self._post(BulkResult, "/dec/statements/uncancel", body)

    def enter_indemnities(
        self, statements: Sequence[StatementRef], amount: Decimal, comment: str | None = None
    ) -> BulkResult:
        """One indemnity for many statements of the mission types the DEC pays itself."""
        body = {"statements": _refs(statements), "amount": str(amount), "comment": comment}
        return self._post(BulkResult, "/dec/statements/indemnity", body)

    def record_service_done(self, mission_ids: Sequence[int]) -> ServiceDoneOut:
        """Constat de service fait for each mission."""
        body = {"mission_ids": list(dict.fromkeys(mission_ids))}
        return self._post(ServiceDoneOut, "/dec/missions/service-done", body)

    # --- one statement --------------------------------------------------------------------

    def statement(self, statement_id: int) -> DecStatement:
        return self._get(DecStatement, f"/dec/statements/{statement_id}")

    def correct(self, statement_id: int, version: int, entry: Entry, comment: str) -> DecStatement:
        """New counts over `version` (`StaleVersion` if it moved on); the comment is required."""
        body = {"entry": entry.model_dump(mode="json", by_alias=True), "comment": comment}
        response = self.client._call(
            "PUT", f"/dec/statements/{statement_id}/entry", json=body, headers=_if_match(version)
        )
        return self.client._parse(DecStatement, response)

    def enter_indemnity(
        self, statement_id: int, version: int, amount: Decimal, comment: str | None = None
    ) -> DecStatement:
        body = {"amount": str(amount), "comment": comment}
        response = self.client._call(
            "PUT",
            f"/dec/statements/{statement_id}/indemnity",
            json=body,
            headers=_if_match(version),
        )
        return self.client._parse(DecStatement, response)

    def tick_documents(self, statement_id: int, received: Sequence[str]) -> DecStatement:
        """The whole list of the supporting documents received (unlisted ones are unticked)."""
        response = self.client._call(
            "PUT", f"/dec/statements/{statement_id}/documents", json={"received": list(received)}
        )
        return self.client._parse(DecStatement, response)

    # --- dashboard ------------------------------------------------------------------------

    def dashboard(self, session_id: int) -> Dashboard:
        return self._get(Dashboard, "/dec/dashboard", {"session_id": str(session_id)})

    # --- payment batches ------------------------------------------------------------------

    def create_batch(
        self,
        *,
        session_id: int | None = None,
        statement_ids: Sequence[int] | None = None,
        execution_date: dt.date | None = None,
    ) -> BatchCreated:
        """Sends the validated statements (of a session, or these) to payment."""
        body: dict[str, Any] = {
            "session_id": session_id,
            "statement_ids": list(statement_ids) if statement_ids is not None else None,
            "execution_date": execution_date.isoformat() if execution_date else None,
        }
        return self._post(BatchCreated, "/dec/payment-batches", body)

    def batches(self) -> list[Batch]:
        return self._get_list(Batch, "/dec/payment-batches")

    def batch(self, batch_id: int) -> Batch:
        return self._get(Batch, f"/dec/payment-batches/{batch_id}")

    def mark_paid(self, batch_id: int, paid_on: dt.date) -> Batch:
        body = {"paid_on": paid_on.isoformat()}
        return self._post(Batch, f"/dec/payment-batches/{batch_id}/paid", body)

    def sepa_file(self, batch_id: int) -> Download:
        return self._download(f"/dec/payment-batches/{batch_id}/sepa.xml", "virements.xml")

    def payroll_file(self, batch_id: int) -> Download:
        return self._download(f"/dec/payment-batches/{batch_id}/payroll.csv", "paie.csv")

    def summary_file(self, batch_id: int) -> Download:
        return self._download(f"/dec/payment-batches/{batch_id}/summary.pdf", "recapitulatif.pdf")

    # --- plumbing -------------------------------------------------------------------------

    def _get(self, model: type[M], path: str, params: dict[str, str] | None = None) -> M:
        return self.client._parse(model, self.client._call("GET", path, params=params))

    def _get_list(self, model: type[M], path: str, params: dict[str, str] | None = None) -> list[M]:
        response = self.client._call("GET", path, params=params)
        return self.client._parse_list(TypeAdapter(list[model]), response)  # type: ignore[valid-type]

    def _post(self, model: type[M], path: str, body: Any) -> M:
        return self.client._parse(model, self.client._call("POST", path, json=body))

    def _download(self, path: str, fallback: str) -> Download:
        response = self.client._call("GET", path)
        found = _FILENAME.search(response.headers.get("Content-Disposition", ""))
        return Download(filename=found.group(1) if found else fallback, content=response.content)
