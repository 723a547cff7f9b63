"""Administration: the administrator's workspace, in tabs: Comptes (accounts), Journal (the
audit log, read only), Bureaux (the offices' rules), Tarifs (the tariffs' versions) and
Référentiel (the reference data the académie owns). Each tab is made (client.ui.lazy_tabs)
and started the first time it is shown."""

from __future__ import annotations

from functools import partial
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from client.ui import app_style
from client.ui.admin.accounts import AccountsPage
from client.ui.admin.audit import AuditPage
from client.ui.admin.offices import OfficesPage
from client.ui.admin.reference import ReferencePage
from client.ui.admin.tariffs import TariffsPage
from client.ui.context import AppContext
from client.ui.lazy_tabs import LazyTabs


class AdministrationWorkspace(QWidget):
    """Signals:
    page_changed(): another tab is shown (the help pane follows).
    """

    page_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("helpTopic", "admin")
        self.tabs = LazyTabs()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Administration"))
        # Each page made when its tab is first shown, or in a turn of its own once the
        # workspace shows (client.ui.lazy_tabs).
        for title, page, topic in (
            (self.tr("&Comptes"), AccountsPage, "admin.accounts"),
            (self.tr("&Journal"), AuditPage, "admin.audit"),
            (self.tr("&Bureaux"), OfficesPage, "admin.offices"),
            (self.tr("&Tarifs"), TariffsPage, "admin.tariffs"),
            (self.tr("&Référentiel"), ReferencePage, "admin.reference"),
        ):
            self.tabs.add(title, partial(page, ctx), topic)
        self.tabs.made.connect(self._on_made)
        self._started: set[int] = set()
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._on_tab)
        for number in range(self.tabs.count()):
            QShortcut(
                QKeySequence(f"Alt+{number + 1}"),
                self,
                lambda n=number: self.tabs.setCurrentIndex(n),
            )
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(app_style.page_title(self.tr("Administration")))
        layout.addWidget(
            app_style.page_subtitle(
                self.tr(
                    "Comptes et rôles, journal des actions, règles des bureaux de la DEC, tarifs, "
                    "données de référence de l'académie."
                )
            )
        )
        layout.addWidget(self.tabs, 1)

    @property
    def accounts(self) -> AccountsPage:
        return cast(AccountsPage, self.tabs.page(0))

    @property
    def audit(self) -> AuditPage:
        return cast(AuditPage, self.tabs.page(1))

    @property
    def offices(self) -> OfficesPage:
        return cast(OfficesPage, self.tabs.page(2))

    @property
    def tariffs(self) -> TariffsPage:
        return cast(TariffsPage, self.tabs.page(3))

    @property
    def reference(self) -> ReferencePage:
        return cast(ReferencePage, self.tabs.page(4))

    def _on_made(self, number: int, page: QWidget) -> None:
        # Who changed what is in the journal: a change read again there once it is shown.
        if isinstance(page, AccountsPage):
            page.changed.connect(lambda _a: self._stale.add(1))
        elif isinstance(page, OfficesPage):
            page.saved.connect(lambda _o: self._stale.add(1))
        elif isinstance(page, TariffsPage):
            page.added.connect(lambda _v: self._stale.add(1))
        elif isinstance(page, ReferencePage):
            page.changed.connect(lambda: self._stale.add(1))
            # The help pane follows the section shown within the Référentiel.
            page.nav.currentRowChanged.connect(lambda _r: self.page_changed.emit())

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - the help pane walks pages
        return self.tabs.currentWidget()

    # --- the workspace protocol -----------------------------------------------------------

    def start(self) -> None:
        self._on_tab(self.tabs.currentIndex())
        self.tabs.make_the_rest_later()

    def refresh(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, AccountsPage | AuditPage | OfficesPage | TariffsPage | ReferencePage):
            page.refresh()

    def maybe_close(self) -> bool:
        return True

    def _on_tab(self, index: int) -> None:
        if index < 0:
            return
        page = self.tabs.page(index)
        if isinstance(page, AccountsPage | AuditPage | OfficesPage | TariffsPage | ReferencePage):
            if index not in self._started:
                self._started.add(index)
                self._stale.discard(index)
                page.start()
            elif index in self._stale:
                self._stale.discard(index)
                page.refresh()
        self.page_changed.emit()
