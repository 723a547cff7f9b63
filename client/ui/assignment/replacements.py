"""The DEC's withdrawals: convened people who said in advance they cannot come, their ranked
replacements, and the replacement convened in one action (old statement cancelled, new
convocation, statement and letter)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import Candidate, Replacement, Withdrawal
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api, download_letter
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.models.assignment_tables import (
    RankedCandidate,
    candidate_columns,
    withdrawal_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


class WithdrawalsTab(QWidget):
    """Signals:
    loaded(): the withdrawals were read.
    candidates_loaded(): the ranked replacements of the chosen withdrawal were read.
    replaced(object): a replacement was convened (the `Replacement`).
    """

    loaded = Signal()
    candidates_loaded = Signal()
    replaced = Signal(object)

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "assignment.withdrawals")
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self.last_letter_id: int | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            app_style.hint(
                self.tr(
                    "Les personnes convoquées qui ont signalé ne pas pouvoir venir, par un "
                    "désistement ou un état de frais déclaré non effectué avant le jour."
                )
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = Table(withdrawal_columns(), name=self.tr("Désistements"), stretch=1)
        self.table.view.selectionModel().selectionChanged.connect(self._on_withdrawal_chosen)
        splitter.addWidget(self.table.view)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.candidates_title = app_style.section_title(self.tr("Remplaçants classés"))
        lower_layout.addWidget(self.candidates_title)
        self.candidates = Table(candidate_columns(), name=self.tr("Remplaçants classés"), stretch=6)
        self.candidates.view.selectionModel().selectionChanged.connect(self._update_buttons)
        lower_layout.addWidget(self.candidates.view, 1)
        row = QHBoxLayout()
        self.status = app_style.hint()
        row.addWidget(self.status, 1)
        self.letter_button = QPushButton(self.tr("Ouvrir la &lettre du remplaçant"))
        self.letter_button.clicked.connect(self.open_last_letter)
        self.replace_button = QPushButton(self.tr("&Remplacer et convoquer…"))
        self.replace_button.clicked.connect(lambda: self.replace())
        row.addWidget(self.letter_button)
        row.addWidget(self.replace_button)
        lower_layout.addLayout(row)
        splitter.addWidget(lower)
        layout.addWidget(splitter, 1)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        api = self.api
        Op(
            self, lambda: api.withdrawals(session_id), bar=self.bar, latest="withdrawals"
        ).on_success(self._on_loaded).run(self.ctx.runner)

    def _on_loaded(self, rows: list[Withdrawal]) -> None:
        self.table.set_rows(rows)
        self.candidates.set_rows([])
        self.status.setText(
            self.tr("{0} désistement(s) en attente de remplacement.").format(len(rows))
            if rows
            else self.tr("Aucun désistement en attente.")
        )
        if rows:
            self.table.select_row(0)
        self._update_buttons()
        self.loaded.emit()

    def _on_withdrawal_chosen(self) -> None:
        withdrawal = self.table.current()
        self.candidates.set_rows([])
        self._update_buttons()
        if withdrawal is None:
            return
        self.candidates_title.setText(
            self.tr("Remplaçants classés pour {person} — {task}, {slot}").format(
                person=withdrawal.assignment.person_name,
                task=withdrawal.assignment.task_label,
                slot=withdrawal.slot,
            )
        )
        api, assignment_id = self.api, withdrawal.assignment.id
        Op(
            self, lambda: api.replacements(assignment_id), bar=self.bar, latest="replacements"
        ).on_success(self._on_candidates).run(self.ctx.runner)

    def _on_candidates(self, candidates: list[Candidate]) -> None:
        self.candidates.set_rows([RankedCandidate(n, c) for n, c in enumerate(candidates, 1)])
        if candidates:
            self.candidates.select_row(0)
        else:
            self.bar.warning(
                self.tr("Personne n'est compétent, disponible et libre pour ce remplacement.")
            )
        self._update_buttons()
        self.candidates_loaded.emit()

    def _update_buttons(self) -> None:
        self.replace_button.setEnabled(
            self.table.current() is not None and self.candidates.current() is not None
        )
        self.letter_button.setEnabled(self.last_letter_id is not None)

    def replace(self, confirmed: bool = False) -> None:
        withdrawal = self.table.current()
        chosen = self.candidates.current()
        if withdrawal is None or chosen is None:
            return
        person = chosen.candidate.person_name
        if not confirmed:
            answer = QMessageBox.question(
                self,
                self.tr("Remplacer et convoquer"),
                self.tr(
                    "Convoquer {new} à la place de {old} ({task}, {slot}) ? L'état de frais de "
                    "{old} sera annulé et {new} recevra sa convocation et sa lettre."
                ).format(
                    new=person,
                    old=withdrawal.assignment.person_name,
                    task=withdrawal.assignment.task_label,
                    slot=withdrawal.slot,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        api, assignment_id, user_id = self.api, withdrawal.assignment.id, chosen.candidate.user_id
        self.replace_button.setEnabled(False)
        Op(self, lambda: api.replace(assignment_id, user_id), latest="replace").on_success(
            self._on_replaced
        ).on_failure(self._on_failed).run(self.ctx.runner)

    def _on_replaced(self, outcome: Replacement) -> None:
        self.last_letter_id = outcome.letter.id
        self.bar.success(
            self.tr(
                "{new} est convoqué(e) à la place de {old} ; l'état de frais de {old} est annulé "
                "et la lettre de {new} est prête."
            ).format(new=outcome.replacement.person_name, old=outcome.replaced.person_name)
        )
        self.replaced.emit(outcome)
        self.reload()

    def _on_failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error))
        self._update_buttons()

    def open_last_letter(self) -> None:
        if self.last_letter_id is not None:
            download_letter(self.ctx, self.bar, self.last_letter_id)


__all__ = ["WithdrawalsTab"]
