"""The main window: the log-in screen, then the workspace of the person's role.

Menus: Fichier (Mon profil, Actualiser, Se déconnecter, Quitter) and Aide (Aide contextuelle,
Guide utilisateur, À propos). The help pane (`client.ui.help`) sits on the right and follows
the focus. A lost session anywhere brings the log-in screen back with the reason; what was
being typed in a statement stays in its local draft.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QByteArray,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from client.ui import app_style
from client.ui.context import AppContext
from client.ui.login.page import LoginPage
from client.ui.ops import Op
from client.ui.widgets import MessageBar
from client.ui.workspace_tabs import WorkspaceTabs

if TYPE_CHECKING:
    from client.api.models import Role, Tokens

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1180, 760)


def application_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("imagin")
    except PackageNotFoundError:
        return "—"


class Workspace(Protocol):
    """What the main window asks of a role's workspace."""

    def start(self) -> None: ...
    def refresh(self) -> None: ...
    def maybe_close(self) -> bool: ...


class _Placeholder(QWidget):
    """The workspace of a role this version has no screen for yet."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(app_style.page_title(self.tr("IMAG'IN")))
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)

    def start(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def maybe_close(self) -> bool:
        return True


class MainWindow(QMainWindow):
    """Signals:
    login_shown(): the log-in screen was shown for the first time (start-up probe).
    workspace_shown(): a workspace replaced the log-in screen.
    logged_out(): the log-in screen is back after « Se déconnecter ».
    """

    login_shown = Signal()
    workspace_shown = Signal()
    logged_out = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workspace: Any = None  # the role's main workspace (first tab)
        self.workspace_tabs: WorkspaceTabs | None = None
        self.profile_dialog: Any = None
        self.help_pane: Any = None  # client.ui.help.HelpPane when available
        self._first_show_done = False
        self.setWindowTitle(self.tr("IMAG'IN"))

        self.bar = MessageBar()
        self.stack = QStackedWidget()
        self.login_page = LoginPage(ctx)
        self.login_page.logged_in.connect(self.on_logged_in)
        self.stack.addWidget(self.login_page)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar_holder = QWidget()
        bar_layout = QVBoxLayout(bar_holder)
        bar_layout.setContentsMargins(app_style.PAGE_MARGIN, 10, app_style.PAGE_MARGIN, 0)
        bar_layout.addWidget(self.bar)
        self.bar.setVisible(False)
        layout.addWidget(bar_holder)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._build_help()
        ctx.runner.busy_changed.connect(self.on_busy_changed)
        ctx.guard.expired.connect(self.on_session_expired)
        self._restore_geometry()
        self._update_actions()

    # --- construction ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Fichier"))
        self.profile_action = QAction(self.tr("Mon &profil…"), self)
        self.profile_action.triggered.connect(self.show_profile)
        self.refresh_action = QAction(self.tr("&Actualiser"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        if self.refresh_action.shortcut().isEmpty():
            self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh)
        self.logout_action = QAction(self.tr("Se &déconnecter"), self)
        self.logout_action.triggered.connect(self.log_out)
        self.quit_action = QAction(self.tr("&Quitter"), self)
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.profile_action)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.logout_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu

        help_menu = self.menuBar().addMenu(self.tr("Aid&e"))
        self.context_help_action = QAction(self.tr("Aide &contextuelle"), self)
        self.context_help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.context_help_action.setToolTip(self.tr("L'aide du champ où vous êtes (F1)"))
        self.context_help_action.triggered.connect(self.show_context_help)
        self.guide_action = QAction(self.tr("&Guide utilisateur"), self)
        self.guide_action.triggered.connect(self.show_guide)
        self.about_action = QAction(self.tr("À &propos d'IMAG'IN"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.context_help_action)
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.busy_label = QLabel(self.tr("Échange avec le serveur…"))
        self.busy_indicator = QProgressBar()
        self.busy_indicator.setRange(0, 0)  # indeterminate
        self.busy_indicator.setMaximumWidth(120)
        self.busy_indicator.setMaximumHeight(14)
        self.busy_indicator.setTextVisible(False)
        self.busy_indicator.setAccessibleName(self.tr("Échange avec le serveur en cours"))
        self.busy_label.hide()
        self.busy_indicator.hide()
        status = self.statusBar()
        status.addWidget(self.user_label, 1)
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.busy_indicator)
        # The busy indicator only appears for what lasts: a quick answer does not flicker.
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(250)
        self._busy_timer.timeout.connect(lambda: self._show_busy(True))

    def _build_help(self) -> None:
        try:
            from client.ui.help.pane import HelpPane
        except ImportError:
            # HOOK: the help pane (client.ui.help.HelpPane) is not available in this build;
            # F1 and the guide say so instead of failing.
            log.info("help pane unavailable")
            self.help_pane = None
            return
        pane = HelpPane(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
        pane.setVisible(self.ctx.startup.help_visible)
        self.help_pane = pane

    # --- showing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._first_show_done:
            self._first_show_done = True
            self.login_page.focus_first_field()
            QTimer.singleShot(0, self.login_shown.emit)

    def _restore_geometry(self) -> None:
        saved = self.ctx.startup.window_geometry
        if saved:
            try:
                if self.restoreGeometry(QByteArray(base64.b64decode(saved))):
                    return
            except ValueError:
                log.warning("saved window geometry unreadable")
        self.resize(*DEFAULT_SIZE)

    def _remember_geometry(self) -> None:
        geometry = bytes(self.saveGeometry().data())
        self.ctx.settings.window_geometry = base64.b64encode(geometry).decode("ascii")
        if self.help_pane is not None:
            self.ctx.settings.help_visible = self.help_pane.isVisible()

    def _update_actions(self) -> None:
        logged_in = self.ctx.identity is not None
        self.logout_action.setEnabled(logged_in)
        self.refresh_action.setEnabled(logged_in)
        self.profile_action.setEnabled(logged_in)
        if self.ctx.identity is None:
            self.user_label.setText(self.tr("Non connecté(e)"))
        else:
            identity = self.ctx.identity
            self.user_label.setText(
                self.tr("Connecté(e) : {first} {last} ({login})").format(
                    first=identity.first_name, last=identity.last_name, login=identity.login
                )
            )

    # --- log-in and log-out ---------------------------------------------------------------

    def on_logged_in(self, tokens: Tokens) -> None:
        ctx = self.ctx
        ctx.identity = tokens.user
        if not ctx.demo:
            ctx.settings.server_url = ctx.raw_api.server
            ctx.settings.last_login = tokens.user.login
            ctx.settings.remember = ctx.raw_api.tokens.remember
            ctx.save_settings()
        self._open_workspace(tokens.user.role)
        self._update_actions()
        self._quote_rates()
        # The screens the person may open next, imported before they do (client.ui.preload).
        from client.ui import preload

        role = tokens.user.role
        Op(self, lambda: preload.later(role)).run(ctx.runner)
        tokens_store = ctx.raw_api.tokens
        if tokens_store.remember and not tokens_store.persistent:
            self.bar.info(tokens_store.unavailable_message or "")
        else:
            self.bar.hide()

    def _open_workspace(self, role: Role) -> None:

        self._drop_workspace()
        tabs = WorkspaceTabs(self._workspaces_of(role))
        self.workspace_tabs = tabs
        # The role's main workspace; the other tabs are built when first shown.
        self.workspace = tabs.workspace(0)
        self.stack.addWidget(tabs)
        self.stack.setCurrentWidget(tabs)
        tabs.page_changed.connect(self.sync_help)
        tabs.start()
        self.sync_help()
        self.workspace_shown.emit()

    def _workspaces_of(self, role: Role) -> list[tuple[str, Callable[[], QWidget]]]:
        """The role's tabs; each screen's code is imported when its tab is first built (and
        ahead of that on a worker, client.ui.preload), never here on the GUI thread."""
        from client.api.models import Role

        ctx = self.ctx
        if role is Role.INTERVENANT:

            def declarations() -> QWidget:
                from client.ui.assignment.declarations import DeclarationsPage

                return DeclarationsPage(ctx)

            return [
                (self.tr("Saisie états de frais mission"), self._missions_workspace),
                (self.tr("Mes déclarations pour les jurys"), declarations),
            ]
        if role in (Role.GESTIONNAIRE, Role.ADMIN):

            def workstation() -> QWidget:
                from client.ui.dec.workstation import DecWorkstation

                return DecWorkstation(ctx)

            def assignment() -> QWidget:
                from client.ui.assignment.workspace import AssignmentWorkspace

                return AssignmentWorkspace(ctx)

            tabs: list[tuple[str, Callable[[], QWidget]]] = [
                (self.tr("États de frais"), workstation),
                (self.tr("Affectation des intervenants"), assignment),
            ]
            if role is Role.ADMIN:

                def administration() -> QWidget:
                    from client.ui.admin.workspace import AdministrationWorkspace

                    return AdministrationWorkspace(ctx)

                tabs.append((self.tr("Administration"), administration))
            return tabs
        if role is Role.CHEF_CENTRE:

            def centre() -> QWidget:
                from client.ui.centre.workspace import CentreWorkspace

                return CentreWorkspace(ctx)

            return [(self.tr("Missions de mon centre"), centre)]
        text = self.tr(
            "Aucun écran n'est encore disponible pour votre profil dans cette version "
            "d'IMAG'IN. Contactez la division des examens et concours."
        )
        return [(self.tr("IMAG'IN"), lambda: _Placeholder(text))]

    def _missions_workspace(self) -> QWidget:
        from client.ui.missions.workspace import MissionsWorkspace

        workspace = MissionsWorkspace(self.ctx)
        workspace.profile_requested.connect(self.show_profile)
        return workspace

    def _drop_workspace(self) -> None:
        tabs, self.workspace_tabs, self.workspace = self.workspace_tabs, None, None
        if tabs is not None:
            self.stack.removeWidget(tabs)
            self.ctx.retire(tabs)
        if self.profile_dialog is not None:
            self.profile_dialog.close()
            self.profile_dialog = None

    def _show_login(self) -> None:
        self._drop_workspace()
        self.ctx.identity = None
        self.ctx.prefetched.clear()
        self.stack.setCurrentWidget(self.login_page)
        self.bar.hide()
        self._update_actions()
        if self.help_pane is not None:
            self.help_pane.set_rates_source(None)
        self.sync_help()

    def log_out(self) -> None:
        """Fichier ▸ Se déconnecter: ends the session here and on the server."""
        if self.workspace_tabs is not None and not self.workspace_tabs.maybe_close():
            return
        api = self.ctx.raw_api
        self._show_login()
        # The log-in form waits for the server's answer: a new session opened meanwhile
        # would otherwise be forgotten by the end of this one.
        self.login_page.set_busy(True, self.tr("Déconnexion…"))
        Op(self, api.log_out, latest="logout").on_success(
            lambda _: self._after_log_out()
        ).on_failure(lambda _: self._after_log_out()).run(self.ctx.runner)

    def _after_log_out(self) -> None:
        self.login_page.after_log_out(self.tr("Vous êtes déconnecté(e)."))
        self.logged_out.emit()

    def on_session_expired(self, message: str) -> None:
        """The session is over (expired, revoked): back to log-in, drafts kept."""
        if self.ctx.identity is None:
            return
        log.info("session lost; back to the log-in screen")
        self._show_login()
        api = self.ctx.raw_api
        Op(self, api.tokens.forget, latest="forget-tokens").run(self.ctx.runner)
        text = self.tr(
            "{0} Ce que vous étiez en train de saisir est conservé sur ce poste."
        ).format(message or self.tr("Votre session a expiré. Reconnectez-vous pour continuer."))
        self.login_page.show_warning(text)
        self.login_page.password.clear()
        self.login_page.focus_first_field()

    # --- menus ----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.workspace_tabs is not None:
            self.workspace_tabs.refresh()

    def show_profile(self) -> None:
        if self.ctx.identity is None:
            return
        if self.profile_dialog is not None:
            self.profile_dialog.raise_()
            self.profile_dialog.activateWindow()
            return
        from client.ui.profile.dialog import ProfileDialog

        dialog = ProfileDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_profile_closed)
        self.profile_dialog = dialog
        dialog.open()
        dialog.load()

    def _on_profile_closed(self) -> None:
        self.profile_dialog = None

    def _quote_rates(self) -> None:
        """The help quotes the rates of the tariffs this session's server serves."""
        if self.help_pane is None:
            return
        from client.ui.help import rates, topics

        api = self.ctx.api
        self.help_pane.set_rates_source(
            lambda: rates.load(api.tariffs, topics.all_pages()), self.ctx.runner
        )

    def sync_help(self) -> None:
        """The help pane follows the page shown, not only the focus (a page change does not
        always move the focus, for instance while the window is not active)."""
        if self.help_pane is None:
            return
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        current = self.stack.currentWidget()
        if current is None:
            return
        # The innermost page shown: tabs hold workspaces that hold pages.
        page = current
        inner = getattr(page, "currentWidget", None)
        while callable(inner) and inner() is not None:
            page = inner()
            inner = getattr(page, "currentWidget", None)
        if focused is None or not (focused is page or page.isAncestorOf(focused)):
            focused = page
        self.help_pane.show_for(focused)

    def show_context_help(self) -> None:
        """F1: the help of the focused field, in the pane (shown if it was closed)."""
        if self.help_pane is None:
            self.bar.info(self.tr("L'aide contextuelle n'est pas disponible dans cette version."))
            return
        self.help_pane.on_help_requested()

    def show_guide(self) -> None:
        try:
            from client.ui.help.guide import show_guide
        except ImportError:
            # HOOK: client.ui.help.show_guide(parent) opens the user guide.
            self.bar.info(self.tr("Le guide utilisateur n'est pas disponible dans cette version."))
            return
        show_guide(self)

    def about_text(self) -> str:
        return self.tr(
            "<h3>IMAG'IN {version}</h3>"
            "<p>Indemnités de vacation et frais de déplacement des intervenants des jurys "
            "d'examens et concours.</p>"
            "<p>Serveur : {server}</p>"
            "<p>Données des communes : INSEE et La Poste, Licence Ouverte / Etalab 2.0. "
            "Police DejaVu : licence libre (voir les fichiers fournis).</p>"
        ).format(version=application_version(), server=self.ctx.raw_api.server)

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("À propos d'IMAG'IN"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIcon(QMessageBox.Icon.Information)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.about_box = box

    # --- busy indicator -------------------------------------------------------------------

    def on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._show_busy(False)

    def _show_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.busy_indicator.setVisible(busy)

    # --- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.workspace_tabs is not None and not self.workspace_tabs.maybe_close():
            event.ignore()
            return
        self._remember_geometry()
        self.ctx.save_settings()
        event.accept()
