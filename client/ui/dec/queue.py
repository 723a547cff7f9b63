"""The DEC's statement queue: every statement of the académie, loaded page by page.

Read-only for now; the checking, returning and bulk validation of the full workstation will
hang off the selection of this table.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.api.models import QueuePage
from client.formatting import plural
from client.ui import app_style
from client.ui.errors import message_for
from client.ui.login.session import AppContext
from client.ui.models.queue import PAGE_SIZE, QueueColumn, QueueTableModel
from client.ui.widgets import MessageBar

SEARCH_DELAY_MS = 300


class DecQueuePage(QWidget):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("helpTopic", "dec_queue")
        api = ctx.api

        def fetch(cursor: str | None, query: str | None, limit: int) -> QueuePage:
            return api.dec_statements(cursor=cursor, q=query, limit=limit)

        self.model = QueueTableModel(fetch, ctx.runner, page_size=page_size, parent=self)
        self.model.loading_changed.connect(self._update_status)
        self.model.page_loaded.connect(self._update_status)
        self.model.modelReset.connect(self._update_status)
        self.model.failed.connect(self._on_failed)

        title = app_style.page_title(self.tr("États de frais à traiter"))
        subtitle = app_style.page_subtitle(
            self.tr(
                "Les états de frais des intervenants convoqués aux sessions de votre service. "
                "La liste se complète au fil du défilement."
            )
        )
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.reload)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Nom ou identifiant de l'intervenant"))
        self.search.setAccessibleName(self.tr("Rechercher un état de frais"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Rechercher :"))
        search_label.setBuddy(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.refresh_button = QPushButton(self.tr("&Actualiser"))
        self.refresh_button.setToolTip(self.tr("Recharger la liste (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        tools = QHBoxLayout()
        tools.addWidget(search_label)
        tools.addWidget(self.search, 1)
        tools.addWidget(self.refresh_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("États de frais"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        # Fixed starting widths (measuring tens of thousands of rows would be slow); the
        # exam and the centre share what is left. Every column can be resized by hand.
        metrics = self.table.fontMetrics()
        samples = {
            QueueColumn.INTERVENANT: "Pierre-Yves Delcourt",
            QueueColumn.MISSION_TYPE: "Harmonisation",
            QueueColumn.PAPER: "EP2",
            QueueColumn.START: "00/00/0000",
            QueueColumn.STATUS: "Transmis à la liquidation",
            QueueColumn.AMOUNT: "10 000,00 €",
        }
        for column, sample in samples.items():
            heading = str(self.model.headerData(column.value, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading))
            header.resizeSection(column.value, width + 28)
        for column in (QueueColumn.EXAM, QueueColumn.CENTRE):
            header.setSectionResizeMode(column.value, QHeaderView.ResizeMode.Stretch)
        self.status = app_style.hint()

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(self.bar)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.search, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.table)
        self._update_status()

    def start(self) -> None:
        self.model.reload()

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.bar.hide()
        self.model.reload()

    def maybe_close(self) -> bool:
        return True

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.search.text())

    def _on_failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error), self.tr("Réessayer"))
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        count = self.model.rowCount()
        shown = plural(count, self.tr("état de frais chargé"), self.tr("états de frais chargés"))
        if self.model.loading:
            text = self.tr("{0} ; chargement de la suite…").format(shown)
        elif self.model.exhausted:
            text = self.tr("{0} : la liste est complète.").format(shown)
        else:
            text = self.tr("{0} ; faites défiler pour voir la suite.").format(shown)
        self.status.setText(text)
