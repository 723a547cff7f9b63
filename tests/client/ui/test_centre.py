"""Missions de mon centre against the real server: the missions by day and by paper, who came,
the constat de service fait recorded in bulk and corrected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import update

from client.ui.centre.workspace import MISSION_ROLE, CentreWorkspace
from client.ui.context import AppContext
from server_stub.auth.models import Role
from server_stub.reference.models import Mission
from server_stub.statements.models import Statement, Status
from tests.client.ui.conftest import log_in_as
from tests.server_stub.factories import World


class Centre:
    def __init__(self, world: World) -> None:
        centre = world.centre()
        centre.name = "Lycée Jules Verne"
        self.first: Mission = world.mission(centre=centre, start=dt.date(2026, 6, 15))
        self.second: Mission = world.mission(centre=centre, start=dt.date(2026, 6, 16))
        self.later: Mission = world.mission(centre=centre, start=dt.date(2026, 9, 8))
        self.elsewhere: Mission = world.mission()
        self.present = world.person("Paul", "Martin")
        absent = world.person("Claire", "Petit")
        world.statement(self.present, self.first)
        statement = world.statement(absent, self.first)
        world.db.execute(
            update(Statement)
            .where(Statement.id == statement.id)
            .values(status=Status.NOT_PERFORMED, reason="Enfant malade")
        )
        self.chef = world.person("Hélène", "Roux", role=Role.CHEF_CENTRE, centres=[centre.id])
        world.commit()


@pytest.fixture
def page(qtbot: Any, ctx: AppContext, world: World) -> tuple[CentreWorkspace, Centre]:
    centre = Centre(world)
    ctx.identity = log_in_as(ctx.raw_api, centre.chef).user
    workspace = CentreWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 600)
    workspace.show()
    with qtbot.waitSignal(workspace.loaded):
        workspace.start()
    return workspace, centre


def _items(workspace: CentreWorkspace) -> dict[int, Any]:
    found = {}
    for g in range(workspace.tree.topLevelItemCount()):
        group = workspace.tree.topLevelItem(g)
        for c in range(group.childCount()):
            item = group.child(c)
            found[item.data(0, MISSION_ROLE)] = item
    return found


def test_the_missions_of_the_centre_by_day_with_who_came(
    page: tuple[CentreWorkspace, Centre],
) -> None:
    workspace, centre = page
    assert (
        workspace.summary.text()
        == "3 missions ; 2 missions commencées sans constat de service fait."
    )
    groups = [
        workspace.tree.topLevelItem(i).text(0) for i in range(workspace.tree.topLevelItemCount())
    ]
    assert groups == ["Lundi 15 juin 2026", "Mardi 16 juin 2026", "Mardi 8 septembre 2026"]
    items = _items(workspace)
    assert set(items) == {centre.first.id, centre.second.id, centre.later.id}
    first = items[centre.first.id]
    assert first.text(3) == "1 (+ 1 absent)"
    assert first.text(4) == "À constater"
    assert items[centre.later.id].text(4) == "Mission à venir"
    workspace.tree.setCurrentItem(first)
    assert (
        "Claire Petit : Mission déclarée non effectuée (Enfant malade)" in workspace.detail.text()
    )
    assert "Paul Martin : Convoqué(e)" in workspace.detail.text()

    workspace.showing.setCurrentIndex(CentreWorkspace.MISSING)
    assert set(_items(workspace)) == {centre.first.id, centre.second.id}
    workspace.grouping.setCurrentIndex(CentreWorkspace.BY_PAPER)
    assert workspace.tree.topLevelItem(0).text(0).startswith("Épreuve E")


def test_the_service_is_recorded_for_several_missions_then_corrected(
    qtbot: Any, page: tuple[CentreWorkspace, Centre]
) -> None:
    workspace, centre = page
    items = _items(workspace)
    items[centre.first.id].setSelected(True)
    items[centre.second.id].setSelected(True)
    assert workspace.record_button.isEnabled() and not workspace.correct_button.isEnabled()

    qtbot.mouseClick(workspace.record_button, Qt.MouseButton.LeftButton)
    dialog = workspace.service_dialog
    assert dialog is not None
    dialog.date.setDate(QDate(2026, 6, 16))  # the server's today is 01/07/2026
    dialog.remark.setPlainText("Deux copies rendues le lendemain")
    dialog.grab().save("/tmp/centre-service-dialog.png")
    with qtbot.waitSignal(workspace.loaded):
        dialog.accept()
    assert workspace.bar.text == "2 constats enregistrés."
    assert workspace.summary.text() == "3 missions ; aucun constat de service fait en attente."
    items = _items(workspace)
    assert items[centre.first.id].text(4) == "Constaté le 16/06/2026"
    workspace.tree.setCurrentItem(items[centre.first.id])
    assert "Deux copies rendues le lendemain" in workspace.detail.text()
    workspace.grab().save("/tmp/centre-workspace.png")
    assert workspace.correct_button.isEnabled()
    qtbot.mouseClick(workspace.correct_button, Qt.MouseButton.LeftButton)
    dialog = workspace.service_dialog
    assert dialog is not None
    assert dialog.remark.toPlainText() == "Deux copies rendues le lendemain"
    dialog.date.setDate(QDate(2026, 6, 15))
    dialog.remark.clear()
    with qtbot.waitSignal(workspace.loaded):
        dialog.accept()
    assert workspace.bar.text == "Le constat est corrigé."
    items = _items(workspace)
    assert items[centre.first.id].text(4) == "Constaté le 15/06/2026"
    workspace.tree.setCurrentItem(items[centre.first.id])
    assert "(constat corrigé)" in workspace.detail.text()
