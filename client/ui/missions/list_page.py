""" "Saisie états de frais mission": the missions the intervenant is convened to."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.api.models import Convocation
from client.formatting import plural
from client.recaps import export_recaps
from client.ui import annual_statement, app_style
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.measured import MeasuredOnce
from client.ui.missions.dialogs import ExportDialog
from client.ui.models.convocations import (
    Column,
    ConvocationFilter,
    ConvocationFilterProxy,
    ConvocationTableModel,
)
from client.ui.models.roles import ROW_ROLE
from client.ui.ops import Op
from client.ui.tasks import Task
from client.ui.widgets import Level, MessageBar

log = logging.getLogger(__name__)

# The long texts: wrapped on several lines, sharing the width the others leave.
LONG_COLUMNS = (Column.EXAM, Column.PAPER, Column.MISSION_TYPE, Column.PLACE)

EXPORT_NAME = "recapitulatifs-imagin.pdf"


class MissionsListPage(QWidget):
    """Signals:
    open_requested(object): the person opened a mission (its `Convocation`).
    loaded(): the list arrived from the server.
    """

    open_requested = Signal(object)
    loaded = Signal()
    profile_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.export_task: Task | None = None
        self.progress: QProgressDialog | None = None
        self._exported: Path | None = None
        self._has_loaded = False
        self.setProperty("helpTopic", "missions")

        title = app_style.page_title(self.tr("Saisie états de frais mission"))
        subtitle = app_style.page_subtitle(
            self.tr(
                "Les missions sur lesquelles vous êtes convoqué(e). Ouvrez une mission pour en "
                "afficher le détail et compléter votre état de frais."
            )
        )
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self._on_bar_action)
        # Payments waiting for the person's financial file, and the way to give it.
        self.payment_bar = MessageBar()
        self.payment_bar.action_triggered.connect(self.profile_requested)
        self._bar_action: str | None = None

        self.model = ConvocationTableModel(parent=self)
        self.proxy = ConvocationFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filters = QButtonGroup(self)
        self.to_complete = QRadioButton(self.tr("À &compléter"))
        self.validated = QRadioButton(self.tr("&Validés"))
        self.all = QRadioButton(self.tr("&Tous"))
        for button, which in (
            (self.to_complete, ConvocationFilter.TO_COMPLETE),
            (self.validated, ConvocationFilter.VALIDATED),
            (self.all, ConvocationFilter.ALL),
        ):
            button.setProperty("filter", which.value)
            button.setProperty("helpTopic", "missions.filter")
            self.filters.addButton(button)
        self.to_complete.setChecked(True)
        self.proxy.set_filter(ConvocationFilter.TO_COMPLETE)
        self.filters.buttonToggled.connect(self._on_filter)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Examen, épreuve, centre ou commune"))
        self.search.setAccessibleName(self.tr("Rechercher une mission"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.search.setProperty("helpTopic", "missions.search")
        search_label = QLabel(self.tr("&Rechercher :"))
        search_label.setBuddy(self.search)

        self.refresh_button = QPushButton(self.tr("&Actualiser"))
        self.refresh_button.setToolTip(self.tr("Recharger la liste (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton(self.tr("E&xporter mes récapitulatifs…"))
        self.export_button.clicked.connect(self.export)
        self.annual_button = QPushButton(self.tr("Attestation &annuelle…"))
        self.annual_button.setToolTip(
            self.tr(
                "Les sommes qui vous ont été versées pendant une année civile, mission par "
                "mission, pour votre déclaration de revenus (PDF)."
            )
        )
        self.annual_button.setProperty("helpTopic", "missions.annual_statement")
        self.annual_button.clicked.connect(self.print_annual_statement)

        # Two rows, so that the window never has to be wider than a laptop screen.
        tools = QHBoxLayout()
        tools.setSpacing(12)
        tools.addWidget(QLabel(self.tr("Afficher :")))
        tools.addWidget(self.to_complete)
        tools.addWidget(self.validated)
        tools.addWidget(self.all)
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        tools.addWidget(self.export_button)
        tools.addWidget(self.annual_button)
        search_row = QHBoxLayout()
        search_row.setSpacing(12)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # Each wrapped text measured once, not at every layout of the rows (client.ui.measured).
        self.table.setItemDelegate(MeasuredOnce(self.table))
        self.table.setAccessibleName(self.tr("Missions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        # Long exam, paper and place names wrap onto a second line rather than being cut: a
        # person has a few missions, each row may take two lines.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        # Short values take what they need; the long texts share the rest, wrapped, each
        # column at least as wide as its longest word (no word loses a letter) and the room
        # left given to those that wrap most (_share_width). Whole in the tooltip as well.
        average = self.fontMetrics().averageCharWidth()
        for column in Column:
            if column in LONG_COLUMNS:
                header.setSectionResizeMode(column.value, QHeaderView.ResizeMode.Interactive)
            elif column in (Column.PAY, Column.TRAVEL):
                # Statuses run from "Payé" to "Mission non effectuée (déclarée)": a fixed
                # width, the longer ones on two lines (and whole in the tooltip).
                heading = str(self.model.headerData(column.value, Qt.Orientation.Horizontal))
                width = max(11 * average, self.fontMetrics().horizontalAdvance(heading)) + 28
                header.setSectionResizeMode(column.value, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column.value, width)
            else:
                header.setSectionResizeMode(column.value, QHeaderView.ResizeMode.ResizeToContents)
        self.table.sortByColumn(Column.DATES.value, Qt.SortOrder.AscendingOrder)
        self._needs: dict[int, tuple[int, int]] = {}  # column: (longest word, whole text)
        self.table.viewport().installEventFilter(self)
        self.model.modelReset.connect(self._measure_long_texts)
        self.model.dataChanged.connect(self._measure_long_texts)
        header.sectionResized.connect(self._on_section_resized)
        # Enter and double-click both "activate" a row.
        self.table.activated.connect(self._open_index)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.count = app_style.hint()

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(self.bar)
        layout.addWidget(self.payment_bar)
        layout.addLayout(tools)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count)

        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_counts)
        self.proxy.layoutChanged.connect(self._update_counts)
        self.setTabOrder(self.to_complete, self.validated)
        self.setTabOrder(self.validated, self.all)
        self.setTabOrder(self.all, self.search)
        self.setTabOrder(self.search, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.export_button)
        self.setTabOrder(self.export_button, self.annual_button)
        self.setTabOrder(self.annual_button, self.table)
        self._update_counts()

    # --- the long columns' widths ---------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_width()
        return super().eventFilter(watched, event)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # A short column grew to its content: the long ones share what is left.
        if Column(column) not in LONG_COLUMNS:
            self._share_width()

    def _text_padding(self, column: int) -> int:
        """What a cell of the column takes around its text (item padding, focus margins)."""
        option = QStyleOptionViewItem()
        delegate = self.table.itemDelegateForColumn(column) or self.table.itemDelegate()
        if isinstance(delegate, QStyledItemDelegate) and self.proxy.rowCount():
            delegate.initStyleOption(option, self.proxy.index(0, column))
        option.rect = QRect(0, 0, 1000, 100)
        style = self.table.style()
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self.table)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        # One pixel more each side: a wrapped line's box rounds up.
        return 1000 - area.width() + 2 * margin + 3

    def _measure_long_texts(self, *_args: object) -> None:
        metrics = self.table.fontMetrics()
        self._needs = {}
        for column in LONG_COLUMNS:
            padding = self._text_padding(column.value)
            word = whole = 0
            for number in range(self.model.rowCount()):
                text = str(self.model.index(number, column.value).data() or "")
                whole = max(whole, metrics.horizontalAdvance(text))
                for part in text.split():
                    word = max(word, metrics.horizontalAdvance(part))
            self._needs[column.value] = (word + padding, whole + padding)
        self._share_width()

    def _share_width(self) -> None:
        """The long columns get at least their longest word, then the room left in proportion
        to what they lack to show their texts on one line; past that, equal shares."""
        if not self._needs:
            return
        header = self.table.horizontalHeader()
        long = [c.value for c in LONG_COLUMNS]
        others = sum(
            header.sectionSize(c)
            for c in range(self.model.columnCount())
            if c not in long and not header.isSectionHidden(c)
        )
        room = self.table.viewport().width() - others
        least = header.minimumSectionSize()
        floors = {c: max(least, self._needs[c][0]) for c in long}
        wants = {c: max(floors[c], self._needs[c][1]) for c in long}
        widths = dict(floors)
        extra = room - sum(floors.values())
        if extra > 0:
            lacking = sum(wants[c] - floors[c] for c in long)
            if lacking >= extra:
                for c in long:
                    widths[c] += (extra * (wants[c] - floors[c])) // max(lacking, 1)
            else:
                widths = dict(wants)
                for c in long:
                    widths[c] += (extra - lacking) // len(long)
            widths[long[-1]] += room - sum(widths.values())  # what rounding left
        for c in long:
            if header.sectionSize(c) != widths[c]:
                header.resizeSection(c, widths[c])

    # --- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Asks the server for the list again (F5)."""
        api = self.ctx.api
        self.refresh_button.setEnabled(False)
        Op(self, api.convocations, latest="convocations").on_success(self._on_loaded).on_failure(
            self._on_load_failed
        ).run(self.ctx.runner)

    def show_convocations(self, rows: list[Convocation]) -> None:
        """Shows a list read elsewhere (with the log-in)."""
        self._on_loaded(rows)

    def _on_loaded(self, rows: list[Convocation]) -> None:
        self.refresh_button.setEnabled(True)
        current = self.current_convocation()
        self.model.set_rows(rows)
        first_time = not self._has_loaded
        self._has_loaded = True
        if first_time and self.proxy.rowCount() == 0 and rows:
            # Nothing left to complete: show everything rather than an empty table.
            self.all.setChecked(True)
        self._select(current.id if current is not None else None)
        if self._bar_action is None and self.bar.isVisible():
            self.bar.hide()
        self._show_payment_missing(rows)
        self._update_counts()
        self.loaded.emit()

    def _show_payment_missing(self, rows: list[Convocation]) -> None:
        waiting = [r for r in rows if r.payment_missing]
        if not waiting:
            self.payment_bar.hide()
            return
        if len(waiting) == 1:
            lead = self.tr("Une mission attend votre dossier financier pour être payée.")
        else:
            lead = self.tr("{0} missions attendent votre dossier financier pour être payées.")
            lead = lead.format(len(waiting))
        self.payment_bar.warning(
            f"{lead} {waiting[0].payment_missing}", self.tr("Ouvrir « &Mon profil »")
        )

    def _on_load_failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self._bar_action = "reload"
        self.bar.error(message_for(error), self.tr("Réessayer"))

    def update_convocation(self, row: Convocation) -> None:
        """A mission changed elsewhere (declared not performed, statement saved)."""
        self.model.replace(row)
        self._update_counts()

    # --- selection and opening ------------------------------------------------------------

    def current_convocation(self) -> Convocation | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = index.data(ROW_ROLE)
        return row if isinstance(row, Convocation) else None

    def _select(self, convocation_id: int | None) -> None:
        target = 0
        if convocation_id is not None:
            for number in range(self.proxy.rowCount()):
                row = self.proxy.index(number, 0).data(ROW_ROLE)
                if row is not None and row.id == convocation_id:
                    target = number
                    break
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(target, 0))

    def _open_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, Convocation):
            self.open_requested.emit(row)

    def focus_table(self) -> None:
        self.table.setFocus()

    # --- filters --------------------------------------------------------------------------

    def _on_filter(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self.proxy.set_filter(ConvocationFilter(button.property("filter")))
            self._update_counts()

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_counts()

    def _update_counts(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            self.tr("{shown} sur {total}").format(
                shown=plural(shown, self.tr("mission affichée"), self.tr("missions affichées")),
                total=total,
            )
        )
        self.count.setVisible(self._has_loaded)
        if not self._has_loaded:
            self.empty.setText(self.tr("Chargement de vos missions…"))
        elif total == 0:
            self.empty.setText(self.tr("Vous n'êtes convoqué(e) à aucune mission pour l'instant."))
        elif shown == 0 and self.search.text().strip():
            self.empty.setText(self.tr("Aucune mission ne correspond à votre recherche."))
        elif shown == 0 and self.proxy.current_filter is ConvocationFilter.TO_COMPLETE:
            self.empty.setText(
                self.tr("Aucune mission à compléter. Choisissez « Tous » pour toutes les voir.")
            )
        elif shown == 0:
            self.empty.setText(self.tr("Aucune mission validée pour l'instant."))
        self.empty.setVisible(shown == 0)
        self.table.setVisible(shown > 0)

    # --- the annual statement -------------------------------------------------------------

    def print_annual_statement(self) -> None:
        """ "Attestation annuelle…": the sums paid in a year of the person's choosing."""
        api = self.ctx.api
        self._bar_action = None
        annual_statement.print_annual_statement(self, self.ctx, self.bar, api.annual_payments)

    # --- export ---------------------------------------------------------------------------

    def export(self) -> None:
        """ "Exporter mes récapitulatifs…": choose the statements, then the file."""
        rows = self.model.rows()
        if not rows:
            self.bar.info(self.tr("Aucun récapitulatif à exporter : vous n'avez pas de mission."))
            return
        dialog = ExportDialog(rows, self)
        accepted = dialog.exec() == ExportDialog.DialogCode.Accepted
        chosen = dialog.chosen()
        dialog.deleteLater()
        if not accepted:
            return
        if not chosen:
            return
        target = self.choose_export_file()
        if target is None:
            return
        self.start_export([row.statement_id for row in chosen], target)

    def choose_export_file(self) -> Path | None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Enregistrer les récapitulatifs"),
            str(Path(documents) / EXPORT_NAME),
            self.tr("Documents PDF (*.pdf)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def start_export(self, statement_ids: list[int], target: Path) -> None:
        api = self.ctx.api
        total = len(statement_ids) + 1
        progress = QProgressDialog(
            self.tr("Préparation des récapitulatifs…"), self.tr("Annuler"), 0, total, self
        )
        progress.setWindowTitle(self.tr("Export des récapitulatifs"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        self.progress = progress

        def work(task: Task) -> Path | None:
            return export_recaps(
                api,
                statement_ids,
                target,
                cancelled=lambda: task.cancelled,
                progress=task.progress,
            )

        def on_progress(done: int, of: int) -> None:
            progress.setValue(done)
            if done < of - 1:
                progress.setLabelText(
                    self.tr("Récupération des états de frais : {done} sur {total}…").format(
                        done=done, total=of - 1
                    )
                )
            else:
                progress.setLabelText(self.tr("Mise en page du document PDF…"))

        self.export_task = (
            Op.reporting(self, work, latest="export-recaps")
            .on_success(self._on_exported)
            .on_failure(self._on_export_failed)
            .on_progress(on_progress)
            .run(self.ctx.runner)
        )
        progress.canceled.connect(self.cancel_export)

    def cancel_export(self) -> None:
        if self.export_task is not None:
            self.export_task.cancel()
            self.export_task = None
        self._close_progress()
        self._bar_action = None
        self.bar.info(self.tr("Export annulé : aucun fichier n'a été écrit."))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel_export)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_exported(self, path: Path | None) -> None:
        self.export_task = None
        self._close_progress()
        if path is None:
            return
        self._exported = path
        self._bar_action = "open-export"
        self.bar.show_message(
            self.tr("Les récapitulatifs ont été enregistrés dans {0}.").format(path),
            level=Level.SUCCESS,
            action=self.tr("&Ouvrir"),
        )

    def _on_export_failed(self, error: BaseException) -> None:
        self.export_task = None
        self._close_progress()
        self._bar_action = None
        self.bar.error(message_for(error))

    def _on_bar_action(self) -> None:
        action, self._bar_action = self._bar_action, None
        if action == "reload":
            self.reload()
        elif action == "open-export" and self._exported is not None:
            self.ctx.open_url(QUrl.fromLocalFile(str(self._exported)))
