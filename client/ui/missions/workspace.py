"""The intervenant's workspace: the list of missions, one mission's detail, the statement editor.

The editor (`client.ui.statement`) is imported when first opened: it is the heaviest screen and
most sessions start by looking at the list.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from client.api.models import Convocation, Statement
from client.ui import first_screen
from client.ui.context import AppContext
from client.ui.missions.detail import MissionDetailPage, convocation_from
from client.ui.missions.list_page import MissionsListPage

log = logging.getLogger(__name__)


def _statement_editor() -> Any:
    """The editor class, imported at first use (it pulls reportlab and the step pages)."""
    from client.ui.statement.editor import StatementEditor

    return StatementEditor


class MissionsWorkspace(QStackedWidget):
    """Signals:
    page_changed(): the page shown changed (the help pane follows).
    profile_requested(): open the person's profile (to give their financial file).
    """

    profile_requested = Signal()

    page_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor: Any = None  # client.ui.statement.StatementEditor, imported when needed
        self.list_page = MissionsListPage(ctx)
        self.detail_page = MissionDetailPage(ctx)
        self.addWidget(self.list_page)
        self.addWidget(self.detail_page)
        self.list_page.open_requested.connect(self.open_convocation)
        self.detail_page.back_requested.connect(self.show_list)
        self.detail_page.edit_requested.connect(self.open_editor)
        self.detail_page.convocation_changed.connect(self.list_page.update_convocation)
        self.list_page.profile_requested.connect(self.profile_requested)
        self.detail_page.profile_requested.connect(self.profile_requested)
        self.currentChanged.connect(lambda _: self.page_changed.emit())

    def start(self) -> None:
        rows = self.ctx.prefetched.take(first_screen.CONVOCATIONS)
        if rows is not None:
            self.list_page.show_convocations(rows)  # fetched with the log-in
        else:
            self.list_page.reload()
        self.list_page.focus_table()

    def refresh(self) -> None:
        """F5: the list again, and the mission shown if any."""
        self.list_page.reload()
        if self.currentWidget() is self.detail_page:
            self.detail_page.load_statement()

    def maybe_close(self) -> bool:
        """Whether the workspace may go (the editor asks about unsaved changes)."""
        if self.editor is not None:
            return bool(self.editor.maybe_close())
        return True

    # --- navigation -----------------------------------------------------------------------

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_page)
        self.list_page.focus_table()

    def open_convocation(self, convocation: Convocation) -> None:
        self.detail_page.show_convocation(convocation)
        self.setCurrentWidget(self.detail_page)
        self.detail_page.edit_button.setFocus()

    def open_editor(self, statement: Statement) -> None:
        try:
            editor_class = _statement_editor()
        except ImportError:
            log.exception("statement editor unavailable")
            self.detail_page.bar.error(
                self.tr("L'éditeur d'état de frais n'est pas disponible dans cette version.")
            )
            return
        self._drop_editor()
        editor = editor_class(
            self.ctx.api,
            self.ctx.runner,
            self.ctx.drafts(),
            statement.id,
            parent=self,
            recaps_folder=self.ctx.recaps_folder(),
            open_url=self.ctx.open_url,
            statement=statement,
        )
        editor.closed.connect(self._on_editor_closed)
        editor.statement_changed.connect(self._on_statement_changed)
        self.editor = editor
        self.addWidget(editor)
        self.setCurrentWidget(editor)

    def _on_statement_changed(self, statement: Statement) -> None:
        self.detail_page.set_statement(statement)
        convocation = self.detail_page.convocation
        if convocation is not None and convocation.statement_id == statement.id:
            self.list_page.update_convocation(convocation_from(convocation, statement))

    def _on_editor_closed(self) -> None:
        self.setCurrentWidget(self.detail_page)
        self._drop_editor()
        # The detail already shows what the editor last had from the server
        # (statement_changed): nothing to read again.
        self.detail_page.edit_button.setFocus()

    def _drop_editor(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            self.removeWidget(editor)
            self.ctx.retire(editor)
