"""Administration: the administrator's workspace, in tabs: Comptes (accounts), Journal (the
audit log, read only), Bureaux (the offices' rules), Tarifs (the tariffs' versions) and
Référentiel (the reference data the académie owns). Each tab is started the first time it is
shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from client.ui import app_style
from client.ui.admin.accounts import AccountsPage
from client.ui.admin.audit import AuditPage
from client.ui.admin.offices import OfficesPage
from client.ui.admin.reference import ReferencePage
from client.ui.admin.tariffs import TariffsPage
from client.ui.context import AppContext


class AdministrationWorkspace(QWidget):
    """Signals:
    page_changed(): another tab is shown (the help pane follows).
    """

    page_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("helpTopic", "admin")
        self.accounts = AccountsPage(ctx)
        self.audit = AuditPage(ctx)
        self.offices = OfficesPage(ctx)
        self.tariffs = TariffsPage(ctx)
        self.reference = ReferencePage(ctx)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Administration"))
        self.tabs.addTab(self.accounts, self.tr("&Comptes"))
        self.tabs.addTab(self.audit, self.tr("&Journal"))
        self.tabs.addTab(self.offices, self.tr("&Bureaux"))
        self.tabs.addTab(self.tariffs, self.tr("&Tarifs"))
        self.tabs.addTab(self.reference, self.tr("&Référentiel"))
        self._started: set[int] = set()
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._on_tab)
        for number in range(self.tabs.count()):
            QShortcut(
                QKeySequence(f"Alt+{number + 1}"),
                self,
                lambda n=number: self.tabs.setCurrentIndex(n),
            )
        # Who changed what is in the journal: a change read again there once it is shown.
        self.accounts.changed.connect(lambda _a: self._stale.add(1))
        self.offices.saved.connect(lambda _o: self._stale.add(1))
        self.tariffs.added.connect(lambda _v: self._stale.add(1))
        self.reference.changed.connect(lambda: self._stale.add(1))
        # The help pane follows the section shown within the Référentiel.
        self.reference.nav.currentRowChanged.connect(lambda _r: self.page_changed.emit())
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

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - the help pane walks pages
        return self.tabs.currentWidget()

    # --- the workspace protocol -----------------------------------------------------------

    def start(self) -> None:
        self._on_tab(self.tabs.currentIndex())

    def refresh(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, AccountsPage | AuditPage | OfficesPage | TariffsPage | ReferencePage):
            page.refresh()

    def maybe_close(self) -> bool:
        return True

    def _on_tab(self, index: int) -> None:
        if index < 0:
            return
        page = self.tabs.widget(index)
        if isinstance(page, AccountsPage | AuditPage | OfficesPage | TariffsPage | ReferencePage):
            if index not in self._started:
                self._started.add(index)
                self._stale.discard(index)
                page.start()
            elif index in self._stale:
                self._stale.discard(index)
                page.refresh()
        self.page_changed.emit()
