"""The DEC's workstation: the queue of statements with its filters, the detail of the one
under the cursor, the actions on the selection, payment batches and the dashboard.

Keyboard first: V or Ctrl+Entrée validates the selection, R returns it, C corrects the counts,
I enters the indemnity, J/K (or Ctrl+↓/↑) move to the next or previous statement, Ctrl+F goes
to the search box, Ctrl+E exports the list as CSV. Every action on many statements is sent
in chunks in the background, can be cancelled between chunks and ends with a per-statement
report.

Signals:
    action_finished(object): a bulk action ended (its `BulkReport`).
    detail_loaded(object): the detail pane shows this `DecStatement`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from client.api.dec import DecApi
from client.api.dec_models import (
    BulkResult,
    DecQueueRow,
    DecStatement,
    Ordering,
    QueueFilters,
    ReferenceLists,
    ReturnReason,
    ServiceDoneOut,
    StatementRef,
)
from client.api.documents import DocumentsApi
from client.api.errors import InvalidInput, StaleVersion
from client.api.models import DocumentFile
from client.formatting import plural
from client.ui import annual_statement, app_style, first_screen
from client.ui.context import AppContext
from client.ui.dec.actions import (
    CHUNK,
    ApprovalDialog,
    BulkProgress,
    BulkReport,
    ChunkedAction,
    CorrectionDialog,
    IndemnityDialog,
    ReasonDialog,
    ReportDialog,
    approval_summary,
)
from client.ui.dec.commands import commands, help_line
from client.ui.dec.detail import DecDetailPane
from client.ui.dec.export import ask_path, export_table
from client.ui.dec.filters import FilterBar
from client.ui.documents.viewer import DocumentViewer
from client.ui.errors import field_messages, message_for
from client.ui.lazy_tabs import LazyTabs
from client.ui.models.dec_queue import PAGE_SIZE, DecColumn, DecQueueModel
from client.ui.ops import Op
from client.ui.tasks import Task
from client.ui.widgets import MessageBar, RowsView

if TYPE_CHECKING:
    from client.ui.dec.dashboard import DashboardPane
    from client.ui.dec.payment import PaymentPane

log = logging.getLogger(__name__)

DETAIL_DELAY_MS = 120  # holding J down skims the list without asking for every detail
EXPORT_PAGE = 500


def dec_api(ctx: AppContext) -> DecApi:
    """The DEC's API over the application's client, reporting a lost session like the rest."""
    return cast(DecApi, ctx.guard.wrap(cast(Any, DecApi(ctx.raw_api))))


class QueuePane(QWidget):
    """Filters, the queue, the detail and the actions on the selection."""

    action_finished = Signal(object)
    detail_loaded = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        api: DecApi,
        *,
        page_size: int = PAGE_SIZE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = api
        self.runner = ctx.runner
        self.setProperty("helpTopic", "dec_queue")
        self.return_reasons: list[ReturnReason] = []
        self.dialog: QDialog | None = None  # the dialog an action has open (tests reach it)
        self.report_dialog: ReportDialog | None = None
        self.last_report: BulkReport | None = None
        self.bulk: ChunkedAction | None = None
        cancel = QAction(self)
        cancel.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        cancel.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.triggered.connect(lambda: self.bulk is not None and self.progress.on_cancel())
        self.addAction(cancel)

        def fetch(filters: QueueFilters, ordering: Ordering, cursor: str | None, limit: int) -> Any:
            return api.statements(filters, ordering, cursor=cursor, limit=limit)

        self.model = DecQueueModel(fetch, ctx.runner, page_size=page_size, parent=self)
        self.status = app_style.hint()
        self.progress = BulkProgress()
        self.detail = DecDetailPane()
        self.model.loading_changed.connect(self._update_status)
        self.model.page_loaded.connect(self._update_status)
        self.model.modelReset.connect(self._on_reset)
        self.model.failed.connect(self._on_failed)
        self.model.ordering_changed.connect(self._show_ordering)

        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.reload)
        self.filters = FilterBar(api, ctx.runner)
        self.filters.changed.connect(self.apply_filters)
        self.filters.failed.connect(self._on_failed)
        self.filters.status_kinds_loaded.connect(self.model.set_status_kinds)

        self.table = RowsView(self.tr("États de frais"), multi=True)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        # The header gets a selection of its own, always empty: with the table's, each paint
        # of the header asks whether every column is selected, which walks every selected
        # row in Python (0.15 s for 10,000 rows, at each progress step of a bulk action).
        self._header_selection = QItemSelectionModel(self.model, self)
        header.setSelectionModel(self._header_selection)
        header.setSortIndicatorShown(True)
        samples = {
            DecColumn.ID: "000000",
            DecColumn.INTERVENANT: "Pierre-Yves Delcourt",
            DecColumn.MISSION_TYPE: "Interrogation",
            DecColumn.EXAM: "Baccalauréat pro.",
            DecColumn.PAPER: "E12",
            DecColumn.CENTRE: "Lycée professionnel n° 10",
            DecColumn.START: "00/00/0000",
            DecColumn.STATUS: "Traité par le gestionnaire",
            DecColumn.ANOMALIES: "⚠ 0",
            DecColumn.AMOUNT: "10 000,00 €",
        }
        self.table.fit_columns(samples={c.value: text for c, text in samples.items()})
        header.setSectionResizeMode(DecColumn.EXAM.value, QHeaderView.ResizeMode.Interactive)
        self._show_ordering()
        self.table.setSortingEnabled(True)  # asks the model to sort by the indicator: no change
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(lambda _index: self.detail.setFocus())

        self.detail.action_requested.connect(self.on_detail_action)
        self.detail.documents_changed.connect(self.tick_documents)
        self.detail.annual_statement_requested.connect(self.print_annual_statement)
        self.detail.open_viewer = self.open_viewer
        self.viewer: DocumentViewer | None = None  # the viewer open (tests reach it)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self.load_detail)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        # The queue's first five columns (number, name, status, anomalies, amount) whole at
        # 1180 pixels with the help pane open; the detail takes what is left, and the rest
        # of every wider window. Set again once the pane has its width, and as the names
        # loaded widen their column, until the person moves the divider.
        self.splitter.setSizes([self._first_columns_width(), 360])
        self._divider_moved = False
        self.splitter.splitterMoved.connect(self._on_divider_moved)
        self.model.page_loaded.connect(self._fit_names)

        self.action_for: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        toolbar = QHBoxLayout()
        self.commands = commands()
        stretched = False
        for command in self.commands:
            action = QAction(command.text, self)
            action.setShortcuts(list(command.shortcuts))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(command.tooltip())
            action.triggered.connect(getattr(self, command.slot))
            self.addAction(action)
            self.action_for[command.key] = action
            button = QPushButton(command.text)
            button.setToolTip(command.tooltip())
            button.clicked.connect(action.trigger)
            self.buttons[command.key] = button
            if command.rare and not stretched:  # the rare actions apart, on the right
                toolbar.addStretch(1)
                stretched = True
            toolbar.addWidget(button)
        refresh = QPushButton(self.tr("Actualiser"))
        refresh.setToolTip(self.tr("Recharger la liste (F5)"))
        refresh.clicked.connect(self.reload)
        toolbar.addWidget(refresh)

        # Single letters act only while the list has the focus (they are typed elsewhere).
        letters: dict[str, Callable[[], None]] = {
            c.letter: getattr(self, c.slot) for c in self.commands if c.letter
        }
        letters.update(J=self.next_statement, K=self.previous_statement)
        for letter, slot in letters.items():
            self._shortcut(
                self.table, QKeySequence(letter), slot, Qt.ShortcutContext.WidgetShortcut
            )
        for sequence, slot in (
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Down), self.next_statement),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Up), self.previous_statement),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_F), self.focus_search),
        ):
            self._shortcut(self, sequence, slot, Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.help_line = app_style.hint(help_line(self.commands))
        self.help_line.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.filters)
        layout.addLayout(toolbar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.help_line)
        self.setTabOrder(self.filters.search, self.table)
        self._update_status()
        self._update_actions()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # A hidden (closing, retired) pane asks nothing more of the server.
        self._detail_timer.stop()
        super().hideEvent(event)

    def _shortcut(
        self,
        widget: QWidget,
        sequence: QKeySequence,
        slot: Callable[[], None],
        context: Qt.ShortcutContext,
    ) -> None:
        action = QAction(widget)
        action.setShortcut(sequence)
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        widget.addAction(action)

    # --- loading ------------------------------------------------------------------------------

    def _first_columns_width(self) -> int:
        header = self.table.horizontalHeader()
        first = (
            DecColumn.ID,
            DecColumn.INTERVENANT,
            DecColumn.STATUS,
            DecColumn.ANOMALIES,
            DecColumn.AMOUNT,
        )
        scroll = self.table.verticalScrollBar().sizeHint().width()
        return sum(header.sectionSize(c.value) for c in first) + scroll + 4

    def _on_divider_moved(self, *_args: object) -> None:
        self._divider_moved = True

    def _fit_names(self, count: int) -> None:
        """Widens the name column to the longest name of the page that arrived (within the
        usual maximum): a name is never cut while the column has room to grow."""
        column = DecColumn.INTERVENANT.value
        metrics = self.table.fontMetrics()
        model = self.model
        total = model.rowCount()
        widest = max(
            (
                metrics.horizontalAdvance(model.row(n).intervenant)
                for n in range(max(total - count, 0), total)
            ),
            default=0,
        )
        header = self.table.horizontalHeader()
        wanted = min(widest + 24, 320)
        if wanted > header.sectionSize(column):
            header.resizeSection(column, wanted)
            self._share_width()

    def _share_width(self) -> None:
        """The queue gets its first five columns, the detail the rest."""
        total = sum(self.splitter.sizes())
        if self._divider_moved or total <= 0:
            return
        detail = self.detail.minimumSizeHint().width()
        queue = min(self._first_columns_width(), max(total - detail, 0))
        self.splitter.setSizes([queue, total - queue])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._share_width()

    def start(self) -> None:
        # The queue's first page (on « À valider ») before anything else, fetched with the
        # log-in when it could be: the lists only fill the filters.
        start = self.ctx.prefetched.take(first_screen.DEC_QUEUE)
        model = self.model
        if isinstance(start, first_screen.QueueStart) and (
            start.filters,
            start.ordering,
            start.limit,
        ) == (model.filters, model.ordering, model.page_size):
            model.reload(first_page=start.page)
        else:
            model.reload()
        self.load_lists()

    def reload(self) -> None:
        """The queue again, and the reference lists refreshed (F5, « Actualiser »)."""
        self.bar.hide()
        self.model.reload()
        self.load_lists(refresh=True)

    def load_lists(self, refresh: bool = False) -> None:
        """The filters' lists and the return reasons: one request, kept for the session."""
        api = self.api
        Op(self, lambda: api.reference_lists(refresh=refresh), latest="lists").on_success(
            self._on_lists
        ).on_failure(self._on_lists_failed).run(self.runner)

    def _on_lists(self, lists: ReferenceLists) -> None:
        self.filters.show_lists(lists)
        self.return_reasons = lists.return_reasons

    def _on_lists_failed(self, error: BaseException) -> None:
        self.filters.failed.emit(error)

    def apply_filters(self) -> None:
        self.model.set_filters(self.filters.filters())

    def _on_reset(self) -> None:
        self.detail.clear()
        self._update_status()
        self._update_actions()

    def _show_ordering(self) -> None:
        ordering = self.model.ordering
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(
            self.model.sort_column().value,
            Qt.SortOrder.DescendingOrder if ordering.descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)

    def _on_failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error), self.tr("Réessayer"))
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        count = self.model.rowCount()
        shown = plural(count, self.tr("état de frais chargé"), self.tr("états de frais chargés"))
        selected = len(self.selected_rows())
        if selected:
            shown += " · " + plural(selected, self.tr("sélectionné"), self.tr("sélectionnés"))
        if self.model.loading:
            text = self.tr("{0} ; chargement de la suite…").format(shown)
        elif self.model.exhausted:
            text = self.tr("{0} : la liste est complète.").format(shown)
        else:
            text = self.tr("{0} ; faites défiler pour voir la suite.").format(shown)
        self.status.setText(text)

    def _update_actions(self, *_args: object) -> None:
        rows = self.selected_rows()
        busy = self.bulk is not None
        for key, action in self.action_for.items():
            action.setEnabled(key == "export" or (bool(rows) and not busy))
            self.buttons[key].setEnabled(action.isEnabled())
        if len(rows) == 1 and self.detail.current is not None:
            allowed = self.detail.current.actions
            self.action_for["correct"].setEnabled(allowed.correct and not busy)
            self.buttons["correct"].setEnabled(allowed.correct and not busy)
        elif len(rows) != 1:
            self.action_for["correct"].setEnabled(False)
            self.buttons["correct"].setEnabled(False)
        self._update_status()

    # --- the selection and the detail ----------------------------------------------------------

    def selected_rows(self) -> list[DecQueueRow]:
        # Read from the selection's ranges: 10,000 selected rows are a handful of ranges,
        # while `selectedRows()` builds one index per row.
        numbers: set[int] = set()
        selection = self.table.selectionModel().selection()
        for selected in (selection.at(i) for i in range(selection.count())):
            numbers.update(range(selected.top(), selected.bottom() + 1))
        count = self.model.rowCount()
        return [self.model.row(n) for n in sorted(numbers) if n < count]

    def select_rows(self, numbers: Sequence[int]) -> None:
        """Selects these rows at once (one selection change, however many rows)."""
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        ordered = sorted(set(numbers))
        start = previous = ordered[0] if ordered else 0
        for number in [*ordered[1:], None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            if ordered:
                selection.select(self.model.index(start, 0), self.model.index(previous, last))
            if number is not None:
                start = previous = number
        model = self.table.selectionModel()
        model.select(
            selection,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if ordered:
            model.setCurrentIndex(
                self.model.index(ordered[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self._detail_timer.start()
        self._update_actions()

    def go_to(self, number: int) -> None:
        if not 0 <= number < self.model.rowCount():
            return
        index = self.model.index(number, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def next_statement(self) -> None:
        current = self.table.currentIndex()
        number = current.row() + 1 if current.isValid() else 0
        if number >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        self.go_to(number)

    def previous_statement(self) -> None:
        current = self.table.currentIndex()
        self.go_to(max(current.row() - 1, 0) if current.isValid() else 0)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._detail_timer.start()
        else:
            self.detail.clear()

    def current_row(self) -> DecQueueRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    def load_detail(self) -> None:
        row = self.current_row()
        if row is None:
            return
        api = self.api
        Op(self, lambda: api.statement(row.id), latest="detail").on_success(
            self.show_detail
        ).on_failure(self._on_failed).run(self.runner)

    def show_detail(self, detail: DecStatement) -> None:
        self.detail.show_statement(detail)
        row_number = self.model.row_number(detail.statement.id)
        if row_number is not None:
            row = self.model.row(row_number)
            self.model.replace_row(
                row.model_copy(
                    update={
                        "status": detail.statement.status,
                        "status_label": detail.statement.labels.dec,
                        "version": detail.statement.version,
                        "total": detail.statement.computation.total,
                        "anomaly_count": len(detail.anomalies),
                        "anomaly_codes": [a.code for a in detail.anomalies],
                        "service_done": detail.service_done is not None,
                        "dec_corrected": detail.dec_corrected,
                    }
                )
            )
        self._update_actions()
        self.detail_loaded.emit(detail)

    # --- bulk actions ---------------------------------------------------------------------------

    def confirm(self, text: str) -> bool:
        """Asks before acting on many statements; replaced in tests."""
        answer = QMessageBox.question(
            self,
            self.tr("Confirmer"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_approval(self, rows: Sequence[DecQueueRow]) -> list[DecQueueRow]:
        """Before validating many: the counts by anomaly and of missing constats de service
        fait, with the choice to leave the flagged ones out; the rows to validate (none when
        cancelled). Replaced in tests."""
        labels = {kind.code: kind.label for kind in self.filters.anomaly_kinds}
        dialog = ApprovalDialog(approval_summary(rows, labels), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        chosen = dialog.chosen_ids()
        return [r for r in rows if chosen is None or r.id in chosen]

    def _refs(self, rows: Sequence[DecQueueRow]) -> list[tuple[int, int | None]]:
        return [(row.id, row.version) for row in rows]

    def run_bulk(
        self,
        action: str,
        call: Callable[[Sequence[StatementRef]], BulkResult],
        rows: Sequence[DecQueueRow],
    ) -> ChunkedAction | None:
        if not rows or self.bulk is not None:
            return None
        bulk = ChunkedAction(self.runner, action, call, self._refs(rows), parent=self)
        bulk.chunk_done.connect(lambda answer: self.model.apply_results(answer.results))
        bulk.finished.connect(self._on_bulk_finished)
        self.bulk = bulk
        self._update_actions()
        if len(rows) > CHUNK:
            self.progress.follow(
                bulk,
                self.tr("{0} de {1}…").format(
                    action, plural(len(rows), self.tr("état de frais"), self.tr("états de frais"))
                ),
            )
        else:
            self.status.setText(self.tr("{0} en cours…").format(action))
        bulk.start()
        return bulk

    def _on_bulk_finished(self, report: BulkReport) -> None:
        finished, self.bulk = self.bulk, None
        if finished is not None:
            finished.deleteLater()
        self.last_report = report
        self._update_actions()
        done = len(report.done)
        if report.failed or report.not_sent or report.error is not None:
            names = {row.id: row.intervenant for row in self.model.rows}
            self.report_dialog = ReportDialog(
                report, lambda i: names.get(i, "—"), self.runner, self
            )
            self.report_dialog.open()
            self.bar.warning(
                self.tr("{0} : {1} ; voir le compte rendu.").format(
                    report.action,
                    plural(
                        done, self.tr("état de frais traité"), self.tr("états de frais traités")
                    ),
                )
            )
        else:
            self.bar.success(
                self.tr("{0} : {1}.").format(
                    report.action,
                    plural(
                        done, self.tr("état de frais traité"), self.tr("états de frais traités")
                    ),
                )
            )
        before = self.current_row()
        self.action_finished.emit(report)  # may move on to the next statement (V)
        current = self.current_row()
        if current is not None and before is not None and current.id == before.id:
            self.load_detail()  # the statement acted on, as it is now

    def approve(self, rows: Sequence[DecQueueRow]) -> ChunkedAction | None:
        return self.run_bulk(self.tr("Validation"), lambda refs: self.api.approve(refs), rows)

    def return_(
        self, rows: Sequence[DecQueueRow], reason: str, code: str | None = None
    ) -> ChunkedAction | None:
        return self.run_bulk(
            self.tr("Renvoi"),
            lambda refs: self.api.return_(refs, reason, reason_code=code),
            rows,
        )

    def cancel(self, rows: Sequence[DecQueueRow], reason: str) -> ChunkedAction | None:
        return self.run_bulk(
            self.tr("Annulation"), lambda refs: self.api.cancel(refs, reason), rows
        )

    def uncancel(self, rows: Sequence[DecQueueRow], reason: str | None) -> ChunkedAction | None:
        return self.run_bulk(
            self.tr("Rétablissement"), lambda refs: self.api.uncancel(refs, reason), rows
        )

    def on_approve(self) -> None:
        rows = self.selected_rows()
        if not rows or self.bulk is not None:
            return
        if len(rows) > 1:
            chosen = self.confirm_approval(rows)
            if not chosen:
                return
            rows = chosen
        if len(rows) == 1:
            # One at a time, keyboard first: the next statement comes up at once.
            self.action_finished.connect(self._advance_once)
        self.approve(rows)

    def _advance_once(self, report: BulkReport) -> None:
        self.action_finished.disconnect(self._advance_once)
        if report.done and not report.failed:
            self.next_statement()

    def _ask_reason(
        self,
        title: str,
        prompt: str,
        reasons: Sequence[ReturnReason],
        required: bool,
        then: Callable[[str, str | None], object],
    ) -> None:
        dialog = ReasonDialog(title, prompt, reasons, required=required, parent=self)
        dialog.accepted.connect(lambda: then(dialog.reason, dialog.reason_code))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _count(self, rows: Sequence[DecQueueRow]) -> str:
        return plural(len(rows), self.tr("état de frais"), self.tr("états de frais"))

    def on_return(self) -> None:
        rows = self.selected_rows()
        if rows and self.bulk is None:
            self._ask_reason(
                self.tr("Renvoyer à l'intervenant"),
                self.tr("Renvoyer {0}. L'intervenant lira ce motif :").format(self._count(rows)),
                self.return_reasons,
                True,
                lambda reason, code: self.return_(rows, reason, code),
            )

    def on_cancel(self) -> None:
        rows = self.selected_rows()
        if rows and self.bulk is None:
            self._ask_reason(
                self.tr("Annuler des états de frais"),
                self.tr("Annuler {0} (ils pourront être rétablis). Motif :").format(
                    self._count(rows)
                ),
                [],
                True,
                lambda reason, _code: self.cancel(rows, reason),
            )

    def on_uncancel(self) -> None:
        rows = self.selected_rows()
        if rows and self.bulk is None:
            self._ask_reason(
                self.tr("Rétablir des états de frais annulés"),
                self.tr("Rétablir {0} dans leur statut d'avant l'annulation.").format(
                    self._count(rows)
                ),
                [],
                False,
                lambda reason, _code: self.uncancel(rows, reason or None),
            )

    def on_detail_action(self, key: str) -> None:
        current = self.current_row()
        if current is not None and [r.id for r in self.selected_rows()] != [current.id]:
            number = self.model.row_number(current.id)
            if number is not None:
                self.select_rows([number])
        [command] = [c for c in self.commands if c.key == key]
        getattr(self, command.slot)()

    # --- one statement ------------------------------------------------------------------------

    def print_annual_statement(self, user_id: int, name: str) -> None:
        """The annual statement of the sums the caller's offices paid to a person."""
        api = self.api
        annual_statement.print_annual_statement(
            self, self.ctx, self.bar, lambda year: api.annual_payments(user_id, year), whose=name
        )

    def on_correct(self) -> None:
        detail = self.detail.current
        rows = self.selected_rows()
        if detail is None or len(rows) != 1 or rows[0].id != detail.statement.id:
            self.bar.info(self.tr("Choisissez un seul état de frais pour corriger son décompte."))
            return
        dialog = CorrectionDialog(detail.statement, self)
        self.dialog = dialog

        def send() -> None:
            statement = detail.statement
            entry, comment = dialog.entry(), dialog.comment_text
            api = self.api
            Op(
                self, lambda: api.correct(statement.id, statement.version, entry, comment)
            ).on_success(corrected).on_failure(refused).run(self.runner)

        def corrected(updated: DecStatement) -> None:
            dialog.finish()
            self._after_single(updated, self.tr("Décompte corrigé."))

        def refused(error: BaseException) -> None:
            # The same rules as the intervenant's own entry: their messages beside the day.
            if isinstance(error, InvalidInput):
                dialog.show_field_errors(field_messages(error), error.detail)
                return
            dialog.finish()
            self._on_single_failed(error)

        dialog.submitted.connect(send)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def on_indemnity(self) -> None:
        rows = self.selected_rows()
        if not rows or self.bulk is not None:
            return
        detail = self.detail.current
        single = detail is not None and len(rows) == 1 and rows[0].id == detail.statement.id
        dialog = IndemnityDialog(
            len(rows), detail.direct_indemnity if single and detail else None, self
        )
        self.dialog = dialog

        def send() -> None:
            amount, comment = dialog.value, dialog.comment_text
            if amount is None:
                return
            if single and detail is not None:
                statement = detail.statement
                api = self.api
                Op(
                    self,
                    lambda: api.enter_indemnity(statement.id, statement.version, amount, comment),
                ).on_success(
                    lambda d: self._after_single(d, self.tr("Indemnité enregistrée."))
                ).on_failure(self._on_single_failed).run(self.runner)
            else:
                self.run_bulk(
                    self.tr("Saisie de l'indemnité"),
                    lambda refs: self.api.enter_indemnities(refs, amount, comment),
                    rows,
                )

        dialog.accepted.connect(send)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _after_single(self, detail: DecStatement, message: str) -> None:
        self.bar.success(message)
        self.show_detail(detail)

    def _on_single_failed(self, error: BaseException) -> None:
        if isinstance(error, StaleVersion):
            self.bar.warning(
                self.tr(
                    "Un collègue a modifié cet état de frais pendant votre saisie : il est "
                    "rechargé, vérifiez-le puis recommencez."
                )
            )
            self.load_detail()
            return
        self.bar.error(message_for(error))

    def open_viewer(self, label: str, files: list[DocumentFile], received: bool) -> None:
        """The files of one document in the in-app viewer; its « Pièce reçue » ticks the
        document as its box in the detail does."""
        if self.viewer is not None:
            self.viewer.close()
        documents = DocumentsApi(self.ctx.api)
        viewer = DocumentViewer(
            label, files, documents.content, self.runner, received=received, parent=self
        )
        viewer.received_changed.connect(lambda on: self.detail.set_received(label, on))
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.destroyed.connect(lambda: setattr(self, "viewer", None))
        self.viewer = viewer
        viewer.show()

    def tick_documents(self, received: list[str]) -> None:
        detail = self.detail.current
        if detail is None:
            return
        statement_id = detail.statement.id
        api = self.api
        Op(self, lambda: api.tick_documents(statement_id, received), latest="documents").on_success(
            self.show_detail
        ).on_failure(self._on_single_failed).run(self.runner)

    def on_service_done(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        missions = list(dict.fromkeys(row.mission_id for row in rows))
        # The "…" of the button promises a question: even for one mission, it is asked.
        names = list(
            dict.fromkeys(f"{row.exam or ''} {row.paper_code or ''}".strip() for row in rows)
        )
        shown = ", ".join(n for n in names[:3] if n) + (" …" if len(names) > 3 else "")
        if not self.confirm(
            self.tr(
                "Constater le service fait de {0}{1} ? Les états de frais de ces missions "
                "pourront être validés."
            ).format(
                plural(len(missions), self.tr("mission"), self.tr("missions")),
                f" ({shown})" if shown else "",
            )
        ):
            return
        api = self.api
        Op(self, lambda: api.record_service_done(missions)).on_success(
            self._on_service_done
        ).on_failure(self._on_single_failed).run(self.runner)

    def _on_service_done(self, answer: ServiceDoneOut) -> None:
        failed = [r for r in answer.results if not r.ok]
        text = self.tr("Service fait constaté : {0}.").format(
            plural(answer.done, self.tr("mission"), self.tr("missions"))
        )
        if failed:
            reasons = "; ".join(
                self.tr("mission {0} : {1}").format(r.mission_id, r.reason or r.outcome.value)
                for r in failed[:5]
            )
            self.bar.warning(f"{text} {self.tr('Refusé pour')} {reasons}.")
        else:
            self.bar.success(text)
        if self.current_row() is not None:
            self.load_detail()

    # --- export --------------------------------------------------------------------------------

    def export_queue(self, path: Any) -> Task:
        """Every statement of the current filters and sort (not only those loaded), as CSV."""
        filters, ordering, model, api = (
            self.model.filters,
            self.model.ordering,
            self.model,
            self.api,
        )

        def table(task: Task) -> tuple[list[str], list[list[str]]]:
            rows: list[list[str]] = []
            cursor: str | None = None
            while not task.cancelled:
                page = api.statements(filters, ordering, cursor=cursor, limit=EXPORT_PAGE)
                rows.extend([model.text(item, c) for c in DecColumn] for item in page.items)
                task.progress(len(rows), 0)
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            return model.headings(), rows

        self.status.setText(self.tr("Export en cours…"))
        return (
            export_table(self, path, table)
            .on_success(
                lambda n: self.bar.success(
                    self.tr("Liste exportée : {0} dans {1}.").format(
                        plural(n, self.tr("ligne"), self.tr("lignes")), path
                    )
                )
            )
            .on_failure(lambda error: self.bar.error(message_for(error)))
            .on_progress(
                lambda done, _total: self.status.setText(
                    self.tr("Export en cours… {0} lignes lues.").format(done)
                )
            )
            .run(self.runner)
        )

    def on_export(self) -> None:
        path = ask_path(
            self,
            self.tr("Exporter la liste"),
            "etats-de-frais.csv",
            self.tr("Fichiers CSV (*.csv)"),
        )
        if path is not None:
            self.export_queue(path)


class DecWorkstation(QWidget):
    """The DEC's workspace: the queue, payment batches and the dashboard, in tabs."""

    page_changed = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        from client.ui.dec import dashboard, payment

        self.ctx = ctx
        self.setProperty("helpTopic", "dec_queue")
        self.api = dec_api(ctx)
        self.queue = QueuePane(ctx, self.api, page_size=page_size)
        title = app_style.page_title(self.tr("Poste de travail de la DEC"))
        self.tabs = LazyTabs()
        # Room above the capitals: "É" of an unselected tab is otherwise clipped. On the tab
        # bar alone: a style sheet of the tab widget made each pane added to it polished
        # anew, widget by widget.
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 5px 12px; }")
        self.tabs.add_page(self.tr("États de frais"), self.queue)
        # The payment and the dashboard are made in turns of their own once the queue shows
        # (or when first asked for): with the queue, they lengthened the log-in's freeze.
        self.tabs.add(
            self.tr("Paiement"),
            lambda: payment.PaymentPane(ctx, self.api),
            payment.HELP_TOPIC,
        )
        self.tabs.add(
            self.tr("Tableau de bord"),
            lambda: dashboard.DashboardPane(ctx, self.api),
            dashboard.HELP_TOPIC,
        )
        for number, key in enumerate("123"):
            action = QAction(self)
            action.setShortcut(QKeySequence(Qt.Modifier.ALT | getattr(Qt.Key, f"Key_{key}")))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, n=number: self.tabs.setCurrentIndex(n))
            self.addAction(action)
            self.tabs.setTabToolTip(number, self.tr("Alt+{0}").format(key))
        self.tabs.currentChanged.connect(self._on_tab)
        self._started: set[int] = set()
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def currentWidget(self) -> QWidget:  # noqa: N802 - read by the main window's help pane
        return self.tabs.currentWidget()

    @property
    def payment(self) -> PaymentPane:
        return cast("PaymentPane", self.tabs.page(1))

    @property
    def dashboard(self) -> DashboardPane:
        return cast("DashboardPane", self.tabs.page(2))

    def start(self) -> None:
        self._started = {0}
        self.queue.start()
        self.tabs.make_the_rest_later()

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.queue:
            self.queue.reload()
        elif current is self.payment:
            self.payment.reload()
        else:
            self.dashboard.reload()

    def maybe_close(self) -> bool:
        bulk = self.queue.bulk
        if bulk is None:
            return True
        if not self.queue.confirm(
            self.tr("Une action est en cours : quitter l'arrêtera après le paquet en cours.")
        ):
            return False
        bulk.cancel()
        return True

    def _on_tab(self, number: int) -> None:
        if number not in self._started:
            self._started.add(number)
            if number == 1:
                self.payment.start()
            elif number == 2:
                self.dashboard.start()
        elif number == 1:
            self.payment.reload()
        self.page_changed.emit()
