"""Mon profil: what the travel costs and the payments depend on.

The residences decide whether a mission gives travel costs; the vehicle's fiscal power the
kilometric rate; a recognised disability the night cap; the financial file where the money
goes. Only the fields changed are sent; the server's refusals appear beside each field.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from client.api.documents import DocumentsApi
from client.api.models import Notifications, Profile
from client.attachments import AttachmentNotes
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.documents.panel import DocumentsPanel
from client.ui.errors import field_messages, message_for
from client.ui.ops import Op
from client.ui.profile import iban
from client.ui.profile.commune_picker import CommunePicker
from client.ui.widgets import Level, MessageBar

log = logging.getLogger(__name__)

FIELDS = (
    "email",
    "administrative_residence",
    "family_residence",
    "fiscal_power",
    "disability",
    "iban",
    "bic",
    "account_holder",
    "postal_address",
    "nir",
)


class ProfileDialog(QDialog):
    """Signals:
    loaded(): the profile arrived from the server and is shown.
    saved(object): the server stored the changes (the new `Profile`).
    """

    loaded = Signal()
    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile: Profile | None = None
        self.notifications: Notifications | None = None
        self._quiet = False
        self.setWindowTitle(self.tr("Mon profil"))
        self.setProperty("helpTopic", "profile")
        self.resize(720, 760)

        self.title = app_style.page_title(self.tr("Mon profil"))
        self.subtitle = app_style.page_subtitle(self.tr("Chargement de votre profil…"))
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.load)
        # Unwrapped: the server's messages are one short sentence, and a wrapped label in a
        # scrolled form gets its height wrong.
        self.errors: dict[str, QLabel] = {
            name: app_style.field_error(wrap=False) for name in FIELDS
        }

        # Residences.
        self.administrative = CommunePicker(ctx.api, ctx.runner)
        self.administrative.setAccessibleName(self.tr("Résidence administrative"))
        self.family = CommunePicker(ctx.api, ctx.runner)
        self.family.setAccessibleName(self.tr("Résidence familiale"))
        for picker, name in (
            (self.administrative, "administrative_residence"),
            (self.family, "family_residence"),
        ):
            picker.commune_changed.connect(lambda _c, n=name: self._clear_error(n))
            picker.search_failed.connect(self.bar.error)
        # One form for every section, so that all the fields line up.
        form = self._form()
        self._section(form, self.tr("Résidences"), first=True)
        self._row(
            form,
            self.tr("Résidence &administrative :"),
            self.administrative,
            "administrative_residence",
            self.tr("La commune de votre établissement d'affectation."),
        )
        self._row(
            form,
            self.tr("Résidence &familiale :"),
            self.family,
            "family_residence",
            self.tr("La commune de votre domicile."),
        )

        # Vehicle and situation.
        self.fiscal_power = QSpinBox()
        self.fiscal_power.setRange(0, 99)
        self.fiscal_power.setSuffix(self.tr(" CV"))
        self.fiscal_power.setSpecialValueText(self.tr("Non renseignée"))
        self.fiscal_power.setAccessibleName(self.tr("Puissance fiscale du véhicule"))
        self.fiscal_power.setMaximumWidth(160)
        self.disability = QCheckBox(self.tr("&Travailleur handicapé reconnu"))
        self.disability.setToolTip(
            self.tr("Le plafond de remboursement des nuitées est alors de 150 €.")
        )
        self._section(form, self.tr("Véhicule et situation"))
        self._row(
            form,
            self.tr("&Puissance fiscale :"),
            self.fiscal_power,
            "fiscal_power",
            self.tr("Celle de la carte grise du véhicule personnel que vous utilisez."),
        )
        self._row(form, "", self.disability, "disability")

        # Financial file.
        self.iban = QLineEdit()
        self.iban.setAccessibleName(self.tr("IBAN"))
        self.iban.setPlaceholderText(self.tr("par exemple FR76 3000 6000 0112 3456 7890 189"))
        self.iban.setMaxLength(50)
        self.iban_state = QLabel()
        self.iban_state.setMinimumWidth(190)
        self.iban.textChanged.connect(self._check_iban)
        iban_row = QWidget()
        iban_layout = QHBoxLayout(iban_row)
        iban_layout.setContentsMargins(0, 0, 0, 0)
        iban_layout.addWidget(self.iban, 1)
        iban_layout.addWidget(self.iban_state)
        iban_row.setFocusProxy(self.iban)
        self.bic = QLineEdit()
        self.bic.setAccessibleName(self.tr("BIC"))
        self.bic.setPlaceholderText(self.tr("par exemple AGRIFRPP"))
        self.bic.setMaxLength(20)
        self.bic.setMaximumWidth(200)
        self.account_holder = QLineEdit()
        self.account_holder.setAccessibleName(self.tr("Titulaire du compte"))
        self.account_holder.setMaxLength(140)
        self.postal_address = QPlainTextEdit()
        self.postal_address.setAccessibleName(self.tr("Adresse postale"))
        self.postal_address.setTabChangesFocus(True)
        self.postal_address.setFixedHeight(72)
        self.nir = QLineEdit()
        self.nir.setAccessibleName(self.tr("Numéro de sécurité sociale"))
        self.nir.setPlaceholderText(self.tr("15 chiffres, par exemple 1 84 12 80 021 451 60"))
        self.nir.setMaxLength(30)
        self.nir.setMaximumWidth(320)
        self.financial_hint = app_style.hint()
        self._section(form, self.tr("Dossier financier"))
        form.addRow(self.financial_hint)
        self._row(form, self.tr("&IBAN :"), iban_row, "iban")
        self._row(form, self.tr("&BIC :"), self.bic, "bic")
        self._row(
            form,
            self.tr("Titulaire du &compte :"),
            self.account_holder,
            "account_holder",
            self.tr("Le compte doit être à votre nom."),
        )
        self._row(form, self.tr("Adresse p&ostale :"), self.postal_address, "postal_address")
        self._row(
            form,
            self.tr("N° de &sécurité sociale :"),
            self.nir,
            "nir",
            self.tr("Tel qu'il figure sur votre carte Vitale, clé comprise. Seul vous le voyez."),
        )
        # The documents of the financial file (RIB, notice, carte Vitale), attached here once for
        # every statement.
        self.documents = DocumentsPanel(
            DocumentsApi(ctx.api),
            ctx.runner,
            AttachmentNotes(ctx.drafts().folder, "profile"),
            None,
        )
        form.addRow(app_style.hint(self.tr("Pièces du dossier financier :")))
        form.addRow(self.documents)
        # E-mail messages.
        self.email = QLineEdit()
        self.email.setAccessibleName(self.tr("Adresse électronique"))
        self.email.setPlaceholderText(self.tr("par exemple prenom.nom@ac-amiens.fr"))
        self.email.setMaxLength(200)
        self._section(form, self.tr("Messages par courriel"))
        self._row(
            form,
            self.tr("Adresse é&lectronique :"),
            self.email,
            "email",
            self.tr("Les messages d'IMAG'IN vous sont envoyés à cette adresse."),
        )
        self.kinds_box = QWidget()
        self.kinds_layout = QVBoxLayout(self.kinds_box)
        self.kinds_layout.setContentsMargins(0, 0, 0, 0)
        self.kinds_layout.setSpacing(4)
        self.kind_boxes: dict[str, QCheckBox] = {}
        form.addRow(self.tr("Recevoir :"), self.kinds_box)
        form.addRow(
            "",
            app_style.hint(
                self.tr(
                    "Les messages obligatoires (convocations, renvois, corrections, rejets de "
                    "paiement, mots de passe) vous sont toujours envoyés."
                )
            ),
        )
        for widget in (self.iban, self.bic, self.account_holder, self.nir, self.email):
            widget.textEdited.connect(self._on_field_edited)
        self.postal_address.textChanged.connect(lambda: self._clear_error("postal_address"))
        self.fiscal_power.valueChanged.connect(lambda _v: self._clear_error("fiscal_power"))

        topics: list[tuple[QWidget, str]] = [
            (self.administrative.edit, "profile.residences"),
            (self.family.edit, "profile.residences"),
            (self.fiscal_power, "profile.vehicle"),
            (self.disability, "profile.disability"),
            (self.iban, "profile.iban"),
            (self.bic, "profile.financial_file"),
            (self.account_holder, "profile.financial_file"),
            (self.postal_address, "profile.financial_file"),
            (self.nir, "profile.financial_file"),
            (self.email, "profile.email"),
            (self.kinds_box, "profile.email"),
        ]
        for field, topic in topics:
            field.setProperty("helpTopic", topic)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(10)
        column.addLayout(form)
        column.addStretch(1)
        self.body = body
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Enregistrer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(
            self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        order: list[QWidget] = [
            self.administrative.edit,
            self.family.edit,
            self.fiscal_power,
            self.disability,
            self.iban,
            self.bic,
            self.account_holder,
            self.postal_address,
            self.nir,
            self.email,
            self.save_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self._set_enabled(False)
        self._check_iban()

    # --- layout helpers -------------------------------------------------------------------

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _section(self, form: QFormLayout, title: str, *, first: bool = False) -> None:
        if not first:
            spacer = QWidget()
            spacer.setFixedHeight(12)
            form.addRow(spacer)
        form.addRow(app_style.section_title(title))

    def _row(
        self,
        form: QFormLayout,
        label: str,
        field: QWidget,
        name: str,
        explanation: str | None = None,
    ) -> None:
        caption = QLabel(label)
        caption.setBuddy(field.focusProxy() or field)
        form.addRow(caption, field)
        if explanation:
            form.addRow("", app_style.hint(explanation))
        form.addRow("", self.errors[name])

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        api = self.ctx.api
        self.bar.hide()
        Op(self, lambda: (api.me(), api.notifications()), latest="profile").on_success(
            self._on_loaded
        ).on_failure(self._on_load_failed).run(self.ctx.runner)

    def _on_loaded(self, loaded: tuple[Profile, Notifications]) -> None:
        profile, notifications = loaded
        self.show_notifications(notifications)
        self.show_profile(profile)

    def show_notifications(self, notifications: Notifications) -> None:
        """One box per kind of message: statutory ones ticked and locked."""
        self.notifications = notifications
        for box in self.kind_boxes.values():
            self.kinds_layout.removeWidget(box)
            box.deleteLater()
        self.kind_boxes = {}
        for kind in notifications.kinds:
            box = QCheckBox(kind.label)
            box.setChecked(kind.enabled)
            if kind.statutory:
                box.setEnabled(False)
                box.setToolTip(self.tr("Message obligatoire : il vous est toujours envoyé."))
            self.kinds_layout.addWidget(box)
            self.kind_boxes[kind.kind] = box

    def show_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.subtitle.setText(
            self.tr("{first} {last} – identifiant {login}").format(
                first=profile.first_name, last=profile.last_name, login=profile.login
            )
        )
        self.administrative.set_commune(profile.administrative_residence)
        self.family.set_commune(profile.family_residence)
        self.email.setText(profile.email or "")
        self.fiscal_power.setValue(profile.fiscal_power or 0)
        self.disability.setChecked(profile.disability)
        self.iban.setText(iban.grouped(profile.iban or ""))
        self.bic.setText(profile.bic or "")
        self.account_holder.setText(profile.account_holder or "")
        self.postal_address.setPlainText(profile.postal_address or "")
        self.nir.setText(_spaced_nir(profile.nir or ""))
        if profile.financial_file_missing:
            self.financial_hint.setText(profile.financial_file_missing)
        elif profile.financial_file_needed:
            self.financial_hint.setText(
                self.tr(
                    "Votre dossier financier est à compléter ou à confirmer avant votre prochain "
                    "paiement : joignez ci-dessous un RIB à votre nom et les autres pièces."
                )
            )
        else:
            self.financial_hint.setText(
                self.tr("Le compte sur lequel vos indemnités et vos frais sont versés.")
            )
        self.documents.set_required(profile.financial_documents)
        self.documents.refresh()
        for name in FIELDS:
            self._clear_error(name)
        if profile.nir_on_file and profile.nir is None:
            self._show_nir_unreadable()
        self._set_enabled(True)
        self.administrative.edit.setFocus()
        self.loaded.emit()

    def _on_load_failed(self, error: BaseException) -> None:
        self.subtitle.setText("")
        self.bar.error(message_for(error), self.tr("Réessayer"))

    def _set_enabled(self, enabled: bool) -> None:
        self.body.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    # --- checking -------------------------------------------------------------------------

    def _check_iban(self) -> None:
        state = iban.check(self.iban.text())
        tones = app_style.tones(self.palette())
        texts = {
            iban.IbanState.EMPTY: ("", tones.muted),
            iban.IbanState.INCOMPLETE: (self.tr("IBAN incomplet"), tones.muted),
            iban.IbanState.BAD_CHARACTERS: (
                self.tr("✗ Caractères non valides"),
                tones.error,
            ),
            iban.IbanState.BAD_COUNTRY: (
                self.tr("✗ Commence par le code pays (FR…)"),
                tones.error,
            ),
            iban.IbanState.TOO_LONG: (self.tr("✗ IBAN trop long"), tones.error),
            iban.IbanState.BAD_CHECKSUM: (
                self.tr("✗ Clé de contrôle incorrecte"),
                tones.error,
            ),
            iban.IbanState.VALID: (self.tr("✓ Clé de contrôle correcte"), tones.success),
        }
        text, colour = texts[state]
        self.iban_state.setText(text)
        self.iban_state.setStyleSheet(f"color: {colour};")
        self.iban_state.setAccessibleName(text)
        self.iban.setAccessibleDescription(text)
        if state is iban.IbanState.VALID:
            # The server's "IBAN invalide" no longer holds: neither beside the field nor above.
            self._clear_error("iban")
            if not any(label.isVisibleTo(self) for label in self.errors.values()):
                self.bar.withdraw(Level.ERROR)

    def _on_field_edited(self) -> None:
        sender = self.sender()
        for name, widget in (
            ("iban", self.iban),
            ("bic", self.bic),
            ("account_holder", self.account_holder),
            ("nir", self.nir),
            ("email", self.email),
        ):
            if sender is widget:
                self._clear_error(name)

    def _show_nir_unreadable(self) -> None:
        app_style.show_field_error(
            self.errors["nir"],
            self.tr("Votre numéro enregistré ne peut plus être lu : saisissez-le à nouveau."),
        )

    def _clear_error(self, name: str) -> None:
        app_style.show_field_error(self.errors[name], None)

    def show_errors(self, fields: dict[str, str]) -> None:
        for name, label in self.errors.items():
            app_style.show_field_error(label, fields.get(name))

    # --- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Fermer, Escape or the window's close button: what was typed and not saved is not
        dropped without asking."""
        unsaved = (
            not self._quiet
            and self.profile is not None
            and (bool(self.changes()) or self.declined() is not None)
        )
        if unsaved and not self.confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # close() called by the application (log-out, lost session) closes without asking;
        # only the person's own gesture (a spontaneous event) does.
        self._quiet = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._quiet = False

    def confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Modifications non enregistrées"))
        box.setText(self.tr("Vos modifications du profil ne sont pas enregistrées."))
        keep = box.addButton(self.tr("&Continuer la saisie"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(
            self.tr("&Abandonner les modifications"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is not keep

    # --- saving ---------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """What differs from the profile as loaded, in the server's terms."""
        profile = self.profile
        if profile is None:
            return {}
        now: dict[str, Any] = {
            "email": self.email.text().strip() or None,
            "administrative_residence": _insee(self.administrative),
            "family_residence": _insee(self.family),
            "fiscal_power": self.fiscal_power.value() or None,
            "disability": self.disability.isChecked(),
            "iban": iban.compact(self.iban.text()) or None,
            "bic": "".join(self.bic.text().split()).upper() or None,
            "account_holder": self.account_holder.text().strip() or None,
            "postal_address": self.postal_address.toPlainText().strip() or None,
            "nir": _compact_nir(self.nir.text()) or None,
        }
        administrative, family = profile.administrative_residence, profile.family_residence
        before: dict[str, Any] = {
            "email": profile.email,
            "administrative_residence": administrative.insee if administrative else None,
            "family_residence": family.insee if family else None,
            "fiscal_power": profile.fiscal_power,
            "disability": profile.disability,
            "iban": iban.compact(profile.iban or "") or None,
            "bic": profile.bic,
            "account_holder": profile.account_holder,
            "postal_address": profile.postal_address,
            "nir": profile.nir,
        }
        return {name: value for name, value in now.items() if value != before[name]}

    def declined(self) -> list[str] | None:
        """The kinds of message now declined, if that differs from what was loaded."""
        if self.notifications is None:
            return None
        before = [k.kind for k in self.notifications.kinds if not k.enabled]
        now = [
            k.kind
            for k in self.notifications.kinds
            if not k.statutory and not self.kind_boxes[k.kind].isChecked()
        ]
        return None if sorted(now) == sorted(before) else now

    def save(self) -> None:
        local: dict[str, str] = {}
        for picker, name in (
            (self.administrative, "administrative_residence"),
            (self.family, "family_residence"),
        ):
            if picker.has_unresolved_text():
                local[name] = self.tr("Choisissez la commune dans la liste proposée.")
        if local:
            self.show_errors(local)
            self.bar.error(self.tr("Un champ est à corriger avant l'enregistrement."))
            return
        changes = self.changes()
        declined = self.declined()
        if not changes and declined is None:
            self.bar.info(self.tr("Aucune modification à enregistrer."))
            return
        api = self.ctx.api
        self.save_button.setEnabled(False)
        self.bar.info(self.tr("Enregistrement…"))

        def send() -> tuple[Profile, Notifications | None]:
            profile = api.update_me(**changes) if changes else api.me()
            chosen = api.choose_notifications(declined) if declined is not None else None
            return profile, chosen

        Op(self, send, latest="save").on_success(self._on_saved).on_failure(
            self._on_save_failed
        ).run(self.ctx.runner)

    def _on_saved(self, saved: tuple[Profile, Notifications | None]) -> None:
        profile, chosen = saved
        if chosen is not None:
            self.show_notifications(chosen)
        self.show_profile(profile)
        self.bar.success(self.tr("Votre profil est enregistré."))
        self.saved.emit(profile)

    def _on_save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        fields = field_messages(error)
        self.show_errors(fields)
        self.bar.error(message_for(error))
        for name in FIELDS:
            if name in fields:
                self._focus(name)
                break

    def _focus(self, name: str) -> None:
        widgets: dict[str, QWidget] = {
            "email": self.email,
            "administrative_residence": self.administrative.edit,
            "family_residence": self.family.edit,
            "fiscal_power": self.fiscal_power,
            "disability": self.disability,
            "iban": self.iban,
            "bic": self.bic,
            "account_holder": self.account_holder,
            "postal_address": self.postal_address,
            "nir": self.nir,
        }
        widgets[name].setFocus(Qt.FocusReason.OtherFocusReason)


def _insee(picker: CommunePicker) -> str | None:
    commune = picker.commune()
    return commune.insee if commune is not None else None


def _compact_nir(text: str) -> str:
    return "".join(c for c in text if c not in " .-").upper()


def _spaced_nir(number: str) -> str:
    """`1 84 12 80 021 451 60`, as on the carte Vitale."""
    n = _compact_nir(number)
    if len(n) != 15:
        return n
    return " ".join((n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]))
