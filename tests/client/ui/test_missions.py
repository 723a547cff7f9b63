"""The missions screen against the real server: the list, a mission's detail and its actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from client.api.models import Convocation, Status
from client.ui.login.session import AppContext
from client.ui.missions.dialogs import ExportDialog, NotPerformedDialog
from client.ui.missions.list_page import MissionsListPage
from client.ui.missions.workspace import MissionsWorkspace
from client.ui.models.convocations import ROW_ROLE
from tests.client.ui.conftest import Intervenant, Opened, log_in_as


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
