"""A list of things to tick (the recaps to export), with the ticks kept outside the rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class CheckableListModel(QAbstractListModel, Generic[T]):
    """Rows of any kind, shown with `label(row)`, each with a check box."""

    def __init__(
        self,
        rows: Sequence[T],
        label: Callable[[T], str],
        checked: Iterable[int] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._label = label
        self._checked = set(checked)

    def checked_rows(self) -> list[T]:
        return [row for number, row in enumerate(self._rows) if number in self._checked]

    def checked_count(self) -> int:
        return len(self._checked)

    def set_all(self, checked: bool) -> None:
        self._checked = set(range(len(self._rows))) if checked else set()
        if self._rows:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.CheckStateRole]
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(self._rows[index.row()])
        if role == Qt.ItemDataRole.CheckStateRole:
            ticked = index.row() in self._checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        if state == Qt.CheckState.Checked:
            self._checked.add(index.row())
        else:
            self._checked.discard(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
