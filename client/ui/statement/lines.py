"""The computed lines of a statement, as a table: what, how it was computed, under which rule,
and how much. The amounts are the server's, shown as they are."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from client.api.models import Line
from client.formatting import euros

Index = QModelIndex | QPersistentModelIndex

LABEL, DETAIL, RULE, AMOUNT = range(4)


def _tr(text: str) -> str:
    return QCoreApplication.translate("LinesModel", text)


class LinesModel(QAbstractTableModel):
    """One row per computed line: libellé, détail, règle / texte, montant."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[Line] = []

    @property
    def lines(self) -> list[Line]:
        return list(self._lines)

    def set_lines(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Never super().headerData(): see docs/platform.md (PySide6 6.12 on Python 3.11).
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < 4:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Libellé"), _tr("Détail du calcul"), _tr("Règle et texte"), _tr("Montant"))[
                section
            ]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == RULE:
                return _tr("{0}\n{1}\nBarème : {2}").format(
                    line.rule, line.legal_text, line.tariff_version
                )
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(line: Line, column: int) -> str:
        if column == LABEL:
            return line.label
        if column == DETAIL:
            return line.explanation
        if column == RULE:
            return f"{line.rule}\n{line.legal_text}"
        return euros(line.amount)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
