"""Comptes: the administrator's accounts: search, create (a dialog that checks each field
beside it), change the role with its offices or centres, unlock, deactivate or reactivate, and
issue a new temporary password whose letter is saved and opened."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.admin import AdminApi, PasswordLetter
from client.api.admin_models import Account, AccountCreated, AccountIn, RolesIn
from client.api.dec_models import CentreRef
from client.api.models import Role
from client.formatting import plural
from client.recaps import write_atomically
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.errors import field_messages, message_for
from client.ui.models.rows import Column, RowsModel, RowsProxy
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView

ROLE_LABELS = {
    Role.INTERVENANT: "Intervenant",
    Role.GESTIONNAIRE: "Gestionnaire de la DEC",
    Role.CHEF_CENTRE: "Chef de centre",
    Role.ADMIN: "Administrateur",
}
_UNSAFE = re.compile(r"[^\w.-]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OFFICE = re.compile(r"^[A-Za-z0-9_-]+$")


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Asks before a change that cannot pass unnoticed; replaced in tests."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def letters_folder(ctx: AppContext) -> Path:
    return ctx.data_path() / "mots-de-passe"


def save_letter(letter: PasswordLetter, folder: Path) -> Path:
    """Writes the letter (worker thread); its path."""
    name = _UNSAFE.sub("-", letter.filename).strip("-.") or "mot-de-passe.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    path = folder / name
    write_atomically(path, letter.content)
    return path


def memberships_text(account: Account, centres: dict[int, str]) -> str:
    if account.offices:
        return ", ".join(account.offices)
    return ", ".join(centres.get(c, f"n° {c}") for c in account.centres)


def state_text(account: Account) -> str:
    if not account.active:
        return "Désactivé"
    return "Bloqué" if account.locked else "Actif"


class AccountDialog(QDialog):
    """A new account (names, e-mail, directory or temporary password, role and memberships), or
    with `account` the role of an existing one. It does not close itself: `submitted` carries
    what to send, and the page closes it once the server agreed, or shows its refusal beside
    the fields (`show_error`).

    Signals:
    submitted(object): an `AccountIn` (a new account) or a `RolesIn` (a role changed).
    """

    submitted = Signal(object)

    def __init__(
        self,
        offices: Sequence[str],
        centres: Sequence[CentreRef],
        account: Account | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.account = account
        creating = account is None
        self.setWindowTitle(
            self.tr("Nouveau compte")
            if creating
            else self.tr("Rôle de {name}").format(name=account.full_name if account else "")
        )
        self.setProperty("helpTopic", "admin.account")
        self.setMinimumWidth(560)

        self.first_name = QLineEdit(account.first_name if account else "")
        self.first_name.setAccessibleName(self.tr("Prénom"))
        self.first_name.setMaxLength(100)
        self.last_name = QLineEdit(account.last_name if account else "")
        self.last_name.setAccessibleName(self.tr("Nom"))
        self.last_name.setMaxLength(100)
        self.email = QLineEdit((account.email or "") if account else "")
        self.email.setAccessibleName(self.tr("Adresse électronique"))
        self.email.setMaxLength(200)
        self.email.setPlaceholderText(self.tr("prenom.nom@ac-amiens.fr"))
        self.academic = QCheckBox(self.tr("Personnel de l'académie : connexion par l'a&nnuaire"))
        self.academic.setAccessibleName(self.tr("Connexion par l'annuaire académique"))
        self.academic.setChecked(account.academic if account else True)
        for field in (self.first_name, self.last_name, self.email, self.academic):
            field.setEnabled(creating)
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Rôle"))
        for role, role_name in ROLE_LABELS.items():
            self.role.addItem(self.tr(role_name), role)
        if account is not None:
            self.role.setCurrentIndex(self.role.findData(account.role))
        else:
            self.role.setCurrentIndex(self.role.findData(Role.GESTIONNAIRE))
        self.offices = QListWidget()
        self.offices.setAccessibleName(self.tr("Bureaux de la DEC"))
        self.offices.setMaximumHeight(90)
        chosen_offices = set(account.offices) if account else set()
        for office in sorted(set(offices) | chosen_offices):
            self._check_item(self.offices, office, office, office in chosen_offices)
        self.new_office = QLineEdit()
        self.new_office.setAccessibleName(self.tr("Autre bureau"))
        self.new_office.setPlaceholderText(self.tr("lettres sans accent, chiffres, - et _"))
        self.new_office.setMaxLength(40)
        self.centres = QListWidget()
        self.centres.setAccessibleName(self.tr("Centres d'examen"))
        self.centres.setMaximumHeight(130)
        chosen_centres = set(account.centres) if account else set()
        for centre in centres:
            self._check_item(
                self.centres,
                f"{centre.code} – {centre.name}",
                centre.id,
                centre.id in chosen_centres,
            )

        self.errors = {
            name: app_style.field_error()
            for name in ("first_name", "last_name", "email", "role", "offices", "centres")
        }
        form = QFormLayout()
        rows: list[tuple[str, QWidget, str | None]] = [
            (self.tr("&Prénom :"), self.first_name, "first_name"),
            (self.tr("&Nom :"), self.last_name, "last_name"),
            (self.tr("&E-mail :"), self.email, "email"),
            ("", self.academic, None),
            (self.tr("&Rôle :"), self.role, "role"),
            (self.tr("&Bureaux :"), self.offices, None),
            (self.tr("A&utre bureau :"), self.new_office, "offices"),
            (self.tr("&Centres :"), self.centres, "centres"),
        ]
        for text, widget, error in rows:
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            if error is not None:
                column.addWidget(self.errors[error])
            if text:
                label = QLabel(text)
                label.setBuddy(widget)
                form.addRow(label, holder)
            else:
                form.addRow(holder)
        self.bar = MessageBar()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("&Créer le compte") if creating else self.tr("&Enregistrer le rôle"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setDefault(True)
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.on_submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if account is not None:
            layout.addWidget(
                app_style.hint(
                    self.tr("Compte {login} ({email}).").format(
                        login=account.login, email=account.email or self.tr("sans e-mail")
                    )
                )
            )
        layout.addWidget(self.bar)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.role.currentIndexChanged.connect(self._follow_role)
        self._follow_role()
        (self.first_name if creating else self.role).setFocus()

    @staticmethod
    def _check_item(widget: QListWidget, text: str, value: Any, checked: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)

    def _follow_role(self) -> None:
        role = self.chosen_role()
        for widget in (self.offices, self.new_office):
            widget.setEnabled(role is Role.GESTIONNAIRE)
        self.centres.setEnabled(role is Role.CHEF_CENTRE)

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def chosen_offices(self) -> list[str]:
        if self.chosen_role() is not Role.GESTIONNAIRE:
            return []
        found = [
            str(self.offices.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.offices.count())
            if self.offices.item(i).checkState() == Qt.CheckState.Checked
        ]
        extra = self.new_office.text().strip()
        return found + ([extra] if extra and extra not in found else [])

    def chosen_centres(self) -> list[int]:
        if self.chosen_role() is not Role.CHEF_CENTRE:
            return []
        return [
            int(self.centres.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.centres.count())
            if self.centres.item(i).checkState() == Qt.CheckState.Checked
        ]

    # --- checking and sending -------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What is wrong before anything is sent, field by field."""
        found: dict[str, str] = {}
        role = self.chosen_role()
        if self.account is None:
            if not self.first_name.text().strip():
                found["first_name"] = self.tr("Indiquez le prénom.")
            if not self.last_name.text().strip():
                found["last_name"] = self.tr("Indiquez le nom.")
            email = self.email.text().strip()
            if email and not _EMAIL.match(email):
                found["email"] = self.tr("Cette adresse électronique n'est pas valide.")
            elif not email and not self.academic.isChecked():
                found["email"] = self.tr(
                    "Un compte hors annuaire a besoin d'une adresse pour recevoir son mot de passe."
                )
        extra = self.new_office.text().strip()
        if role is Role.GESTIONNAIRE and extra and not _OFFICE.match(extra):
            found["offices"] = self.tr(
                "Un bureau s'écrit en lettres sans accent, chiffres, tirets ou soulignés."
            )
        elif role is Role.GESTIONNAIRE and not self.chosen_offices():
            found["offices"] = self.tr("Cochez au moins un bureau de la DEC.")
        if role is Role.CHEF_CENTRE and not self.chosen_centres():
            found["centres"] = self.tr("Cochez au moins un centre d'examen.")
        return found

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            app_style.show_field_error(label, problems.get(name))
        widgets = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "role": self.role,
            "offices": self.new_office if self.new_office.text() else self.offices,
            "centres": self.centres,
        }
        first = next((widgets[n] for n in widgets if n in problems), None)
        if first is not None:
            first.setFocus()

    def show_error(self, error: BaseException) -> None:
        """The server's refusal: beside its fields when it names them, above them otherwise."""
        fields = {k.rsplit(".", 1)[-1]: v for k, v in field_messages(error).items()}
        known = {k: v for k, v in fields.items() if k in self.errors}
        self.show_problems(known)
        if not known:
            self.bar.error(message_for(error))
        self.ok_button.setEnabled(True)

    def on_submit(self) -> None:
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            return
        self.bar.withdraw()
        self.ok_button.setEnabled(False)
        body: AccountIn | RolesIn
        if self.account is None:
            body = AccountIn(
                first_name=self.first_name.text().strip(),
                last_name=self.last_name.text().strip(),
                email=self.email.text().strip() or None,
                role=self.chosen_role(),
                academic=self.academic.isChecked(),
                offices=self.chosen_offices(),
                centres=self.chosen_centres(),
            )
        else:
            body = RolesIn(
                role=self.chosen_role(),
                offices=self.chosen_offices(),
                centres=self.chosen_centres(),
            )
        self.submitted.emit(body)


