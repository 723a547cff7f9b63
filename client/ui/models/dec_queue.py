"""The DEC workstation's queue: filtered, sorted and paged by the server, loaded as scrolled.

Like `queue.QueueTableModel`, the model asks for the next page only when a view wants more
rows (`canFetchMore`/`fetchMore`), on the worker pool, so that 50,000 statements open at once
and scroll without freezing. Filters and sort go to the server (filtering or sorting what
happens to be loaded would miss the rest): changing either resets the paging. A header click
calls `sort()`, which maps the column to the server's sort key; columns the server cannot sort
by keep the current order.

After an action, `apply_results()` updates the rows in place (status, version) so the list
keeps its place; the status label is the server's, learnt from the rows it sent.

Signals:
    loading_changed(bool): a page is being fetched.
    failed(object): a page could not be fetched; fetching stops until `reload()`.
    page_loaded(int): a page arrived with so many rows.
    ordering_changed(): the sort changed (the view updates its header indicator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from client.api.dec_models import (
    DecQueuePage,
    DecQueueRow,
    ItemResult,
    Ordering,
    QueueFilters,
    QueueSort,
    StatusKind,
    opening_filters,
)
from client.api.models import MissionType, Status
from client.formatting import date_fr, euros
from client.ui import app_style
from client.ui.app_style import ERROR_COLOUR
from client.ui.models.roles import ROW_ROLE
from client.ui.ops import Op
from client.ui.tasks import TaskRunner

PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex
# (filters, ordering, cursor, page size) -> one page; runs on a worker thread.
PageFetcher = Callable[[QueueFilters, Ordering, str | None, int], DecQueuePage]

ANOMALY_COLOUR = ERROR_COLOUR
CLEAN_COLOUR = "#1e6b34"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class DecColumn(Enum):
    # What a gestionnaire decides on comes first: who, the status, the anomalies, the amount.
    ID = 0
    INTERVENANT = 1
    STATUS = 2
    ANOMALIES = 3
    AMOUNT = 4
    MISSION_TYPE = 5
    START = 6
    EXAM = 7
    PAPER = 8
    CENTRE = 9


_COLUMNS = tuple(DecColumn)
_RIGHT_ALIGNED = frozenset({DecColumn.AMOUNT, DecColumn.ID, DecColumn.ANOMALIES})
# The view asks for a dozen roles per cell at every paint: those not answered leave first.
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        ROW_ROLE,
    }
)

SORT_KEYS: dict[DecColumn, QueueSort] = {
    DecColumn.ID: QueueSort.ID,
    DecColumn.INTERVENANT: QueueSort.INTERVENANT,
    DecColumn.START: QueueSort.START_DATE,
    DecColumn.STATUS: QueueSort.STATUS,
    DecColumn.AMOUNT: QueueSort.TOTAL,
}


def mission_type_labels(tr: Callable[[str], str]) -> dict[MissionType, str]:
    return {
        MissionType.CORRECTION: tr("Correction"),
        MissionType.INTERROGATION: tr("Interrogation"),
        MissionType.REUNION: tr("Réunion"),
        MissionType.HARMONISATION: tr("Harmonisation"),
        MissionType.SURVEILLANCE: tr("Surveillance"),
        MissionType.SUBJECT_WRITING: tr("Élaboration de sujets"),
        MissionType.DELIBERATION: tr("Délibération"),
    }


class DecQueueModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    failed = Signal(object)
    page_loaded = Signal(int)
    ordering_changed = Signal()

    def __init__(
        self,
        fetch_page: PageFetcher,
        runner: TaskRunner,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._runner = runner
        self._page_size = page_size
        self._rows: list[DecQueueRow] = []
        self._by_id: dict[int, int] = {}
        # The texts as shown, made once per cell: the view asks again at every paint, and an
        # amount through Babel takes a tenth of a millisecond.
        self._texts: dict[tuple[int, int], str] = {}
        self._filters = opening_filters()
        self._ordering = Ordering()
        self._cursor: str | None = None
        self._exhausted = False
        self._loading = False
        self._failed = False
        self._generation = 0  # bumped by every reset: older pages belong to another list
        self._headers = {
            DecColumn.ID: self.tr("N°"),
            DecColumn.INTERVENANT: self.tr("Intervenant"),
            DecColumn.MISSION_TYPE: self.tr("Type"),
            DecColumn.EXAM: self.tr("Examen"),
            DecColumn.PAPER: self.tr("Épreuve"),
            DecColumn.CENTRE: self.tr("Centre"),
            DecColumn.START: self.tr("Début"),
            DecColumn.STATUS: self.tr("Statut"),
            DecColumn.ANOMALIES: self.tr("Anomalies"),
            DecColumn.AMOUNT: self.tr("Montant"),
        }
        self._type_labels = mission_type_labels(self.tr)
        # The server's labels of the statuses (a row brings its own; an action's result only
        # its status): every status but an open one reads one way to the DEC.
        self._status_labels: dict[Status, str] = {}

    # --- state ----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    @property
    def filters(self) -> QueueFilters:
        return self._filters

    @property
    def ordering(self) -> Ordering:
        return self._ordering

    @property
    def rows(self) -> list[DecQueueRow]:
        return list(self._rows)

    def row(self, number: int) -> DecQueueRow:
        return self._rows[number]

    def row_number(self, statement_id: int) -> int | None:
        return self._by_id.get(statement_id)

    def set_status_kinds(self, kinds: Iterable[StatusKind]) -> None:
        for kind in kinds:
            if kind.done is None:
                self._status_labels[kind.status] = kind.label

    def set_filters(self, filters: QueueFilters) -> None:
        if filters != self._filters:
            self._filters = filters
            self.reload()

    def set_ordering(self, ordering: Ordering) -> None:
        if ordering != self._ordering:
            self._ordering = ordering
            self.ordering_changed.emit()
            self.reload()

    def sort_column(self) -> DecColumn:
        return next(c for c, key in SORT_KEYS.items() if key is self._ordering.sort)

    @property
    def page_size(self) -> int:
        return self._page_size

    def reload(self, first_page: DecQueuePage | None = None) -> None:
        """Forgets what is loaded and asks for the first page again, or shows `first_page`
        when it was read already (with the log-in) with the current filters and sort."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._by_id = {}
        self._texts.clear()
        self._cursor = None
        self._exhausted = False
        self._failed = False
        self._set_loading(False)
        self.endResetModel()
        if first_page is not None:
            self._on_page(self._generation, first_page)
        else:
            self.fetchMore(QModelIndex())

    def apply_results(self, results: Iterable[ItemResult]) -> None:
        """Shows the outcome of an action on the rows it changed, without reloading."""
        for result in results:
            number = self._by_id.get(result.id)
            if number is None or not result.ok or result.status is None:
                continue
            row = self._rows[number]
            self._rows[number] = row.model_copy(
                update={
                    "status": result.status,
                    "status_label": self._status_labels.get(result.status, row.status_label),
                    "version": result.version if result.version is not None else row.version,
                }
            )
            self._forget_texts(number)
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(DecColumn) - 1))

    def replace_row(self, row: DecQueueRow) -> None:
        number = self._by_id.get(row.id)
        if number is not None:
            self._rows[number] = row
            self._forget_texts(number)
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(DecColumn) - 1))

    def _forget_texts(self, number: int) -> None:
        for column in range(len(_COLUMNS)):
            self._texts.pop((number, column), None)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- lazy loading ---------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        if parent.isValid():
            return False
        return not (self._exhausted or self._loading or self._failed)

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        filters, ordering, cursor, size = (
            self._filters,
            self._ordering,
            self._cursor,
            self._page_size,
        )
        self._set_loading(True)
        fetch = self._fetch_page
        Op(self, lambda: fetch(filters, ordering, cursor, size), latest="page").on_success(
            lambda page: self._on_page(generation, page)
        ).on_failure(lambda error: self._on_failure(generation, error)).run(self._runner)

    def _on_page(self, generation: int, page: DecQueuePage) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        items = [item for item in page.items if item.id not in self._by_id]
        if items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
            for offset, item in enumerate(items):
                self._by_id[item.id] = first + offset
                if item.status is not Status.OPEN:
                    self._status_labels[item.status] = item.status_label
            self._rows.extend(items)
            self.endInsertRows()
        self.page_loaded.emit(len(items))

    def _on_failure(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._failed = True  # a view would otherwise ask again at once, and again
        self._set_loading(False)
        self.failed.emit(error)

    # --- Qt -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(DecColumn):
            return
        key = SORT_KEYS.get(DecColumn(column))
        if key is None:
            self.ordering_changed.emit()  # the header goes back to the current sort
            return
        self.set_ordering(Ordering(key, order == Qt.SortOrder.DescendingOrder))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(DecColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(DecColumn):
            return None
        column = DecColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in SORT_KEYS:
                return self.tr("Cliquez pour trier par cette colonne (tri par le serveur).")
            return self.tr("Cette colonne ne se trie pas.")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            DecColumn.AMOUNT,
            DecColumn.ID,
            DecColumn.ANOMALIES,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # No `flags()` override: the base class answers "enabled, selectable" in C++. Qt asks it
    # for every cell of a selection (80,000 calls for 10,000 selected rows during a bulk
    # action): in Python, that alone froze the interface for 0.3 s.

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        number, place = index.row(), index.column()
        if not 0 <= number < len(self._rows) or not 0 <= place < len(_COLUMNS):
            return None
        row = self._rows[number]
        column = _COLUMNS[place]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            key = (number, place)
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self.text(row, column)
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in _RIGHT_ALIGNED else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column is DecColumn.ANOMALIES:
            colour = ANOMALY_COLOUR if row.anomaly_count else CLEAN_COLOUR
            return QBrush(QColor(app_style.readable(colour)))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is DecColumn.INTERVENANT:
                return self.tr("Identifiant : {0}").format(row.login)
            if column is DecColumn.ANOMALIES and row.anomaly_count:
                return ", ".join(row.anomaly_codes)
        if role == ROW_ROLE:
            return row
        return None

    def text(self, row: DecQueueRow, column: DecColumn) -> str:
        match column:
            case DecColumn.ID:
                return str(row.id)
            case DecColumn.INTERVENANT:
                return row.intervenant
            case DecColumn.MISSION_TYPE:
                return self._type_labels.get(row.mission_type, str(row.mission_type))
            case DecColumn.EXAM:
                return row.exam or "—"
            case DecColumn.PAPER:
                return row.paper_code or "—"
            case DecColumn.CENTRE:
                return row.centre
            case DecColumn.START:
                return date_fr(row.start_date)
            case DecColumn.STATUS:
                return row.status_label
            case DecColumn.ANOMALIES:
                return f"⚠ {row.anomaly_count}" if row.anomaly_count else "✓"
            case DecColumn.AMOUNT:
                return euros(row.total)

    def headings(self) -> list[str]:
        return [self._headers[c] for c in DecColumn]
