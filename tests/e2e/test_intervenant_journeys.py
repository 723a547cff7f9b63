"""The intervenant's journeys, from log-in to validation, with the real server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from client.api.models import MealKind, Status
from client.formatting import euros
from client.ui.main_window import MainWindow
from client.ui.missions.workspace import MissionsWorkspace
from client.ui.statement import dialogs
from client.ui.statement.editor import StatementEditor
from client.ui.statement.meals import MealsNightsPage
from client.ui.statement.service import ServicePage
from client.ui.statement.steps import Step
from client.ui.statement.travel import TravelPage
from server_stub.auth.models import User
from server_stub.rules.model import MissionType
from tests.e2e.conftest import LiveServer
from tests.server_stub.factories import PASSWORD, World

pytestmark = pytest.mark.e2e

JUNE_15 = dt.date(2026, 6, 15)
JUNE_16 = dt.date(2026, 6, 16)
NEW_PASSWORD = "Correcteur-Amiens-2026"


def log_in(qtbot: Any, window: MainWindow, user: User, password: str = PASSWORD) -> None:
    page = window.login_page
    page.login.setText(user.login)
    page.password.setText(password)
    with qtbot.waitSignal(window.workspace_shown, timeout=10_000):
        page.submit.click()


def missions(window: MainWindow) -> MissionsWorkspace:
    workspace = window.workspace
    assert isinstance(workspace, MissionsWorkspace)
    return workspace


def open_mission(qtbot: Any, window: MainWindow, statement_id: int) -> None:
    workspace = missions(window)
    page = workspace.list_page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    page.all.setChecked(True)
    row = next(
        r
        for r in range(page.proxy.rowCount())
        if page.model.rows()[page.proxy.mapToSource(page.proxy.index(r, 0)).row()].statement_id
        == statement_id
    )
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    detail = workspace.detail_page
    qtbot.waitUntil(
        lambda: detail.statement is not None and detail.statement.id == statement_id,
        timeout=10_000,
    )


def open_editor(qtbot: Any, window: MainWindow, statement_id: int) -> StatementEditor:
    open_mission(qtbot, window, statement_id)
    workspace = missions(window)
    qtbot.mouseClick(workspace.detail_page.edit_button, Qt.MouseButton.LeftButton)
    editor = workspace.editor
    assert isinstance(editor, StatementEditor)
    qtbot.waitUntil(lambda: editor.statement is not None, timeout=10_000)
    return editor


def page(editor: StatementEditor, step: Step) -> Any:
    return editor.page(step)


def wait_total(qtbot: Any, editor: StatementEditor, total: str) -> None:
    expected = f"Total {euros(Decimal(total))}"
    qtbot.waitUntil(lambda: expected in editor.totals.text(), timeout=10_000)


def save(qtbot: Any, editor: StatementEditor) -> None:
    with qtbot.waitSignal(editor.statement_changed, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def close_editor(qtbot: Any, window: MainWindow) -> None:
    workspace = missions(window)
    with qtbot.waitSignal(workspace.currentChanged, timeout=10_000):
        workspace.editor.closed.emit()


def server_view(server: LiveServer, user: User, password: str, statement_id: int) -> Any:
    with httpx.Client(base_url=server.url) as http:
        token = http.post(
            "/api/v1/auth/login", json={"login": user.login, "password": password}
        ).json()["access_token"]
        return http.get(
            f"/api/v1/statements/{statement_id}", headers={"Authorization": f"Bearer {token}"}
        ).json()


def test_first_log_in_then_a_correction_filled_saved_reopened_and_validated(
    qtbot: Any, app: MainWindow, world: World, server: LiveServer, monkeypatch: Any
) -> None:
    user = world.person("Jean", "Martin", academic=False, temporary=True)
    statement = world.statement(user, world.mission(start=JUNE_15, end=JUNE_16))

    # First connection: the temporary password must be replaced before anything else.
    login = app.login_page
    login.login.setText(user.login)
    login.password.setText(PASSWORD)
    login.submit.click()
    qtbot.waitUntil(lambda: login.password_dialog is not None, timeout=10_000)
    dialog = login.password_dialog
    assert "au moins 12 caractères" in dialog.rules_label.text()
    dialog.new_password.setText(NEW_PASSWORD)
    dialog.confirmation.setText(NEW_PASSWORD)
    with qtbot.waitSignal(app.workspace_shown, timeout=10_000):
        dialog.save_button.click()

    editor = open_editor(qtbot, app, statement.id)
    page(editor, Step.SERVICE).inputs_of(JUNE_15)["copies"].setValue(42)
    wait_total(qtbot, editor, "210.00")
    save(qtbot, editor)
    close_editor(qtbot, app)

    again = open_editor(qtbot, app, statement.id)
    assert page(again, Step.SERVICE).inputs_of(JUNE_15)["copies"].value() == 42
    qtbot.mouseClick(again.steps.button(Step.RECAP), Qt.MouseButton.LeftButton)
    monkeypatch.setattr(
        dialogs,
        "confirm_validation",
        lambda parent, pledges, *_warnings_and_deadline: {"accurate": True, "no_overtime": True},
    )
    with qtbot.waitSignal(again.statement_changed, timeout=10_000) as validated:
        qtbot.mouseClick(again.validate_button, Qt.MouseButton.LeftButton)
    assert validated.args[0].status is Status.SUBMITTED
    assert again.read_only
    assert "Validé" in again.status.text()

    stored = server_view(server, user, NEW_PASSWORD, statement.id)
    assert stored["labels"]["intervenant"] == "Validé"
    assert stored["computation"]["total"] == "210.00"


def test_declaring_a_mission_not_performed(
    qtbot: Any, app: MainWindow, world: World, server: LiveServer
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(start=JUNE_15))
    log_in(qtbot, app, user)
    open_mission(qtbot, app, statement.id)
    detail = missions(app).detail_page
    qtbot.mouseClick(detail.not_performed_button, Qt.MouseButton.LeftButton)
    dialog = detail.not_performed_dialog
    dialog.reason.setPlainText("Remplacée par un collègue")
    dialog.accept()
    qtbot.waitUntil(
        lambda: detail.statement is not None and detail.statement.status is Status.NOT_PERFORMED,
        timeout=10_000,
    )
    stored = server_view(server, user, PASSWORD, statement.id)
    assert stored["labels"]["intervenant"] == "Mission non effectuée (déclarée)"
    assert stored["reason"] == "Remplacée par un collègue"


def test_an_oral_with_two_half_days(
    qtbot: Any, app: MainWindow, world: World, server: LiveServer
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(MissionType.INTERROGATION, start=JUNE_15))
    log_in(qtbot, app, user)
    editor = open_editor(qtbot, app, statement.id)
    service: ServicePage = page(editor, Step.SERVICE)
    inputs = service.inputs_of(JUNE_15)
    inputs["candidates.AM"].setValue(12)
    inputs["candidates.PM"].setValue(9)
    # Taux 3 orals at 9,60 € an hour, 20 minutes a candidate:
    # morning 12 × 20 min = 4 h → 38,40 € ; afternoon 9 × 20 min = 3 h → 28,80 €.
    wait_total(qtbot, editor, "67.20")
    save(qtbot, editor)
    stored = server_view(server, user, PASSWORD, statement.id)
    assert [line["amount"] for line in stored["computation"]["lines"]] == ["38.40", "28.80"]


def test_a_car_trip_with_a_meal_and_a_night(
    qtbot: Any, app: MainWindow, world: World, server: LiveServer
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(start=JUNE_15, end=JUNE_16))
    log_in(qtbot, app, user)
    editor = open_editor(qtbot, app, statement.id)
    page(editor, Step.SERVICE).inputs_of(JUNE_15)["copies"].setValue(40)
    qtbot.mouseClick(editor.steps.button(Step.TRAVEL), Qt.MouseButton.LeftButton)
    travel: TravelPage = page(editor, Step.TRAVEL)
    travel.claimed.setChecked(True)
    qtbot.mouseClick(travel.rows()[1].remove, Qt.MouseButton.LeftButton)
    trip = travel.rows()[0]
    trip.depart_time.setTime(trip.depart_time.time().fromString("07:00", "HH:mm"))
    trip.return_date.setDate(trip.return_date.date().addDays(1))
    trip.return_time.setTime(trip.return_time.time().fromString("19:00", "HH:mm"))
    trip.km.setValue(120)

    meals: MealsNightsPage = page(editor, Step.MEALS_NIGHTS)
    qtbot.waitUntil(lambda: len(meals.night_rows()) == 1, timeout=10_000)
    qtbot.mouseClick(editor.steps.button(Step.MEALS_NIGHTS), Qt.MouseButton.LeftButton)
    [(_, lunch, _)] = [row for row in meals.meal_rows() if row[0] == (JUNE_15, MealKind.LUNCH)]
    lunch.setChecked(True)
    [(_, night, cost)] = meals.night_rows()
    night.setChecked(True)
    cost.setValue(78)
    # 40 × 5,00 = 200,00 ; 120 km × 0,32 = 38,40 ; lunch 20,00 ; night 78,00 (under 90,00).
    wait_total(qtbot, editor, "336.40")
    save(qtbot, editor)

    stored = server_view(server, user, PASSWORD, statement.id)
    kinds = [line["kind"] for line in stored["computation"]["lines"]]
    assert kinds == ["COPIES", "KILOMETRIC", "MEAL", "NIGHT"]
    assert "Facture d'hôtel acquittée" in stored["computation"]["documents"]


def test_the_server_lost_mid_edit_loses_nothing_and_saves_when_back(
    qtbot: Any, app: MainWindow, world: World, server: LiveServer
) -> None:
    user = world.person()
    statement = world.statement(user, world.mission(start=JUNE_15))
    log_in(qtbot, app, user)
    editor = open_editor(qtbot, app, statement.id)

    server.stop()
    page(editor, Step.SERVICE).inputs_of(JUNE_15)["copies"].setValue(42)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "injoignable" in editor.messages.text, timeout=15_000)
    assert editor.has_unsaved_changes()
    assert page(editor, Step.SERVICE).inputs_of(JUNE_15)["copies"].value() == 42

    server.start()
    [retry] = [b for b in editor.messages.findChildren(QPushButton) if b.text() == "Réessayer"]
    with qtbot.waitSignal(editor.statement_changed, timeout=15_000):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert not editor.has_unsaved_changes()
    stored = server_view(server, user, PASSWORD, statement.id)
    assert stored["computation"]["total"] == "210.00"
