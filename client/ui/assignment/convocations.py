"""Issuing the convocations of a session and their letters."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    AssignmentStatus,
    IssueResult,
    Letter,
    NeedCoverage,
    SessionResult,
)
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api, download_letter
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.models.assignment_tables import (
    letter_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


class ConvocationsTab(QWidget):
    """Signals:
    loaded(): the letters and the count of proposals to convene were read.
    issued(object): the `IssueResult` of an issue.
    """

    loaded = Signal()
    issued = Signal(object)

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "assignment.convocations")
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self.to_issue = 0
        self.needs_to_issue = 0
        layout = QVBoxLayout(self)
        layout.addWidget(app_style.section_title(self.tr("Convoquer")))
        row = QHBoxLayout()
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        row.addWidget(self.pending, 1)
        self.issue_button = QPushButton(self.tr("&Convoquer les intervenants proposés…"))
        self.issue_button.clicked.connect(lambda: self.issue())
        row.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(
            app_style.hint(
                self.tr(
                    "Chaque personne convoquée reçoit une convocation, un état de frais préparé "
                    "et une lettre PDF (avec un mot de passe temporaire pour un externe qui ne "
                    "s'est jamais connecté)."
                )
            )
        )
        layout.addWidget(app_style.section_title(self.tr("Lettres de convocation")))
        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("Rec&hercher :"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Rechercher une lettre"))
        search_label.setBuddy(self.search)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.letters = Table(letter_columns(), name=self.tr("Lettres de convocation"), stretch=0)
        self.search.textChanged.connect(self.letters.proxy.set_search)
        self.letters.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.letters.view.doubleClicked.connect(lambda _: self.download_selected())
        layout.addWidget(self.letters.view, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.download_button = QPushButton(self.tr("&Télécharger la lettre (PDF)"))
        self.download_button.clicked.connect(self.download_selected)
        bottom.addWidget(self.download_button)
        layout.addLayout(bottom)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        api = self.api

        def work() -> tuple[SessionResult, list[Letter]]:
            return api.result(session_id), api.session_letters(session_id)

        Op(self, work, bar=self.bar, latest="convocations").on_success(self._on_loaded).run(
            self.ctx.runner
        )

    def _on_loaded(self, loaded: tuple[SessionResult, list[Letter]]) -> None:
        result, letters = loaded
        self.to_issue = sum(
            1
            for need in result.needs
            for task in need.tasks
            for a in task.assignments
            if a.status is AssignmentStatus.PROPOSED
        )
        self.needs_to_issue = sum(1 for need in result.needs if _has_proposals(need))
        if self.to_issue:
            self.pending.setText(
                self.tr(
                    "{people} proposition(s) à convoquer sur {needs} besoin(s) ; {issued} "
                    "place(s) déjà convoquée(s)."
                ).format(people=self.to_issue, needs=self.needs_to_issue, issued=result.issued)
            )
        else:
            self.pending.setText(
                self.tr("Aucune proposition à convoquer ; {issued} place(s) convoquée(s).").format(
                    issued=result.issued
                )
            )
        self.letters.set_rows(sorted(letters, key=lambda letter: letter.created_at, reverse=True))
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self) -> None:
        self.issue_button.setEnabled(self.to_issue > 0)
        self.download_button.setEnabled(self.letters.current() is not None)

    def issue(self, confirmed: bool = False) -> None:
        session_id = self.session_id
        if session_id is None or not self.to_issue:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                self.tr("Convoquer"),
                self.tr(
                    "Convoquer maintenant {people} intervenant(s) sur {needs} besoin(s) ? Les "
                    "convocations, les états de frais et les lettres seront créés ; une "
                    "convocation émise ne se retire que par un remplacement."
                ).format(people=self.to_issue, needs=self.needs_to_issue),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        api = self.api
        self.issue_button.setEnabled(False)
        Op(self, lambda: api.issue(session_id), latest="issue").on_success(
            self._on_issued
        ).on_failure(self._on_issue_failed).run(self.ctx.runner)

    def _on_issued(self, outcome: IssueResult) -> None:
        text = self.tr(
            "Convocations émises : {issued} affectation(s), {missions} mission(s) créée(s), "
            "{convocations} convocation(s) et {statements} état(s) de frais, {letters} "
            "lettre(s)."
        ).format(
            issued=outcome.issued,
            missions=outcome.missions_created,
            convocations=outcome.convocations_created,
            statements=outcome.statements_created,
            letters=len(outcome.letters),
        )
        if outcome.activated_accounts:
            text += " " + self.tr("Mot de passe temporaire imprimé sur la lettre de : {0}.").format(
                ", ".join(outcome.activated_accounts)
            )
        self.bar.success(text)
        self.issued.emit(outcome)
        self.reload()

    def _on_issue_failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error))
        self._update_buttons()

    def download_selected(self) -> None:
        letter = self.letters.current()
        if letter is not None:
            download_letter(self.ctx, self.bar, letter.id)


def _has_proposals(need: NeedCoverage) -> bool:
    return any(a.status is AssignmentStatus.PROPOSED for t in need.tasks for a in t.assignments)
