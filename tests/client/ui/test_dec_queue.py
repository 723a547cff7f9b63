"""The DEC's queue against the real server: lazy pages, search, failures."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from client.ui.dec.queue import DecQueuePage
from client.ui.login.session import AppContext
from client.ui.models.queue import QueueColumn
from tests.client.ui.conftest import log_in_as
from tests.server_stub.factories import World

PEOPLE = [
    ("Élodie", "Dupont-Martin"),
    ("Jean", "Lefebvre"),
    ("Sophie", "Moreau"),
    ("Nicolas", "Dupuis"),
    ("Claire", "Bernard"),
]


@pytest.fixture
def queue(qtbot: Any, ctx: AppContext, world: World) -> DecQueuePage:
    for first, last in PEOPLE:
        world.statement(world.person(first, last))
    manager = world.gestionnaire()
    world.commit()
    ctx.identity = log_in_as(ctx.raw_api, manager).user
    page = DecQueuePage(ctx, page_size=2)
    qtbot.addWidget(page)
    page.resize(1100, 360)  # room for a few rows only: the view asks for more on scrolling
    page.show()
    return page


def test_the_first_page_comes_alone(qtbot: Any, queue: DecQueuePage) -> None:
    model = queue.model
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() >= 2 and not model.loading)
    assert model.index(0, QueueColumn.INTERVENANT.value).data() == "Élodie Dupont-Martin"
    assert model.index(0, QueueColumn.MISSION_TYPE.value).data() == "Correction"
    assert model.index(0, QueueColumn.STATUS.value).data()


def test_fetch_more_loads_the_following_pages(qtbot: Any, queue: DecQueuePage) -> None:
    model = queue.model
    model.reload()
    while not model.exhausted:
        qtbot.waitUntil(lambda: not model.loading)
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
    assert model.rowCount() == len(PEOPLE)
    names = [model.row(n).intervenant for n in range(model.rowCount())]
    assert names == [f"{first} {last}" for first, last in PEOPLE]
    assert "la liste est complète" in queue.status.text()
    assert queue.status.text().startswith("5 états de frais chargés")


def test_scrolling_to_the_end_loads_the_rest(qtbot: Any, queue: DecQueuePage) -> None:
    queue.start()
    qtbot.waitUntil(lambda: queue.model.rowCount() >= 2)
    for _ in range(len(PEOPLE)):
        if queue.model.exhausted:
            break
        qtbot.waitUntil(lambda: not queue.model.loading)
        queue.table.scrollToBottom()  # the view asks the model for more when it reaches the end
    qtbot.waitUntil(lambda: queue.model.exhausted)
    assert queue.model.rowCount() == len(PEOPLE)


def test_search_asks_the_server(qtbot: Any, queue: DecQueuePage) -> None:
    queue.start()
    qtbot.waitUntil(lambda: not queue.model.loading)
    queue.search.setText("dupu")
    queue.search.returnPressed.emit()
    qtbot.waitUntil(lambda: queue.model.exhausted and not queue.model.loading)
    assert [queue.model.row(n).intervenant for n in range(queue.model.rowCount())] == [
        "Nicolas Dupuis"
    ]


def test_an_intervenant_cannot_read_the_queue(qtbot: Any, ctx: AppContext, world: World) -> None:
    user = world.person()
    world.commit()
    ctx.identity = log_in_as(ctx.raw_api, user).user
    page = DecQueuePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.failed):
        page.start()
    assert "réservée aux gestionnaires" in page.bar.text
    assert not page.model.canFetchMore(QModelIndex())
