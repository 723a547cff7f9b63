"""The DEC's assignment workspace: competences to validate, needs, the solver's proposal and its
review, convocations, withdrawals, one tab each (each in its own module, with its calls).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
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
from client.ui.lazy_tabs import LazyTabs
from client.ui.ops import Op
from client.ui.widgets import MessageBar

if TYPE_CHECKING:
    from client.ui.assignment.replacements import WithdrawalsTab

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
        # Each tab made when first shown, or in a turn of its own once the workspace shows
        # (client.ui.lazy_tabs): the five at once froze the window for about 190 ms.
        self.tabs = LazyTabs()
        for title, tab, topic in (
            (self.tr("Compétences à valider"), CompetencesTab, "assignment.competences"),
            (self.tr("Besoins"), NeedsTab, "assignment.needs"),
            (self.tr("Affectation"), AffectationTab, "assignment.affectation"),
            (self.tr("Convocations"), ConvocationsTab, "assignment.convocations"),
            (self.tr("Désistements"), WithdrawalsTab, "assignment.withdrawals"),
        ):
            self.tabs.add(title, partial(tab, ctx, self.bar), topic)
        self.tabs.made.connect(self._on_made)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)

    @property
    def competences(self) -> CompetencesTab:
        return cast(CompetencesTab, self.tabs.page(0))

    @property
    def needs(self) -> NeedsTab:
        return cast(NeedsTab, self.tabs.page(1))

    @property
    def affectation(self) -> AffectationTab:
        return cast(AffectationTab, self.tabs.page(2))

    @property
    def convocations(self) -> ConvocationsTab:
        return cast(ConvocationsTab, self.tabs.page(3))

    @property
    def withdrawals(self) -> WithdrawalsTab:
        return cast("WithdrawalsTab", self.tabs.page(4))

    def _on_made(self, _number: int, tab: QWidget) -> None:
        from client.ui.assignment.replacements import WithdrawalsTab

        cast(Any, tab).session_id = self.session_id
        # Whatever changes the proposal shows in the tabs read after it (once made: a tab
        # made later reads its rows when shown).
        if isinstance(tab, NeedsTab):
            tab.changed.connect(lambda: self._reload_if_made(2))
        elif isinstance(tab, ConvocationsTab):
            tab.issued.connect(lambda _: self._reload_if_made(2))
        elif isinstance(tab, WithdrawalsTab):
            tab.replaced.connect(lambda _: self._reload_if_made(3))

    def _reload_if_made(self, number: int) -> None:
        if self.tabs.is_made(number):
            cast(Any, self.tabs.page(number)).reload()

    # --- workspace protocol ---------------------------------------------------------------

    def start(self) -> None:
        api = self.api
        Op(self, api.sessions, bar=self.bar, latest="assignment-sessions").on_success(
            self._on_sessions
        ).run(self.ctx.runner)
        self.tabs.make_the_rest_later()

    def refresh(self) -> None:
        tab = self.tabs.current_page()
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
        for number in range(self.tabs.count()):
            if self.tabs.is_made(number):
                cast(Any, self.tabs.page(number)).session_id = session_id
        self.refresh()

    def _on_tab_changed(self, _: int) -> None:
        self.refresh()
        self.page_changed.emit()
