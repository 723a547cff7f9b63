"""The DEC's workstation against the real server: the queue, its filters and sort, the detail,
bulk actions and their report, returning with a reason, the indemnity, the documents, payment
batches and the dashboard."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from schwifty import IBAN
from sqlalchemy.orm import Session

from client.api.dec_models import Ordering, QueueSort
from client.api.models import MissionType, Status
from client.ui.dec.actions import IndemnityDialog, ReasonDialog, ReportDialog
from client.ui.dec.workstation import DecWorkstation, QueuePane
from client.ui.login.session import AppContext
from client.ui.models.dec_queue import DecColumn
from server_stub.auth.models import Role, User
from server_stub.statements.models import Statement
from tests.client.ui.conftest import log_in_as
from tests.server_stub.dec.helpers import car_trip, copies, intervenant, status_of, submitted
from tests.server_stub.factories import World, log_in


def iban(n: int) -> str:
    return IBAN.generate(
        "FR", bank_code="30004", branch_code="00003", account_code=f"{n:011d}"
    ).compact


@dataclass
class Office:
    manager: User
    clean: list[Statement]  # submitted, no anomaly
    travelling: Statement  # submitted, with a car trip: supporting documents required
    too_many_copies: Statement  # submitted, copies above the lot: an anomaly
    open_ones: list[Statement]  # not submitted yet: cannot be approved
    surveillance: Statement  # a mission the DEC pays itself


@pytest.fixture
def office(world: World) -> Office:
    clean = [submitted(world, intervenant(world, iban=iban(n)), entry=copies(40)) for n in range(3)]
    travelling = submitted(world, intervenant(world, iban=iban(10)), entry=car_trip())
    too_many = submitted(world, intervenant(world), entry=copies(95))
    open_ones = [world.statement(intervenant(world)) for _ in range(2)]
    surveillance = world.statement(
        intervenant(world), world.mission(MissionType.SURVEILLANCE, start=dt.date(2026, 6, 16))
    )
    manager = world.gestionnaire()
    world.commit()
    return Office(manager, clean, travelling, too_many, open_ones, surveillance)


@pytest.fixture
def desk(qtbot: Any, ctx: AppContext, office: Office) -> DecWorkstation:
    ctx.identity = log_in_as(ctx.raw_api, office.manager).user
    workstation = DecWorkstation(ctx, page_size=3)
    qtbot.addWidget(workstation)
    workstation.resize(1280, 760)
    workstation.show()
    workstation.start()
    return workstation


def load_all(qtbot: Any, pane: QueuePane) -> None:
    model = pane.model
    qtbot.waitUntil(lambda: not model.loading)
    while not model.exhausted:
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.loading)


def row_of(pane: QueuePane, statement_id: int) -> int:
    number = pane.model.row_number(statement_id)
    assert number is not None, statement_id
    return number


def open_detail(qtbot: Any, pane: QueuePane, statement_id: int) -> None:
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000):
        pane.go_to(row_of(pane, statement_id))


# --- the queue -----------------------------------------------------------------------------


def test_the_queue_model_is_a_sound_qt_model(
    qtbot: Any, qtmodeltester: Any, desk: DecWorkstation
) -> None:
    load_all(qtbot, desk.queue)
    assert desk.queue.model.rowCount() == 8
    qtmodeltester.check(desk.queue.model)


def test_rows_show_status_and_anomalies(qtbot: Any, desk: DecWorkstation, office: Office) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    model = pane.model
    dirty = row_of(pane, office.too_many_copies.id)
    clean = row_of(pane, office.clean[0].id)
    assert model.index(dirty, DecColumn.ANOMALIES.value).data().startswith("⚠")
    assert model.index(clean, DecColumn.ANOMALIES.value).data() == "✓"
    assert model.index(clean, DecColumn.STATUS.value).data() == "À valider"
    assert "3 états de frais chargés" not in pane.status.text()
    assert pane.status.text().startswith("8 états de frais chargés")


def test_filters_go_to_the_server(qtbot: Any, desk: DecWorkstation, office: Office) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    pane.filters.select(pane.filters.status, Status.SUBMITTED.value)
    load_all(qtbot, pane)
    assert {pane.model.row(n).status for n in range(pane.model.rowCount())} == {Status.SUBMITTED}
    assert pane.model.rowCount() == 5

    qtbot.waitUntil(lambda: pane.filters.anomaly.count() > 3)  # the kinds came from the server
    pane.filters.select(pane.filters.anomaly, "__clean__")
    load_all(qtbot, pane)
    ids = {pane.model.row(n).id for n in range(pane.model.rowCount())}
    assert office.too_many_copies.id not in ids
    assert {s.id for s in office.clean} <= ids

    pane.filters.select(pane.filters.anomaly, "COPIES_ABOVE_LOT")
    load_all(qtbot, pane)
    assert [pane.model.row(n).id for n in range(pane.model.rowCount())] == [
        office.too_many_copies.id
    ]

    pane.filters.reset()
    pane.filters.select(pane.filters.mission_type, MissionType.SURVEILLANCE.value)
    load_all(qtbot, pane)
    assert [pane.model.row(n).id for n in range(pane.model.rowCount())] == [office.surveillance.id]


def test_clicking_a_header_sorts_on_the_server(qtbot: Any, desk: DecWorkstation) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    header = pane.table.horizontalHeader()
    amount = header.sectionViewportPosition(DecColumn.AMOUNT.value) + 5
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().center().__class__(amount, 5),
    )
    load_all(qtbot, pane)
    assert pane.model.ordering.sort is QueueSort.TOTAL
    first_order = pane.model.ordering.descending
    totals = [pane.model.row(n).total for n in range(pane.model.rowCount())]
    assert totals == sorted(totals, reverse=first_order)

    pane.model.sort(DecColumn.AMOUNT.value, Qt.SortOrder.DescendingOrder)
    load_all(qtbot, pane)
    totals = [pane.model.row(n).total for n in range(pane.model.rowCount())]
    assert totals == sorted(totals, reverse=True)
    assert pane.model.rowCount() == 8  # the paging started again from the first page

    pane.model.sort(DecColumn.CENTRE.value)  # not sortable: the order stays
    assert pane.model.ordering == Ordering(QueueSort.TOTAL, True)


# --- the detail ----------------------------------------------------------------------------


def test_the_detail_explains_every_line_and_anomaly(
    qtbot: Any, desk: DecWorkstation, office: Office
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.too_many_copies.id)
    detail = pane.detail
    assert detail.current is not None
    lines = detail.lines_model.rows
    assert lines and all(line.explanation for line in lines)
    assert detail.lines_model.index(0, 0).data() == f"{lines[0].label}\n{lines[0].explanation}"
    assert detail.days_model.index(0, 1).data() == "95"
    assert [a.code for a in detail.anomalies_model.rows] == ["COPIES_ABOVE_LOT"]
    assert "Copies" in detail.anomalies_model.index(0, 0).data()
    assert detail.buttons["approve"].isVisibleTo(detail)
    assert not detail.buttons["uncancel"].isVisibleTo(detail)
    assert "Valider" in detail.allowed.text()
    assert detail.history_model.rowCount() >= 1


def test_ticking_a_document_is_saved(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.travelling.id)
    documents = pane.detail.documents
    assert documents.count() >= 1
    label = documents.item(0).text()
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000) as loaded:
        documents.item(0).setCheckState(Qt.CheckState.Checked)
    ticked = [d for d in loaded.args[0].documents if d.received]
    assert [d.label for d in ticked] == [label]
    assert label in (status_of(db, office.travelling.id).documents_received or {})
    assert "(1/" in pane.detail.tabs.tabText(3)


# --- actions -------------------------------------------------------------------------------


def test_bulk_approve_reports_each_refusal(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session, tmp_path: Path
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    pane.confirm = lambda _text: True  # type: ignore[method-assign]
    pane.table.setFocus()
    pane.table.selectAll()
    assert len(pane.selected_rows()) == 8
    with qtbot.waitSignal(pane.action_finished, timeout=20_000) as finished:
        pane.on_approve()
    report = finished.args[0]
    assert len(report.done) == 5
    refused = {r.id: r for r in report.failed}
    assert set(refused) == {s.id for s in office.open_ones} | {office.surveillance.id}
    assert all(r.reason for r in refused.values())
    for statement in office.clean:
        assert status_of(db, statement.id).status == Status.APPROVED
        assert pane.model.row(row_of(pane, statement.id)).status is Status.APPROVED
    assert status_of(db, office.open_ones[0].id).status == Status.OPEN

    dialog = pane.report_dialog
    assert isinstance(dialog, ReportDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.summary.text().startswith("5 états de frais traités ; 3 refusés")
    assert dialog.model.rowCount() == 3
    assert "Validation" in dialog.windowTitle()
    path = tmp_path / "compte-rendu.csv"
    dialog.export_to(path)
    qtbot.waitUntil(lambda: "enregistré" in dialog.status.text())
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == ["N°", "Intervenant", "Résultat", "Motif"]
    assert len(rows) == 1 + 8
    assert sum(row[2] == "Fait" for row in rows[1:]) == 5
    dialog.close()


def test_approving_again_what_a_colleague_approved_is_reported(
    qtbot: Any, desk: DecWorkstation, office: Office, http: TestClient, world: World
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    target = office.clean[0].id
    other = world.person("Chantal", "Roussel", role=Role.GESTIONNAIRE, fiscal_power=None)
    world.commit()
    colleague = log_in(http, other)
    answer = http.post(
        "/api/v1/dec/statements/approve", json={"statements": [{"id": target}]}, headers=colleague
    )
    assert answer.json()["done"] == 1
    pane.select_rows([row_of(pane, target)])
    with qtbot.waitSignal(pane.action_finished, timeout=10_000) as finished:
        pane.approve(pane.selected_rows())
    [result] = finished.args[0].results
    assert not result.ok and result.outcome in ("already_done", "stale_version")
    assert pane.report_dialog is not None and pane.report_dialog.model.rowCount() == 1
    pane.report_dialog.close()


def test_v_approves_and_moves_to_the_next(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    first = row_of(pane, office.clean[0].id)
    open_detail(qtbot, pane, office.clean[0].id)
    desk.activateWindow()
    pane.table.setFocus()
    qtbot.waitUntil(pane.table.hasFocus)
    with qtbot.waitSignal(pane.action_finished, timeout=10_000):
        qtbot.keyClick(pane.table, Qt.Key.Key_V)
    assert status_of(db, office.clean[0].id).status == Status.APPROVED
    qtbot.waitUntil(lambda: pane.table.currentIndex().row() == first + 1)
    assert "V ou Ctrl+Entrée" in pane.help_line.text()
    assert "(V," in pane.action_for["approve"].toolTip()


def test_return_with_a_reason_reaches_the_intervenant(
    qtbot: Any, desk: DecWorkstation, office: Office, http: TestClient, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    qtbot.waitUntil(lambda: bool(pane.return_reasons))
    targets = office.clean[:2]
    pane.select_rows([row_of(pane, s.id) for s in targets])
    pane.on_return()
    dialog = pane.dialog
    assert isinstance(dialog, ReasonDialog)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.choice.setCurrentIndex(1)  # the first common reason
    reason = pane.return_reasons[0].label
    assert dialog.reason == reason
    with qtbot.waitSignal(pane.action_finished, timeout=10_000) as finished:
        dialog.accept()
    assert len(finished.args[0].done) == 2

    person = db.get(User, targets[0].user_id)
    assert person is not None
    headers = log_in(http, person)
    seen = http.get(f"/api/v1/statements/{targets[0].id}", headers=headers).json()
    assert seen["labels"]["intervenant"] == "Renvoyé"
    assert seen["reason"] == reason


def test_the_dec_enters_a_surveillance_indemnity(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.surveillance.id)
    assert pane.detail.buttons["indemnity"].isVisibleTo(pane.detail)
    pane.on_indemnity()
    dialog = pane.dialog
    assert isinstance(dialog, IndemnityDialog)
    dialog.amount.setText("45,50")
    dialog.comment.setText("Surveillance du 16 juin")
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000) as loaded:
        dialog.accept()
    assert loaded.args[0].direct_indemnity == Decimal("45.50")
    stored = status_of(db, office.surveillance.id)
    assert stored.status == Status.DEC_ENTERED
    assert pane.model.row(row_of(pane, office.surveillance.id)).status is Status.DEC_ENTERED
    assert "Indemnité enregistrée" in pane.bar.text


def test_correcting_the_counts_needs_a_comment(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    from client.ui.dec.actions import CorrectionDialog

    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.too_many_copies.id)
    pane.on_correct()
    dialog = pane.dialog
    assert isinstance(dialog, CorrectionDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.rows[0].copies is not None
    dialog.rows[0].copies.setValue(80)
    dialog.comment.setPlainText("Lot de 80 copies selon le centre.")
    assert ok.isEnabled()
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000) as loaded:
        dialog.accept()
    assert loaded.args[0].statement.entry.days[0].copies == 80
    assert loaded.args[0].dec_corrected
    assert status_of(db, office.too_many_copies.id).entry["days"][0]["copies"] == 80


def test_service_done_is_recorded_for_the_selection(
    qtbot: Any, desk: DecWorkstation, office: Office
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.clean[0].id)
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000) as loaded:
        pane.on_service_done()
    assert loaded.args[0].service_done is not None
    assert "Service fait constaté : 1 mission" in pane.bar.text


def test_the_filtered_queue_exports_as_csv(
    qtbot: Any, desk: DecWorkstation, tmp_path: Path
) -> None:
    pane = desk.queue
    qtbot.waitUntil(lambda: not pane.model.loading)
    path = tmp_path / "file.csv"
    pane.export_queue(path)
    qtbot.waitUntil(lambda: "Liste exportée" in pane.bar.text, timeout=10_000)
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0][:3] == ["N°", "Intervenant", "Statut"]
    assert len(rows) == 1 + 8  # every statement, not only the 3 loaded


# --- payment and dashboard -------------------------------------------------------------------


def test_a_payment_batch_is_created_downloaded_and_paid(
    qtbot: Any, desk: DecWorkstation, office: Office, world: World, tmp_path: Path
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    rows = [pane.model.row(row_of(pane, s.id)) for s in [*office.clean, office.travelling]]
    with qtbot.waitSignal(pane.action_finished, timeout=10_000):
        pane.approve(rows)
    payment = desk.payment
    with qtbot.waitSignal(payment.batches_loaded, timeout=10_000):
        desk.tabs.setCurrentWidget(payment)
    qtbot.waitUntil(lambda: payment.session.count() == 2)
    payment.session.setCurrentIndex(1)
    payment.prepare()
    qtbot.waitUntil(lambda: payment.create_button.isEnabled(), timeout=10_000)
    assert payment.preview is not None and payment.preview[0] == 4
    assert "4 états de frais validés" in payment.preview_label.text()
    with qtbot.waitSignal(payment.batch_created, timeout=10_000) as created:
        payment.create_batch()
    batch = created.args[0].batch
    assert batch.statement_count == 4
    qtbot.waitUntil(lambda: payment.model.rowCount() == 1)
    payment.table.selectRow(0)
    assert payment.sepa_button.isEnabled()
    for kind, name, start in (
        ("sepa", "virements.xml", b"<?xml"),
        ("summary", "recap.pdf", b"%PDF"),
        ("payroll", "paie.csv", b""),
    ):
        with qtbot.waitSignal(payment.file_saved, timeout=15_000):
            payment.download(kind, batch, tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(start)
    paid_on = batch.created_at.astimezone().date()  # the server's today is pinned earlier
    with qtbot.waitSignal(payment.batches_loaded, timeout=10_000) as loaded:
        payment.mark_paid(batch, paid_on)
    assert loaded.args[0][0].paid_on == paid_on, payment.bar.text
    shown = paid_on.strftime("%d/%m/%Y")
    qtbot.waitUntil(lambda: payment.model.index(0, 9).data() == shown)
    assert f"payé le {shown}" in payment.bar.text
    assert not payment.paid_button.isEnabled()


def test_the_dashboard_draws_and_exports(qtbot: Any, desk: DecWorkstation, tmp_path: Path) -> None:
    board = desk.dashboard
    with qtbot.waitSignal(board.loaded, timeout=10_000) as loaded:
        desk.tabs.setCurrentWidget(board)
    dashboard = loaded.args[0]
    assert dashboard.statement_count == 8
    assert board.status_model.rowCount() >= 2
    assert len(board.by_status.plot.getPlotItem().items) == 1
    assert "à valider" in board.figures.text()
    path = tmp_path / "statuts.csv"
    board.by_status.export_to(path)
    qtbot.waitUntil(lambda: path.exists() and "Tableau exporté" in board.bar.text)
    with path.open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == ["Statut", "Nombre", "Montant"]
    assert sum(int(row[1]) for row in rows[1:]) == 8


def test_the_workstation_swaps_in_for_the_queue_page(ctx: AppContext, qtbot: Any) -> None:
    workstation = DecWorkstation(ctx)
    qtbot.addWidget(workstation)
    assert workstation.maybe_close()
    assert QApplication.instance() is not None
