"""The DEC's statement queue as a table that loads itself one page at a time.

The server pages the queue with a cursor; the model asks for the next page only when a view
wants more rows (`canFetchMore`/`fetchMore`), on the worker pool, so that a session of tens of
thousands of statements opens at once and scrolls without freezing. The search words are sent
to the server (`q`): filtering what happens to be loaded would miss the rest.

Signals:
    loading_changed(bool): a page is being fetched.
    failed(object): a page could not be fetched (the exception); fetching stops until `reload()`.
    page_loaded(int): a page arrived with so many rows.
"""

from __future__ import annotations

from collections.abc import Callable
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

from client.api.models import MissionType, QueuePage, QueueRow
from client.formatting import date_fr, euros
from client.ui.tasks import TaskRunner

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex
# (cursor, search words, page size) -> one page of the queue; runs on a worker thread.
PageFetcher = Callable[[str | None, str | None, int], QueuePage]


class QueueColumn(Enum):
    INTERVENANT = 0
    MISSION_TYPE = 1
    EXAM = 2
    PAPER = 3
    CENTRE = 4
    START = 5
    STATUS = 6
    AMOUNT = 7


class QueueTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    failed = Signal(object)
    page_loaded = Signal(int)

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
        self._rows: list[QueueRow] = []
        self._query: str | None = None
        self._cursor: str | None = None
        self._exhausted = False
        self._loading = False
        self._failed = False
        # Bumped by every reset: a page asked for before it belongs to another list.
        self._generation = 0
        self._key = f"dec-queue-{id(self)}"
        self._headers = {
            QueueColumn.INTERVENANT: self.tr("Intervenant"),
            QueueColumn.MISSION_TYPE: self.tr("Type"),
            QueueColumn.EXAM: self.tr("Examen"),
            QueueColumn.PAPER: self.tr("Épreuve"),
            QueueColumn.CENTRE: self.tr("Centre"),
            QueueColumn.START: self.tr("Début"),
            QueueColumn.STATUS: self.tr("Statut"),
            QueueColumn.AMOUNT: self.tr("Montant"),
        }
        self._type_labels = {
            MissionType.CORRECTION: self.tr("Correction"),
            MissionType.INTERROGATION: self.tr("Interrogation"),
            MissionType.REUNION: self.tr("Réunion"),
            MissionType.HARMONISATION: self.tr("Harmonisation"),
            MissionType.SURVEILLANCE: self.tr("Surveillance"),
            MissionType.SUBJECT_WRITING: self.tr("Élaboration de sujets"),
            MissionType.DELIBERATION: self.tr("Délibération"),
        }

    # --- state ----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """Whether every row of the queue is loaded."""
        return self._exhausted

    @property
    def query(self) -> str | None:
        return self._query

    def row(self, number: int) -> QueueRow:
        return self._rows[number]

    def set_query(self, text: str) -> None:
        """Shows only the statements matching these words (searched by the server)."""
        query = " ".join(text.split()) or None
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        """Forgets what is loaded and asks for the first page again."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._exhausted = False
        self._failed = False
        self._set_loading(False)
        self.endResetModel()
        self.fetchMore(QModelIndex())

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
        generation, cursor, query, size = (
            self._generation,
            self._cursor,
            self._query,
            self._page_size,
        )
        self._set_loading(True)
        self._runner.run(
            lambda: self._fetch_page(cursor, query, size),
            on_success=lambda page: self._on_page(generation, page),
            on_failure=lambda error: self._on_failure(generation, error),
            key=self._key,
        )

    def _on_page(self, generation: int, page: QueuePage) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self.endInsertRows()
        self.page_loaded.emit(len(page.items))

    def _on_failure(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        # Stop here: a view would otherwise ask again at once, and again.
        self._failed = True
        self._set_loading(False)
        self.failed.emit(error)

    # --- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(QueueColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(QueueColumn):
            return None
        column = QueueColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column is QueueColumn.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = QueueColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is QueueColumn.AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is QueueColumn.INTERVENANT:
            return self.tr("Identifiant : {0}").format(row.login)
        if role == ROW_ROLE:
            return row
        return None

    def _text(self, row: QueueRow, column: QueueColumn) -> str:
        match column:
            case QueueColumn.INTERVENANT:
                return row.intervenant
            case QueueColumn.MISSION_TYPE:
                return self._type_labels.get(row.mission_type, str(row.mission_type))
            case QueueColumn.EXAM:
                return row.exam or "—"
            case QueueColumn.PAPER:
                return row.paper_code or "—"
            case QueueColumn.CENTRE:
                return row.centre
            case QueueColumn.START:
                return date_fr(row.start_date)
            case QueueColumn.STATUS:
                return row.status_label
            case QueueColumn.AMOUNT:
                return euros(row.total)
