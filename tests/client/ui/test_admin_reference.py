"""The Référentiel tab against the real server: adjacent communes declared and brought back to
the packaged list, a return reason added and deactivated, thresholds changed with their refusals
beside the fields, the debtor account checked then kept; each change in the journal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt

from client.ui.admin import reference as reference_module
from client.ui.admin.reference import ReferencePage
from client.ui.admin.workspace import AdministrationWorkspace
from client.ui.context import AppContext
from server_stub.auth.models import Role, User
from tests.client.ui.conftest import log_in_as
from tests.server_stub.factories import World, log_in


@pytest.fixture
def admin(world: World) -> User:
    user = world.person("Adèle", "Admin", role=Role.ADMIN, fiscal_power=None)
    world.commit()
    return user


@pytest.fixture
def page(qtbot: Any, ctx: AppContext, admin: User) -> ReferencePage:
    ctx.identity = log_in_as(ctx.raw_api, admin).user
    workspace = AdministrationWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1180, 760)
    workspace.show()
    page = workspace.reference
    with qtbot.waitSignal(page.adjacent.loaded):
        workspace.tabs.setCurrentWidget(page)
    return page


def _journal(http: TestClient, admin: User, action: str) -> list[str]:
    headers = log_in(http, admin)
    events = http.get("/api/v1/admin/audit", params={"action": action}, headers=headers).json()
    return [e["summary"] for e in events]


def _click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_tab_opens_on_the_adjacent_communes_with_the_packaged_count(
    page: ReferencePage,
) -> None:
    section = page.adjacent
    assert section.summary.text().startswith(
        "Un déplacement entre deux communes limitrophes n'est pas remboursé. La liste fournie "
        "avec IMAG'IN compte 5\u202f929 paires"
    )
    assert section.model.rowCount() == 0
    assert page.property("helpTopic") == "admin.reference"
    assert page.currentWidget() is section
    page.window().grab().save("/tmp/reference-adjacent-empty.png")


def test_two_communes_are_declared_adjacent_then_back_to_the_packaged_list(
    qtbot: Any, page: ReferencePage, http: TestClient, admin: User
) -> None:
    section = page.adjacent
    # A code that is not one: said beside its field before anything is sent.
    section.insee_a.setText("8002")
    section.insee_b.setText("80021")
    _click(qtbot, section.adjacent_button)
    assert section.errors["insee_a"].text() == "Un code INSEE a 5 caractères, par ex. 80021."
    # A code no commune has: the server's refusal, beside its field.
    section.insee_a.setText("99999")
    _click(qtbot, section.adjacent_button)
    qtbot.waitUntil(lambda: section.errors["insee_a"].isVisible())
    assert section.errors["insee_a"].text() == "Aucune commune n'a le code INSEE « 99999 »."

    section.insee_a.setText("60057")
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.adjacent_button)
    assert not section.errors["insee_a"].isVisible()
    assert page.bar.text == "Beauvais et Amiens : limitrophes."
    assert section.model.rowCount() == 1
    cells = [section.model.index(0, c).data() for c in range(4)]
    assert cells == ["Beauvais (60057)", "Amiens (80021)", "Limitrophes", "Non limitrophes"]
    assert "5\u202f930 paires sont en vigueur" in section.summary.text()
    page.window().grab().save("/tmp/reference-adjacent.png")

    section.view.selectRow(0)
    assert (section.insee_a.text(), section.insee_b.text()) == ("60057", "80021")
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.packaged_button)
    assert section.model.rowCount() == 0
    assert _journal(http, admin, "ADJACENT_COMMUNES") == [
        "Communes Beauvais (60057) et Amiens (80021) : désormais non limitrophes (comme la "
        "liste fournie avec IMAG'IN).",
        "Communes Beauvais (60057) et Amiens (80021) : désormais limitrophes.",
    ]


def test_a_return_reason_is_added_then_deactivated(
    qtbot: Any, page: ReferencePage, http: TestClient, admin: User, monkeypatch: Any
) -> None:
    section = page.reasons
    with qtbot.waitSignal(section.loaded):
        page.nav.setCurrentRow(1)
    assert section.model.rowCount() == 8
    assert section.selected() is not None and section.selected().code == "MISSING_DOCUMENTS"
    assert not section.remove_button.isEnabled()  # shipped with IMAG'IN

    _click(qtbot, section.new_button)
    assert section.code.hasFocus() and section.code.text() == ""
    section.code.setText("counts")
    _click(qtbot, section.save_button)
    assert section.errors["code"].text().startswith("En majuscules sans accent")
    assert section.errors["label"].text() == (
        "Saisissez le texte du motif, tel que l'intervenant le lira."
    )
    section.code.setText("COUNTS")
    section.label.setPlainText("Vérifiez le nombre de copies déclaré.")
    _click(qtbot, section.save_button)
    qtbot.waitUntil(
        lambda: section.errors["code"].isVisible() and "déjà" in section.errors["code"].text()
    )
    assert section.errors["code"].text() == (
        "Le code COUNTS est déjà celui d'un motif : choisissez-en un autre."
    )
    assert section.label.toPlainText() == "Vérifiez le nombre de copies déclaré."  # kept

    section.code.setText("SIGNATURE")
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.save_button)
    assert section.selected() is not None and section.selected().code == "SIGNATURE"
    assert section.remove_button.isEnabled()
    page.window().grab().save("/tmp/reference-reasons.png")

    section.active.setChecked(False)
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.save_button)
    row = section.selected()
    assert row is not None and (row.code, row.active) == ("SIGNATURE", False)
    assert section.model.index(8, 2).data() == "Non"

    monkeypatch.setattr(reference_module, "confirm", lambda *args: True)
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.remove_button)
    assert [section.model.row(r).code for r in range(section.model.rowCount())][-1] == "OTHER"
    assert _journal(http, admin, "RETURN_REASON_REMOVED") == [
        "Motif de retour SIGNATURE supprimé : « Vérifiez le nombre de copies déclaré. »."
    ]


def test_thresholds_are_changed_with_their_refusals_beside_the_fields(
    qtbot: Any, page: ReferencePage, http: TestClient, admin: User
) -> None:
    section = page.thresholds
    with qtbot.waitSignal(section.loaded):
        page.nav.setCurrentRow(2)
    ratio = section.edits["km_ratio"]
    qtbot.waitUntil(ratio.isVisible)  # the rows are made from the server's answer
    assert ratio.text() == "1,6"
    assert section.defaults["km_ratio"].text() == "fourni : 1,6"
    ratio.setText("zéro")
    _click(qtbot, section.save_button)
    assert section.errors["km_ratio"].text() == "Saisissez un nombre, par ex. 1,6."
    assert ratio.hasFocus()
    # Within the local checks, beyond the server's: refused beside the field.
    section.edits["half_day_minutes"].setText("90,5")
    ratio.setText("1,4")
    _click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.errors["half_day_minutes"].isVisible())
    assert section.errors["half_day_minutes"].text() == "Saisissez un nombre entier de minutes."

    section.edits["half_day_minutes"].setText("240")
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.save_button)
    assert page.bar.text == (
        "Seuils enregistrés : les anomalies des états de frais restent les mêmes."
    )
    assert ratio.text() == "1,4"
    assert section.defaults["km_ratio"].text().startswith("fourni : 1,6 ; modifié le ")
    page.window().grab().save("/tmp/reference-thresholds.png")
    [summary] = _journal(http, admin, "ANOMALY_THRESHOLDS")
    assert summary.endswith("1,6 → 1,4 fois.")

    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.packaged_button)
    assert ratio.text() == "1,6"


def test_the_debtor_account_is_checked_then_kept(
    qtbot: Any, page: ReferencePage, http: TestClient, admin: User, monkeypatch: Any
) -> None:
    section = page.debtor
    with qtbot.waitSignal(section.loaded):
        page.nav.setCurrentRow(3)
    assert section.iban.text() == "FR76 1007 1800 0000 0000 0012 364"  # tests/data/debtor.toml
    assert section.state.text() == "Compte nommé par les réglages du serveur."
    assert not section.reset_button.isEnabled()

    section.name.setText("Agent comptable du rectorat d'Amiens")
    section.iban.setText("FR76 3000 4000 0312 3456 7890 144")
    section.bic.setText("BNPA")
    _click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.errors["iban"].isVisible())
    assert section.errors["iban"].text().startswith("Cet IBAN n'est pas valide")
    assert section.errors["bic"].text().startswith("Ce BIC n'est pas valide")
    assert section.iban.text() == "FR76 3000 4000 0312 3456 7890 144"  # kept as typed

    section.iban.setText("FR76 3000 4000 0312 3456 7890 143")
    section.bic.setText("BNPAFRPP")
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.save_button)
    assert section.iban.text() == "FR76 3000 4000 0312 3456 7890 143"
    assert section.state.text().startswith("Renseigné par l'administrateur le ")
    assert not section.errors["iban"].isVisible()
    page.window().grab().save("/tmp/reference-debtor.png")

    monkeypatch.setattr(reference_module, "confirm", lambda *args: True)
    with qtbot.waitSignal(section.loaded):
        _click(qtbot, section.reset_button)
    assert section.iban.text() == "FR76 1007 1800 0000 0000 0012 364"
    assert len(_journal(http, admin, "DEBTOR_ACCOUNT")) == 2


def test_the_sections_are_reached_from_the_keyboard(qtbot: Any, page: ReferencePage) -> None:
    page.nav.setFocus()
    with qtbot.waitSignal(page.reasons.loaded):
        qtbot.keyClick(page.nav, Qt.Key.Key_Down)
    assert page.stack.currentWidget() is page.reasons
    assert page.currentWidget() is page.reasons
    assert page.reasons.property("helpTopic") == "admin.reference.reasons"
