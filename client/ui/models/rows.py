"""The one table model over plain rows, described by its columns, and its sorting, searching
proxy: every list of the DEC's and the assignment's screens (the detail's lines and days, the
reports, the batches, the dashboard's tables, the needs, the proposal, the candidates…).

Each column is a heading and a function from the row to its text; it may also align its cells
to the right (figures), colour them, give them a tooltip and a sort key. The same columns write
the CSV export, so what is exported is what is shown. `ROW_ROLE` answers the row itself,
`SORT_ROLE` its sort key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from client.ui import app_style
from client.ui.models.convocations import folded
from client.ui.models.roles import ROW_ROLE

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        ROW_ROLE,
        SORT_ROLE,
    }
)


@dataclass(frozen=True)
class Column(Generic[T]):
    heading: str
    text: Callable[[T], str]
    numeric: bool = False
    tooltip: Callable[[T], str | None] | None = None
    colour: Callable[[T], str | None] | None = None
    sort: Callable[[T], Any] | None = None


class RowsModel(QAbstractTableModel, Generic[T]):
    """Plain rows shown through columns, read-only."""

    def __init__(
        self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = list(rows)
        # Made once per cell: sorting asks for each key at every comparison, and the view for
        # each text at every paint (an amount through Babel takes a tenth of a millisecond).
        self._sort_keys: dict[tuple[int, int], Any] = {}
        self._texts: dict[tuple[int, int], str] = {}

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_keys.clear()
        self._texts.clear()
        self.endResetModel()

    def row(self, number: int) -> T:
        return self._rows[number]

    def rows(self) -> list[T]:
        return list(self._rows)

    def search_text(self, number: int) -> str:
        row = self._rows[number]
        return folded(" ".join(column.text(row) for column in self.columns))

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Headings and cells, as shown (for the CSV export)."""
        headings = [c.heading for c in self.columns]
        return headings, [[c.text(r) for c in self.columns] for r in self._rows]

    # --- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].heading
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self.columns[section].numeric else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell each time they lay out: the others go first.
        if role not in _ANSWERED or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(row)
            return QColor(app_style.readable(colour)) if colour else None
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            key = (index.row(), index.column())
            if key not in self._sort_keys:
                value = column.sort(row) if column.sort else folded(self._text(*key))
                self._sort_keys[key] = _sortable(value)
            return self._sort_keys[key]
        return None

    def _text(self, number: int, place: int) -> str:
        key = (number, place)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self.columns[place].text(self._rows[number])
        return text


def _sortable(value: Any) -> Any:
    # QVariant compares numbers, strings and dates; Decimal and tuples are made comparable.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple):
        return "|".join(f"{v:012}" if isinstance(v, int) else str(v) for v in value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


class RowsProxy(QSortFilterProxyModel):
    """Sorts on the values and keeps the rows matching every search word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        words = folded(text).split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not self._words or not isinstance(model, RowsModel):
            return True
        haystack = model.search_text(source_row)
        return all(word in haystack for word in self._words)

    def row_at(self, proxy_row: int) -> Any:
        return self.index(proxy_row, 0).data(ROW_ROLE)
