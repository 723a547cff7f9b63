"""The DEC's assignment workspace: competences to validate, needs, the solver's proposal and its
review, convocations, withdrawals, one tab each (each in its own module, with its calls).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    ExamSessionRef,
)
from client.ui import app_style
from client.ui.assignment.affectation import AffectationTab
from client.ui.assignment.common import assignment_api
from client.ui.assignment.competences import CompetencesTab
from client.ui.assignment.convocations import ConvocationsTab
from client.ui.assignment.needs import NeedsTab
from client.ui.context import AppContext
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


class AssignmentWorkspace(QWidget):
    """The DEC's assignment of a session, tab by tab.

    Signals:
        sessions_loaded(): the sessions were read and the first one chosen.
        page_changed(): another tab is shown (the help pane follows).
    """

    sessions_loaded = Signal()
    page_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        from client.ui.assignment.replacements import WithdrawalsTab

        super().__init__(parent)
        self.ctx = ctx
        self.api = assignment_api(ctx)
        self.setObjectName("assignmentWorkspace")
        self.setProperty("helpTopic", "assignment")
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        header = QHBoxLayout()
        header.addWidget(app_style.page_title(self.tr("Affectation des intervenants")), 1)
        session_label = QLabel(self.tr("&Session :"))
        self.session = QComboBox()
        self.session.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.session.setAccessibleName(self.tr("Session d'examen"))
        session_label.setBuddy(self.session)
        self.session.currentIndexChanged.connect(lambda _: self._on_session_changed())
        header.addWidget(session_label)
        header.addWidget(self.session)
        layout.addLayout(header)
        self.bar = MessageBar()
        layout.addWidget(self.bar)
        self.tabs = QTabWidget()
        self.competences = CompetencesTab(ctx, self.bar)
        self.needs = NeedsTab(ctx, self.bar)
        self.affectation = AffectationTab(ctx, self.bar)
        self.convocations = ConvocationsTab(ctx, self.bar)
        self.withdrawals = WithdrawalsTab(ctx, self.bar)
        self.tabs.addTab(self.competences, self.tr("Compétences à valider"))
        self.tabs.addTab(self.needs, self.tr("Besoins"))
        self.tabs.addTab(self.affectation, self.tr("Affectation"))
        self.tabs.addTab(self.convocations, self.tr("Convocations"))
        self.tabs.addTab(self.withdrawals, self.tr("Désistements"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)
        # Whatever changes the proposal shows in the tabs read after it.
        self.needs.changed.connect(self.affectation.reload)
        self.convocations.issued.connect(lambda _: self.affectation.reload())
        self.withdrawals.replaced.connect(lambda _: self.convocations.reload())

    # --- workspace protocol ---------------------------------------------------------------

    def start(self) -> None:
        api = self.api
        Op(self, api.sessions, bar=self.bar, latest="assignment-sessions").on_success(
            self._on_sessions
        ).run(self.ctx.runner)

    def refresh(self) -> None:
        tab = self.tabs.currentWidget()
        reload = getattr(tab, "reload", None)
        if reload is not None:
            reload()

    def maybe_close(self) -> bool:
        return True

    @property
    def session_id(self) -> int | None:
        value = self.session.currentData()
        return int(value) if value is not None else None

    def _on_sessions(self, sessions: list[ExamSessionRef]) -> None:
        self.session.blockSignals(True)
        self.session.clear()
        for each in sessions:
            self.session.addItem(f"{each.name} ({each.code})", each.id)
        self.session.blockSignals(False)
        if not sessions:
            self.bar.info(self.tr("Aucune session d'examen n'est définie."))
        self._on_session_changed()
        self.sessions_loaded.emit()

    def _on_session_changed(self) -> None:
        session_id = self.session_id
        for tab in (
            self.competences,
            self.needs,
            self.affectation,
            self.convocations,
            self.withdrawals,
        ):
            tab.session_id = session_id
        self.refresh()

    def _on_tab_changed(self, _: int) -> None:
        self.refresh()
        self.page_changed.emit()