class AccountsPage(QWidget):
    """Signals:
    loaded(): the accounts arrived and are shown.
    changed(object): an account was created or changed (the `Account` as the server answers).
    letter_opened(object): a temporary password's letter was saved and opened (its `Path`).
    """

    loaded = Signal()
    changed = Signal(object)
    letter_opened = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = AdminApi(ctx.api)
        self.centre_names: dict[int, str] = {}
        self.centre_refs: list[CentreRef] = []
        self.known_offices: list[str] = []
        self.dialog: AccountDialog | None = None
        self.setProperty("helpTopic", "admin.accounts")

        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Rechercher un compte"))
        self.search.setPlaceholderText(self.tr("Identifiant, nom ou adresse électronique"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.role_filter = QComboBox()
        self.role_filter.setAccessibleName(self.tr("Rôle des comptes affichés"))
        self.role_filter.addItem(self.tr("Tous les rôles"), None)
        for role, role_name in ROLE_LABELS.items():
            self.role_filter.addItem(self.tr(role_name), role)
        self.active_filter = QComboBox()
        self.active_filter.setAccessibleName(self.tr("État des comptes affichés"))
        self.active_filter.addItem(self.tr("Actifs et désactivés"), None)
        self.active_filter.addItem(self.tr("Actifs"), True)
        self.active_filter.addItem(self.tr("Désactivés"), False)
        for combo in (self.role_filter, self.active_filter):
            combo.currentIndexChanged.connect(self.refresh)

        centre = self.centre_names
        self.model: RowsModel[Account] = RowsModel(
            [
                Column(self.tr("Identifiant"), lambda a: a.login),
                Column(self.tr("Nom"), lambda a: f"{a.last_name.upper()} {a.first_name}"),
                Column(self.tr("E-mail"), lambda a: a.email or "—"),
                Column(self.tr("Rôle"), lambda a: self.tr(ROLE_LABELS[a.role])),
                Column(self.tr("Bureaux ou centres"), lambda a: memberships_text(a, centre)),
                Column(
                    self.tr("Connexion"),
                    lambda a: self.tr("Annuaire") if a.academic else self.tr("Mot de passe"),
                ),
                Column(
                    self.tr("État"),
                    state_text,
                    colour=lambda a: (
                        app_style.tones(self.palette()).error if a.locked or not a.active else None
                    ),
                ),
            ],
            parent=self,
        )
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = RowsView(self.tr("Comptes"))
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self.edit_roles())
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(lambda *_: self._update_actions())

        self.create_button = QPushButton(self.tr("&Nouveau compte…"))
        self.create_button.setToolTip(self.tr("Créer un compte (Ctrl+N)"))
        self.create_button.clicked.connect(self.create_account)
        self.roles_button = QPushButton(self.tr("&Rôle…"))
        self.roles_button.clicked.connect(self.edit_roles)
        self.unlock_button = QPushButton(self.tr("&Débloquer"))
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button = QPushButton(self.tr("Dé&sactiver…"))
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton(self.tr("Nouveau &mot de passe…"))
        self.password_button.clicked.connect(self.issue_password)
        self.password_button.setToolTip(
            self.tr("Un nouveau mot de passe temporaire et sa lettre à remettre")
        )
        self.selection_error = app_style.field_error(wrap=True)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, self.create_account)

        filters = QHBoxLayout()
        search_label = QLabel(self.tr("Re&chercher :"))
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        for text, combo in (
            (self.tr("R&ôle :"), self.role_filter),
            (self.tr("É&tat :"), self.active_filter),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        actions = QHBoxLayout()
        actions.addWidget(self.create_button)
        actions.addStretch(1)
        for button in (
            self.roles_button,
            self.unlock_button,
            self.active_button,
            self.password_button,
        ):
            actions.addWidget(button)
        self.count = app_style.hint()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.selection_error)
        layout.addWidget(self.count)
        layout.addLayout(actions)
        QWidget.setTabOrder(self.search, self.role_filter)
        QWidget.setTabOrder(self.role_filter, self.active_filter)
        QWidget.setTabOrder(self.active_filter, self.view)
        QWidget.setTabOrder(self.view, self.create_button)
        self._update_actions()

    # --- loading --------------------------------------------------------------------------

    def start(self) -> None:
        api = self.api
        Op(self, lambda: (api.offices(), _centres(api)), bar=self.bar).on_success(
            self._set_references
        ).run(self.ctx.runner)
        self.refresh()

    def _set_references(self, found: tuple[list[str], list[CentreRef]]) -> None:
        self.known_offices, self.centre_refs = found
        self.centre_names.clear()
        self.centre_names.update({c.id: c.name for c in self.centre_refs})
        self.model.set_rows(self.model.rows())  # the centres' names now known

    def refresh(self) -> None:
        api = self.api
        text = self.search.text()
        role = self.role_filter.currentData()
        active = self.active_filter.currentData()
        Op(
            self, lambda: api.accounts(text, role, active), bar=self.bar, latest="accounts"
        ).on_success(self.show_accounts).run(self.ctx.runner)

    def show_accounts(self, accounts: list[Account]) -> None:
        chosen = self.selected()
        self.model.set_rows(accounts)
        self.count.setText(plural(len(accounts), "compte affiché", "comptes affichés") + ".")
        self.view.fit_columns(stretch=1)
        if chosen is not None:
            self.select(chosen.id)
        self._update_actions()
        self.loaded.emit()

    # --- selection ------------------------------------------------------------------------

    def selected(self) -> Account | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def select(self, account_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).id == account_id:
                self.view.selectRow(row)
                return

    def _update_actions(self) -> None:
        account = self.selected()
        own = (
            account is not None
            and self.ctx.identity is not None
            and account.login == self.ctx.identity.login
        )
        self.roles_button.setEnabled(account is not None)
        self.unlock_button.setEnabled(account is not None and account.locked)
        self.active_button.setEnabled(account is not None and not (own and account.active))
        self.active_button.setText(
            self.tr("Ré&activer…")
            if account is not None and not account.active
            else self.tr("Dé&sactiver…")
        )
        self.password_button.setEnabled(account is not None and account.active)
        app_style.show_field_error(self.selection_error, None)

    # --- actions --------------------------------------------------------------------------

    def _on_failure(self, error: BaseException) -> None:
        """A refused action on the selected account: said under the list it concerns."""
        app_style.show_field_error(self.selection_error, message_for(error))

    def _account_changed(self, account: Account, text: str) -> None:
        self.bar.success(text)
        self.changed.emit(account)
        self.refresh()

    def create_account(self) -> None:
        self._open_dialog(None)

    def edit_roles(self) -> None:
        account = self.selected()
        if account is not None:
            self._open_dialog(account)

    def _open_dialog(self, account: Account | None) -> None:
        dialog = AccountDialog(self.known_offices, self.centre_refs, account, parent=self)
        self.dialog = dialog
        dialog.submitted.connect(lambda body: self._send(dialog, body))
        dialog.open()

    def _send(self, dialog: AccountDialog, body: AccountIn | RolesIn) -> None:
        api = self.api
        if isinstance(body, AccountIn):
            Op(dialog, lambda: api.create_account(body)).on_success(
                lambda created: self._created(dialog, created)
            ).on_failure(dialog.show_error).run(self.ctx.runner)
            return
        account = dialog.account
        assert account is not None
        Op(dialog, lambda: api.set_roles(account.id, body)).on_success(
            lambda changed: self._roles_set(dialog, changed)
        ).on_failure(dialog.show_error).run(self.ctx.runner)

    def _created(self, dialog: AccountDialog, created: AccountCreated) -> None:
        dialog.accept()
        account = created.account
        if created.temporary_password:
            text = self.tr(
                "Compte {login} créé pour {name}. Mot de passe temporaire à lui remettre : "
                "{password} (il devra le changer à sa première connexion)."
            ).format(login=account.login, name=account.full_name,
                     password=created.temporary_password)  # fmt: skip
        else:
            text = self.tr(
                "Compte {login} créé pour {name} : connexion par l'annuaire académique."
            ).format(login=account.login, name=account.full_name)
        self.search.blockSignals(True)
        self.search.setText(account.login)
        self.search.blockSignals(False)
        self._account_changed(account, text)

    def _roles_set(self, dialog: AccountDialog, account: Account) -> None:
        dialog.accept()
        self._account_changed(
            account,
            self.tr("{name} : {role}.").format(
                name=account.full_name, role=self.tr(ROLE_LABELS[account.role]).lower()
            ),
        )

    def unlock(self) -> None:
        account = self.selected()
        if account is None:
            return
        api = self.api
        Op(self, lambda: api.unlock(account.id)).on_success(
            lambda a: self._account_changed(
                a, self.tr("Compte {login} débloqué.").format(login=a.login)
            )
        ).on_failure(self._on_failure).run(self.ctx.runner)

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        active = not account.active
        if active:
            asked = confirm(
                self,
                self.tr("Réactiver le compte"),
                self.tr("Réactiver le compte {login} de {name} ? Il pourra se connecter.").format(
                    login=account.login, name=account.full_name
                ),
                self.tr("Réactiver"),
            )
        else:
            asked = confirm(
                self,
                self.tr("Désactiver le compte"),
                self.tr(
                    "Désactiver le compte {login} de {name} ? Ses sessions sont fermées et il ne "
                    "pourra plus se connecter jusqu'à sa réactivation."
                ).format(login=account.login, name=account.full_name),
                self.tr("Désactiver"),
            )
        if not asked:
            return
        api = self.api
        Op(self, lambda: api.set_active(account.id, active)).on_success(
            lambda a: self._account_changed(
                a,
                (
                    self.tr("Compte {login} réactivé.")
                    if a.active
                    else self.tr("Compte {login} désactivé.")
                ).format(login=a.login),
            )
        ).on_failure(self._on_failure).run(self.ctx.runner)

    def issue_password(self) -> None:
        account = self.selected()
        if account is None:
            return
        if not confirm(
            self,
            self.tr("Nouveau mot de passe temporaire"),
            self.tr(
                "Donner un nouveau mot de passe temporaire à {name} ({login}) ? Son mot de passe "
                "actuel et ses sessions prennent fin ; la lettre à lui remettre s'ouvrira."
            ).format(name=account.full_name, login=account.login),
            self.tr("Émettre le mot de passe"),
        ):
            return
        api, folder = self.api, letters_folder(self.ctx)

        def work() -> tuple[Path, bool]:
            letter = api.temporary_password(account.id)
            return save_letter(letter, folder), letter.emailed

        Op(self, work).on_success(lambda done: self._letter_saved(account, *done)).on_failure(
            self._on_failure
        ).run(self.ctx.runner)

    def _letter_saved(self, account: Account, path: Path, emailed: bool) -> None:
        sent = self.tr(" Un e-mail lui a aussi été écrit.") if emailed else ""
        if self.ctx.open_url(QUrl.fromLocalFile(str(path))):
            self.bar.success(
                self.tr(
                    "Nouveau mot de passe de {login} : lettre enregistrée et ouverte ({path})."
                ).format(login=account.login, path=path)
                + sent
            )
        else:
            self.bar.warning(
                self.tr(
                    "Nouveau mot de passe de {login} : lettre enregistrée dans {path}, mais aucune "
                    "application n'a pu l'ouvrir."
                ).format(login=account.login, path=path)
                + sent,
                self.tr("Afficher le dossier"),
                lambda: self.ctx.open_url(QUrl.fromLocalFile(str(path.parent))),
            )
        self.letter_opened.emit(path)
        self.refresh()


def _centres(api: AdminApi) -> list[CentreRef]:
    from client.api.dec import DecApi

    return DecApi(api.client).centres()
