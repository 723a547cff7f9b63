"""The demonstration accounts shown on the log-in screen of `imagin --demo`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from client.ui.models.roles import ROW_ROLE

if TYPE_CHECKING:
    from client.demo import DemoAccount  # subprocess and sockets: not needed to show a table


Index = QModelIndex | QPersistentModelIndex


class DemoAccountsModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[DemoAccount] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._headers = [
            self.tr("Identifiant"),
            self.tr("Mot de passe"),
            self.tr("Rôle"),
            self.tr("Description"),
        ]
        self._roles = {
            "INTERVENANT": self.tr("Intervenant"),
            "GESTIONNAIRE": self.tr("Gestionnaire"),
            "CHEF_CENTRE": self.tr("Chef de centre"),
            "ADMIN": self.tr("Administrateur"),
        }

    def set_rows(self, rows: Sequence[DemoAccount]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> DemoAccount:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        account = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                account.login,
                account.password,
                self._roles.get(account.role, account.role),
                account.description,
            )
            return values[index.column()]
        if role == ROW_ROLE:
            return account
        return None
