"""The DEC's workstation against the real server: the queue, its filters and sort, the detail,
bulk actions and their report, returning with a reason, the indemnity, the documents, payment
batches and the dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication
from schwifty import IBAN
from sqlalchemy.orm import Session

from client.api.dec_models import Ordering, QueueSort, status_key
from client.api.models import MissionType, Status
from client.formatting import date_fr, euros
from client.ui import annual_statement
from client.ui.context import AppContext
from client.ui.dec.actions import (
    ApprovalDialog,
    IndemnityDialog,
    ReasonDialog,
    ReportDialog,
    approval_summary,
)
from client.ui.dec.dashboard import DashboardPane
from client.ui.dec.payment import PaymentPane
from client.ui.dec.workstation import DecWorkstation, QueuePane
from client.ui.models.dec_queue import DecColumn
from server_stub.auth.models import Role, User
from server_stub.statements.models import Statement
from tests.client.ui.conftest import log_in_as, pay_in_a_batch
from tests.fixtures import Opened
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
    travelling = submitted(
        world, intervenant(world, iban=iban(10)), entry=car_trip(), documents_received=False
    )
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
    # The queue opens on "À valider"; these tests start from every statement.
    filters = workstation.queue.filters
    qtbot.waitUntil(lambda: filters.status.count() > 1)
    filters.select(filters.status, None)
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


def test_the_queue_opens_on_what_awaits_validation(
    qtbot: Any, ctx: AppContext, office: Office
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, office.manager).user
    workstation = DecWorkstation(ctx, page_size=3)
    qtbot.addWidget(workstation)
    workstation.start()
    pane = workstation.queue
    assert pane.model.filters.status is Status.SUBMITTED  # before the labels even arrive
    qtbot.waitUntil(lambda: pane.filters.status.count() > 1)
    assert pane.filters.status.currentText() == "À valider"
    load_all(qtbot, pane)
    assert {pane.model.row(n).status for n in range(pane.model.rowCount())} == {Status.SUBMITTED}


def test_the_status_filter_offers_every_label_the_queue_shows(
    qtbot: Any, desk: DecWorkstation, office: Office
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    offered = [pane.filters.status.itemText(n) for n in range(1, pane.filters.status.count())]
    assert len(offered) == len(set(offered))
    shown = {pane.model.row(n).status_label for n in range(pane.model.rowCount())}
    assert shown == {"À valider", "Mission effectuée"}
    assert shown <= set(offered)
    for label in shown:
        pane.filters.status.setCurrentText(label)
        load_all(qtbot, pane)
        labels = {pane.model.row(n).status_label for n in range(pane.model.rowCount())}
        assert labels == {label}


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
    pane.filters.select(pane.filters.status, status_key(Status.SUBMITTED))
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
    lines = detail.lines_model.rows()
    assert lines and all(line.explanation for line in lines)
    assert detail.lines_model.index(0, 0).data() == f"{lines[0].label}\n{lines[0].explanation}"
    assert detail.days_model.index(0, 1).data() == "95"
    assert [a.code for a in detail.anomalies_model.rows()] == ["COPIES_ABOVE_LOT"]
    assert "Copies" in detail.anomalies_model.index(0, 0).data()
    assert detail.buttons["approve"].isVisibleTo(detail)
    assert not detail.buttons["uncancel"].isVisibleTo(detail)
    assert "Valider" in detail.allowed.text()
    history = detail.history_model
    actions = [history.index(n, 2).data() for n in range(history.rowCount())]
    statuses = [history.index(n, 3).data() for n in range(history.rowCount())]
    assert actions == ["Convocation émise", "Transmission à la DEC"]
    assert not any(a.isupper() for a in actions)  # never a raw action such as ISSUE
    assert statuses == ["Mission effectuée", "À valider"]  # as each read on its day


def test_ticking_a_document_is_saved(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.travelling.id)
    documents = pane.detail.documents
    assert documents.count() >= 1
    label = documents.item(0).data(Qt.ItemDataRole.UserRole)
    assert documents.item(0).text() == f"{label} — aucun fichier joint"
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000) as loaded:
        documents.item(0).setCheckState(Qt.CheckState.Checked)
    ticked = [d for d in loaded.args[0].documents if d.received]
    assert [d.label for d in ticked] == [label]
    assert label in (status_of(db, office.travelling.id).documents_received or {})
    assert "(1/" in pane.detail.tabs.tabText(3)


def test_the_files_of_a_document_open_in_the_viewer_which_ticks_it_received(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session, server_settings: Any
) -> None:
    from server_stub.core import clock
    from server_stub.documents.models import DocumentFile
    from server_stub.documents.store import store_for
    from tests.client.ui.documents.test_viewer import scan

    label = "Autorisation préalable d'utiliser son véhicule personnel"
    content = scan(3)
    db.add(
        DocumentFile(
            owner_id=office.travelling.user_id,
            statement_id=office.travelling.id,
            label=label,
            name="autorisation.pdf",
            media_type="application/pdf",
            size=len(content),
            pages=3,
            sha256=store_for(server_settings).put(content),
            upload_id="depose-avant-0001",
            created_at=clock.now(),
        )
    )
    db.commit()
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.travelling.id)
    documents = pane.detail.documents
    [row] = [
        n
        for n in range(documents.count())
        if documents.item(n).data(Qt.ItemDataRole.UserRole) == label
    ]
    assert documents.item(row).text() == f"{label} — 1 fichier joint"
    documents.setCurrentRow(row)
    assert pane.detail.view_button.isEnabled()
    qtbot.mouseClick(pane.detail.view_button, Qt.MouseButton.LeftButton)
    viewer = pane.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.page.pixmap() is not None and not viewer.page.pixmap().isNull())
    assert "autorisation.pdf — page 1 sur 3" in viewer.where.text()
    with qtbot.waitSignal(viewer.page_shown):
        viewer.next_button.click()
    with qtbot.waitSignal(pane.detail_loaded, timeout=10_000):
        viewer.received.click()
    assert label in (status_of(db, office.travelling.id).documents_received or {})
    viewer.close()


# --- actions -------------------------------------------------------------------------------


def test_bulk_approve_says_what_it_is_about_to_validate(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    qtbot.waitUntil(lambda: bool(pane.filters.anomaly_kinds))
    rows = [pane.model.row(row_of(pane, s.id)) for s in [*office.clean, office.too_many_copies]]
    # The constat de service fait recorded for the first clean statement's mission only.
    clean = rows[0]
    rows = [
        clean.model_copy(update={"service_done": True}),
        *rows[1:],
    ]
    labels = {k.code: k.label for k in pane.filters.anomaly_kinds}
    summary = approval_summary(rows, labels)
    assert summary.by_anomaly == [("Copies au-delà du lot", 1)]
    assert summary.without_service_done == 3
    assert summary.clean_ids == [clean.id]

    dialog = ApprovalDialog(summary, pane)
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert "Vous allez valider 4 états de frais." in text
    assert "Copies au-delà du lot : 1 état" in text
    assert "Service fait non constaté : 3 états" in text
    assert dialog.leave_out.isChecked(), "the flagged ones are left out unless one chooses"
    assert dialog.validate_button.text() == "&Valider 1 état de frais"
    assert dialog.chosen_ids() == {clean.id}
    dialog.leave_out.setChecked(False)
    assert dialog.validate_button.text() == "&Valider 4 états de frais"
    assert dialog.chosen_ids() is None

    chosen: list[int] = []
    monkeypatched = lambda rows: [r for r in rows if r.id == clean.id]  # noqa: E731
    pane.confirm_approval = monkeypatched  # type: ignore[method-assign]
    pane.approve = lambda rows: chosen.extend(r.id for r in rows)  # type: ignore[method-assign]
    pane.select_rows([row_of(pane, r.id) for r in rows])
    pane.on_approve()
    assert chosen == [clean.id]


def test_bulk_approve_reports_each_refusal(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session, tmp_path: Path
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    pane.confirm_approval = lambda rows: list(rows)  # type: ignore[method-assign]
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
        "/api/v1/dec/statements/approve",
        json={"statements": [{"id": target}]},
        headers={**colleague, "Idempotency-Key": uuid.uuid4().hex},
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


def test_the_indemnity_dialog_fits_and_its_error_moves_no_field(qtbot: Any) -> None:
    dialog = IndemnityDialog(3, Decimal("45"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() >= 420
    assert dialog.amount.width() >= 280, "room for an amount and its placeholder"
    before = (dialog.amount.geometry(), dialog.comment.geometry(), dialog.height())
    dialog.amount.setText("quarante")
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Montant invalide (euros et centimes)."
    QApplication.processEvents()
    assert (dialog.amount.geometry(), dialog.comment.geometry(), dialog.height()) == before
    top = dialog.error.mapTo(dialog, QPoint(0, 0)).y()
    assert top >= dialog.amount.geometry().bottom(), "under its field"
    assert top + dialog.error.height() <= dialog.comment.geometry().top()


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


def test_a_refused_correction_stays_open_with_the_error_beside_the_day(
    qtbot: Any, desk: DecWorkstation, office: Office, db: Session
) -> None:
    from client.ui.dec.actions import CorrectionDialog
    from server_stub.reference.models import Paper

    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.too_many_copies.id)
    # The paper turns out to be unpaid (NR): the same rule as for the person refuses copies.
    statement = status_of(db, office.too_many_copies.id)
    paper = db.get(Paper, statement.convocation.mission.paper_id)
    assert paper is not None
    paper.pay_group = "NR"
    db.commit()
    pane.on_correct()
    dialog = pane.dialog
    assert isinstance(dialog, CorrectionDialog)
    assert dialog.rows[0].copies is not None
    dialog.rows[0].copies.setValue(80)
    dialog.comment.setPlainText("Lot de 80 copies selon le centre.")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.row_errors[0].isVisible(), timeout=10_000)
    assert dialog.isVisible()
    assert dialog.row_errors[0].text() == "Cette épreuve n'est pas rémunérée : rien n'est à saisir."
    assert dialog.rows[0].copies.value() == 80  # nothing typed is lost
    dialog.grab().save("/tmp/correction-refused.png")
    dialog.rows[0].copies.setValue(0)
    assert not dialog.row_errors[0].isVisible()


def test_service_done_is_recorded_for_the_selection(
    qtbot: Any, desk: DecWorkstation, office: Office
) -> None:
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, office.clean[0].id)
    asked: list[str] = []
    pane.confirm = lambda text: asked.append(text) is None and len(asked) > 1  # type: ignore[method-assign]
    pane.on_service_done()
    assert asked[0].startswith("Constater le service fait de 1 mission"), "the … asks first"
    assert pane.model.row(row_of(pane, office.clean[0].id)).service_done is False
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
    preview = payment.preview
    assert preview is not None and preview.statement_count == 4
    assert payment.preview_label.text().startswith(
        f"Le lot contiendra 4 états de frais pour {euros(preview.total)}"
    )
    # Every part left out is shown before the batch is made, and the batch leaves out just those.
    announced = [(e.id, e.part, e.reason) for e in preview.excluded]
    assert payment.excluded_model.rowCount() == len(announced)
    assert payment.excluded_table.isVisible() == bool(announced)
    payment.grab().save(str(tmp_path / "payment-prepared.png"))
    questions: list[str] = []
    payment.confirm = lambda text: questions.append(text) is None and False  # type: ignore[method-assign]
    payment.create_batch()
    assert questions and questions[0].startswith("Créer le lot de 4 états de frais pour ")
    assert payment.model.rowCount() == 0  # declined: nothing made
    payment.confirm = lambda _text: True  # type: ignore[method-assign]
    with qtbot.waitSignal(payment.batch_created, timeout=10_000) as created:
        payment.create_batch()
    batch = created.args[0].batch
    assert batch.statement_count == 4
    assert batch.total == preview.total
    assert [(e.id, e.part, e.reason) for e in created.args[0].excluded] == announced
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
    # The bank's debit notification: the transfer of the SEPA file booked.
    from lxml import etree

    sepa = etree.fromstring((tmp_path / "virements.xml").read_bytes())
    [end_to_end] = sepa.xpath("//*[local-name()='EndToEndId']/text()")
    [amount] = sepa.xpath("//*[local-name()='InstdAmt']/text()")
    camt = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
    (tmp_path / "avis.xml").write_text(
        f'<Document xmlns="{camt}"><BkToCstmrDbtCdtNtfctn><Ntfctn><Ntry><Amt Ccy="EUR">{amount}'
        "</Amt><Sts>BOOK</Sts><BookgDt><Dt>2026-07-02</Dt></BookgDt><NtryDtls><TxDtls><Refs>"
        f"<AcctSvcrRef>BQ1</AcctSvcrRef><EndToEndId>{end_to_end}</EndToEndId></Refs>"
        "</TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>",
        encoding="utf-8",
    )
    assert payment.statement_button.isEnabled()
    # The batches are read again after the import: wait for that too.
    with (
        qtbot.waitSignal(payment.batches_loaded, timeout=10_000),
        qtbot.waitSignal(payment.statement_imported, timeout=10_000) as imported,
    ):
        payment.import_statement(batch, tmp_path / "avis.xml")
    assert (imported.args[0].paid, imported.args[0].rejected) == (1, 0)
    assert payment.bar.text.startswith(
        f"Relevé rapproché pour le lot {batch.reference} : 1 payée(s), 0 rejetée(s)."
    )
    payment.grab().save(str(tmp_path / "payment-reconciled.png"))
    # The payroll's acknowledgement of the payroll export: the first line paid, the second
    # rejected, the others not answered yet (marked paid by hand below), a reference of no
    # line of this batch left aside.
    with (tmp_path / "paie.csv").open(encoding="utf-8-sig") as file:
        references = [row["Référence"] for row in csv.DictReader(file, delimiter=";")]
    assert len(references) == 4
    assert all(r.startswith(f"PAIE-{batch.id:06d}-") for r in references)
    day = batch.created_at.astimezone().date().strftime("%d/%m/%Y")
    lines = [f"{references[0]};PAYÉ;{day};"]
    lines += [f"{references[1]};REJETÉ;{day};Agent inconnu de la paie"]
    (tmp_path / "accuse.csv").write_text(
        "\n".join(
            ["Référence;Statut;Date de paiement;Motif", *lines, f"PAIE-999999-0000001;PAYÉ;{day};"]
        )
        + "\n",
        encoding="utf-8-sig",
    )
    assert payment.acknowledgement_button.isEnabled()
    with (
        qtbot.waitSignal(payment.batches_loaded, timeout=10_000),
        qtbot.waitSignal(payment.statement_imported, timeout=10_000) as acknowledged,
    ):
        payment.import_acknowledgement(batch, tmp_path / "accuse.csv")
    assert (acknowledged.args[0].paid, acknowledged.args[0].rejected) == (1, 1)
    assert payment.bar.text.startswith(
        f"Accusé de la paie rapproché pour le lot {batch.reference} : 1 ligne(s) payée(s), "
        "1 rejetée(s). Les indemnités rejetées repartiront au prochain lot."
    )
    assert (
        "1 ligne(s) laissée(s) de côté : référence(s) absente(s) de l'export du lot "
        "(PAIE-999999-0000001)." in payment.bar.text
    )
    payment.grab().save(str(tmp_path / "payment-acknowledged.png"))
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
    # Drawn one per turn of the event loop, every chart is there and shown once loaded.
    for box in (board.by_status, board.by_type, board.by_exam, board.progress):
        assert box.plot.isVisible() and box.plot.getPlotItem().items
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


def test_each_dec_action_is_declared_once_and_everything_is_derived_from_it() -> None:
    from client.api.dec_models import DecActions
    from client.ui.dec.commands import commands, help_line
    from client.ui.dec.workstation import QueuePane

    listed = commands()
    assert len({c.key for c in listed}) == len(listed)
    letters = [c.letter for c in listed if c.letter]
    assert len(set(letters)) == len(letters) and not {"J", "K"} & set(letters)
    combos = [k for c in listed for k in c.key_names() if k != c.letter]
    assert len(set(combos)) == len(combos)
    assert all(callable(getattr(QueuePane, c.slot, None)) for c in listed)
    assert {c.allowed for c in listed if c.detail} <= set(DecActions.model_fields)
    line = help_line(listed)
    assert "V ou Ctrl+Entrée valider" in line and "C ou Ctrl+Maj+C corriger" in line
    [approve] = [c for c in listed if c.key == "approve"]
    assert approve.tooltip() == "Valider la sélection (V, Ctrl+Entrée)"


# --- the annual statement of a person ------------------------------------------------------


def test_the_dec_prints_the_annual_statement_of_the_statement_s_person(
    qtbot: Any,
    desk: DecWorkstation,
    office: Office,
    world: World,
    http: TestClient,
    opened: Opened,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    statement = office.clean[0]
    paid_on = pay_in_a_batch(http, world, [statement], office.manager)
    world.db.refresh(statement)
    asked: list[str | None] = []

    def ask(_parent: Any, whose: str | None = None) -> int:
        asked.append(whose)
        return paid_on.year

    monkeypatch.setattr(annual_statement, "ask_year", ask)
    pane = desk.queue
    load_all(qtbot, pane)
    open_detail(qtbot, pane, statement.id)
    detail = pane.detail
    assert detail.annual_button.isVisible()
    qtbot.wait(100)  # the pane's layout settles before the screenshot
    desk.grab().save(str(tmp_path / "dec-detail-annual.png"))
    qtbot.mouseClick(detail.annual_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10_000)
    person = statement.user
    assert asked == [f"{person.first_name} {person.last_name}"]
    path = Path(opened.urls[0].toLocalFile())
    assert path.name == f"attestation-sommes-versees-{paid_on.year}-{person.login}.pdf"
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(path.read_bytes())).pages
    )
    assert f"{person.first_name} {person.last_name}" in text
    assert f"Indemnités Paie {date_fr(paid_on)} " in text
    assert (
        f"Total des sommes versées en {paid_on.year} {' '.join(euros(statement.total).split())}"
        in text
    )
    assert "Lots comptés Ceux des services DEC" in text
    assert pane.bar.text.startswith(
        f"L'attestation des sommes versées en {paid_on.year} est ouverte"
    )


def test_payment_and_dashboard_are_made_in_turns_of_their_own(
    qtbot: Any, ctx: AppContext, office: Office
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, office.manager).user
    workstation = DecWorkstation(ctx, page_size=3)
    qtbot.addWidget(workstation)
    tabs = workstation.tabs
    # Not with the queue: their tabs hold places that already name their help.
    assert [tabs.widget(n).property("helpTopic") for n in range(3)] == [
        "dec_queue",
        "dec_payment",
        "dec_dashboard",
    ]
    assert not isinstance(tabs.widget(1), PaymentPane)
    workstation.show()
    workstation.start()
    qtbot.waitUntil(lambda: isinstance(tabs.widget(2), DashboardPane))
    assert tabs.widget(1) is workstation.payment
    assert tabs.currentIndex() == 0
    assert [tabs.tabText(n) for n in range(3)] == ["États de frais", "Paiement", "Tableau de bord"]
    assert tabs.tabToolTip(1) == "Alt+2"
