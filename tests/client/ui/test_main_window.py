"""The main window: menus, log-in to the workspace of each role, log-out, a lost session."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from client import settings as settings_io
from client.api.client import ImaginClient
from client.api.tokens import NO_KEYRING, TokenStore
from client.settings import Settings as ClientSettings
from client.ui.context import AppContext
from client.ui.dec.workstation import DecWorkstation
from client.ui.main_window import MainWindow
from client.ui.missions.workspace import MissionsWorkspace
from client.ui.ops import Op
from client.ui.tasks import TaskRunner
from server_stub.auth.models import Role, User
from tests.client.ui.conftest import SERVER
from tests.server_stub.factories import PASSWORD, World


def make_window(qtbot: Any, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.login_shown):
        window.show()
    return window


@pytest.fixture
def window(qtbot: Any, ctx: AppContext) -> MainWindow:
    return make_window(qtbot, ctx)


def log_in(qtbot: Any, window: MainWindow, user: User) -> None:
    page = window.login_page
    page.login.setText(user.login)
    page.password.setText(PASSWORD)
    with qtbot.waitSignal(window.workspace_shown):
        page.submit.click()


def texts(menu: Any) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_menus_read_in_french_with_mnemonics(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&Fichier", "Aid&e"]
    assert texts(window.file_menu) == [
        "Mon &profil…",
        "&Actualiser",
        "Se &déconnecter",
        "&Quitter",
    ]
    assert texts(window.help_menu) == [
        "Aide &contextuelle",
        "&Guide utilisateur",
        "À &propos d'IMAG'IN",
    ]
    assert window.context_help_action.shortcut() == QKeySequence(Qt.Key.Key_F1)
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    assert window.refresh_action.shortcut().toString() == "F5"


def test_before_log_in_only_the_log_in_screen_is_offered(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.login_page
    assert not window.logout_action.isEnabled()
    assert not window.profile_action.isEnabled()
    assert window.user_label.text() == "Non connecté(e)"
    assert window.login_page.password.hasFocus() or window.login_page.login.hasFocus()


def test_an_intervenant_lands_on_the_missions(
    qtbot: Any, window: MainWindow, ctx: AppContext, world: World
) -> None:
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    assert isinstance(window.workspace, MissionsWorkspace)
    assert window.logout_action.isEnabled()
    assert window.user_label.text() == f"Connecté(e) : Élodie Dupont-Martin ({user.login})"
    ctx.runner.wait_for_done()
    saved = settings_io.load(ctx.settings_path)
    assert (saved.last_login, saved.server_url) == (user.login, SERVER)


def test_a_gestionnaire_lands_on_the_queue(qtbot: Any, window: MainWindow, world: World) -> None:
    manager = world.gestionnaire()
    world.commit()
    log_in(qtbot, window, manager)
    assert isinstance(window.workspace, DecWorkstation)


def test_a_chef_de_centre_lands_on_the_missions_of_their_centre(
    qtbot: Any, window: MainWindow, world: World
) -> None:
    from client.ui.centre.workspace import CentreWorkspace

    head = world.person("Hélène", "Roux", role=Role.CHEF_CENTRE)
    world.commit()
    log_in(qtbot, window, head)
    assert isinstance(window.workspace, CentreWorkspace)
    qtbot.waitUntil(lambda: window.workspace.summary.text().startswith("0 mission"))


def test_logging_out_returns_to_the_log_in_screen(
    qtbot: Any, window: MainWindow, ctx: AppContext, world: World
) -> None:
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    with qtbot.waitSignal(window.logged_out):
        window.logout_action.trigger()
    assert window.stack.currentWidget() is window.login_page
    assert window.workspace is None
    assert ctx.raw_api.tokens.access_token is None
    assert window.login_page.bar.text == "Vous êtes déconnecté(e)."
    assert not window.logout_action.isEnabled()
    assert window.login_page.submit.isEnabled()


def test_a_lost_session_brings_back_the_log_in_screen(
    qtbot: Any, window: MainWindow, ctx: AppContext, world: World
) -> None:
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    ctx.raw_api.tokens.renew("revoked-access", "revoked-refresh")  # as if revoked on the server
    with qtbot.waitSignal(ctx.guard.expired):  # noticed on a worker, told on the GUI thread
        window.refresh_action.trigger()
    assert window.stack.currentWidget() is window.login_page
    text = window.login_page.bar.text
    assert "conservé sur ce poste" in text
    assert window.login_page.login.text() == user.login
    assert window.workspace is None


def test_without_a_keyring_the_window_says_the_session_is_not_remembered(
    qtbot: Any, http: TestClient, runner: TaskRunner, world: World, tmp_path: Any
) -> None:
    user = world.person()
    world.commit()
    ctx = AppContext(
        api=ImaginClient(http, TokenStore(backend=fail.Keyring())),
        runner=runner,
        settings=ClientSettings(server_url=SERVER),
        settings_path=tmp_path / "settings.json",
        data_folder=tmp_path,
    )
    window = make_window(qtbot, ctx)
    window.login_page.remember.setChecked(True)
    log_in(qtbot, window, user)
    assert window.bar.isVisible()
    assert window.bar.text == NO_KEYRING


def test_the_busy_indicator_shows_while_work_lasts(
    qtbot: Any, window: MainWindow, ctx: AppContext
) -> None:
    release = threading.Event()
    Op(window, lambda: release.wait(10)).run(ctx.runner)
    qtbot.waitUntil(window.busy_indicator.isVisible)
    assert window.busy_label.text() == "Échange avec le serveur…"
    release.set()
    qtbot.waitUntil(lambda: not window.busy_indicator.isVisible())


def test_the_window_geometry_is_saved_on_closing(
    qtbot: Any, window: MainWindow, ctx: AppContext
) -> None:
    window.resize(700, 520)  # the offscreen screen is 800 × 600: larger would be clamped
    size = window.size()
    window.close()
    ctx.runner.wait_for_done()
    saved = settings_io.load(ctx.settings_path)
    assert saved.window_geometry
    again = make_window(qtbot, ctx)
    assert again.size() == size


def test_about_names_the_application_and_the_server(window: MainWindow) -> None:
    window.show_about()
    text = window.about_box.text()
    assert "IMAG'IN" in text
    assert SERVER in text
    window.about_box.close()


def test_profile_menu_opens_the_profile(qtbot: Any, window: MainWindow, world: World) -> None:
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    window.profile_action.trigger()
    dialog = window.profile_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded):
        pass
    assert dialog.administrative.edit.text() == "Amiens (80000)"
    dialog.close()


def test_f1_shows_the_help_of_the_focused_field(qtbot: Any, window: MainWindow) -> None:
    if window.help_pane is None:
        pytest.skip("help pane not in this build")
    window.help_pane.hide()
    window.activateWindow()
    window.login_page.login.setFocus()
    window.context_help_action.trigger()
    assert window.help_pane.isVisible()
    assert window.help_pane.current_topic.startswith("login")


def test_the_help_pane_follows_the_page_shown(qtbot: Any, window: MainWindow, world: World) -> None:
    if window.help_pane is None:
        pytest.skip("help pane not in this build")
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    assert window.help_pane.current_topic.startswith("missions")


def test_refresh_reloads_the_workspace(qtbot: Any, window: MainWindow, world: World) -> None:
    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    workspace = window.workspace
    assert isinstance(workspace, MissionsWorkspace)
    qtbot.waitUntil(lambda: workspace.list_page.refresh_button.isEnabled())
    with qtbot.waitSignal(workspace.list_page.loaded):
        qtbot.keyClick(window, Qt.Key.Key_F5)


def test_the_intervenant_declarations_are_a_second_tab_built_when_first_shown(
    qtbot: Any, window: MainWindow, world: World
) -> None:
    from client.ui.assignment.declarations import DeclarationsPage

    user = world.person()
    world.commit()
    log_in(qtbot, window, user)
    tabs = window.workspace_tabs
    assert tabs is not None
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Saisie états de frais mission",
        "Mes déclarations pour les jurys",
    ]
    assert len(tabs.workspaces()) == 1
    tabs.setCurrentIndex(1)
    assert isinstance(tabs.currentWidget(), DeclarationsPage)
    assert tabs.workspace(0) is window.workspace


def test_nothing_of_the_first_person_s_banners_remains_for_the_next(
    qtbot: Any, window: MainWindow, ctx: AppContext, world: World
) -> None:
    first, second, third = world.person(), world.person(), world.gestionnaire()
    world.commit()
    page = window.login_page
    # The first person's session is lost: a warning on the log-in screen.
    log_in(qtbot, window, first)
    ctx.raw_api.tokens.renew("revoked-access", "revoked-refresh")
    with qtbot.waitSignal(ctx.guard.expired):
        window.refresh_action.trigger()
    assert "conservé sur ce poste" in page.bar.text
    # Too many wrong passwords: the account waits.
    for _ in range(5):
        page.login.setText(first.login)
        page.password.setText("pas le bon")
        page.log_in()
        qtbot.waitUntil(lambda: not page.busy)
    assert "attendez" in page.bar.text
    # Another person logs in: no banner of the first one, neither here nor in the window.
    log_in(qtbot, window, second)
    assert page.bar.isHidden()
    assert window.bar.isHidden()
    with qtbot.waitSignal(window.logged_out):
        window.logout_action.trigger()
    assert page.bar.text == "Vous êtes déconnecté(e)."
    assert page.password.text() == ""
    log_in(qtbot, window, third)
    assert page.bar.isHidden() and window.bar.isHidden()
    assert isinstance(window.workspace, DecWorkstation)
    assert not window.workspace.queue.bar.isVisible()
