"""The DEC's endpoints and payment batches as Python calls (blocking, Qt-free).

`DecApi` rides on an `ImaginClient`: its `_call` renews an expired session once and turns
every unsuccessful answer into the typed error of `client.api.errors`, so these methods only
shape requests and parse answers.

Bulk actions answer per statement (`BulkResult`): a statement already handled by a colleague,
read at an older version or in a status that forbids the move is reported, never raised, and
the others go through. Each bulk call carries an idempotency key; when the connection drops
(or the server cannot reach its database for a moment), it is sent again with the same key:
the server does only what is left and answers the whole report, never anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from client.api.client import ImaginClient
from client.api.dec_models import (
    AnomalyKind,
    Batch,
    BatchCreated,
    BatchPreview,
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
    Reconciled,
    ReferenceLists,
    ReturnReason,
    ServiceDoneOut,
    SessionRef,
    StatementRef,
    StatusKind,
)
from client.api.errors import ServerUnavailable, ServerUnreachable
from client.api.models import AnnualPayments, Entry

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)

# Waits before each new try of a bulk request whose answer did not arrive (seconds): about a
# minute in all, enough for a server restart.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
DASHBOARDS_AT_ONCE = 4


def new_key() -> str:
    return uuid.uuid4().hex


_FILENAME = re.compile(r'filename="?([^";]+)"?')


def _refs(statements: Iterable[StatementRef]) -> list[dict[str, Any]]:
    return [ref.model_dump(exclude_none=True) for ref in statements]


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


class DecApi:
    """Every DEC and payment endpoint of the IMAG'IN API."""

    def __init__(self, client: ImaginClient) -> None:
        self.client = client
        self._lists: ReferenceLists | None = None
        self._lists_lock = threading.Lock()

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

    def reference_lists(self, *, refresh: bool = False) -> ReferenceLists:
        """The sessions, centres, anomaly kinds and return reasons, in one request, kept for
        the session: the queue, the dashboard and the payment panes share them. `refresh`
        asks the server again. Callers that arrive while they are being read wait for that
        one answer instead of asking too."""
        with self._lists_lock:
            if self._lists is None or refresh:
                self._lists = self._get(ReferenceLists, "/dec/reference-lists")
            return self._lists

    def anomaly_kinds(self) -> list[AnomalyKind]:
        return self._get_list(AnomalyKind, "/dec/anomaly-kinds")

    def status_kinds(self) -> list[StatusKind]:
        return self._get_list(StatusKind, "/dec/status-kinds")

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
        self,
        statements: Sequence[StatementRef],
        *,
        only_clean: bool = False,
        key: str | None = None,
    ) -> BulkResult:
        body = {"statements": _refs(statements), "only_clean": only_clean}
        return self._bulk("/dec/statements/approve", body, key)

    def return_(
        self,
        statements: Sequence[StatementRef],
        reason: str,
        *,
        reason_code: str | None = None,
        key: str | None = None,
    ) -> BulkResult:
        """Sends the statements back to their intervenants, who read `reason`; `reason_code`:
        the académie's reason it was chosen from, if any."""
        body: dict[str, Any] = {"statements": _refs(statements), "reason": reason}
        if reason_code is not None:
            body["reason_code"] = reason_code
        return self._bulk("/dec/statements/return", body, key)

    def cancel(
        self, statements: Sequence[StatementRef], reason: str, *, key: str | None = None
    ) -> BulkResult:
        body = {"statements": _refs(statements), "reason": reason}
        return self._bulk("/dec/statements/cancel", body, key)

    def uncancel(
        self,
        statements: Sequence[StatementRef],
        reason: str | None = None,
        *,
        key: str | None = None,
    ) -> BulkResult:
        body = {"statements": _refs(statements), "reason": reason}
        return self._bulk("/dec/statements/uncancel", body, key)

    def enter_indemnities(
        self,
        statements: Sequence[StatementRef],
        amount: Decimal,
        comment: str | None = None,
        *,
        key: str | None = None,
    ) -> BulkResult:
        """One indemnity for many statements of the mission types the DEC pays itself."""
        body = {"statements": _refs(statements), "amount": str(amount), "comment": comment}
        return self._bulk("/dec/statements/indemnity", body, key)

    def record_service_done(self, mission_ids: Sequence[int]) -> ServiceDoneOut:
        """Constat de service fait for each mission."""
        body = {"mission_ids": list(dict.fromkeys(mission_ids))}
        return self._post(ServiceDoneOut, "/dec/missions/service-done", body)

    # --- one statement --------------------------------------------------------------------

    def statement(self, statement_id: int) -> DecStatement:
        return self._get(DecStatement, f"/dec/statements/{statement_id}")

    def annual_payments(self, user_id: int, year: int) -> AnnualPayments:
        """Everything the caller's offices paid to a person in the calendar year `year`."""
        return self._get(AnnualPayments, f"/dec/people/{user_id}/payments/{year}")

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

    def dashboards(self, session_ids: Sequence[int]) -> list[Dashboard]:
        """The dashboards of several sessions, asked at once rather than one after the other:
        over HTTP/2 they share one connection and one round trip."""
        if len(session_ids) <= 1:
            return [self.dashboard(one) for one in session_ids]
        with ThreadPoolExecutor(max_workers=min(DASHBOARDS_AT_ONCE, len(session_ids))) as pool:
            return list(pool.map(self.dashboard, session_ids))

    # --- payment batches ------------------------------------------------------------------

    def create_batch(
        self,
        *,
        session_id: int | None = None,
        statement_ids: Sequence[int] | None = None,
        execution_date: dt.date | None = None,
        expected: BatchPreview | None = None,
    ) -> BatchCreated:
        """Sends the validated statements (of a session, or these) to payment; with the
        `expected` preview, only if the batch is still the one it announced."""
        body: dict[str, Any] = {
            "session_id": session_id,
            "statement_ids": list(statement_ids) if statement_ids is not None else None,
            "execution_date": execution_date.isoformat() if execution_date else None,
        }
        if expected is not None:
            body["expected_statement_count"] = expected.statement_count
            body["expected_total"] = str(expected.total)
        return self._post(BatchCreated, "/dec/payment-batches", body)

    def preview_batch(
        self, *, session_id: int | None = None, execution_date: dt.date | None = None
    ) -> BatchPreview:
        """What creating the batch would make now: totals and every part left out."""
        body: dict[str, Any] = {
            "session_id": session_id,
            "execution_date": execution_date.isoformat() if execution_date else None,
        }
        return self._post(BatchPreview, "/dec/payment-batches/preview", body)

    def batches(self) -> list[Batch]:
        return self._get_list(Batch, "/dec/payment-batches")

    def batch(self, batch_id: int) -> Batch:
        return self._get(Batch, f"/dec/payment-batches/{batch_id}")

    def mark_paid(self, batch_id: int, paid_on: dt.date) -> Batch:
        body = {"paid_on": paid_on.isoformat()}
        return self._post(Batch, f"/dec/payment-batches/{batch_id}/paid", body)

    def reconcile(self, batch_id: int, document: str) -> Reconciled:
        """The bank's camt.054 or camt.053 for the batch: what it paid and what it rejected."""
        path = f"/dec/payment-batches/{batch_id}/bank-statement"
        return self._post(Reconciled, path, {"document": document})

    def acknowledge_payroll(self, batch_id: int, document: str) -> Reconciled:
        """The payroll's acknowledgement of the batch's payroll export (docs/payroll-export.md):
        what it paid and what it rejected."""
        path = f"/dec/payment-batches/{batch_id}/payroll-acknowledgement"
        return self._post(Reconciled, path, {"document": document})

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

    def _bulk(self, path: str, body: Any, key: str | None) -> BulkResult:
        """Sends a bulk action under `key` (a new one by default) until it is answered: the
        same key on every try, so nothing is done twice."""
        key = key or new_key()
        headers = {"Idempotency-Key": key}
        delays = iter(RETRY_DELAYS)
        while True:
            try:
                response = self.client._call("POST", path, json=body, headers=headers)
                return self.client._parse(BulkResult, response)
            except (ServerUnreachable, ServerUnavailable) as error:
                delay = next(delays, None)
                if delay is None:
                    raise
                log.warning("%s: %s; trying again in %.1f s (same key)", path, error.type, delay)
                self.sleep(delay)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds)

    def _post(self, model: type[M], path: str, body: Any) -> M:
        return self.client._parse(model, self.client._call("POST", path, json=body))

    def _download(self, path: str, fallback: str) -> Download:
        response = self.client._call("GET", path)
        found = _FILENAME.search(response.headers.get("Content-Disposition", ""))
        return Download(filename=found.group(1) if found else fallback, content=response.content)
