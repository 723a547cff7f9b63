"""The competences the DEC validates or refuses, a session at a time."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    Competence,
    CompetenceStatus,
)
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.models.assignment_tables import (
    competence_queue_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


class CompetencesTab(QWidget):
    """Signals:
    loaded(): the competences were read.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "assignment.competences")
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        status_label = QLabel(self.tr("&Afficher :"))
        self.status = QComboBox()
        self.status.addItem(self.tr("En attente"), CompetenceStatus.PENDING)
        self.status.addItem(self.tr("Validées"), CompetenceStatus.VALIDATED)
        self.status.addItem(self.tr("Refusées"), CompetenceStatus.REFUSED)
        self.status.addItem(self.tr("Toutes"), None)
        self.status.setAccessibleName(self.tr("État des compétences affichées"))
        status_label.setBuddy(self.status)
        self.status.currentIndexChanged.connect(lambda _: self.reload())
        search_label = QLabel(self.tr("Rec&hercher :"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Nom, établissement, épreuve…"))
        self.search.setAccessibleName(self.tr("Rechercher une compétence"))
        search_label.setBuddy(self.search)
        top.addWidget(status_label)
        top.addWidget(self.status)
        top.addSpacing(16)
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        layout.addLayout(top)
        self.table = Table(
            competence_queue_columns(), name=self.tr("Compétences déclarées"), multi=True, stretch=2
        )
        self.search.textChanged.connect(self.table.proxy.set_search)
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table.view, 1)
        row = QHBoxLayout()
        self.summary = app_style.hint()
        row.addWidget(self.summary, 1)
        self.select_all_button = QPushButton(self.tr("&Tout sélectionner"))
        self.select_all_button.clicked.connect(self.table.view.selectAll)
        self.validate_button = QPushButton(self.tr("&Valider la sélection"))
        self.validate_button.clicked.connect(self.validate_selected)
        self.refuse_button = QPushButton(self.tr("&Refuser la sélection…"))
        self.refuse_button.clicked.connect(lambda: self.refuse_selected())
        for button in (self.select_all_button, self.validate_button, self.refuse_button):
            row.addWidget(button)
        layout.addLayout(row)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        api, session_id = self.api, self.session_id
        data = self.status.currentData()
        status = CompetenceStatus(data) if data is not None else None
        Op(
            self,
            lambda: api.competences(status, session_id),
            bar=self.bar,
            latest="competence-queue",
        ).on_success(self._on_loaded).run(self.ctx.runner)

    def _on_loaded(self, rows: list[Competence]) -> None:
        self.table.set_rows(rows)
        self.summary.setText(self.tr("{0} compétence(s) affichée(s).").format(len(rows)))
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self) -> None:
        chosen = self.table.selected()
        pending = [c for c in chosen if c.status is CompetenceStatus.PENDING]
        self.validate_button.setEnabled(bool(pending))
        self.refuse_button.setEnabled(bool(pending))
        self.select_all_button.setEnabled(self.table.proxy.rowCount() > 0)

    def validate_selected(self) -> None:
        ids = [c.id for c in self.table.selected() if c.status is CompetenceStatus.PENDING]
        if not ids:
            return
        api = self.api
        self._busy(True)

        def done(result: Any) -> None:
            self._busy(False)
            failed = "\n".join(f.detail for f in result.failed)
            if result.failed:
                self.bar.warning(
                    self.tr("{ok} compétence(s) validée(s), {ko} refus du serveur :\n{why}").format(
                        ok=len(result.succeeded), ko=len(result.failed), why=failed
                    )
                )
            else:
                self.bar.success(
                    self.tr("{0} compétence(s) validée(s).").format(len(result.succeeded))
                )
            self.reload()

        Op(self, lambda: api.validate_competences(ids), latest="validate-competences").on_success(
            done
        ).on_failure(self._failed).run(self.ctx.runner)

    def refuse_selected(self, reason: str | None = None) -> None:
        chosen = [c for c in self.table.selected() if c.status is CompetenceStatus.PENDING]
        if not chosen:
            return
        if reason is None:
            text, ok = QInputDialog.getText(
                self,
                self.tr("Refuser des compétences"),
                self.tr("Motif du refus, communiqué à {0} intervenant(s) :").format(len(chosen)),
            )
            if not ok or not text.strip():
                return
            reason = text.strip()
        api, why = self.api, reason
        self._busy(True)

        def work() -> tuple[int, list[str]]:
            # One request per competence: the server has no bulk refusal; failures are kept.
            refused, failures = 0, []
            for competence in chosen:
                try:
                    api.refuse_competence(competence.id, why)
                    refused += 1
                except Exception as error:
                    failures.append(f"{competence.person_name} : {message_for(error)}")
            return refused, failures

        def done(outcome: tuple[int, list[str]]) -> None:
            self._busy(False)
            refused, failures = outcome
            if failures:
                self.bar.warning(
                    self.tr("{ok} compétence(s) refusée(s), {ko} échec(s) :\n{why}").format(
                        ok=refused, ko=len(failures), why="\n".join(failures)
                    )
                )
            else:
                self.bar.success(self.tr("{0} compétence(s) refusée(s).").format(refused))
            self.reload()

        Op(self, work, latest="refuse").on_success(done).on_failure(self._failed).run(
            self.ctx.runner
        )

    def _busy(self, busy: bool) -> None:
        self.validate_button.setEnabled(not busy)
        self.refuse_button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.bar.error(message_for(error))
