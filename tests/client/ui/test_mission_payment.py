"""The mission's page tells the intervenant where each part of their statement stands in
payment, and what the DEC said: driven on the real widgets against the in-process server."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from PySide6.QtCore import Qt

from client.formatting import date_fr, euros
from client.ui.context import AppContext
from client.ui.missions.workspace import MissionsWorkspace
from tests.client.ui.conftest import Intervenant, log_in_as, validate
from tests.client.ui.test_missions import open_mission
from tests.fixtures import Opened
from tests.server_stub.dec.helpers import gestionnaire
from tests.server_stub.factories import World, log_in
from tests.server_stub.payment.test_reconcile import camt054, end_to_end

API = "/api/v1"
BATCHES = f"{API}/dec/payment-batches"
IBAN = "FR7630004000031234567890143"
COMMENT = "Lot de 38 copies selon le procès-verbal du centre"


def _entry(count: int) -> dict[str, Any]:
    trip = {
        "depart_at": "2026-06-15T07:15:00",
        "return_at": "2026-06-15T19:30:00",
        "mode": "CAR",
        "km": "112",
    }
    return {
        "days": [{"date": "2026-06-15", "copies": count}],
        "travel": {"claimed": True, "departure": "ADMINISTRATIVE", "trips": [trip]},
    }


def _ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.text
    return response.json()


@pytest.fixture
def paid_and_rejected(world: World, http: TestClient, intervenant: Intervenant) -> dict[str, Any]:
    """The correction validated with a car trip; the DEC corrects the copies with a comment,
    approves, makes a batch; the bank returns the transfer (AC04), the payroll pays."""
    person = intervenant.user
    person.iban = IBAN
    world.commit()
    statement_id = intervenant.correction.id
    validate(http, person, statement_id, _entry(40))
    dec = log_in(http, gestionnaire(world))
    current = _ok(http.get(f"{API}/dec/statements/{statement_id}", headers=dec))["statement"]
    _ok(
        http.put(
            f"{API}/dec/statements/{statement_id}/entry",
            json={"entry": _entry(38), "comment": COMMENT},
            headers={**dec, "If-Match": f'"{current["version"]}"'},
        )
    )
    current = _ok(http.get(f"{API}/dec/statements/{statement_id}", headers=dec))["statement"]
    approved = _ok(
        http.post(
            f"{API}/dec/statements/approve",
            json={"statements": [{"id": statement_id, "version": current["version"]}]},
            headers={**dec, "Idempotency-Key": uuid.uuid4().hex},
        )
    )
    assert approved["done"] == 1, approved
    batch = _ok(http.post(BATCHES, json={}, headers=dec), 201)["batch"]
    created = dt.datetime.fromisoformat(batch["created_at"]).astimezone().date()
    travel = Decimal(current["computation"]["travel_total"])
    document = camt054([(end_to_end(batch, person.id), travel, "AC04")], created)
    _ok(
        http.post(
            f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
        )
    )
    _ok(http.post(f"{BATCHES}/{batch['id']}/paid", json={"paid_on": str(created)}, headers=dec))
    return {"batch": batch, "created": created, "statement": current}


def test_each_part_shows_its_payment_and_the_decs_comment_is_visible(
    qtbot: Any,
    ctx: AppContext,
    intervenant: Intervenant,
    paid_and_rejected: dict[str, Any],
    tmp_path: Path,
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, intervenant.user).user
    workspace = MissionsWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 800)
    workspace.show()
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.start()
    open_mission(qtbot, workspace, intervenant.correction.id)
    detail = workspace.detail_page
    created = date_fr(paid_and_rejected["created"])
    execution = date_fr(dt.date.fromisoformat(paid_and_rejected["batch"]["execution_date"]))
    computation = paid_and_rejected["statement"]["computation"]

    pay = detail.payment_sections["PAY"]
    assert pay.isVisible()
    assert pay.value("status") == "Payé"
    assert pay.value("amount") == euros(Decimal(computation["pay_total"]))
    assert pay.value("channel") == "Par la paie"
    assert pay.value("batch") == created
    assert pay.value("execution") == execution
    assert pay.value("paid") == created

    travel = detail.payment_sections["TRAVEL"]
    assert travel.isVisible()
    assert travel.value("status") == "Paiement rejeté"
    assert travel.value("amount") == euros(Decimal(computation["travel_total"]))
    assert travel.value("channel") == "Par virement"
    assert travel.value("rejected") == created
    assert travel.value("rejection") == "compte clôturé"
    assert not travel.form.isRowVisible(travel._values["paid"])

    # The DEC's correction comment, in its own words, above the page.
    assert detail.dec_bar.isVisible()
    assert detail.dec_bar.text.startswith("Message du gestionnaire (le ")
    assert COMMENT in detail.dec_bar.text
    detail.grab().save(str(tmp_path / "detail-payment.png"))


def test_a_statement_not_validated_by_the_dec_shows_no_payment(
    qtbot: Any, ctx: AppContext, intervenant: Intervenant
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, intervenant.user).user
    workspace = MissionsWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.start()
    open_mission(qtbot, workspace, intervenant.oral.id)
    detail = workspace.detail_page
    assert not any(s.isVisible() for s in detail.payment_sections.values())
    assert not detail.dec_bar.isVisible()


def test_the_printed_recap_carries_the_payments_and_the_decs_comment(
    qtbot: Any,
    ctx: AppContext,
    intervenant: Intervenant,
    paid_and_rejected: dict[str, Any],
    opened: Opened,
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, intervenant.user).user
    workspace = MissionsWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.start()
    open_mission(qtbot, workspace, intervenant.correction.id)
    detail = workspace.detail_page
    qtbot.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls))
    pdf = Path(opened.urls[0].toLocalFile()).read_bytes()
    text = " ".join(
        " ".join((page.extract_text() or "").replace("\u00a0", " ").split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    created = date_fr(paid_and_rejected["created"])
    computation = paid_and_rejected["statement"]["computation"]
    pay = euros(Decimal(computation["pay_total"])).replace("\u00a0", " ")
    travel = euros(Decimal(computation["travel_total"])).replace("\u00a0", " ")
    assert "Paiement" in text
    assert f"Indemnités Payé – {pay} par la paie ; lot créé le {created}" in text
    assert f"payé le {created}" in text
    assert f"Frais de déplacement Paiement rejeté – {travel} par virement" in text
    assert f"rejeté le {created}. Motif du rejet : compte clôturé." in text
    assert COMMENT in text
    assert "Message du gestionnaire (le " in text
