"""The log-in screen against the real server: success, refusals, first connection."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient
from keyring.backends import fail
from PySide6.QtCore import Qt

from client.api.client import ImaginClient
from client.api.tokens import TokenStore
from client.demo import DemoAccount
from client.settings import Settings as ClientSettings
from client.ui.context import AppContext
from client.ui.login.page import LoginPage
from client.ui.login.password import PasswordChangeDialog
from client.ui.tasks import TaskRunner
from tests.client.ui.conftest import SERVER
from tests.fixtures import MemoryKeyring
from tests.server_stub.factories import PASSWORD, World

NEW_PASSWORD = "Correcteur-Amiens-2026"


def login_page(qtbot: Any, ctx: AppContext) -> LoginPage:
    page = LoginPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def type_credentials(page: LoginPage, login: str, password: str) -> None:
    page.login.setText(login)
    page.password.setText(password)


def test_logging_in_opens_a_session(qtbot: Any, ctx: AppContext, world: World) -> None:
    user = world.person()
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, PASSWORD)
    with qtbot.waitSignal(page.logged_in) as opened:
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert opened.args[0].user.login == user.login
    assert page.password.text() == ""  # never kept once used


def test_enter_in_the_password_field_logs_in(qtbot: Any, ctx: AppContext, world: World) -> None:
    user = world.person()
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, PASSWORD)
    with qtbot.waitSignal(page.logged_in):
        qtbot.keyClick(page.password, Qt.Key.Key_Return)


def test_wrong_password_is_said_in_the_bar(qtbot: Any, ctx: AppContext, world: World) -> None:
    user = world.person()
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, "pas le bon")
    page.log_in()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.bar.isVisible()
    assert page.bar.text.startswith("Identifiant ou mot de passe incorrect.")
    assert page.login.text() == user.login  # nothing typed is lost
    assert page.submit.isEnabled()


def test_too_many_attempts_say_how_long_to_wait(qtbot: Any, ctx: AppContext, world: World) -> None:
    user = world.person()
    world.commit()
    page = login_page(qtbot, ctx)
    for _ in range(5):
        type_credentials(page, user.login, "pas le bon")
        page.log_in()
        qtbot.waitUntil(lambda: not page.busy)
    assert "attendez 1 minute avant de réessayer" in page.bar.text
    assert page.login.text() == user.login


def test_empty_fields_are_asked_for(qtbot: Any, ctx: AppContext) -> None:
    page = login_page(qtbot, ctx)
    page.login.clear()
    page.log_in()
    assert page.bar.text == "Saisissez votre identifiant et votre mot de passe."
    assert not page.busy


def test_an_invalid_server_address_is_shown_beside_the_field(qtbot: Any, ctx: AppContext) -> None:
    page = login_page(qtbot, ctx)
    page.set_server("imagin.ac-amiens.fr")
    type_credentials(page, "edupontm", PASSWORD)
    page.log_in()
    assert page.options.isVisible()
    assert page.server_error.isVisible()
    assert "https://" in page.server_error.text()


def test_unreachable_server_offers_to_retry(qtbot: Any, runner: TaskRunner, tmp_path: Any) -> None:
    attempts: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    http = httpx.Client(base_url=SERVER, transport=httpx.MockTransport(refuse))
    ctx = AppContext(
        api=ImaginClient(http, TokenStore(backend=fail.Keyring())),
        runner=runner,
        settings=ClientSettings(server_url=SERVER),
        data_folder=tmp_path,
    )
    page = login_page(qtbot, ctx)
    type_credentials(page, "edupontm", PASSWORD)
    page.log_in()
    qtbot.waitUntil(lambda: not page.busy)
    assert "injoignable" in page.bar.text
    assert page.bar._action.isVisible()
    assert page.bar._action.text() == "Réessayer"
    page.bar._action.click()
    qtbot.waitUntil(lambda: len(attempts) == 2 and not page.busy)
    assert "injoignable" in page.bar.text


def test_first_connection_forces_a_personal_password(
    qtbot: Any, ctx: AppContext, world: World, http: TestClient
) -> None:
    user = world.person("Jean", "Martin", academic=False, temporary=True)
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, PASSWORD)
    page.log_in()
    qtbot.waitUntil(lambda: page.password_dialog is not None)
    dialog = page.password_dialog
    assert isinstance(dialog, PasswordChangeDialog)
    # The rules are on screen before anything is typed, and the button waits for them.
    assert dialog.isVisible()
    assert dialog.rules_label.isVisible()
    assert "au moins 12 caractères" in dialog.rules_label.text()
    assert not dialog.save_button.isEnabled()
    dialog.new_password.setText(NEW_PASSWORD)
    assert dialog.unmet() == ["same"]
    dialog.confirmation.setText(NEW_PASSWORD)
    assert dialog.unmet() == []
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(page.logged_in) as opened:
        dialog.save_button.click()
    assert opened.args[0].user.must_change_password is False
    # The new password is the one that works now.
    answer = http.post("/api/v1/auth/login", json={"login": user.login, "password": NEW_PASSWORD})
    assert answer.status_code == 200


def test_the_checklist_follows_the_typing(qtbot: Any, ctx: AppContext) -> None:
    dialog = PasswordChangeDialog(
        ctx.raw_api,
        ctx.runner,
        login="jmartin",
        current_password=PASSWORD,
        rules_text="Le mot de passe doit compter au moins 12 caractères.",
    )
    qtbot.addWidget(dialog)
    dialog.new_password.setText("jmartin")
    assert {"length", "upper", "digit", "special", "login", "same"} <= set(dialog.unmet())
    dialog.new_password.setText(PASSWORD)
    dialog.confirmation.setText(PASSWORD)
    assert dialog.unmet() == ["different"]


def test_refusing_the_new_password_closes_the_temporary_session(
    qtbot: Any, ctx: AppContext, world: World
) -> None:
    user = world.person("Jean", "Martin", academic=False, temporary=True)
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, PASSWORD)
    page.log_in()
    qtbot.waitUntil(lambda: page.password_dialog is not None)
    assert page.password_dialog is not None
    page.password_dialog.reject()
    qtbot.waitUntil(lambda: not page.busy)
    assert "mot de passe personnel" in page.bar.text
    assert ctx.raw_api.tokens.access_token is None


def test_the_server_refusal_of_a_new_password_is_shown_beside_the_field(
    qtbot: Any, ctx: AppContext, world: World
) -> None:
    user = world.person("Jean", "Martin", academic=False, temporary=True)
    world.commit()
    ctx.raw_api.log_in(user.login, PASSWORD, remember=False)
    dialog = PasswordChangeDialog(
        ctx.raw_api,
        ctx.runner,
        login="autre",  # the local checklist passes; the server's check does not
        current_password=PASSWORD,
        rules_text="",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    bad = f"{user.login.capitalize()}-2026-ok"
    dialog.new_password.setText(bad)
    dialog.confirmation.setText(bad)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.new_password_error.isVisible())
    assert "ne pas contenir votre identifiant" in dialog.new_password_error.text()


def test_remembered_session_reopens_without_a_password(
    qtbot: Any, http: TestClient, runner: TaskRunner, world: World, memory_keyring: MemoryKeyring
) -> None:
    user = world.person()
    world.commit()
    ImaginClient(http, TokenStore()).log_in(user.login, PASSWORD, remember=True)
    assert memory_keyring.entries  # "Rester connecté" wrote the refresh token
    ctx = AppContext(
        api=ImaginClient(http, TokenStore()),
        runner=runner,
        settings=ClientSettings(server_url=SERVER, last_login=user.login, remember=True),
    )
    page = login_page(qtbot, ctx)
    with qtbot.waitSignal(page.logged_in) as opened:
        assert page.try_remembered()
    assert opened.args[0].user.login == user.login


def test_an_expired_remembered_session_asks_for_the_password(
    qtbot: Any, ctx: AppContext, world: World, memory_keyring: MemoryKeyring
) -> None:
    user = world.person()
    world.commit()
    memory_keyring.set_password("imagin", f"{SERVER}|{user.login}", "revoked-token")
    ctx.settings.last_login, ctx.settings.remember = user.login, True
    page = login_page(qtbot, ctx)
    assert page.try_remembered()
    qtbot.waitUntil(lambda: not page.busy)
    assert "Votre session a expiré" in page.bar.text
    assert page.login.text() == user.login


def test_without_a_keyring_logging_in_still_works(
    qtbot: Any, http: TestClient, runner: TaskRunner, world: World
) -> None:
    user = world.person()
    world.commit()
    ctx = AppContext(
        api=ImaginClient(http, TokenStore(backend=fail.Keyring())),
        runner=runner,
        settings=ClientSettings(server_url=SERVER),
    )
    page = login_page(qtbot, ctx)
    page.remember.setChecked(True)
    type_credentials(page, user.login, PASSWORD)
    with qtbot.waitSignal(page.logged_in):
        page.log_in()
    assert not ctx.raw_api.tokens.persistent
    assert "aucun trousseau" in (ctx.raw_api.tokens.unavailable_message or "")


def test_double_clicking_a_demo_account_fills_the_form(qtbot: Any, ctx: AppContext) -> None:
    page = login_page(qtbot, ctx)
    assert not page.demo_box.isVisible()
    page.set_demo_accounts(
        [
            DemoAccount("edupontm", "Demo-Jury-2026!", "INTERVENANT", "Correctrice"),
            DemoAccount("glemaire", "Demo-Dec-2026!", "GESTIONNAIRE", "Gestionnaire DEC"),
        ]
    )
    assert page.demo_box.isVisible()
    table = page.demo_table
    index = table.model().index(1, 0)
    qtbot.waitUntil(lambda: table.visualRect(index).height() > 0)  # laid out
    rect = table.visualRect(index)
    # A double click is a click, then a second press that Qt reports as a double click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.login.text() == "glemaire"
    assert page.password.text() == "Demo-Dec-2026!"


def test_a_plain_http_address_beyond_this_computer_is_refused(
    qtbot: Any, ctx: AppContext, world: World
) -> None:
    user = world.person()
    world.commit()
    page = login_page(qtbot, ctx)
    type_credentials(page, user.login, PASSWORD)
    page.server.setText("http://imagin.ac-amiens.fr")
    page.log_in()
    assert not page.busy  # nothing was sent
    assert page.options.isVisible() and page.focusWidget() is page.server
    assert page.bar.text.startswith(
        "Connexion refusée : l'adresse http://imagin.ac-amiens.fr n'est pas chiffrée."
    )
    assert page.server.text() == "http://imagin.ac-amiens.fr"  # kept, to be corrected


def test_the_first_screen_says_where_to_log_in_and_opens_the_guide(
    qtbot: Any, ctx: AppContext
) -> None:
    from client.ui.help.guide import GuideDialog

    page = login_page(qtbot, ctx)
    text = page.explanation.text()
    assert "Personnels de l'académie" in text and "messagerie académique" in text
    assert "Intervenants extérieurs" in text and "convocation" in text
    page.explanation.linkActivated.emit("guide:#connexion")
    guides = [w for w in page.findChildren(GuideDialog) if w.isVisible()]
    assert len(guides) == 1
    guide = guides[0]
    qtbot.addWidget(guide)
    # Read from the application's own files: no network involved.
    assert "Se connecter" in guide.browser.toPlainText()
    assert guide.missing_images == []
    qtbot.waitUntil(lambda: guide.browser.verticalScrollBar().value() > 0)  # at "Se connecter"


# --- mot de passe oublié -------------------------------------------------------------------


def _code_sent(db: Any) -> str:
    import re

    from sqlalchemy import select

    from server_stub.notifications.models import OutboxMessage

    db.expire_all()
    [body] = db.scalars(select(OutboxMessage.body_text)).all()
    found = re.search(r"Code de réinitialisation : (\S+)", body)
    assert found is not None, body
    return found.group(1)


def test_a_forgotten_password_is_replaced_with_a_code_sent_by_email(
    qtbot: Any, ctx: AppContext, world: World
) -> None:
    from client.ui.login.reset import ResetPasswordDialog

    user = world.person(academic=False, email="externe@example.fr")
    world.commit()
    page = login_page(qtbot, ctx)
    page.login.setText(user.login)
    page.explanation.linkActivated.emit("reset:")
    dialog = page.reset_dialog
    assert isinstance(dialog, ResetPasswordDialog)
    assert dialog.login.text() == user.login

    with qtbot.waitSignal(dialog.requested):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert dialog.bar.text.startswith("Si un compte d'intervenant extérieur correspond")
    dialog.code.setText(_code_sent(world.db))
    dialog.new_password.setText(NEW_PASSWORD)
    dialog.confirmation.setText(NEW_PASSWORD + "x")
    dialog.change()
    assert dialog.errors["new_password"].text() == "La confirmation ne correspond pas."
    dialog.confirmation.setText(NEW_PASSWORD)
    dialog.grab().save("/tmp/password-reset.png")
    with qtbot.waitSignal(dialog.reset):
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)

    assert page.bar.text == "Votre mot de passe est changé : connectez-vous avec le nouveau."
    page.password.setText(NEW_PASSWORD)
    with qtbot.waitSignal(page.logged_in):
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)


def test_a_wrong_code_is_refused_beside_its_field(
    qtbot: Any, ctx: AppContext, world: World
) -> None:
    from client.ui.login.reset import ResetPasswordDialog

    user = world.person(academic=False, email="externe@example.fr")
    world.commit()
    dialog = ResetPasswordDialog(ctx.raw_api, ctx.runner, user.login)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.code.setText("AAAA-BBBB")
    dialog.new_password.setText(NEW_PASSWORD)
    dialog.confirmation.setText(NEW_PASSWORD)
    dialog.change()
    qtbot.waitUntil(lambda: dialog.errors["code"].isVisible())
    assert dialog.errors["code"].text().startswith("Ce code est incorrect")
