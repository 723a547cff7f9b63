"""The missions screen against the real server: the list, a mission's detail and its actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt

from client.api.models import Convocation, Status
from client.formatting import date_fr, euros
from client.ui import annual_statement
from client.ui.context import AppContext
from client.ui.missions.dialogs import ExportDialog, NotPerformedDialog
from client.ui.missions.list_page import MissionsListPage
from client.ui.missions.workspace import MissionsWorkspace
from client.ui.models.roles import ROW_ROLE
from tests.client.ui.conftest import Intervenant, log_in_as, pay_in_a_batch
from tests.fixtures import Opened
from tests.server_stub.factories import World


@pytest.fixture
def workspace(qtbot: Any, ctx: AppContext, intervenant: Intervenant) -> MissionsWorkspace:
    ctx.identity = log_in_as(ctx.raw_api, intervenant.user).user
    workspace = MissionsWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.start()
    return workspace


def visible_rows(page: MissionsListPage) -> list[Convocation]:
    proxy = page.proxy
    return [proxy.index(n, 0).data(ROW_ROLE) for n in range(proxy.rowCount())]


def open_mission(qtbot: Any, workspace: MissionsWorkspace, statement_id: int) -> None:
    page = workspace.list_page
    page.all.setChecked(True)
    [row] = [c for c in page.model.rows() if c.statement_id == statement_id]
    workspace.open_convocation(row)
    detail = workspace.detail_page
    qtbot.waitUntil(lambda: detail.statement is not None and detail.statement.id == statement_id)


def test_the_list_opens_on_the_missions_to_complete(workspace: MissionsWorkspace) -> None:
    page = workspace.list_page
    assert page.to_complete.isChecked()
    assert [c.labels.intervenant for c in visible_rows(page)] == ["Non validé"]
    assert page.count.text() == "1 mission affichée sur 3"


def test_filters_and_search(qtbot: Any, workspace: MissionsWorkspace) -> None:
    page = workspace.list_page
    qtbot.mouseClick(page.validated, Qt.MouseButton.LeftButton)
    assert [c.status for c in visible_rows(page)] == [Status.SUBMITTED]
    page.all.setChecked(True)
    assert len(visible_rows(page)) == 3
    page.search.setText("INTERROGATION")
    assert len(visible_rows(page)) == 1
    page.search.setText("aucune mission de ce nom")
    assert page.empty.isVisible()
    assert page.empty.text() == "Aucune mission ne correspond à votre recherche."


def test_enter_on_a_row_opens_the_mission(qtbot: Any, workspace: MissionsWorkspace) -> None:
    page = workspace.list_page
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert workspace.currentWidget() is workspace.detail_page
    detail = workspace.detail_page
    qtbot.waitUntil(lambda: detail.statement is not None)
    assert detail.edit_button.isEnabled()
    assert detail.edit_button.text() == "&Compléter mon état de frais"


def test_the_detail_shows_the_mission(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    open_mission(qtbot, workspace, intervenant.oral.id)
    detail = workspace.detail_page
    assert detail.title.text().startswith("Interrogation – ")
    assert detail.mission_section.value("exam") == "Baccalauréat professionnel"
    assert detail.mission_section.value("speciality") == "Métiers de l'électricité"
    assert detail.place_section.value("address") == "12 rue de la République"
    assert detail.place_section.value("commune") == "Beauvais"
    assert detail.when_section.value("dates") == "du lundi 22 juin 2026 au mardi 23 juin 2026"
    assert detail.when_section.value("hours") == "de 8h00 à 17h00"
    assert detail.status_section.value("status") == "Validé"
    # A validated statement can be consulted, not changed nor declared not performed.
    assert detail.edit_button.text() == "&Consulter mon état de frais"
    assert not detail.not_performed_button.isVisible()


def test_escape_goes_back_to_the_list(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    open_mission(qtbot, workspace, intervenant.correction.id)
    workspace.detail_page.edit_button.setFocus()
    qtbot.keyClick(workspace.detail_page.edit_button, Qt.Key.Key_Escape)
    assert workspace.currentWidget() is workspace.list_page


def test_declaring_a_mission_not_performed(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    open_mission(qtbot, workspace, intervenant.correction.id)
    detail = workspace.detail_page
    assert detail.not_performed_button.isEnabled()
    qtbot.mouseClick(detail.not_performed_button, Qt.MouseButton.LeftButton)
    dialog = detail.not_performed_dialog
    assert isinstance(dialog, NotPerformedDialog)
    assert dialog.cancel_button.isDefault()  # Enter alone never declares by accident
    dialog.reason.setPlainText("Remplacée par un collègue")
    dialog.accept()
    qtbot.waitUntil(
        lambda: detail.statement is not None and detail.statement.status is Status.NOT_PERFORMED
    )
    assert detail.status_section.value("status") == "Mission non effectuée (déclarée)"
    assert "service gestionnaire est informé" in detail.bar.text
    assert detail.edit_button.text() == "&Consulter mon état de frais"
    [row] = [c for c in workspace.list_page.model.rows() if c.id == detail.convocation.id]  # type: ignore[union-attr]
    assert row.status is Status.NOT_PERFORMED


def test_cancelling_the_not_performed_question_changes_nothing(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    open_mission(qtbot, workspace, intervenant.correction.id)
    detail = workspace.detail_page
    detail.declare_not_performed()
    assert detail.not_performed_dialog is not None
    detail.not_performed_dialog.reject()
    workspace.ctx.runner.wait_for_done()
    assert detail.statement is not None
    assert detail.statement.status is Status.OPEN


def test_printing_the_recap_opens_the_pdf(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant, opened: Opened
) -> None:
    open_mission(qtbot, workspace, intervenant.oral.id)
    detail = workspace.detail_page
    qtbot.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls))
    path = Path(opened.urls[0].toLocalFile())
    assert path.parent == workspace.ctx.recaps_folder()
    assert path.read_bytes().startswith(b"%PDF")
    assert "Le récapitulatif est ouvert" in detail.bar.text


def test_a_recap_no_viewer_could_open_says_where_it_is_and_shows_its_folder(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant, opened: Opened
) -> None:
    opened.viewer = False
    open_mission(qtbot, workspace, intervenant.oral.id)
    detail = workspace.detail_page
    qtbot.mouseClick(detail.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls))
    path = Path(opened.urls[0].toLocalFile())
    assert path.read_bytes().startswith(b"%PDF")
    assert "ouvert" not in detail.bar.text
    assert f"enregistré dans {path}" in detail.bar.text
    assert "aucun lecteur de PDF" in detail.bar.text
    assert detail.bar._action.text() == "Afficher le dossier"
    detail.bar._action.click()
    assert Path(opened.urls[-1].toLocalFile()) == workspace.ctx.recaps_folder()


def test_completing_the_statement_opens_the_editor_and_comes_back(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    pytest.importorskip("client.ui.statement.editor")
    open_mission(qtbot, workspace, intervenant.correction.id)
    qtbot.mouseClick(workspace.detail_page.edit_button, Qt.MouseButton.LeftButton)
    editor = workspace.editor
    assert editor is not None
    assert workspace.currentWidget() is editor
    with qtbot.waitSignal(workspace.currentChanged):
        editor.closed.emit()
    assert workspace.currentWidget() is workspace.detail_page
    assert workspace.editor is None


def test_exporting_the_recaps_of_the_validated_statements(
    qtbot: Any,
    workspace: MissionsWorkspace,
    intervenant: Intervenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = workspace.list_page
    chosen: list[list[Convocation]] = []

    def accept(dialog: ExportDialog) -> int:
        chosen.append(dialog.chosen())
        return ExportDialog.DialogCode.Accepted.value

    target = tmp_path / "export" / "mes-recapitulatifs.pdf"
    monkeypatch.setattr(ExportDialog, "exec", accept)
    monkeypatch.setattr(page, "choose_export_file", lambda: target)
    page.export()
    # The validated statements are ticked to begin with.
    assert [c.statement_id for c in chosen[0]] == [intervenant.oral.id]
    qtbot.waitUntil(lambda: target.exists() and page.export_task is None)
    assert target.read_bytes().startswith(b"%PDF")
    assert "Les récapitulatifs ont été enregistrés" in page.bar.text
    assert page.progress is None


def test_the_export_can_be_cancelled(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant, tmp_path: Path
) -> None:
    page = workspace.list_page
    target = tmp_path / "annule.pdf"
    page.start_export([intervenant.oral.id, intervenant.correction.id], target)
    assert page.progress is not None
    page.progress.canceled.emit()  # what its « Annuler » button does
    workspace.ctx.runner.wait_for_done()
    assert page.bar.text == "Export annulé : aucun fichier n'a été écrit."
    assert page.progress is None
    assert not target.exists()


def test_export_dialog_lists_every_mission(
    qtbot: Any, workspace: MissionsWorkspace, intervenant: Intervenant
) -> None:
    dialog = ExportDialog(workspace.list_page.model.rows())
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 3
    assert dialog.count.text() == "1 récapitulatif sélectionné"
    qtbot.mouseClick(dialog.check_none, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.check_all, Qt.MouseButton.LeftButton)
    assert dialog.count.text() == "3 récapitulatifs sélectionnés"


def test_refresh_reloads_the_list(qtbot: Any, workspace: MissionsWorkspace) -> None:
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.refresh()
    assert workspace.list_page.model.rowCount() == 3


@pytest.fixture
def travel_without_account(world: Any, http: Any, intervenant: Intervenant) -> Intervenant:
    """The intervenant claimed travel on their correction and gave no account."""
    from tests.client.ui.conftest import validate

    intervenant.user.iban = None
    world.commit()
    trip = {
        "depart_at": "2026-06-15T07:15:00",
        "return_at": "2026-06-15T19:30:00",
        "mode": "CAR",
        "km": "112",
    }
    entry = {
        "days": [{"date": "2026-06-15", "copies": 40}],
        "travel": {"claimed": True, "departure": "ADMINISTRATIVE", "trips": [trip]},
    }
    validate(http, intervenant.user, intervenant.correction.id, entry)
    return intervenant


def test_the_intervenant_is_told_what_their_payment_waits_for(
    qtbot: Any, ctx: AppContext, travel_without_account: Intervenant, tmp_path: Path
) -> None:
    ctx.identity = log_in_as(ctx.raw_api, travel_without_account.user).user
    workspace = MissionsWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    with qtbot.waitSignal(workspace.list_page.loaded):
        workspace.start()
    bar = workspace.list_page.payment_bar
    assert bar.isVisible()
    assert bar.text.startswith("Une mission attend votre dossier financier pour être payée.")
    assert "RIB manquant" in bar.text
    workspace.list_page.grab().save(str(tmp_path / "list.png"))
    open_mission(qtbot, workspace, travel_without_account.correction.id)
    detail = workspace.detail_page.payment_bar
    assert detail.isVisible()
    assert detail.text.startswith("RIB manquant : vos frais de déplacement")
    workspace.detail_page.grab().save(str(tmp_path / "detail.png"))
    with qtbot.waitSignal(workspace.profile_requested):
        qtbot.mouseClick(detail._action, Qt.MouseButton.LeftButton)


# --- the annual statement of the sums paid ----------------------------------------------------


def pdf_text(path: Path) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_annual_statement_of_the_sums_paid_opens_as_a_pdf(
    qtbot: Any,
    workspace: MissionsWorkspace,
    intervenant: Intervenant,
    http: TestClient,
    world: World,
    opened: Opened,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    paid_on = pay_in_a_batch(http, world, [intervenant.oral])
    asked: list[str | None] = []

    def ask(_parent: Any, whose: str | None = None) -> int:
        asked.append(whose)
        return paid_on.year

    monkeypatch.setattr(annual_statement, "ask_year", ask)
    page = workspace.list_page
    qtbot.mouseClick(page.annual_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10_000)
    assert asked == [None]  # their own: no one else's name in the question
    path = Path(opened.urls[0].toLocalFile())
    assert path.parent == workspace.ctx.recaps_folder()
    assert path.name == f"attestation-sommes-versees-{paid_on.year}-{intervenant.user.login}.pdf"
    text = pdf_text(path)
    oral = intervenant.oral
    world.db.refresh(oral)
    assert f"Attestation annuelle des sommes versées — {paid_on.year}" in text
    assert f"Indemnités Paie {date_fr(paid_on)}" in text
    assert f"Total des sommes versées en {paid_on.year} {' '.join(euros(oral.total).split())}" in (
        text
    )
    assert page.bar.text.startswith(
        f"L'attestation des sommes versées en {paid_on.year} est ouverte"
    )
    qtbot.wait(100)  # the bar's layout settles before the screenshot
    workspace.grab().save(str(tmp_path / "missions-annual.png"))


def test_an_annual_statement_no_viewer_could_open_offers_its_folder(
    qtbot: Any,
    workspace: MissionsWorkspace,
    intervenant: Intervenant,
    http: TestClient,
    world: World,
    opened: Opened,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paid_on = pay_in_a_batch(http, world, [intervenant.oral])
    monkeypatch.setattr(annual_statement, "ask_year", lambda _parent, whose=None: paid_on.year)
    opened.viewer = False
    page = workspace.list_page
    qtbot.mouseClick(page.annual_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10_000)
    path = Path(opened.urls[0].toLocalFile())
    assert "ouverte" not in page.bar.text
    assert f"enregistrée dans {path}" in page.bar.text
    assert page.bar._action.text() == "Afficher le dossier"
    page.bar._action.click()
    assert Path(opened.urls[-1].toLocalFile()) == workspace.ctx.recaps_folder()


def test_a_year_the_server_refuses_is_said_in_the_bar(
    qtbot: Any,
    workspace: MissionsWorkspace,
    opened: Opened,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(annual_statement, "ask_year", lambda _parent, whose=None: 1999)
    page = workspace.list_page
    qtbot.mouseClick(page.annual_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "comprise" in page.bar.text, timeout=10_000)
    assert "(et non 1999)" in page.bar.text
    assert "L'année doit être comprise entre 2000 et" in page.bar.text
    assert opened.urls == []


def test_cancelling_the_year_writes_nothing(
    qtbot: Any,
    workspace: MissionsWorkspace,
    opened: Opened,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(annual_statement, "ask_year", lambda _parent, whose=None: None)
    qtbot.mouseClick(workspace.list_page.annual_button, Qt.MouseButton.LeftButton)
    assert opened.urls == []
    assert not workspace.ctx.recaps_folder().exists() or not any(
        workspace.ctx.recaps_folder().iterdir()
    )


def test_the_year_asked_is_last_year_to_begin_with(
    qtbot: Any, workspace: MissionsWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    asked: list[tuple[Any, ...]] = []

    def get_int(*args: Any) -> tuple[int, bool]:
        asked.append(args)
        return args[3], True

    monkeypatch.setattr(QInputDialog, "getInt", get_int)
    monkeypatch.setattr(annual_statement, "today", lambda: dt.date(2027, 1, 12))
    assert annual_statement.ask_year(workspace, "Élodie Dupont-Martin") == 2026
    [(_parent, title, label, default, first, last)] = asked
    assert (title, default, first, last) == (
        "Attestation annuelle des sommes versées",
        2026,
        2000,
        2027,
    )
    assert label == "Sommes versées à Élodie Dupont-Martin pendant l'année :"
