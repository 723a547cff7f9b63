"""First log-in with a temporary password: choosing the personal one.

The rules come from the server (`password_rules` of the log-in answer) and are shown before
anything is typed; a checklist follows the typing so that nobody has to guess why the button
stays greyed. The server checks again and has the last word.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from client.api.client import ImaginClient
from client.api.models import Tokens
from client.ui import app_style
from client.ui.errors import field_messages, message_for
from client.ui.ops import Op
from client.ui.tasks import TaskRunner
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)

MIN_LENGTH = 12
TICK = "✓"
CROSS = "✗"


@dataclass(frozen=True)
class Rule:
    key: str
    text: str
    met: Callable[[str, str, str, str], bool]  # new, confirmation, login, current


def _rules(tr: Callable[[str], str]) -> list[Rule]:
    # Mirrors the server's password policy (server_stub/core/security.py) for instant feedback.
    return [
        Rule(
            "length",
            tr("compte au moins 12 caractères"),
            lambda new, _c, _l, _p: len(new) >= MIN_LENGTH,
        ),
        Rule(
            "lower",
            tr("contient une minuscule"),
            lambda new, _c, _l, _p: any(c.islower() for c in new),
        ),
        Rule(
            "upper",
            tr("contient une majuscule"),
            lambda new, _c, _l, _p: any(c.isupper() for c in new),
        ),
        Rule(
            "digit",
            tr("contient un chiffre"),
            lambda new, _c, _l, _p: any(c.isdigit() for c in new),
        ),
        Rule(
            "special",
            tr("contient un caractère spécial (par exemple ! ? - _ #)"),
            lambda new, _c, _l, _p: any(not c.isalnum() for c in new),
        ),
        Rule(
            "login",
            tr("ne contient pas votre identifiant"),
            lambda new, _c, login, _p: bool(new) and login.lower() not in new.lower(),
        ),
        Rule(
            "different",
            tr("est différent du mot de passe temporaire"),
            lambda new, _c, _l, current: bool(new) and new != current,
        ),
        Rule(
            "same",
            tr("est saisi deux fois à l'identique"),
            lambda new, confirmation, _l, _p: bool(new) and new == confirmation,
        ),
    ]


class PasswordChangeDialog(QDialog):
    """Signals:
    password_changed(object): the server accepted the new password (the new `Tokens`).
    """

    password_changed = Signal(object)

    def __init__(
        self,
        api: ImaginClient,
        runner: TaskRunner,
        *,
        login: str,
        current_password: str,
        rules_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._runner = runner
        self._login = login
        self._current = current_password
        self._tokens: Tokens | None = None
        self.setWindowTitle(self.tr("Choisir votre mot de passe personnel"))
        self.setModal(True)
        self.setMinimumWidth(520)
        self.setProperty("helpTopic", "password_change")

        title = app_style.page_title(self.tr("Choisissez votre mot de passe personnel"))
        intro = QLabel(
            self.tr(
                "Vous vous connectez pour la première fois avec le mot de passe temporaire "
                "de votre convocation. Remplacez-le maintenant par un mot de passe que vous "
                "seul connaissez."
            )
        )
        intro.setWordWrap(True)
        rules = QLabel(rules_text)
        rules.setWordWrap(True)
        rules.setObjectName("hint")
        rules.setAccessibleName(self.tr("Règles du mot de passe"))
        self.rules_label = rules
        self.bar = MessageBar()

        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setAccessibleName(self.tr("Nouveau mot de passe"))
        self.new_password.textChanged.connect(self._update)
        self.new_password.setProperty("helpTopic", "password_change.new")
        self.new_password_error = app_style.field_error()
        self.confirmation = QLineEdit()
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation.setAccessibleName(self.tr("Confirmation du nouveau mot de passe"))
        self.confirmation.textChanged.connect(self._update)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        new_label = QLabel(self.tr("&Nouveau mot de passe :"))
        new_label.setBuddy(self.new_password)
        confirmation_label = QLabel(self.tr("&Confirmation :"))
        confirmation_label.setBuddy(self.confirmation)
        form.addRow(new_label, self.new_password)
        form.addRow("", self.new_password_error)
        form.addRow(confirmation_label, self.confirmation)

        self._rules = _rules(self.tr)
        checklist_title = QLabel(self.tr("Votre nouveau mot de passe :"))
        checklist = QVBoxLayout()
        checklist.setSpacing(2)
        checklist.addWidget(checklist_title)
        self._marks: dict[str, QLabel] = {}
        for rule in self._rules:
            mark = QLabel()
            mark.setTextFormat(Qt.TextFormat.PlainText)
            self._marks[rule.key] = mark
            checklist.addWidget(mark)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Enregistrer le mot de passe"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(rules)
        layout.addWidget(self.bar)
        layout.addLayout(form)
        layout.addLayout(checklist)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.setTabOrder(self.new_password, self.confirmation)
        self.setTabOrder(self.confirmation, self.save_button)
        self.setTabOrder(self.save_button, self.cancel_button)
        self.new_password.setFocus()
        self._update()

    @property
    def tokens(self) -> Tokens | None:
        return self._tokens

    def unmet(self) -> list[str]:
        """The rules the typed password does not meet yet."""
        values = (self.new_password.text(), self.confirmation.text(), self._login, self._current)
        return [rule.key for rule in self._rules if not rule.met(*values)]

    def _update(self) -> None:
        unmet = set(self.unmet())
        for rule in self._rules:
            ok = rule.key not in unmet
            mark = self._marks[rule.key]
            mark.setText(f"{TICK if ok else CROSS}  {rule.text}")
            tones = app_style.tones(self.palette())
            colour = tones.success if ok else tones.muted
            mark.setStyleSheet(f"color: {colour};")
            state = self.tr("respecté") if ok else self.tr("non respecté")
            mark.setAccessibleName(self.tr("{rule} : {state}").format(rule=rule.text, state=state))
        self.save_button.setEnabled(not unmet)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.new_password, self.confirmation, self.save_button):
            widget.setEnabled(not busy)
        if not busy:
            self._update()

    def _submit(self) -> None:
        if self.unmet():
            return
        new = self.new_password.text()
        current = self._current
        app_style.show_field_error(self.new_password_error, None)
        self.bar.hide()
        self._set_busy(True)
        api = self._api
        Op(self, lambda: api.change_password(current, new), latest="password-change").on_success(
            self._on_changed
        ).on_failure(self._on_failure).run(self._runner)

    def _on_changed(self, tokens: Tokens) -> None:
        self._tokens = tokens
        self._set_busy(False)
        self.password_changed.emit(tokens)
        self.accept()

    def _on_failure(self, error: BaseException) -> None:
        self._set_busy(False)
        fields = field_messages(error)
        app_style.show_field_error(self.new_password_error, fields.get("new_password"))
        self.bar.error(message_for(error))
        self.new_password.setFocus()
