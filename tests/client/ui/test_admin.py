"""Administration against the real server: accounts created, given a role with its offices or
centres, unlocked, deactivated, handed a new temporary password whose letter opens; the audit
log narrowed by its filters; the offices' rules changed; and only an administrator sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QDate, Qt

from client.api.models import Role as ClientRole
from client.ui.admin import accounts as accounts_module
from client.ui.admin.accounts import AccountDialog, AccountsPage
from client.ui.admin.audit import AuditPage
from client.ui.admin.offices import OfficesPage
from client.ui.admin.workspace import AdministrationWorkspace
from client.ui.context import AppContext
from client.ui.main_window import MainWindow
from server_stub.auth.models import Role, User
from server_stub.reference.models import Centre
from tests.client.ui.conftest import log_in_as
from tests.fixtures import Opened
from tests.server_stub.factories import PASSWORD, World


class Office:
    """Adèle the administrator, Paul an intervenant, Gérard a gestionnaire of the DEC office,
    and the Lycée Jules Verne."""

    def __init__(self, world: World) -> None:
        self.admin: User = world.person("Adèle", "Admin", role=Role.ADMIN, fiscal_power=None)
        self.paul: User = world.person("Paul", "Martin")
        self.gerard: User = world.gestionnaire()
        self.centre: Centre = world.centre()
        self.centre.name = "Lycée Jules Verne"
        world.commit()


@pytest.fixture
def office(world: World) -> Office:
    return Office(world)


@pytest.fixture
def workspace(qtbot: Any, ctx: AppContext, office: Office) -> AdministrationWorkspace:
    ctx.identity = log_in_as(ctx.raw_api, office.admin).user
    workspace = AdministrationWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1180, 700)
    workspace.show()
    with qtbot.waitSignal(workspace.accounts.loaded):
        workspace.start()
    qtbot.waitUntil(lambda: bool(workspace.accounts.centre_refs))
    return workspace


def _row_of(page: AccountsPage, login: str) -> int:
    for row in range(page.proxy.rowCount()):
        if page.proxy.row_at(row).login == login:
            return row
    raise AssertionError(f"{login} not listed")


def _select(qtbot: Any, page: AccountsPage, login: str) -> None:
    with qtbot.waitSignal(page.loaded):
        page.search.setText(login)
    page.view.selectRow(_row_of(page, login))


def _check(widget: Any, text: str) -> None:
    for i in range(widget.count()):
        if text in widget.item(i).text():
            widget.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{text} not offered")


def test_an_account_is_created_with_its_checks_beside_the_fields(
    qtbot: Any, workspace: AdministrationWorkspace, http: TestClient
) -> None:
    page = workspace.accounts
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, AccountDialog)
    dialog.academic.setChecked(False)
    dialog.email.setText("pas-une-adresse")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["first_name"].text() == "Indiquez le prénom."
    assert dialog.errors["email"].text() == "Cette adresse électronique n'est pas valide."
    assert dialog.errors["offices"].text() == "Cochez au moins un bureau de la DEC."
    assert dialog.isVisible()

    dialog.first_name.setText("Hélène")
    dialog.last_name.setText("Roux")
    dialog.email.setText("helene.roux@ac-amiens.fr")
    _check(dialog.offices, "DEC")
    dialog.grab().save("/tmp/admin-account-dialog.png")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.bar.text.startswith("Compte hroux créé pour Hélène Roux. Mot de passe temporaire")
    row = _row_of(page, "hroux")
    cells = [page.proxy.index(row, c).data() for c in range(page.proxy.columnCount())]
    assert cells == [
        "hroux", "ROUX Hélène", "helene.roux@ac-amiens.fr", "Gestionnaire de la DEC", "DEC",
        "Mot de passe", "Actif",
    ]  # fmt: skip


def test_the_server_refusal_shows_beside_its_field_and_keeps_the_dialog(
    qtbot: Any, workspace: AdministrationWorkspace, office: Office
) -> None:
    page = workspace.accounts
    _select(qtbot, page, office.paul.login)
    qtbot.mouseClick(page.roles_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and not dialog.first_name.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findData(ClientRole.GESTIONNAIRE))
    dialog.new_office.setText("BUREAU-NORD")
    dialog.role.setCurrentIndex(dialog.role.findData(ClientRole.CHEF_CENTRE))
    # Nothing checked: the dialog says so before sending anything.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["centres"].text() == "Cochez au moins un centre d'examen."
    _check(dialog.centres, "Lycée Jules Verne")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    row = _row_of(page, office.paul.login)
    assert page.proxy.index(row, 3).data() == "Chef de centre"
    assert page.proxy.index(row, 4).data() == "Lycée Jules Verne"


def test_the_roles_of_an_account_change_with_its_offices(
    qtbot: Any, workspace: AdministrationWorkspace, office: Office, http: TestClient
) -> None:
    page = workspace.accounts
    _select(qtbot, page, office.gerard.login)
    qtbot.mouseClick(page.roles_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None
    dialog.new_office.setText("DEC 2")  # a space: refused beside the field
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["offices"].text().startswith("Un bureau s'écrit en lettres")
    dialog.new_office.setText("DEC2")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.bar.text == "Gérard Lemaire : gestionnaire de la dec."
    row = _row_of(page, office.gerard.login)
    assert page.proxy.index(row, 4).data() == "DEC, DEC2"


def test_a_locked_account_is_unlocked(
    qtbot: Any, workspace: AdministrationWorkspace, office: Office, http: TestClient
) -> None:
    for _ in range(6):
        http.post("/api/v1/auth/login", json={"login": office.paul.login, "password": "faux"})
    page = workspace.accounts
    _select(qtbot, page, office.paul.login)
    assert page.proxy.index(_row_of(page, office.paul.login), 6).data() == "Bloqué"
    assert page.unlock_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.bar.text == f"Compte {office.paul.login} débloqué."
    assert page.proxy.index(_row_of(page, office.paul.login), 6).data() == "Actif"
    login = http.post("/api/v1/auth/login", json={"login": office.paul.login, "password": PASSWORD})
    assert login.status_code == 200


def test_an_account_is_deactivated_after_confirmation_then_reactivated(
    qtbot: Any,
    workspace: AdministrationWorkspace,
    office: Office,
    http: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    answers = iter([False, True, True])

    def answer(parent: Any, title: str, text: str, action: str) -> bool:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(accounts_module, "confirm", answer)
    page = workspace.accounts
    _select(qtbot, page, office.paul.login)
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)  # declined
    assert asked[0].startswith(f"Désactiver le compte {office.paul.login} de Paul Martin ?")
    assert page.proxy.index(_row_of(page, office.paul.login), 6).data() == "Actif"

    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert page.proxy.index(_row_of(page, office.paul.login), 6).data() == "Désactivé"
    refused = http.post(
        "/api/v1/auth/login", json={"login": office.paul.login, "password": PASSWORD}
    )
    assert refused.status_code != 200
    assert page.active_button.text() == "Ré&activer…"
    assert not page.password_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert page.bar.text == f"Compte {office.paul.login} réactivé."


def test_the_administrator_cannot_deactivate_their_own_account(
    qtbot: Any, workspace: AdministrationWorkspace, office: Office
) -> None:
    page = workspace.accounts
    _select(qtbot, page, office.admin.login)
    assert not page.active_button.isEnabled()


def test_a_new_temporary_password_opens_its_letter(
    qtbot: Any,
    workspace: AdministrationWorkspace,
    office: Office,
    opened: Opened,
    http: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(accounts_module, "confirm", lambda *args: True)
    page = workspace.accounts
    _select(qtbot, page, office.paul.login)
    with qtbot.waitSignal(page.letter_opened) as signal:
        qtbot.mouseClick(page.password_button, Qt.MouseButton.LeftButton)
    path = signal.args[0]
    assert path.read_bytes().startswith(b"%PDF")
    assert [u.toLocalFile() for u in opened.urls] == [str(path)]
    assert page.bar.text.startswith(f"Nouveau mot de passe de {office.paul.login} : lettre")
    old = http.post("/api/v1/auth/login", json={"login": office.paul.login, "password": PASSWORD})
    assert old.status_code != 200


def test_the_audit_log_is_narrowed_by_action_author_and_days(
    qtbot: Any,
    workspace: AdministrationWorkspace,
    office: Office,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(accounts_module, "confirm", lambda *args: True)
    accounts = workspace.accounts
    _select(qtbot, accounts, office.paul.login)
    with qtbot.waitSignal(accounts.loaded):
        qtbot.mouseClick(accounts.active_button, Qt.MouseButton.LeftButton)
    _select(qtbot, accounts, office.gerard.login)
    with qtbot.waitSignal(accounts.loaded):
        qtbot.mouseClick(accounts.active_button, Qt.MouseButton.LeftButton)

    audit: AuditPage = workspace.audit
    with qtbot.waitSignal(audit.loaded):
        workspace.tabs.setCurrentIndex(1)
    summaries = [audit.model.row(r).summary for r in range(audit.model.rowCount())]
    assert any("Martin" in s for s in summaries) and any("Lemaire" in s for s in summaries)

    audit.target_type.setCurrentIndex(audit.target_type.findData("user"))
    audit.target_id.setText(str(office.gerard.id))
    with qtbot.waitSignal(audit.loaded):
        qtbot.mouseClick(audit.search_button, Qt.MouseButton.LeftButton)
    assert audit.model.rowCount() == 1
    event = audit.model.row(0)
    assert event.action == "ACCOUNT_DEACTIVATED" and event.actor == "Adèle Admin"
    assert audit.proxy.index(0, 2).data() == "Compte désactivé"
    audit.view.selectRow(0)
    assert "Lemaire" in audit.detail.toPlainText()

    audit.clear_button.click()
    qtbot.waitUntil(lambda: audit.model.rowCount() >= 2)
    qtbot.waitUntil(lambda: audit.actor.count() > 1)
    audit.actor.setCurrentIndex(audit.actor.findData(office.gerard.id))
    with qtbot.waitSignal(audit.loaded):
        audit.on_search()
    assert audit.model.rowCount() == 0  # Gérard did nothing
    assert audit.count.text() == "0 action, des plus récentes aux plus anciennes."

    audit.actor.setCurrentIndex(0)
    audit.since.setDate(QDate(2031, 1, 2))
    audit.until.setDate(QDate(2031, 1, 1))
    audit.on_search()
    assert audit.dates_error.text() == "La date de début est postérieure à la date de fin."
    far = dt.date.today() + dt.timedelta(days=3650)
    audit.until.setDate(QDate(far.year, far.month, far.day))
    with qtbot.waitSignal(audit.loaded):
        audit.on_search()
    assert audit.model.rowCount() == 0
    assert audit.dates_error.isHidden()


def test_an_office_rule_is_changed(
    qtbot: Any, workspace: AdministrationWorkspace, http: TestClient, office: Office
) -> None:
    page: OfficesPage = workspace.offices
    with qtbot.waitSignal(page.loaded):
        workspace.tabs.setCurrentIndex(2)
    assert [page.model.row(r).office for r in range(page.model.rowCount())] == ["DEC"]
    assert page.model.index(0, 1).data() == "Facultatif"
    assert not page.save_button.isEnabled()
    page.service_done.setChecked(True)
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.bar.text == "Règles du bureau DEC enregistrées."
    assert page.model.index(0, 1).data() == "Exigé"
    assert page.model.index(0, 3).data().endswith("(Adèle Admin)")


@pytest.mark.parametrize(
    ("role", "sees"), [(Role.ADMIN, True), (Role.GESTIONNAIRE, False), (Role.INTERVENANT, False)]
)
def test_only_an_administrator_sees_the_administration(
    qtbot: Any, ctx: AppContext, world: World, role: Role, sees: bool
) -> None:
    person = world.person("Zoé", "Zola", role=role)
    world.commit()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tokens = log_in_as(ctx.raw_api, person)
    with qtbot.waitSignal(window.workspace_shown):
        window.on_logged_in(tokens)
    tabs = window.workspace_tabs
    assert tabs is not None
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert ("Administration" in titles) is sees
    if role is Role.ADMIN:
        assert titles[:2] == ["États de frais", "Affectation des intervenants"]


def test_the_keyboard_reaches_each_tab_and_each_search(
    qtbot: Any, workspace: AdministrationWorkspace
) -> None:
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    qtbot.keyClick(workspace, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.accounts.search.hasFocus()
    with qtbot.waitSignal(workspace.audit.loaded):
        qtbot.keyClick(workspace, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert workspace.tabs.currentWidget() is workspace.audit
    qtbot.keyClick(workspace, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.audit.actor.hasFocus()
    qtbot.keyClick(workspace, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert workspace.tabs.currentWidget() is workspace.accounts
    qtbot.keyClick(workspace, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.accounts.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.first_name.hasFocus)
    dialog.reject()


def test_the_details_of_a_change_read_in_words() -> None:
    from client.ui.admin.audit import details_text

    assert details_text(
        {"before": {"role": "GESTIONNAIRE", "offices": ["DEC"]}, "service_done_required": True}
    ) == ["Avant :", "  Rôle : GESTIONNAIRE", "  Bureaux : DEC", "Service fait exigé : oui"]
