"""The help topics are the ones the built screens name: each topic a screen names has its page,
and each page is named by a screen (or encloses a topic one names), with no hand-kept list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from client.api.admin_models import TariffFile
from client.drafts import DraftStore
from client.ui.admin.accounts import AccountDialog
from client.ui.admin.tariffs import TariffVersionDialog
from client.ui.admin.workspace import AdministrationWorkspace
from client.ui.assignment.declarations import DeclarationsPage
from client.ui.assignment.workspace import AssignmentWorkspace
from client.ui.centre.workspace import CentreWorkspace, ServiceDialog
from client.ui.context import AppContext
from client.ui.dec.workstation import DecWorkstation
from client.ui.help import topics
from client.ui.help.pane import HELP_TOPIC
from client.ui.login.password import PasswordChangeDialog
from client.ui.login.reset import ResetPasswordDialog
from client.ui.main_window import MainWindow
from client.ui.missions.dialogs import ExportDialog, NotPerformedDialog
from client.ui.missions.workspace import MissionsWorkspace
from client.ui.profile.dialog import ProfileDialog
from client.ui.statement.editor import StatementEditor
from client.ui.statement.meals import MealsNightsPage
from client.ui.statement.travel import TravelPage
from server_stub.rules.model import MissionType
from tests.client.ui.conftest import Intervenant, log_in_as
from tests.server_stub.factories import World


def named(*roots: QWidget) -> set[str]:
    """Every topic named by `roots` or a widget inside them."""
    found = set()
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            value = widget.property(HELP_TOPIC)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def editor_on(qtbot: QtBot, ctx: AppContext, tmp_path: Path, statement_id: int) -> StatementEditor:
    editor = StatementEditor(ctx.api, ctx.runner, DraftStore(tmp_path / "drafts"), statement_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.statement is not None)
    return editor


def test_every_named_topic_has_its_page_and_every_page_is_named(
    qtbot: QtBot, ctx: AppContext, intervenant: Intervenant, world: World, tmp_path: Path
) -> None:
    user = intervenant.user
    meeting = world.statement(user, world.mission(MissionType.REUNION, start=dt.date(2026, 6, 16)))
    watch = world.statement(
        user, world.mission(MissionType.SURVEILLANCE, start=dt.date(2026, 6, 17))
    )
    world.commit()
    screens: list[Any] = []

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screens.append(window)
    password = PasswordChangeDialog(
        ctx.raw_api, ctx.runner, login=user.login, current_password="x", rules_text="—"
    )
    qtbot.addWidget(password)
    reset = ResetPasswordDialog(ctx.raw_api, ctx.runner)
    qtbot.addWidget(reset)
    screens += [password, reset]

    ctx.identity = log_in_as(ctx.raw_api, user).user
    missions = MissionsWorkspace(ctx)
    qtbot.addWidget(missions)
    with qtbot.waitSignal(missions.list_page.loaded):
        missions.start()
    convocation = missions.list_page.model.rows()[0]
    missions.open_convocation(convocation)
    qtbot.waitUntil(lambda: missions.detail_page.statement is not None)
    screens += [missions, NotPerformedDialog(convocation), ExportDialog([convocation])]
    profile = ProfileDialog(ctx)
    qtbot.addWidget(profile)
    screens.append(profile)

    for statement_id in (intervenant.correction.id, intervenant.oral.id, meeting.id, watch.id):
        editor = editor_on(qtbot, ctx, tmp_path, statement_id)
        screens.append(editor)
    # Travel claimed for the correction: its trips, then the meals the server proposes, show.
    correction = screens[-4]
    [travel] = correction.findChildren(TravelPage)
    travel.claimed.setChecked(True)
    [meals] = correction.findChildren(MealsNightsPage)
    qtbot.waitUntil(lambda: bool(meals.meal_rows()), timeout=10_000)
    dec = DecWorkstation(ctx)
    qtbot.addWidget(dec)
    centre = CentreWorkspace(ctx)
    qtbot.addWidget(centre)
    day = dt.date(2026, 6, 15)
    service = ServiceDialog("Constat", "Service fait.", day, day)
    qtbot.addWidget(service)
    assignment = AssignmentWorkspace(ctx)
    qtbot.addWidget(assignment)
    declarations = DeclarationsPage(ctx)
    qtbot.addWidget(declarations)
    administration = AdministrationWorkspace(ctx)
    qtbot.addWidget(administration)
    account = AccountDialog(["DEC"], [])
    qtbot.addWidget(account)
    meetings = {"file": "meetings", "title": "Réunions", "editable": True, "note": None,
                "labels": {}, "versions": [{"version": "r", "source": "s",
                "valid_from": "2012-05-03", "valid_to": None, "added": False, "added_at": None,
                "added_by": None, "values": {"hourly_rate": "0.00"}}]}  # fmt: skip
    tariff = TariffVersionDialog(TariffFile.model_validate(meetings), day)
    qtbot.addWidget(tariff)
    screens += [dec, centre, service, assignment, declarations, administration, account, tariff]
    for work in (dec, assignment, administration):  # their tabs, made once they show
        for number in range(work.tabs.count()):
            work.tabs.page(number)

    shown = named(*screens)
    pages = set(topics.available_topics())
    assert shown - pages == set(), "topics named by a screen without a page"
    unnamed = {
        page
        for page in pages - {topics.GENERAL}
        if not any(topic == page or topic.startswith(f"{page}.") for topic in shown)
    }
    assert unnamed == set(), "pages no screen names"


def test_each_dec_assignment_and_declarations_screen_has_its_own_topic(
    qtbot: QtBot, ctx: AppContext, world: World
) -> None:
    from client.ui.help.pane import topic_for

    manager = world.gestionnaire()
    world.commit()
    ctx.identity = log_in_as(ctx.raw_api, manager).user
    dec = DecWorkstation(ctx)
    qtbot.addWidget(dec)
    assignment = AssignmentWorkspace(ctx)
    qtbot.addWidget(assignment)
    declarations = DeclarationsPage(ctx)
    qtbot.addWidget(declarations)
    screens = (
        {dec.tabs.tabText(n): dec.tabs.widget(n) for n in range(dec.tabs.count())}
        | {
            assignment.tabs.tabText(n): assignment.tabs.widget(n)
            for n in range(assignment.tabs.count())
        }
        | {
            declarations.tabs.tabText(n): declarations.tabs.widget(n)
            for n in range(declarations.tabs.count())
        }
    )
    assert len(screens) == 11
    shown = {name: topic_for(widget) for name, widget in screens.items()}
    assert len(set(shown.values())) == len(shown), shown
    assert topics.GENERAL not in shown.values()
    titles = {topics.title_of(topic) for topic in shown.values()}
    assert len(titles) == len(shown), titles
    for topic in shown.values():
        assert "guide:#" in (topics.topic_html(topic) or ""), topic
