"""The communes the directory proposes for what was typed, as "Amiens (80000)"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from client.api.models import CommuneRef
from client.ui.models.roles import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex


def commune_label(commune: CommuneRef) -> str:
    """ "Amiens (80000)"; the first postal code stands for a commune that has several."""
    if commune.postal_codes:
        return f"{commune.name} ({commune.postal_codes[0]})"
    return f"{commune.name} ({commune.department})"


class CommuneListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CommuneRef] = []

    def set_rows(self, rows: Sequence[CommuneRef]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> CommuneRef:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        commune = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return commune_label(commune)
        if role == Qt.ItemDataRole.ToolTipRole:
            codes = ", ".join(commune.postal_codes)
            return self.tr("{name}, département {department} ; codes postaux : {codes}").format(
                name=commune.name, department=commune.department, codes=codes or "—"
            )
        if role == ROW_ROLE:
            return commune
        return None
