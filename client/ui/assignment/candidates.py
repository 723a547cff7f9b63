"""The people who could take a seat, cheapest first, for a reassignment or a seat to fill."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    Candidate,
)
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api
from client.ui.context import AppContext
from client.ui.models.assignment_tables import (
    RankedCandidate,
    candidate_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


class CandidatesDialog(QDialog):
    """The ranked candidates of a need; the DEC picks one.

    Signals:
        chosen(int, bool): the user id picked, and whether to overrule the rules.
    """

    chosen = Signal(int, bool)
    loaded = Signal()

    def __init__(
        self, ctx: AppContext, need_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setProperty("helpTopic", "assignment.affectation")
        layout = QVBoxLayout(self)
        layout.addWidget(
            app_style.hint(
                self.tr(
                    "Intervenants compétents et disponibles, les moins coûteux d'abord puis les "
                    "moins chargés. Le choix manuel est verrouillé."
                )
            )
        )
        self.bar = MessageBar()
        layout.addWidget(self.bar)
        self.table = Table(candidate_columns(), name=self.tr("Candidats classés"), stretch=6)
        self.table.view.doubleClicked.connect(lambda _: self.pick())
        layout.addWidget(self.table.view, 1)
        self.force = QCheckBox(
            self.tr("&Passer outre une règle enfreinte (l'avertissement restera visible)")
        )
        layout.addWidget(self.force)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pick_button = buttons.addButton(
            self.tr("&Affecter ce candidat"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.pick)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 420)
        api = assignment_api(ctx)
        Op(self, lambda: api.candidates(need_id), bar=self.bar, latest="candidates").on_success(
            self._on_loaded
        ).run(ctx.runner)

    def _on_loaded(self, candidates: list[Candidate]) -> None:
        self.table.set_rows([RankedCandidate(n, c) for n, c in enumerate(candidates, 1)])
        if candidates:
            self.table.select_row(0)
        else:
            self.bar.warning(self.tr("Aucun intervenant ne peut prendre cette place."))
        self.loaded.emit()

    def pick(self) -> None:
        row = self.table.current()
        if row is None:
            return
        self.chosen.emit(row.candidate.user_id, self.force.isChecked())
        self.accept()
