"""Payment batches: send the validated statements to payment, download the batch's files
(SEPA transfers, payroll export, summary), import what the bank (camt.053/054) and the payroll
(its acknowledgement, docs/payroll-export.md) did with them, mark it paid.

Creating a batch is prepared first: the server says exactly what the batch will hold (its
totals) and, up front, every statement's part that cannot go yet, why, and who must act;
"Créer le lot" asks for confirmation with those totals, and the server makes the batch only if
it is still the one announced. Every file is fetched and written on the worker pool.

Signals:
    batches_loaded(list): the list of batches was read.
    batch_created(object): a batch was created (`BatchCreated`).
    file_saved(str): a file was written (its path).
    statement_imported(object): the bank's statement, or the payroll's acknowledgement, was
        reconciled (`Reconciled`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.api.dec import DecApi
from client.api.dec_models import (
    Batch,
    BatchCreated,
    BatchPreview,
    BatchStatus,
    Download,
    Excluded,
    Reconciled,
    SessionRef,
)
from client.formatting import date_fr, euros, plural
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.dec.actions import DateDialog
from client.ui.dec.export import ask_path
from client.ui.errors import message_for
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.widgets import FlowLayout, MessageBar, fit_to_sample

HELP_TOPIC = "dec_payment"


class PaymentPane(QWidget):
    batches_loaded = Signal(list)
    batch_created = Signal(object)
    file_saved = Signal(str)
    statement_imported = Signal(object)

    def __init__(self, ctx: AppContext, api: DecApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = api
        self.runner = ctx.runner
        self.setProperty("helpTopic", HELP_TOPIC)
        self.preview: BatchPreview | None = None
        self.last_created: BatchCreated | None = None
        self.bar = MessageBar()

        self.session = QComboBox()
        self.session.setAccessibleName(self.tr("Session du lot"))
        self.session.addItem(self.tr("Toutes les sessions"), None)
        self.session.currentIndexChanged.connect(self._forget_preview)
        self.default_date = QCheckBox(self.tr("Exécution le jour ouvré suivant"))
        self.default_date.setChecked(True)
        self.default_date.setToolTip(
            self.tr(
                "Jour ouvré TARGET2 : ni samedi ni dimanche, ni 1er janvier, Vendredi saint, "
                "lundi de Pâques, 1er mai, 25 et 26 décembre"
            )
        )
        self.execution = QDateEdit(QDate.currentDate().addDays(1))
        self.execution.setCalendarPopup(True)
        self.execution.setDisplayFormat("dd/MM/yyyy")
        self.execution.setAccessibleName(self.tr("Date d'exécution des virements"))
        self.execution.setEnabled(False)
        self.default_date.toggled.connect(lambda on: self.execution.setEnabled(not on))
        self.preview_button = QPushButton(self.tr("&Préparer un lot…"))
        self.preview_button.setToolTip(
            self.tr(
                "Voir ce que le lot contiendra, et ce qui ne peut pas encore partir, avant de le "
                "créer"
            )
        )
        self.preview_button.clicked.connect(self.prepare)
        self.create_button = QPushButton(self.tr("&Créer le lot"))
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create_batch)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        # Every part the batch will leave out, why and who must act, shown before creating it.
        self.excluded_model: RowsModel[Excluded] = RowsModel(
            [
                Column(self.tr("N°"), lambda e: str(e.id), numeric=True),
                Column(self.tr("Intervenant"), lambda e: e.person or "—"),
                Column(self.tr("Part"), lambda e: e.part_label or self.tr("Tout l'état")),
                Column(
                    self.tr("Montant"),
                    lambda e: euros(e.amount) if e.amount is not None else "—",
                    numeric=True,
                ),
                Column(self.tr("Qui doit agir"), lambda e: e.who or "—"),
                Column(self.tr("Motif"), lambda e: e.reason),
            ],
            parent=self,
        )
        self.excluded_table = QTableView()
        self.excluded_table.setModel(self.excluded_model)
        self.excluded_table.setAccessibleName(self.tr("Parts laissées hors du lot"))
        self.excluded_table.verticalHeader().hide()
        self.excluded_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.excluded_table.setAlternatingRowColors(True)
        self.excluded_table.setWordWrap(True)
        header = self.excluded_table.horizontalHeader()
        # Sized by their content when the rows come (fit_to_sample): hundreds of parts may be
        # left out, and a header sized to its contents reads every row of a hidden table.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.excluded_table.setMaximumHeight(180)
        self.excluded_table.hide()
        new_batch = QHBoxLayout()
        session_label = QLabel(self.tr("&Session :"))
        session_label.setBuddy(self.session)
        new_batch.addWidget(session_label)
        new_batch.addWidget(self.session, 1)
        new_batch.addWidget(self.default_date)
        new_batch.addWidget(self.execution)
        new_batch.addWidget(self.preview_button)
        new_batch.addWidget(self.create_button)

        self.model: RowsModel[Batch] = RowsModel(
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
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.sepa_button = QPushButton(self.tr("Fichier &SEPA (XML)…"))
        self.sepa_button.clicked.connect(lambda: self.on_download("sepa"))
        self.payroll_button = QPushButton(self.tr("Export &paie (CSV)…"))
        self.payroll_button.clicked.connect(lambda: self.on_download("payroll"))
        self.summary_button = QPushButton(self.tr("&Récapitulatif (PDF)…"))
        self.summary_button.clicked.connect(lambda: self.on_download("summary"))
        self.statement_button = QPushButton(self.tr("&Importer le relevé bancaire…"))
        self.statement_button.setToolTip(
            self.tr(
                "Le relevé camt.053 ou l'avis camt.054 de la banque : les virements débités "
                "passent à « Payé », les virements rejetés repartent au prochain lot"
            )
        )
        self.statement_button.clicked.connect(self.on_import_statement)
        self.acknowledgement_button = QPushButton(self.tr("Importer l'&accusé de la paie…"))
        self.acknowledgement_button.setToolTip(
            self.tr(
                "Le fichier CSV par lequel la paie répond à l'export du lot : les lignes payées "
                "passent à « Payé », les lignes rejetées repartent au prochain lot"
            )
        )
        self.acknowledgement_button.clicked.connect(self.on_import_acknowledgement)
        self.paid_button = QPushButton(self.tr("Marquer &payé…"))
        self.paid_button.clicked.connect(self.on_mark_paid)
        # The batch's files, then what comes back from the bank and the payroll: one row that
        # wraps in a narrow window instead of widening it.
        files = FlowLayout()
        for button in (
            self.sepa_button,
            self.payroll_button,
            self.summary_button,
            self.statement_button,
            self.acknowledgement_button,
            self.paid_button,
        ):
            files.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(app_style.section_title(self.tr("Nouveau lot de paiement")))
        layout.addLayout(new_batch)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.excluded_table)
        layout.addWidget(app_style.section_title(self.tr("Lots de paiement")))
        layout.addWidget(self.table, 1)
        layout.addLayout(files)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------

    def start(self) -> None:
        """The batches, and the sessions from the workstation's reference lists (read once for
        the session: no request when the queue has them already)."""
        api = self.api
        Op(
            self, lambda: api.reference_lists().sessions, bar=self.bar, latest="sessions"
        ).on_success(self._on_sessions).run(self.runner)
        self.reload()

    def reload(self) -> None:
        Op(self, self.api.batches, bar=self.bar, latest="batches").on_success(self._on_batches).run(
            self.runner
        )

    def _on_sessions(self, sessions: list[SessionRef]) -> None:
        while self.session.count() > 1:
            self.session.removeItem(1)
        for session in sessions:
            self.session.addItem(f"{session.code} — {session.name}", session.id)

    def _on_batches(self, batches: list[Batch]) -> None:
        selected = self.selected()
        self.model.set_rows(sorted(batches, key=lambda b: b.id, reverse=True))
        fit_to_sample(self.table)
        if selected is not None:
            for number, batch in enumerate(self.model.rows()):
                if batch.id == selected.id:
                    self.table.selectRow(number)
        self._update_buttons()
        self.batches_loaded.emit(batches)

    def selected(self) -> Batch | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        batch = self.selected()
        for button in (self.sepa_button, self.payroll_button, self.summary_button):
            button.setEnabled(batch is not None)
        self.paid_button.setEnabled(batch is not None and batch.status is not BatchStatus.PAID)
        open_batch = batch is not None and batch.status is not BatchStatus.PAID
        self.statement_button.setEnabled(open_batch)
        self.acknowledgement_button.setEnabled(
            open_batch and batch is not None and batch.payroll_count > 0
        )

    # --- a new batch --------------------------------------------------------------------------

    def _forget_preview(self, *_args: object) -> None:
        self.preview = None
        self.create_button.setEnabled(False)
        self.preview_label.clear()
        self.excluded_model.set_rows([])
        self.excluded_table.hide()

    def _execution(self) -> dt.date | None:
        return None if self.default_date.isChecked() else self.execution.date().toPython()  # type: ignore[return-value]

    def prepare(self) -> None:
        """Asks the server what the batch would hold now, and what it would leave out."""
        session_id, execution, api = self.session.currentData(), self._execution(), self.api
        self._forget_preview()
        self.preview_label.setText(self.tr("Préparation du lot…"))
        Op(
            self,
            lambda: api.preview_batch(session_id=session_id, execution_date=execution),
            bar=self.bar,
            latest="preview",
        ).on_success(self._on_preview).run(self.runner)

    def _on_preview(self, preview: BatchPreview) -> None:
        self.preview = preview
        self.excluded_model.set_rows(preview.excluded)
        fit_to_sample(self.excluded_table)
        self.excluded_table.setVisible(bool(preview.excluded))
        left_out = ""
        if preview.excluded:
            left_out = " " + self.tr("{0}, ci-dessous avec leur motif et qui doit agir.").format(
                plural(
                    len(preview.excluded),
                    self.tr("part ne peut pas encore partir"),
                    self.tr("parts ne peuvent pas encore partir"),
                )
            )
        if not preview.statement_count:
            self.preview_label.setText(
                self.tr("Aucun état de frais validé ne peut être mis en paiement.") + left_out
            )
            self.create_button.setEnabled(False)
            return
        self.preview_label.setText(
            self.tr(
                "Le lot contiendra {count} pour {total} : {transfers} pour {transfer_total}, "
                "{payroll} pour {payroll_total} ; virements exécutés le {date}.{left_out}"
            ).format(
                count=plural(
                    preview.statement_count, self.tr("état de frais"), self.tr("états de frais")
                ),
                total=euros(preview.total),
                transfers=plural(preview.transfer_count, self.tr("virement"), self.tr("virements")),
                transfer_total=euros(preview.transfer_total),
                payroll=plural(
                    preview.payroll_count, self.tr("ligne de paie"), self.tr("lignes de paie")
                ),
                payroll_total=euros(preview.payroll_total),
                date=date_fr(preview.execution_date),
                left_out=left_out,
            )
        )
        self.create_button.setEnabled(True)
        self.create_button.setFocus()

    def confirm(self, text: str) -> bool:
        """Asks before creating the batch; replaced in tests."""
        answer = QMessageBox.question(
            self,
            self.tr("Créer le lot de paiement"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def create_batch(self) -> None:
        preview = self.preview
        if preview is None:
            return
        question = self.tr(
            "Créer le lot de {count} pour {total} (virements : {transfer_total} ; paie : "
            "{payroll_total}) ? Ces états de frais seront verrouillés et transmis à la "
            "liquidation."
        ).format(
            count=plural(
                preview.statement_count, self.tr("état de frais"), self.tr("états de frais")
            ),
            total=euros(preview.total),
            transfer_total=euros(preview.transfer_total),
            payroll_total=euros(preview.payroll_total),
        )
        if not self.confirm(question):
            return
        session_id, execution, api = self.session.currentData(), self._execution(), self.api
        self.create_button.setEnabled(False)
        Op(
            self,
            lambda: api.create_batch(
                session_id=session_id, execution_date=execution, expected=preview
            ),
            bar=self.bar,
        ).on_success(self._on_created).on_failure(self._on_create_failed).run(self.runner)

    def _on_create_failed(self, error: BaseException) -> None:
        self._forget_preview()
        self.bar.error(message_for(error))

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
            text += " " + self.tr("{0} hors du lot, comme annoncé.").format(
                plural(len(created.excluded), self.tr("part reste"), self.tr("parts restent"))
            )
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
        Op(self, work, bar=self.bar).on_success(self._on_saved).run(self.runner)

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
        api = self.api
        Op(self, lambda: api.mark_paid(batch.id, paid_on), bar=self.bar).on_success(
            lambda paid: self._on_paid(paid, paid_on)
        ).run(self.runner)

    def _on_paid(self, batch: Batch, paid_on: dt.date) -> None:
        self.bar.success(self.tr("Lot {0} payé le {1}.").format(batch.reference, date_fr(paid_on)))
        self.reload()

    def import_statement(self, batch: Batch, path: Path) -> None:
        """Reads the bank's file and sends it, both off the GUI thread."""
        api = self.api

        def work() -> Reconciled:
            return api.reconcile(batch.id, path.read_text(encoding="utf-8"))

        self.bar.info(self.tr("Rapprochement du relevé bancaire…"))
        Op(self, work, bar=self.bar).on_success(self._on_reconciled).run(self.runner)

    def import_acknowledgement(self, batch: Batch, path: Path) -> None:
        """Reads the payroll's acknowledgement (UTF-8, its byte-order mark dropped) and sends
        it, both off the GUI thread."""
        api = self.api

        def work() -> Reconciled:
            return api.acknowledge_payroll(batch.id, path.read_text(encoding="utf-8-sig"))

        self.bar.info(self.tr("Rapprochement de l'accusé de la paie…"))
        Op(self, work, bar=self.bar).on_success(self._on_acknowledged).run(self.runner)

    def _on_reconciled(self, result: Reconciled) -> None:
        text = self.tr("Relevé rapproché pour le lot {0} : {1} payée(s), {2} rejetée(s).").format(
            result.batch.reference, result.paid, result.rejected
        )
        if result.rejected:
            text += " " + self.tr("Les parts rejetées repartiront au prochain lot.")
        others = len(result.unknown) + len(result.mismatched)
        if others:
            text += " " + self.tr("{0} opération(s) du relevé laissée(s) de côté.").format(others)
        self._report(result, text)

    def _on_acknowledged(self, result: Reconciled) -> None:
        text = self.tr(
            "Accusé de la paie rapproché pour le lot {0} : {1} ligne(s) payée(s), {2} rejetée(s)."
        ).format(result.batch.reference, result.paid, result.rejected)
        if result.rejected:
            text += " " + self.tr("Les indemnités rejetées repartiront au prochain lot.")
        if result.already_settled:
            text += " " + self.tr("{0} ligne(s) déjà rapprochée(s) auparavant.").format(
                len(result.already_settled)
            )
        if result.unknown:
            text += " " + self.tr(
                "{0} ligne(s) laissée(s) de côté : référence(s) absente(s) de l'export du lot "
                "({1})."
            ).format(
                len(result.unknown),
                ", ".join(result.unknown[:3]) + (" …" if len(result.unknown) > 3 else ""),
            )
        self._report(result, text)

    def _report(self, result: Reconciled, text: str) -> None:
        if result.mismatched or result.rejected:
            self.bar.warning(text)
        else:
            self.bar.success(text)
        self.statement_imported.emit(result)
        self.reload()

    def on_import_statement(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Relevé bancaire du lot {0}").format(batch.reference),
            "",
            self.tr("Relevés ISO 20022 (*.xml)"),
        )
        if name:
            self.import_statement(batch, Path(name))

    def on_import_acknowledgement(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Accusé de la paie du lot {0}").format(batch.reference),
            "",
            self.tr("Accusés de la paie (*.csv *.txt)"),
        )
        if name:
            self.import_acknowledgement(batch, Path(name))

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
