"""`DecApi` against the real server, in-process: the queue, bulk actions answered per
statement, one statement's detail and edits, the dashboard, payment batches."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient
from schwifty import IBAN
from sqlalchemy import select
from sqlalchemy.orm import Session

from client.api.client import ImaginClient
from client.api.dec import DecApi
from client.api.dec_models import (
    Ordering,
    Outcome,
    QueueFilters,
    QueueSort,
    StatementRef,
)
from client.api.errors import Forbidden, StaleVersion
from client.api.models import MissionType, Status
from client.api.tokens import TokenStore
from server_stub.statements.models import AuditEntry
from tests.fixtures import MemoryKeyring
from tests.server_stub.dec.helpers import car_trip, copies, intervenant, submitted
from tests.server_stub.factories import PASSWORD, World


@pytest.fixture
def dec(http: TestClient, memory_keyring: MemoryKeyring, world: World) -> DecApi:
    manager = world.gestionnaire()
    world.commit()
    client = ImaginClient(http, TokenStore())
    client.log_in(manager.login, PASSWORD, remember=False)
    return DecApi(client)


def iban(n: int) -> str:
    return IBAN.generate(
        "FR", bank_code="30004", branch_code="00003", account_code=f"{n:011d}"
    ).compact


def test_the_queue_filters_sorts_and_pages(dec: DecApi, world: World) -> None:
    small = submitted(world, entry=copies(10))
    large = submitted(world, entry=copies(60))
    dirty = submitted(world, entry=copies(95))
    world.statement(intervenant(world))
    first = dec.statements(ordering=Ordering(QueueSort.TOTAL, descending=True), limit=2)
    assert [row.id for row in first.items] == [dirty.id, large.id]
    assert first.next_cursor is not None
    rest = dec.statements(
        ordering=Ordering(QueueSort.TOTAL, descending=True), cursor=first.next_cursor, limit=2
    )
    assert small.id in [row.id for row in rest.items]
    submitted_only = dec.statements(QueueFilters(status=Status.SUBMITTED))
    assert {row.id for row in submitted_only.items} == {small.id, large.id, dirty.id}
    clean = dec.statements(QueueFilters(clean=True, status=Status.SUBMITTED))
    assert dirty.id not in {row.id for row in clean.items}
    above = dec.statements(QueueFilters(anomaly="COPIES_ABOVE_LOT"))
    assert [(row.id, row.anomaly_count) for row in above.items] == [(dirty.id, 1)]
    assert {k.code for k in dec.anomaly_kinds()} >= {"COPIES_ABOVE_LOT"}
    assert dec.return_reasons()[0].label
    assert [s.code for s in dec.sessions()] == ["BACPRO-2026"]


def test_the_reference_lists_are_read_once_for_the_session(
    dec: DecApi, http: TestClient, world: World
) -> None:
    world.centre()
    world.commit()
    sent: list[str] = []
    http.event_hooks["request"].append(lambda request: sent.append(request.url.path))
    lists = dec.reference_lists()
    assert [s.code for s in lists.sessions] == ["BACPRO-2026"]
    assert lists.centres and lists.anomaly_kinds and lists.return_reasons
    assert dec.reference_lists() is lists
    assert sent == ["/api/v1/dec/reference-lists"]
    world.centre()
    world.commit()
    refreshed = dec.reference_lists(refresh=True)
    assert len(refreshed.centres) == len(lists.centres) + 1
    assert sent == ["/api/v1/dec/reference-lists"] * 2


def test_bulk_approve_answers_each_statement(dec: DecApi, world: World) -> None:
    ready = submitted(world)
    not_yet = world.statement(intervenant(world))
    answer = dec.approve(
        [StatementRef(id=ready.id, version=ready.version), StatementRef(id=not_yet.id)]
    )
    assert (answer.done, answer.failed) == (1, 1)
    by_id = {r.id: r for r in answer.results}
    assert by_id[ready.id].status is Status.APPROVED
    assert by_id[not_yet.id].outcome is Outcome.TRANSITION_REFUSED
    assert by_id[not_yet.id].reason
    again = dec.approve([StatementRef(id=ready.id, version=ready.version)])
    assert not again.results[0].ok


def test_return_cancel_and_uncancel(dec: DecApi, world: World) -> None:
    statement = submitted(world)
    returned = dec.return_([StatementRef(id=statement.id)], "Pièces manquantes.")
    assert returned.results[0].status is Status.RETURNED
    assert dec.statement(statement.id).statement.reason == "Pièces manquantes."
    assert (
        dec.cancel([StatementRef(id=statement.id)], "Doublon").results[0].status is Status.CANCELLED
    )
    assert dec.uncancel([StatementRef(id=statement.id)]).results[0].status is Status.RETURNED


def test_the_detail_and_its_edits(dec: DecApi, world: World) -> None:
    statement = submitted(world, entry=car_trip(), documents_received=False)
    detail = dec.statement(statement.id)
    assert detail.actions.approve and detail.actions.return_
    assert detail.statement.computation.lines
    assert detail.documents and not any(d.received for d in detail.documents)
    ticked = dec.tick_documents(statement.id, [detail.documents[0].label])
    assert ticked.documents[0].received
    entry = detail.statement.entry.model_copy(deep=True)
    entry.days[0].copies = 30
    corrected = dec.correct(statement.id, ticked.statement.version, entry, "Selon le centre.")
    assert corrected.dec_corrected
    assert corrected.statement.entry.days[0].copies == 30
    with pytest.raises(StaleVersion):
        dec.correct(statement.id, detail.statement.version, entry, "Encore.")
    service = dec.record_service_done([detail.statement.mission.id])
    assert service.done == 1


def test_the_indemnity_of_a_surveillance(dec: DecApi, world: World) -> None:
    surveillance = world.statement(intervenant(world), world.mission(MissionType.SURVEILLANCE))
    detail = dec.statement(surveillance.id)
    assert detail.actions.enter_indemnity
    entered = dec.enter_indemnity(surveillance.id, detail.statement.version, Decimal("45.50"))
    assert entered.direct_indemnity == Decimal("45.50")
    assert entered.statement.status is Status.DEC_ENTERED
    other = world.statement(intervenant(world), world.mission(MissionType.SURVEILLANCE))
    bulk = dec.enter_indemnities([StatementRef(id=other.id)], Decimal("30"), "Forfait")
    assert bulk.done == 1


def test_a_payment_batch_and_its_files(dec: DecApi, world: World) -> None:
    statements = [
        submitted(world, intervenant(world, iban=iban(n)), entry=car_trip(), status=Status.APPROVED)
        for n in range(2)
    ]
    board = dec.dashboard(dec.sessions()[0].id)
    assert sum(s.count for s in board.by_status if s.status is Status.APPROVED) == 2
    # Several dashboards asked at once come back whole, in the order asked.
    boards = dec.dashboards([board.session_id] * 3)
    assert boards == [board] * 3
    created = dec.create_batch(statement_ids=[s.id for s in statements])
    batch = created.batch
    assert batch.statement_count == 2 and not created.excluded
    assert [b.id for b in dec.batches()] == [batch.id]
    sepa = dec.sepa_file(batch.id)
    assert sepa.content.startswith(b"<?xml") and sepa.filename.endswith(".xml")
    assert dec.summary_file(batch.id).content.startswith(b"%PDF")
    assert dec.payroll_file(batch.id).filename.endswith(".csv")
    paid = dec.mark_paid(batch.id, batch.created_at.astimezone().date())
    assert paid.paid_on is not None


def test_an_intervenant_is_refused(
    http: TestClient, memory_keyring: MemoryKeyring, world: World
) -> None:
    person = intervenant(world)
    world.commit()
    client = ImaginClient(http, TokenStore())
    client.log_in(person.login, PASSWORD, remember=False)
    with pytest.raises(Forbidden):
        DecApi(client).statements()


class DroppedAnswers(httpx.BaseTransport):
    """The network between the client and the real server: the first `drops` requests to a
    path reach the server, which handles them, but their answers never come back."""

    def __init__(self, inner: httpx.BaseTransport, path: str, drops: int) -> None:
        self.inner, self.path, self.drops = inner, path, drops
        self.keys: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith(self.path):
            self.keys.append(request.headers.get("Idempotency-Key"))
            if self.drops > 0:
                self.drops -= 1
                response.read()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response


def test_a_bulk_action_whose_answer_was_lost_is_sent_again_with_the_same_key(
    http: TestClient, memory_keyring: MemoryKeyring, world: World, db: Session
) -> None:
    manager = world.gestionnaire()
    first, second = submitted(world), submitted(world)
    network = DroppedAnswers(http._transport, "/dec/statements/approve", drops=2)
    flaky = httpx.Client(transport=network, base_url=http.base_url)
    client = ImaginClient(flaky, TokenStore())
    client.log_in(manager.login, PASSWORD, remember=False)
    api = DecApi(client)
    waits: list[float] = []
    api.sleep = waits.append  # type: ignore[method-assign]
    result = api.approve([StatementRef(id=first.id), StatementRef(id=second.id)])
    # Done by the first try, answered by the third: the full report, nothing done twice.
    assert (result.done, result.failed) == (2, 0)
    assert all(r.outcome is Outcome.OK for r in result.results)
    assert len(network.keys) == 3 and len(set(network.keys)) == 1 and network.keys[0]
    assert waits == [0.5, 1.0]
    approvals = db.scalars(select(AuditEntry).where(AuditEntry.action == "APPROVE")).all()
    assert sorted(a.statement_id for a in approvals) == sorted([first.id, second.id])
