"""A commune field: type a name or a postal code, pick "Amiens (80000)" from the proposals.

The directory lives on the server (`GET /communes`): the proposals are fetched in the
background, a quarter of a second after the typing pauses, and a slower answer to an older
query never replaces a newer one (the runner drops superseded results).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from client.api.client import ImaginClient
from client.api.models import CommuneRef
from client.ui.errors import message_for
from client.ui.models.communes import CommuneListModel, commune_label
from client.ui.models.roles import ROW_ROLE
from client.ui.ops import Op
from client.ui.tasks import TaskRunner

DEBOUNCE_MS = 250
MIN_CHARACTERS = 2


class CommunePicker(QWidget):
    """Signals:
    commune_changed(object): the chosen `CommuneRef`, or None when the text no longer is one.
    results_arrived(int): proposals came back for the latest query (how many).
    search_failed(str): the proposals could not be fetched (a French sentence).
    """

    commune_changed = Signal(object)
    results_arrived = Signal(int)
    search_failed = Signal(str)

    def __init__(
        self, api: ImaginClient, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._runner = runner
        self._commune: CommuneRef | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Nom de la commune ou code postal"))
        self.edit.setClearButtonEnabled(True)
        self.setFocusProxy(self.edit)
        self.model = CommuneListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(10)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(  # type: ignore[index]
            self._on_activated
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.edit.textEdited.connect(self._on_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    # --- value ----------------------------------------------------------------------------

    def commune(self) -> CommuneRef | None:
        return self._commune

    def has_unresolved_text(self) -> bool:
        """Something is typed that is not a commune picked from the list."""
        return self._commune is None and bool(self.edit.text().strip())

    def set_commune(self, commune: CommuneRef | None) -> None:
        self._commune = commune
        self.edit.setText(commune_label(commune) if commune is not None else "")
        self.edit.setCursorPosition(0)

    def choose(self, row: int) -> None:
        """Picks the proposal at `row` (what a click in the list does)."""
        self._select(self.model.row(row))

    # --- searching ------------------------------------------------------------------------

    def _on_edited(self, text: str) -> None:
        if self._commune is not None and text != commune_label(self._commune):
            self._commune = None
            self.commune_changed.emit(None)
        if len(text.strip()) >= MIN_CHARACTERS:
            self._timer.start()
        else:
            self._timer.stop()
            self.model.set_rows([])

    def search_now(self) -> None:
        self._timer.stop()
        query = self.edit.text().strip()
        if len(query) < MIN_CHARACTERS:
            return
        api = self._api
        Op(self, lambda: api.search_communes(query), latest="communes").on_success(
            self._on_results
        ).on_failure(lambda error: self.search_failed.emit(message_for(error))).run(self._runner)

    def _on_results(self, communes: list[CommuneRef]) -> None:
        self.model.set_rows(communes)
        if communes and self.edit.hasFocus():
            self.completer.complete()
        self.results_arrived.emit(len(communes))

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        commune = index.data(ROW_ROLE)
        if isinstance(commune, CommuneRef):
            self._select(commune)

    def _select(self, commune: CommuneRef) -> None:
        self._timer.stop()
        self.set_commune(commune)
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self.commune_changed.emit(commune)
