"""Step 4, « Récapitulatif »: every line the server computed, with how and under which text,
the totals, the server's notes, and the supporting documents to send with the printed recap."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from client.api.models import Computation, Entry, Proposals, Statement
from client.formatting import euros
from client.ui import app_style
from client.ui.documents.panel import DocumentsPanel
from client.ui.statement.fields import Slot, set_topic
from client.ui.statement.lines import AMOUNT, DETAIL, LABEL, RULE, LinesModel
from client.ui.statement.page import StepPage
from client.ui.statement.steps import Step


class WrappedText(QStyledItemDelegate):
    """Rows as tall as their wrapped text in the column's actual width: the style's own
    estimate falls a line short on texts that hold a line break and wrap as well."""

    MARGIN = 6

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str):
            return hint
        # The padding of the style sheet and the style's own text margins, generously.
        width = max(self.view.columnWidth(index.column()) - 2 * self.MARGIN - 16, 20)
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), bounds.height() + 2 * self.MARGIN))


class RecapPage(StepPage):
    """Signals:
    print_requested(): « Imprimer le récapitulatif » was pressed.
    """

    step = Step.RECAP
    topic = "statement.recap"
    print_requested = Signal()

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(statement, parent)
        self.column.addWidget(
            self.note_label(
                self.tr(
                    "Vérifiez chaque ligne calculée par le serveur : son détail indique le calcul, "
                    "la règle appliquée et le texte qui la fonde."
                )
            )
        )
        self.model = LinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Lignes calculées de l'état de frais"))
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RULE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(LABEL, 240)
        header.resizeSection(RULE, 360)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setItemDelegate(WrappedText(self.table))
        set_topic(self.table, "statement.recap")
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())
        self.column.addWidget(self.table)
        self.empty = self.note_label(
            self.tr("Aucune ligne n'est encore calculée : complétez les étapes précédentes.")
        )
        self.column.addWidget(self.empty)

        totals = QFormLayout()
        totals.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.pay_total = QLabel()
        self.travel_total = QLabel()
        self.total = QLabel()
        for label in (self.pay_total, self.travel_total, self.total):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        totals.addRow(self.tr("Indemnités"), self.pay_total)
        totals.addRow(self.tr("Frais de déplacement"), self.travel_total)
        total_name = QLabel(self.tr("<b>Total</b>"))
        totals.addRow(total_name, self.total)
        totals_box = QWidget()
        totals_box.setLayout(totals)
        totals_row = QHBoxLayout()
        totals_row.addStretch(1)
        totals_row.addWidget(totals_box)
        self.column.addLayout(totals_row)

        self.notes_title = app_style.section_title(self.tr("Remarques"))
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(self.notes_title)
        self.column.addWidget(self.notes)

        documents_title = app_style.section_title(self.tr("Pièces justificatives"))
        set_topic(documents_title, "statement.documents")
        self.documents = QLabel()
        self.documents.setWordWrap(True)
        self.documents.setTextFormat(Qt.TextFormat.RichText)
        self.documents.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_topic(self.documents, "statement.documents")
        self.column.addWidget(documents_title)
        self.column.addWidget(self.documents)
        # The files given for each document (client/ui/documents/panel.py), set by the editor.
        self.documents_panel: DocumentsPanel | None = None
        self._documents_at = self.column.count()

        self.print_button = QPushButton(self.tr("Im&primer le récapitulatif"))
        self.print_button.setAccessibleName(self.tr("Imprimer le récapitulatif"))
        self.print_button.setToolTip(
            self.tr("Enregistre le récapitulatif en PDF et l'ouvre pour l'imprimer.")
        )
        set_topic(self.print_button, "statement.documents")
        self.print_button.clicked.connect(self.print_requested)
        self.dossier = QCheckBox(
            self.tr("Ajouter les fichiers joints au récapitulatif (un seul PDF)")
        )
        self.dossier.setToolTip(
            self.tr("Le récapitulatif, puis chaque fichier joint : tout le dossier en un PDF.")
        )
        set_topic(self.dossier, "statement.documents")
        print_row = QHBoxLayout()
        print_row.addWidget(self.print_button)
        print_row.addWidget(self.dossier)
        print_row.addStretch(1)
        self.column.addLayout(print_row)
        self.column.addStretch(1)
        self.show_computation(statement.computation, statement.proposals)

    def show_computation(self, computation: Computation, proposals: Proposals) -> None:
        self.model.set_lines(computation.lines)
        self.table.setVisible(bool(computation.lines))
        self.empty.setVisible(not computation.lines)
        if self.isVisible():
            self._fit_rows()
        else:
            # Hidden (made ahead of being shown): the rows are measured in a turn of their own.
            self._fit_timer.start()
        self.pay_total.setText(euros(computation.pay_total))
        self.travel_total.setText(euros(computation.travel_total))
        self.total.setText(f"<b>{escape(euros(computation.total))}</b>")
        self.total.setAccessibleName(self.tr("Total : {0}").format(euros(computation.total)))
        self.notes.setText("\n".join(computation.notes))
        self.notes.setVisible(bool(computation.notes))
        self.notes_title.setVisible(bool(computation.notes))
        if self.documents_panel is not None:
            self.documents_panel.set_required(computation.documents)
        if computation.documents:
            intro = self.tr("Pièces justificatives à produire :")
            send = self.tr(
                "Elles seront à joindre à une copie du récapitulatif et à transmettre au "
                "bureau organisateur."
            )
            if self.documents_panel is not None:
                send += " " + self.tr(
                    "Vous pouvez aussi les joindre ci-dessous (un scan ou une photo)."
                )
            items = "".join(f"<li>{escape(d, quote=False)}</li>" for d in computation.documents)
            self.documents.setText(f"{escape(intro)}<ul>{items}</ul>{escape(send, quote=False)}")
            spoken = " ; ".join(computation.documents)
            self.documents.setAccessibleName(f"{intro} {spoken}. {send}")
        else:
            self.documents.setText(self.tr("Aucune pièce justificative n'est demandée."))
            self.documents.setAccessibleName(self.documents.text())

    def attach_documents(self, panel: DocumentsPanel) -> None:
        """Shows the files given for each document, below the list of documents."""
        self.documents_panel = panel
        self.column.insertWidget(self._documents_at, panel)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        if self.documents_panel is not None:
            self.documents_panel.set_editable(not read_only)

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()
        self._fit_table()

    def _fit_table(self) -> None:
        """The page scrolls, not the table: the table is as tall as its rows."""
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        for row in range(self.model.rowCount()):
            height += self.table.rowHeight(row)
        self.table.setFixedHeight(height + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_timer.start()

    def fill(self, entry: Entry) -> None:
        pass

    def write(self, entry: Entry, slots: dict[str, Slot]) -> None:
        pass

    def first_field(self) -> QWidget | None:
        return self.table if self.model.rowCount() else self.print_button
