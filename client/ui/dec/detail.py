"""One statement as the DEC checks it: the service day by day, every computed line with its
explanation, the anomalies, the supporting documents (ticked as they arrive), the history,
and the actions allowed now. Shows what the server sent; computes nothing.

Signals:
    action_requested(str): one of the action buttons ("approve", "return", "correct",
        "indemnity", "cancel", "uncancel", "service_done").
    documents_changed(list): the labels of every document now ticked as received.
    annual_statement_requested(int, str): print the annual statement of the sums paid to the
        statement's person (their id, their name).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.api.dec_models import AnomalyOut, DecStatement, DocumentOut
from client.api.models import AuditEntry, DocumentFile, HalfDay, Line, PayDay
from client.formatting import date_fr, euros, number, period, plural
from client.ui import app_style
from client.ui.dec.commands import commands
from client.ui.models.rows import Column, RowsModel
from client.ui.widgets import FlowLayout


def _table(model: RowsModel[Any], stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class DecDetailPane(QWidget):
    action_requested = Signal(str)
    documents_changed = Signal(list)
    annual_statement_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "dec_queue")
        self.current: DecStatement | None = None
        self._filling = False
        self._commands = [c for c in commands() if c.detail]

        self.placeholder = app_style.hint(
            self.tr("Choisissez un état de frais dans la liste pour le vérifier ici.")
        )
        self.title = app_style.section_title("")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setObjectName("returnReason")
        self.reason.setStyleSheet(
            "#returnReason { background: #fff4e5; color: #8a5300; border: 1px solid #8a5300;"
            " border-radius: 4px; padding: 4px; }"
        )
        self.buttons: dict[str, QPushButton] = {}
        # The buttons wrap onto a second line in a narrow detail, beside the queue's columns.
        buttons = FlowLayout()
        for command in self._commands:
            button = QPushButton(command.detail)
            button.setToolTip(command.tooltip())
            button.clicked.connect(
                lambda _checked=False, k=command.key: self.action_requested.emit(k)
            )
            self.buttons[command.key] = button
            buttons.addWidget(button)
        # With the actions, wrapping with them when the pane is narrow.
        self.annual_button = QPushButton(self.tr("Attestation a&nnuelle…"))
        self.annual_button.setToolTip(
            self.tr(
                "Les sommes versées à cette personne pendant une année civile, mission par "
                "mission (PDF pour sa déclaration de revenus)."
            )
        )
        self.annual_button.setProperty("helpTopic", "dec_queue.annual_statement")
        self.annual_button.clicked.connect(self.request_annual_statement)
        buttons.addWidget(self.annual_button)
        self.allowed = app_style.hint()

        self.days_model: RowsModel[PayDay] = RowsModel(
            [
                Column(self.tr("Jour"), lambda d: date_fr(d.date)),
                Column(self.tr("Copies"), lambda d: _count(d.copies), numeric=True),
                Column(
                    self.tr("Candidats matin"),
                    lambda d: _count(d.candidates.get(HalfDay.MORNING)),
                    numeric=True,
                ),
                Column(
                    self.tr("Candidats après-midi"),
                    lambda d: _count(d.candidates.get(HalfDay.AFTERNOON)),
                    numeric=True,
                ),
                Column(
                    self.tr("Heures"),
                    lambda d: number(d.hours) if d.hours is not None else "—",
                    numeric=True,
                ),
            ],
            parent=self,
        )
        self.lines_model: RowsModel[Line] = RowsModel(
            [
                Column(
                    self.tr("Ligne et explication"),
                    lambda line: f"{line.label}\n{line.explanation}",
                    tooltip=lambda line: f"{line.explanation}\n{line.legal_text}",
                ),
                Column(self.tr("Montant"), lambda line: euros(line.amount), numeric=True),
            ],
            parent=self,
        )
        self.anomalies_model: RowsModel[AnomalyOut] = RowsModel(
            [
                Column(
                    self.tr("Anomalie"), lambda a: a.label, colour=lambda _a: app_style.ERROR_COLOUR
                ),
                Column(self.tr("Détail"), lambda a: a.message, tooltip=lambda a: a.message),
            ],
            parent=self,
        )
        self.history_model: RowsModel[AuditEntry] = RowsModel(
            [
                Column(self.tr("Le"), lambda e: e.at.astimezone().strftime("%d/%m/%Y %H:%M")),
                Column(self.tr("Par"), lambda e: e.actor or "—"),
                Column(self.tr("Action"), lambda e: e.action_labels.dec),
                Column(
                    self.tr("Statut"),
                    lambda e: e.to_status_labels.dec if e.to_status_labels else "—",
                ),
                Column(self.tr("Motif"), lambda e: e.reason or "", tooltip=lambda e: e.reason),
            ],
            parent=self,
        )
        self.documents = QListWidget()
        self.documents.setAccessibleName(self.tr("Pièces justificatives reçues"))
        self.documents.itemChanged.connect(self.on_document_changed)
        self.documents.itemActivated.connect(lambda _: self.view_current())
        self.documents.currentItemChanged.connect(lambda *_: self._update_view_button())
        self.documents_hint = app_style.hint(
            self.tr("Cochez chaque pièce reçue (Espace) : la coche est enregistrée aussitôt.")
        )
        self.view_button = QPushButton(self.tr("&Voir les fichiers joints"))
        self.view_button.setToolTip(
            self.tr("Ouvre les fichiers de la pièce choisie (Entrée ou double-clic).")
        )
        self.view_button.clicked.connect(self.view_current)
        self.view_button.setEnabled(False)
        # Set by the workstation: opens the viewer on (label, files, received).
        self.open_viewer: Callable[[str, list[DocumentFile], bool], None] | None = None
        documents = QWidget()
        documents_layout = QVBoxLayout(documents)
        documents_layout.addWidget(self.documents_hint)
        documents_layout.addWidget(self.documents, 1)
        view_row = QHBoxLayout()
        view_row.addWidget(self.view_button)
        view_row.addStretch(1)
        documents_layout.addLayout(view_row)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.lines_view = _table(self.lines_model, stretch=0)
        self.lines_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.anomalies_view = _table(self.anomalies_model, stretch=1)
        self.anomalies_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.tabs.addTab(self.lines_view, self.tr("&Calcul"))
        self.tabs.addTab(_table(self.days_model), self.tr("&Service par jour"))
        self.tabs.addTab(self.anomalies_view, self.tr("A&nomalies"))
        self.tabs.addTab(documents, self.tr("&Pièces"))
        self.tabs.addTab(_table(self.history_model, stretch=4), self.tr("&Historique"))

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.summary)
        body.addWidget(self.reason)
        body.addLayout(buttons)
        body.addWidget(self.allowed)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body, 1)
        self.clear()

    def clear(self) -> None:
        self.current = None
        self.body.hide()
        self.placeholder.show()

    def show_statement(self, detail: DecStatement) -> None:
        self.current = detail
        s = detail.statement
        self.placeholder.hide()
        self.body.show()
        self.title.setText(self.tr("N° {0} — {1}").format(s.id, s.intervenant))
        mission = s.mission
        what = " · ".join(
            part
            for part in (
                mission.type_label,
                mission.exam,
                f"{mission.paper_code} {mission.paper}" if mission.paper_code else None,
            )
            if part
        )
        facts = [
            f"<b>{escape(s.labels.dec)}</b> — {escape(euros(s.computation.total))}",
            escape(what),
            escape(
                f"{mission.centre} ({mission.commune}), "
                f"{period(mission.start_date, mission.end_date)}"
            ),
        ]
        if detail.service_done is not None:
            facts.append(
                escape(
                    self.tr("Service fait constaté le {0}{1}.").format(
                        date_fr(detail.service_done.recorded_at.date()),
                        self.tr(" par {0}").format(detail.service_done.recorded_by)
                        if detail.service_done.recorded_by
                        else "",
                    )
                )
            )
        else:
            facts.append(escape(self.tr("Service fait non constaté.")))
        if detail.direct_indemnity is not None:
            facts.append(
                escape(
                    self.tr("Indemnité saisie par la DEC : {0}").format(
                        euros(detail.direct_indemnity)
                    )
                )
            )
        if detail.dec_corrected:
            facts.append(
                escape(self.tr("Décompte corrigé par la DEC (pas encore lu par l'intervenant)."))
            )
        person = detail.intervenant
        facts.append(
            escape(
                self.tr("Identifiant {0} · {1} · {2}").format(
                    person.login,
                    self.tr("interne (paie)") if person.interne else self.tr("externe (virement)"),
                    self.tr("RIB renseigné") if person.has_iban else self.tr("RIB manquant"),
                )
            )
        )
        if detail.payment_batch_id is not None:
            facts.append(escape(self.tr("Lot de paiement n° {0}").format(detail.payment_batch_id)))
        self.summary.setText("<br>".join(facts))
        self.reason.setVisible(bool(s.reason))
        self.reason.setText(self.tr("Motif du renvoi : {0}").format(s.reason or ""))
        allowed = [c for c in self._commands if c.allowed_by(detail.actions)]
        for command in self._commands:
            self.buttons[command.key].setVisible(command in allowed)
        names = [c.detail.rstrip("…") for c in allowed]
        self.allowed.setText(
            self.tr("Actions possibles maintenant : {0}.").format(", ".join(names))
            if names
            else self.tr("Aucune action possible dans ce statut.")
        )
        self.lines_model.set_rows(s.computation.lines)
        self.days_model.set_rows(s.entry.days)
        self.anomalies_model.set_rows(detail.anomalies)
        self.history_model.set_rows(list(reversed(s.history)))
        self.tabs.setTabText(
            2,
            self.tr("A&nomalies ({0})").format(len(detail.anomalies))
            if detail.anomalies
            else self.tr("A&nomalies"),
        )
        received = sum(d.received for d in detail.documents)
        self.tabs.setTabText(
            3, self.tr("&Pièces ({0}/{1})").format(received, len(detail.documents))
        )
        self._fill_documents(detail)

    def request_annual_statement(self) -> None:
        if self.current is not None:
            self.annual_statement_requested.emit(
                self.current.intervenant.id, self.current.statement.intervenant
            )

    def _fill_documents(self, detail: DecStatement) -> None:
        self._filling = True
        try:
            self.documents.clear()
            for document in detail.documents:
                attached = (
                    plural(
                        len(document.files), self.tr("fichier joint"), self.tr("fichiers joints")
                    )
                    if document.files
                    else self.tr("aucun fichier joint")
                )
                item = QListWidgetItem(f"{document.label} — {attached}")
                item.setData(Qt.ItemDataRole.UserRole, document.label)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(
                    Qt.CheckState.Checked if document.received else Qt.CheckState.Unchecked
                )
                if document.received and document.received_at is not None:
                    item.setToolTip(
                        self.tr("Reçu le {0}{1}").format(
                            date_fr(document.received_at.date()),
                            self.tr(" (noté par {0})").format(document.received_by)
                            if document.received_by
                            else "",
                        )
                    )
                self.documents.addItem(item)
            if not detail.documents:
                self.documents_hint.setText(self.tr("Aucune pièce justificative n'est requise."))
            else:
                self.documents_hint.setText(
                    self.tr(
                        "Cochez chaque pièce reçue (Espace) : la coche est enregistrée aussitôt."
                    )
                    + " "
                    + plural(
                        sum(d.received for d in detail.documents),
                        self.tr("reçue"),
                        self.tr("reçues"),
                    )
                    + self.tr(" sur {0}.").format(len(detail.documents))
                )
        finally:
            self._filling = False

    def ticked(self) -> list[str]:
        return [
            self.documents.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.documents.count())
            if self.documents.item(n).checkState() == Qt.CheckState.Checked
        ]

    def _document(self, label: str) -> DocumentOut | None:
        if self.current is None:
            return None
        return next((d for d in self.current.documents if d.label == label), None)

    def _update_view_button(self) -> None:
        item = self.documents.currentItem()
        document = None if item is None else self._document(item.data(Qt.ItemDataRole.UserRole))
        self.view_button.setEnabled(document is not None and bool(document.files))

    def view_current(self) -> None:
        """Opens the files of the chosen document in the viewer."""
        item = self.documents.currentItem()
        if item is None or self.open_viewer is None:
            return
        document = self._document(item.data(Qt.ItemDataRole.UserRole))
        if document is not None and document.files:
            self.open_viewer(document.label, list(document.files), document.received)

    def set_received(self, label: str, received: bool) -> None:
        """Ticks or unticks a document, as from its box (the tick is then saved)."""
        for n in range(self.documents.count()):
            item = self.documents.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == label:
                item.setCheckState(Qt.CheckState.Checked if received else Qt.CheckState.Unchecked)

    def on_document_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self.documents_changed.emit(self.ticked())


def _count(value: int | None) -> str:
    return "—" if value is None else number(value)
