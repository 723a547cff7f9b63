"""Few round trips per action, counted on the application's own HTTP client talking to the real
server over TCP: the first screen's data leaves with the log-in, the DEC's reference lists come
in one request kept for the session, the editor opens on the statement the detail holds."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from client.ui.dec.workstation import DecWorkstation
from client.ui.main_window import MainWindow
from client.ui.statement.editor import StatementEditor
from tests.e2e.test_intervenant_journeys import JUNE_15, log_in, missions, open_mission
from tests.server_stub.dec.helpers import copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World

pytestmark = pytest.mark.e2e


class Sent:
    """The requests the application sends, and for each whether the interface had heard of
    the log-in's answer when it left."""

    def __init__(self, window: MainWindow) -> None:
        self.requests: list[tuple[str, str]] = []
        self.before_interface: list[bool] = []
        self._window = window
        self._lock = threading.Lock()
        window.ctx.raw_api.http.event_hooks["request"].append(self._on_request)

    def _on_request(self, request: httpx.Request) -> None:
        with self._lock:
            path = request.url.path.removeprefix("/api/v1")
            self.requests.append((request.method, path))
            # The interface sets the identity when the log-in's answer reaches it.
            self.before_interface.append(self._window.ctx.identity is None)

    def since(self, start: int) -> list[tuple[str, str]]:
        with self._lock:
            return self.requests[start:]

    def __len__(self) -> int:
        with self._lock:
            return len(self.requests)


def test_an_intervenant_logs_in_opens_a_mission_and_its_editor_in_three_round_trips(
    qtbot: Any, app: MainWindow, world: World
) -> None:
    """The editor shows the statement the detail read, without asking the server again; the
    list of attached files it asks for fills the recap's documents in the background."""
    user = intervenant(world)
    statement = world.statement(user, world.mission(start=JUNE_15, end=JUNE_15))
    world.commit()
    sent = Sent(app)
    log_in(qtbot, app, user)
    page = missions(app).list_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert sent.since(0) == [("POST", "/auth/login"), ("GET", "/convocations")]
    # Chained on the log-in's worker, not asked by the interface once it had the answer.
    assert sent.before_interface[:2] == [True, True]

    open_mission(qtbot, app, statement.id)
    workspace = missions(app)
    qtbot.mouseClick(workspace.detail_page.edit_button, Qt.MouseButton.LeftButton)
    editor = workspace.editor
    assert isinstance(editor, StatementEditor)
    qtbot.waitUntil(lambda: editor.statement is not None, timeout=10_000)  # its local draft
    # The recap's page, made a few turns after the first step's, asks for the attached files.
    qtbot.waitUntil(lambda: len(sent.since(2)) == 2, timeout=10_000)
    with qtbot.waitSignal(workspace.currentChanged, timeout=10_000):
        editor.closed.emit()
    qtbot.wait(200)
    assert sent.since(2) == [
        ("GET", f"/statements/{statement.id}"),
        ("GET", f"/statements/{statement.id}/documents"),
    ]


def test_the_dec_workstation_opens_on_its_queue_then_one_request_for_its_lists(
    qtbot: Any, app: MainWindow, world: World
) -> None:
    manager = gestionnaire(world)
    first, second = submitted(world, entry=copies(30)), submitted(world, entry=copies(20))
    world.commit()
    sent = Sent(app)
    log_in(qtbot, app, manager)
    desk = app.workspace
    assert isinstance(desk, DecWorkstation)
    queue = desk.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: bool(queue.return_reasons), timeout=10_000)
    assert sent.since(0) == [
        ("POST", "/auth/login"),
        ("GET", "/dec/statements"),
        ("GET", "/dec/reference-lists"),
    ]
    assert sent.before_interface == [True, True, False]
    assert queue.filters.session.count() == 2  # « Toutes » and the session
    assert queue.filters.anomaly.count() > 3

    # The dashboard and the payment pane take their sessions from the lists already read.
    start = len(sent)
    desk.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: desk.dashboard.current is not None, timeout=10_000)
    assert sent.since(start) == [("GET", "/dec/dashboard")]
    start = len(sent)
    desk.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: desk.payment.session.count() == 2, timeout=10_000)
    qtbot.wait(200)
    assert sent.since(start) == [("GET", "/dec/payment-batches")]

    # V on one statement: the approval, then the next statement's detail, nothing else.
    desk.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(queue.detail_loaded, timeout=10_000):
        queue.go_to(queue.model.row_number(first.id) or 0)
    queue.table.setFocus()
    qtbot.waitUntil(queue.table.hasFocus)
    start = len(sent)
    with qtbot.waitSignal(queue.detail_loaded, timeout=10_000):
        qtbot.keyClick(queue.table, Qt.Key.Key_V)
    qtbot.wait(300)
    assert sent.since(start) == [
        ("POST", "/dec/statements/approve"),
        ("GET", f"/dec/statements/{second.id}"),
    ]
