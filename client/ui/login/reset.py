"""Mot de passe oublié: an externe asks for a code by e-mail, then chooses a new password with it.

The server answers the request the same way whether the account exists or not; the code is
valid a short while and once. Académie staff are told to ask the DEC.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.client import ImaginClient
from client.ui import app_style
from client.ui.errors import field_messages, message_for
from client.ui.ops import Op
from client.ui.tasks import TaskRunner
from client.ui.widgets import MessageBar


class ResetPasswordDialog(QDialog):
    """Signals:
    requested(): the server answered the request for a code.
    reset(str): the new password is set, for this identifier.
    """

    requested = Signal()
    reset = Signal(str)

    def __init__(
        self, api: ImaginClient, runner: TaskRunner, login: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.runner = runner
        self.setWindowTitle(self.tr("Mot de passe oublié"))
        self.setProperty("helpTopic", "login.reset")
        self.setMinimumWidth(560)

        intro = QLabel(
            self.tr(
                "<b>Intervenants extérieurs</b> : saisissez votre identifiant IMAG'IN ou votre "
                "adresse électronique ; un code de réinitialisation vous est envoyé par courriel."
                "<br><b>Personnels de l'académie</b> : votre mot de passe est celui de votre "
                "messagerie académique ; à défaut, adressez-vous à la DEC."
            )
        )
        intro.setWordWrap(True)
        self.bar = MessageBar()
        self.login = QLineEdit(login)
        self.login.setAccessibleName(self.tr("Identifiant ou adresse électronique"))
        self.send_button = QPushButton(self.tr("&Recevoir un code"))
        self.send_button.clicked.connect(self.request_code)
        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("Code reçu par courriel"))
        self.code.setPlaceholderText(self.tr("par exemple ABCD-EFGH"))
        self.code.setMaxLength(20)
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setAccessibleName(self.tr("Nouveau mot de passe"))
        self.confirmation = QLineEdit()
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation.setAccessibleName(self.tr("Confirmation du nouveau mot de passe"))
        self.errors = {name: app_style.field_error() for name in ("login", "code", "new_password")}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label(self.tr("&Identifiant ou adresse :"), self.login), self.login)
        form.addRow("", self.errors["login"])
        form.addRow("", self.send_button)
        form.addRow(app_style.section_title(self.tr("Nouveau mot de passe")))
        form.addRow(self._label(self.tr("C&ode reçu :"), self.code), self.code)
        form.addRow("", self.errors["code"])
        form.addRow(
            self._label(self.tr("&Nouveau mot de passe :"), self.new_password), self.new_password
        )
        rules = app_style.hint(
            self.tr("12 caractères au moins : minuscule, majuscule, chiffre, caractère spécial.")
        )
        rules.setWordWrap(False)
        form.addRow("", rules)
        form.addRow("", self.errors["new_password"])
        form.addRow(self._label(self.tr("Con&firmation :"), self.confirmation), self.confirmation)

        self.buttons = QDialogButtonBox()
        self.change_button = self.buttons.addButton(
            self.tr("&Changer le mot de passe"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(app_style.page_title(self.tr("Mot de passe oublié")))
        layout.addWidget(intro)
        layout.addWidget(self.bar)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        for name, widget in (
            ("login", self.login),
            ("code", self.code),
            ("new_password", self.new_password),
        ):
            widget.textEdited.connect(lambda _t, n=name: self._show_error(n, None))

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _show_error(self, name: str, text: str | None) -> None:
        app_style.show_field_error(self.errors[name], text)

    # --- asking for a code ----------------------------------------------------------------

    def request_code(self) -> None:
        login = self.login.text().strip()
        if not login:
            self._show_error("login", self.tr("Saisissez votre identifiant ou votre adresse."))
            self.login.setFocus()
            return
        self.send_button.setEnabled(False)
        self.bar.info(self.tr("Envoi de la demande…"))
        api = self.api
        Op(self, lambda: api.request_reset(login), latest="request").on_success(
            self._on_requested
        ).on_failure(self._on_request_failed).run(self.runner)

    def _on_requested(self, detail: str) -> None:
        self.send_button.setEnabled(True)
        self.bar.success(detail)
        self.code.setFocus()
        self.requested.emit()

    def _on_request_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self.bar.error(message_for(error))

    # --- choosing the new password --------------------------------------------------------

    def change(self) -> None:
        login, code = self.login.text().strip(), self.code.text().strip()
        new = self.new_password.text()
        local: dict[str, str] = {}
        if not login:
            local["login"] = self.tr("Saisissez votre identifiant ou votre adresse.")
        if not code:
            local["code"] = self.tr("Saisissez le code reçu par courriel.")
        if not new:
            local["new_password"] = self.tr("Choisissez un nouveau mot de passe.")
        elif new != self.confirmation.text():
            local["new_password"] = self.tr("La confirmation ne correspond pas.")
        if local:
            for name, text in local.items():
                self._show_error(name, text)
            self.bar.error(self.tr("Complétez le formulaire avant de valider."))
            return
        self.change_button.setEnabled(False)
        self.bar.info(self.tr("Changement du mot de passe…"))
        api = self.api
        Op(self, lambda: api.confirm_reset(login, code, new), latest="confirm").on_success(
            lambda _none: self._on_reset(login)
        ).on_failure(self._on_reset_failed).run(self.runner)

    def _on_reset(self, login: str) -> None:
        self.change_button.setEnabled(True)
        self.reset.emit(login)
        self.accept()

    def _on_reset_failed(self, error: BaseException) -> None:
        self.change_button.setEnabled(True)
        fields = field_messages(error)
        for name in self.errors:
            self._show_error(name, fields.get(name))
        self.bar.error(message_for(error))
