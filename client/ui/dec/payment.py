"""Payment batches: send the validated statements to payment, download the batch's files
(SEPA transfers, payroll export, summary), mark it paid.

Creating a batch is previewed first (how many validated statements, for how much, from the
server's dashboard) and confirmed. Every file is fetched and written on the worker pool.

Signals:
    batches_loaded(list): the list of batches was read.
    batch_created(object): a batch was created (`BatchCreated`).
    file_saved(str): a file was written (its path).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.api.dec import DecApi
from client.api.dec_models import Batch, BatchCreated, BatchStatus, Download, SessionRef
from client.api.models import Status
from client.formatting import date_fr, euros, plural
from client.ui import app_style
from client.ui.dec.actions import DateDialog
from client.ui.dec.export import ask_path
from client.ui.errors import message_for
from client.ui.login.session import AppContext
from client.ui.models.dec_tables import Column, RowsTableModel
from client.ui.widgets import MessageBar

PAYABLE = (Status.APPROVED, Status.DEC_ENTERED)


class PaymentPane(QWidget):
    batches_loaded = Signal(list)
    batch_created = Signal(object)
    file_saved = Signal(str)

    def __init__(self, ctx: AppContext, api: DecApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = api
        self.runner = ctx.runner
        self.setProperty("helpTopic", "dec_queue")
        self.preview: tuple[int, Decimal] | None = None
        self.last_created: BatchCreated | None = None
        self.bar = MessageBar()

        self.session = QComboBox()
        self.session.setAccessibleName(self.tr("Session du lot"))
        self.session.addItem(self.tr("Toutes les sessions"), None)
        self.session.currentIndexChanged.connect(self._forget_preview)
        self.default_date = QCheckBox(self.tr("Exécution le jour ouvré suivant"))
        self.default_date.setChecked(True)
        self.execution = QDateEdit(QDate.currentDate().addDays(1))
        self.execution.setCalendarPopup(True)
        self.execution.setDisplayFormat("dd/MM/yyyy")
        self.execution.setAccessibleName(self.tr("Date d'exécution des virements"))
        self.execution.setEnabled(False)
        self.default_date.toggled.connect(lambda on: self.execution.setEnabled(not on))
        self.preview_button = QPushButton(self.tr("&Préparer un lot…"))
        self.preview_button.setToolTip(
            self.tr("Compter les états de frais validés à mettre en paiement avant de créer le lot")
        )
        self.preview_button.clicked.connect(self.prepare)
        self.create_button = QPushButton(self.tr("&Créer le lot"))
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create_batch)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        new_batch = QHBoxLayout()
        session_label = QLabel(self.tr("&Session :"))
        session_label.setBuddy(self.session)
        new_batch.addWidget(session_label)
        new_batch.addWidget(self.session, 1)
        new_batch.addWidget(self.default_date)
        new_batch.addWidget(self.execution)
        new_batch.addWidget(self.preview_button)
        new_batch.addWidget(self.create_button)

        self.model: RowsTableModel[Batch] = RowsTableModel(
            [
                Column(self.tr("Référence"), lambda b: b.reference),
                Column(self.tr("Session"), lambda b: b.session or self.tr("Toutes")),
                Column(
                    self.tr("Statut"),
                    lambda b: b.status_label,
                    colour=lambda b: "#1e6b34" if b.status is BatchStatus.PAID else None,
                ),
                Column(self.tr("Créé le"), lambda b: date_fr(b.created_at.date())),
                Column(self.tr("Exécution"), lambda b: date_fr(b.execution_date)),
                Column(self.tr("États de frais"), lambda b: str(b.statement_count), numeric=True),
                Column(
                    self.tr("Virements"),
                    lambda b: f"{b.transfer_count} · {euros(b.transfer_total)}",
                    numeric=True,
                ),
                Column(
                    self.tr("Paie"),
                    lambda b: f"{b.payroll_count} · {euros(b.payroll_total)}",
                    numeric=True,
                ),
                Column(self.tr("Total"), lambda b: euros(b.total), numeric=True),
                Column(self.tr("Payé le"), lambda b: date_fr(b.paid_on) if b.paid_on else "—"),
            ],
            parent=self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Lots de paiement"))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.sepa_button = QPushButton(self.tr("Fichier &SEPA (XML)…"))
        self.sepa_button.clicked.connect(lambda: self.on_download("sepa"))
        self.payroll_button = QPushButton(self.tr("Export &paie (CSV)…"))
        self.payroll_button.clicked.connect(lambda: self.on_download("payroll"))
        self.summary_button = QPushButton(self.tr("&Récapitulatif (PDF)…"))
        self.summary_button.clicked.connect(lambda: self.on_download("summary"))
        self.paid_button = QPushButton(self.tr("Marquer &payé…"))
        self.paid_button.clicked.connect(self.on_mark_paid)
        files = QHBoxLayout()
        for button in (self.sepa_button, self.payroll_button, self.summary_button):
            files.addWidget(button)
        files.addStretch(1)
        files.addWidget(self.paid_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(app_style.section_title(self.tr("Nouveau lot de paiement")))
        layout.addLayout(new_batch)
        layout.addWidget(self.preview_label)
        layout.addWidget(app_style.section_title(self.tr("Lots de paiement")))
        layout.addWidget(self.table, 1)
        layout.addLayout(files)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------

    def start(self) -> None:
        self.runner.run(
            self.api.sessions,
            on_success=self._on_sessions,
            on_failure=self._on_failed,
            key=f"payment-sessions-{id(self)}",
        )
        self.reload()

    def reload(self) -> None:
        self.runner.run(
            self.api.batches,
            on_success=self._on_batches,
            on_failure=self._on_failed,
            key=f"payment-batches-{id(self)}",
        )

    def _on_sessions(self, sessions: list[SessionRef]) -> None:
        while self.session.count() > 1:
            self.session.removeItem(1)
        for session in sessions:
            self.session.addItem(f"{session.code} — {session.name}", session.id)

    def _on_batches(self, batches: list[Batch]) -> None:
        selected = self.selected()
        self.model.set_rows(sorted(batches, key=lambda b: b.id, reverse=True))
        if selected is not None:
            for number, batch in enumerate(self.model.rows):
                if batch.id == selected.id:
                    self.table.selectRow(number)
        self._update_buttons()
        self.batches_loaded.emit(batches)

    def _on_failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error))

    def selected(self) -> Batch | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        batch = self.selected()
        for button in (self.sepa_button, self.payroll_button, self.summary_button):
            button.setEnabled(batch is not None)
        self.paid_button.setEnabled(batch is not None and batch.status is not BatchStatus.PAID)

    # --- a new batch --------------------------------------------------------------------------

    def _forget_preview(self, *_args: object) -> None:
        self.preview = None
        self.create_button.setEnabled(False)
        self.preview_label.clear()

    def prepare(self) -> None:
        """Counts what a batch would take: the validated statements, from the dashboard."""
        session_id = self.session.currentData()
        api = self.api
        ids = (
            [session_id]
            if session_id is not None
            else [self.session.itemData(n) for n in range(1, self.session.count())]
        )

        def count() -> tuple[int, Decimal]:
            statements, total = 0, Decimal(0)
            for one in ids:
                for line in api.dashboard(one).by_status:
                    if line.status in PAYABLE:
                        statements += line.count
                        total += line.total
            return statements, total

        self.preview_label.setText(self.tr("Comptage des états de frais validés…"))
        self.runner.run(
            count,
            on_success=self._on_preview,
            on_failure=self._on_failed,
            key=f"payment-preview-{id(self)}",
        )

    def _on_preview(self, preview: tuple[int, Decimal]) -> None:
        count, total = preview
        self.preview = preview
        if not count:
            self.preview_label.setText(self.tr("Aucun état de frais validé à mettre en paiement."))
            self.create_button.setEnabled(False)
            return
        self.preview_label.setText(
            self.tr(
                "{0} pour {1}. Les états de frais d'un intervenant sans RIB restent hors du lot. "
                "Confirmez avec « Créer le lot » : ils seront alors verrouillés."
            ).format(
                plural(count, self.tr("état de frais validé"), self.tr("états de frais validés")),
                euros(total),
            )
        )
        self.create_button.setEnabled(True)
        self.create_button.setFocus()

    def create_batch(self) -> None:
        if self.preview is None:
            return
        session_id = self.session.currentData()
        execution = None if self.default_date.isChecked() else self.execution.date().toPython()
        api = self.api
        self.create_button.setEnabled(False)
        self.runner.run(
            lambda: api.create_batch(session_id=session_id, execution_date=execution),  # type: ignore[arg-type]
            on_success=self._on_created,
            on_failure=self._on_failed,
        )

    def _on_created(self, created: BatchCreated) -> None:
        self.last_created = created
        self._forget_preview()
        batch = created.batch
        text = self.tr("Lot {0} créé : {1} pour {2}.").format(
            batch.reference,
            plural(batch.statement_count, self.tr("état de frais"), self.tr("états de frais")),
            euros(batch.total),
        )
        if created.excluded:
            reasons = "; ".join(f"n° {e.id} : {e.reason}" for e in created.excluded[:5])
            more = "…" if len(created.excluded) > 5 else ""
            self.bar.warning(
                text + " " + self.tr("Laissés hors du lot : {0}{1}").format(reasons, more)
            )
        else:
            self.bar.success(text)
        self.batch_created.emit(created)
        self.reload()

    # --- files and payment ----------------------------------------------------------------------

    def download(self, kind: str, batch: Batch, path: Path) -> None:
        """Fetches the file and writes it to `path`, both off the GUI thread."""
        fetch: Callable[[int], Download] = {
            "sepa": self.api.sepa_file,
            "payroll": self.api.payroll_file,
            "summary": self.api.summary_file,
        }[kind]

        def work() -> str:
            download = fetch(batch.id)
            path.write_bytes(download.content)
            return str(path)

        self.bar.info(self.tr("Téléchargement en cours…"))
        self.runner.run(work, on_success=self._on_saved, on_failure=self._on_failed)

    def _on_saved(self, path: str) -> None:
        self.bar.success(self.tr("Fichier enregistré : {0}").format(path))
        self.file_saved.emit(path)

    def on_download(self, kind: str) -> None:
        batch = self.selected()
        if batch is None:
            return
        suffix, pattern = {
            "sepa": ("virements.xml", self.tr("Fichiers XML (*.xml)")),
            "payroll": ("paie.csv", self.tr("Fichiers CSV (*.csv)")),
            "summary": ("recapitulatif.pdf", self.tr("Documents PDF (*.pdf)")),
        }[kind]
        path = ask_path(
            self, self.tr("Enregistrer le fichier"), f"{batch.reference}-{suffix}", pattern
        )
        if path is not None:
            self.download(kind, batch, path)

    def mark_paid(self, batch: Batch, paid_on: dt.date) -> None:
        self.runner.run(
            lambda: self.api.mark_paid(batch.id, paid_on),
            on_success=lambda paid: self._on_paid(paid, paid_on),
            on_failure=self._on_failed,
        )

    def _on_paid(self, batch: Batch, paid_on: dt.date) -> None:
        self.bar.success(self.tr("Lot {0} payé le {1}.").format(batch.reference, date_fr(paid_on)))
        self.reload()

    def on_mark_paid(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        dialog = DateDialog(
            self.tr("Marquer le lot {0} payé").format(batch.reference),
            self.tr("Payé le :"),
            self,
        )
        dialog.accepted.connect(lambda: self.mark_paid(batch, dialog.value))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        self.dialog = dialog
