"""The log-in screen: identifier, password, "Rester connecté", and the server's address.

Académie staff type their académie credentials; other intervenants the IMAG'IN identifier and
the temporary password printed on their convocation, which must then be replaced (see
`PasswordChangeDialog`). Every refusal is said in the message bar above the fields, in French,
with what to do next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from client.ui import app_style, first_screen
from client.ui.context import AppContext
from client.ui.models.demo_accounts import DemoAccountsModel
from client.ui.ops import Op
from client.ui.widgets import MessageBar

if TYPE_CHECKING:
    # Imported when first needed: httpx and the wire models are not needed to show the form.
    from client.api.models import Tokens
    from client.demo import DemoAccount
    from client.ui.login.password import PasswordChangeDialog

log = logging.getLogger(__name__)

DEFAULT_SERVER = "http://127.0.0.1:8000"
CARD_WIDTH = 460


class LoginPage(QWidget):
    """Signals:
    logged_in(object): a session is open (the `Tokens`), temporary password already replaced.
    """

    logged_in = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.password_dialog: PasswordChangeDialog | None = None
        self.reset_dialog: QDialog | None = None
        self._retry: Callable[[], object] | None = None
        self._busy = False
        self.setProperty("helpTopic", "login")
        self.setAccessibleName(self.tr("Connexion à IMAG'IN"))

        title = app_style.page_title(self.tr("IMAG'IN"))
        subtitle = app_style.page_subtitle(
            self.tr("Indemnités de vacation et frais de déplacement des jurys d'examens")
        )
        # Where to log in, for the two kinds of people, and the guide's page on it: the
        # guide is in the application, so it opens without network.
        explanation = QLabel(
            self.tr(
                "<b>Personnels de l'académie</b> : identifiant et mot de passe de votre "
                "messagerie académique.<br><b>Intervenants extérieurs</b> : identifiant IMAG'IN "
                "et mot de passe temporaire imprimés sur votre convocation.<br>"
                '<a href="guide:#connexion">Aide pour se connecter</a> (ou touche F1)<br>'
                '<a href="reset:">Mot de passe oublié&nbsp;?</a>'
            )
        )
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.RichText)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        explanation.linkActivated.connect(self._open_guide)
        self.explanation = explanation
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self._on_bar_action)

        self.login = QLineEdit()
        self.login.setAccessibleName(self.tr("Identifiant"))
        self.login.setPlaceholderText(self.tr("par exemple edupontm"))
        self.login.setText(ctx.startup.last_login or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe"))
        self.remember = QCheckBox(self.tr("&Rester connecté"))
        self.remember.setToolTip(
            self.tr("Votre session est conservée sur ce poste, dans le trousseau sécurisé.")
        )
        self.remember.setChecked(ctx.startup.remember)
        for widget, topic in (
            (self.login, "login.identifier"),
            (self.password, "login.password"),
            (self.remember, "login.remember"),
        ):
            widget.setProperty("helpTopic", topic)
        self.submit = QPushButton(self.tr("Se &connecter"))
        self.submit.setDefault(True)
        self.submit.setAutoDefault(True)
        self.submit.clicked.connect(self.log_in)
        self.login.returnPressed.connect(self.log_in)
        self.password.returnPressed.connect(self.log_in)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        login_label = QLabel(self.tr("&Identifiant :"))
        login_label.setBuddy(self.login)
        password_label = QLabel(self.tr("&Mot de passe :"))
        password_label.setBuddy(self.password)
        form.addRow(login_label, self.login)
        form.addRow(password_label, self.password)
        form.addRow("", self.remember)

        # The server's address: shown, editable behind "Options" (most people never change it).
        self.server_hint = app_style.hint()
        self.options_toggle = QToolButton()
        self.options_toggle.setText(self.tr("&Options"))
        self.options_toggle.setCheckable(True)
        self.options_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.options_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.options_toggle.setAutoRaise(True)
        self.options_toggle.setAccessibleName(self.tr("Options de connexion"))
        self.options_toggle.toggled.connect(self._toggle_options)
        self.server = QLineEdit()
        self.server.setAccessibleName(self.tr("Adresse du serveur"))
        self.server.setText(ctx.startup.server_url or DEFAULT_SERVER)
        self.server.textChanged.connect(self._update_server_hint)
        self.server_error = app_style.field_error()
        self.options = QWidget()
        options_form = QFormLayout(self.options)
        options_form.setContentsMargins(0, 0, 0, 0)
        server_label = QLabel(self.tr("Adresse du &serveur :"))
        server_label.setBuddy(self.server)
        options_form.addRow(server_label, self.server)
        options_form.addRow("", self.server_error)
        self.options.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.options_toggle)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)

        card = app_style.card()
        card.setMaximumWidth(CARD_WIDTH)
        card.setMinimumWidth(CARD_WIDTH)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(subtitle)
        inner.addSpacing(6)
        inner.addWidget(explanation)
        inner.addWidget(self.bar)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.options)
        inner.addWidget(self.server_hint)

        # `imagin --demo`: the accounts of the demonstration, double-click to fill the form.
        self.demo_model = DemoAccountsModel(parent=self)
        self.demo_table = QTableView()
        self.demo_table.setModel(self.demo_model)
        self.demo_table.setAccessibleName(self.tr("Comptes de démonstration"))
        self.demo_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.demo_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.demo_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.demo_table.verticalHeader().hide()
        self.demo_table.setAlternatingRowColors(True)
        self.demo_table.horizontalHeader().setStretchLastSection(True)
        self.demo_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.demo_table.setMinimumHeight(120)  # scrolls rather than pushing the window
        self.demo_table.doubleClicked.connect(self._use_demo_account)
        self.demo_table.activated.connect(self._use_demo_account)
        self.demo_box = QWidget()
        demo_layout = QVBoxLayout(self.demo_box)
        demo_layout.setContentsMargins(0, 0, 0, 0)
        demo_layout.addWidget(app_style.section_title(self.tr("Comptes de démonstration")))
        demo_layout.addWidget(
            app_style.hint(
                self.tr("Double-cliquez sur un compte (ou Entrée) pour remplir le formulaire.")
            )
        )
        demo_layout.addWidget(self.demo_table)
        self.demo_box.setMaximumWidth(900)
        self.demo_box.hide()

        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        demo_row = QHBoxLayout()
        demo_row.addStretch(1)
        demo_row.addWidget(self.demo_box, 4)
        demo_row.addStretch(1)
        # The card is centred; with the demo accounts, they take the room below it.
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addStretch(1)  # 0
        layout.addLayout(centred)  # 1
        layout.addSpacing(12)  # 2
        layout.addLayout(demo_row)  # 3
        layout.addStretch(1)  # 4
        self._layout = layout

        self.setTabOrder(self.login, self.password)
        self.setTabOrder(self.password, self.remember)
        self.setTabOrder(self.remember, self.submit)
        self.setTabOrder(self.submit, self.options_toggle)
        self.setTabOrder(self.options_toggle, self.server)
        self.setTabOrder(self.server, self.demo_table)
        self._update_server_hint()
        if not ctx.startup.server_url:
            self.options_toggle.setChecked(True)

    # --- what the main window asks ---------------------------------------------------------

    def focus_first_field(self) -> None:
        (self.password if self.login.text() else self.login).setFocus()

    def fill(self, login: str, password: str) -> None:
        self.login.setText(login)
        self.password.setText(password)
        self.submit.setFocus()

    def set_demo_accounts(self, accounts: Sequence[DemoAccount]) -> None:
        self.demo_model.set_rows(accounts)
        shown = bool(accounts)
        self.demo_box.setVisible(shown)
        for index, stretch in (
            (0, 0 if shown else 1),
            (3, 1 if shown else 0),
            (4, 0 if shown else 1),
        ):
            self._layout.setStretch(index, stretch)

    def set_server(self, url: str) -> None:
        self.server.setText(url)

    def set_busy(self, busy: bool, message: str | None = None) -> None:
        """Greys the form while something runs (a log-in, a log-out, the demo server)."""
        self._busy = busy
        for widget in (self.login, self.password, self.remember, self.submit, self.server):
            widget.setEnabled(not busy)
        if message:
            self.show_info(message)

    @property
    def busy(self) -> bool:
        return self._busy

    def show_error(self, text: str, retry: Callable[[], object] | None = None) -> None:
        self._retry = retry
        self.bar.error(text, self.tr("Réessayer") if retry is not None else None)

    def show_warning(self, text: str) -> None:
        self._retry = None
        self.bar.warning(text)

    def show_info(self, text: str) -> None:
        self._retry = None
        self.bar.info(text)

    def clear_message(self) -> None:
        self._retry = None
        self.bar.hide()

    def after_log_out(self, message: str | None = None) -> None:
        self.password.clear()
        self.set_busy(False)
        if message:
            self.show_info(message)
        else:
            self.clear_message()
        self.focus_first_field()

    # --- logging in --------------------------------------------------------------------------

    def log_in(self) -> None:
        if self._busy:
            return
        login = self.login.text().strip()
        password = self.password.text()
        if not login or not password:
            self.show_error(self.tr("Saisissez votre identifiant et votre mot de passe."))
            (self.login if not login else self.password).setFocus()
            return
        if not self._use_server_address():
            return
        remember = self.remember.isChecked()
        api = self.ctx.raw_api

        def work() -> tuple[Tokens, dict[str, Any]]:
            # The first screen's data leaves on this worker as soon as the log-in answers.
            tokens = api.log_in(login, password, remember)
            return tokens, first_screen.fetch(api, tokens)

        self.set_busy(True, self.tr("Connexion en cours…"))
        Op(self, work, latest="login").on_success(
            lambda result: self._on_logged_in(result, password)
        ).on_failure(self._on_failure).run(self.ctx.runner)

    def forgot_password(self) -> None:
        """Mot de passe oublié: a code by e-mail, then a new password (login/reset.py)."""
        if not self._use_server_address():
            return
        from client.ui.login.reset import ResetPasswordDialog

        dialog = ResetPasswordDialog(
            self.ctx.raw_api, self.ctx.runner, self.login.text().strip(), self
        )
        dialog.reset.connect(self._on_password_reset)
        self.reset_dialog = dialog
        dialog.open()

    def _on_password_reset(self, login: str) -> None:
        self.login.setText(login)
        self.password.clear()
        self.password.setFocus()
        self.bar.success(self.tr("Votre mot de passe est changé : connectez-vous avec le nouveau."))

    def try_remembered(self) -> bool:
        """Reopens the session remembered on this computer ("Rester connecté"), in the
        background. False when there is none to try."""
        settings = self.ctx.startup
        if not (settings.remember and settings.last_login and settings.server_url):
            return False
        server, login = settings.server_url, settings.last_login
        api = self.ctx.raw_api
        if api.server != server:
            api.http.base_url = server

        def reopen() -> tuple[Tokens | None, dict[str, Any]]:
            if api.tokens.load_remembered(server, login) is None:
                return None, {}
            tokens = api.refresh()
            return tokens, first_screen.fetch(api, tokens)

        self.set_busy(True, self.tr("Reprise de votre session…"))
        Op(self, reopen, latest="login").on_success(self._on_reopened).on_failure(
            self._on_reopen_failed
        ).run(self.ctx.runner)
        return True

    def _use_server_address(self) -> bool:
        from client.api.transport import address_problem

        url = self.server.text().strip().rstrip("/")
        problem = address_problem(url)
        if problem is not None:
            self.options_toggle.setChecked(True)
            message = problem
            app_style.show_field_error(self.server_error, message)
            self.show_error(message)
            self.server.setFocus()
            return False
        app_style.show_field_error(self.server_error, None)
        api = self.ctx.raw_api
        if api.server != url:
            api.http.base_url = url
        return True

    def _on_logged_in(self, result: tuple[Tokens, dict[str, Any]], password: str) -> None:
        tokens, prefetched = result
        self.ctx.prefetched.keep(prefetched)
        if tokens.user.must_change_password:
            self._ask_new_password(tokens, password)
            return
        self._finish(tokens)

    def _on_reopened(self, result: tuple[Tokens | None, dict[str, Any]]) -> None:
        tokens, prefetched = result
        self.ctx.prefetched.keep(prefetched)
        if tokens is None:
            self.set_busy(False)
            self.clear_message()
            self.focus_first_field()
            return
        if tokens.user.must_change_password:
            # A remembered session of a temporary password: the password is needed again.
            self.set_busy(False)
            self.show_info(self.tr("Saisissez votre mot de passe pour continuer."))
            self.password.setFocus()
            return
        self._finish(tokens)

    def _on_reopen_failed(self, error: BaseException) -> None:
        from client.api.errors import ServerUnreachable, SessionExpired
        from client.ui.errors import message_for

        self.set_busy(False)
        if isinstance(error, SessionExpired):
            self.show_warning(
                self.tr("Votre session a expiré. Saisissez votre mot de passe pour continuer.")
            )
        elif isinstance(error, ServerUnreachable):
            self.show_error(message_for(error), retry=self.try_remembered)
        else:
            self.show_error(message_for(error))
        self.focus_first_field()

    def _finish(self, tokens: Tokens) -> None:
        self.set_busy(False)
        self.clear_message()
        self.password.clear()
        self.logged_in.emit(tokens)

    def _on_failure(self, error: BaseException) -> None:
        from client.api.errors import ServerUnreachable
        from client.ui.errors import message_for

        self.set_busy(False)
        if isinstance(error, ServerUnreachable):
            self.show_error(message_for(error), retry=self.log_in)
        else:
            self.show_error(message_for(error))
        self.password.selectAll()
        self.password.setFocus()

    def _ask_new_password(self, tokens: Tokens, password: str) -> None:
        from client.ui.login.password import PasswordChangeDialog

        dialog = PasswordChangeDialog(
            self.ctx.raw_api,
            self.ctx.runner,
            login=tokens.user.login,
            current_password=password,
            rules_text=tokens.password_rules,
            parent=self,
        )
        self.password_dialog = dialog
        # A bound method, not a closure over `dialog`: a closure would hold the last Python
        # reference to the dialog and release it inside the dialog's own destructor (crash).
        dialog.finished.connect(self._on_password_dialog_finished)
        dialog.open()

    def _on_password_dialog_finished(self, result: int) -> None:
        dialog, self.password_dialog = self.password_dialog, None
        if dialog is None:
            return
        tokens = dialog.tokens
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and tokens is not None:
            self._finish(tokens)
            return
        # Without a personal password there is no session: close the temporary one.
        api = self.ctx.raw_api
        self.set_busy(True)
        Op(self, api.log_out, latest="logout").on_success(
            lambda _: self._after_refused_change()
        ).on_failure(lambda _: self._after_refused_change()).run(self.ctx.runner)

    def _after_refused_change(self) -> None:
        self.set_busy(False)
        self.password.clear()
        self.show_warning(
            self.tr(
                "Vous devez choisir un mot de passe personnel pour utiliser IMAG'IN. "
                "Reconnectez-vous avec votre mot de passe temporaire quand vous serez prêt(e)."
            )
        )
        self.password.setFocus()

    # --- small things -----------------------------------------------------------------------

    def _on_bar_action(self) -> None:
        retry, self._retry = self._retry, None
        if retry is not None:
            retry()

    def _toggle_options(self, shown: bool) -> None:
        self.options.setVisible(shown)
        self.options_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _update_server_hint(self) -> None:
        self.server_hint.setText(self.tr("Serveur : {0}").format(self.server.text().strip() or "—"))

    def _open_guide(self, link: str) -> None:
        if link.startswith("reset:"):
            self.forgot_password()
            return
        from client.ui.help.guide import show_guide

        show_guide(self, anchor=link.partition("#")[2] or None)

    def _use_demo_account(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            account = self.demo_model.row(index.row())
            self.fill(account.login, account.password)
