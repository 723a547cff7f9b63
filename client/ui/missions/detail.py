"""One mission in detail, and what its status allows: declare it not performed, complete (or
consult) the expense statement, print the recap.

The page shows the convocation at once, then asks the server for the statement: its
permissions decide which buttons are offered, so the client never guesses the rules.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from client.api.models import Convocation, DecComment, Mission, PartPaymentInfo, Statement
from client.formatting import date_fr, deadline_fr, euros, long_date, time_fr
from client.recaps import write_recap
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.missions.dialogs import NotPerformedDialog
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


def convocation_from(convocation: Convocation, statement: Statement) -> Convocation:
    """The list row of a convocation, brought up to date with its statement."""
    return convocation.model_copy(
        update={
            "status": statement.status,
            "labels": statement.labels,
            "total": statement.computation.total,
            "mission": statement.mission,
            "payment_missing": statement.payment_missing,
        }
    )


class _Section(QWidget):
    """A titled block of "label: value" rows."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(18)
        self.form.setVerticalSpacing(6)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(app_style.section_title(title))
        layout.addLayout(self.form)
        self._values: dict[str, QLabel] = {}

    def add(self, key: str, label: str) -> QLabel:
        value = QLabel()
        # No word wrap: a wrapped label inside a scrolled two-column page gets its height
        # wrong and loses its second line.
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setTextFormat(Qt.TextFormat.PlainText)
        caption = QLabel(label)
        caption.setObjectName("hint")
        value.setAccessibleName(label.rstrip(" :"))
        self.form.addRow(caption, value)
        self._values[key] = value
        return value

    def set(self, key: str, text: str | None) -> None:
        value = self._values[key]
        value.setText(text or "—")
        self.form.setRowVisible(value, text is not None)

    def value(self, key: str) -> str:
        return self._values[key].text()


class _PaymentSection(_Section):
    """« Paiement – Indemnités »: where one part stands in payment, the facts known so far."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.add("status", self.tr("Statut :"))
        self.add("amount", self.tr("Montant :"))
        self.add("channel", self.tr("Versement :"))
        self.add("batch", self.tr("Lot créé le :"))
        self.add("execution", self.tr("Exécution prévue le :"))
        self.add("paid", self.tr("Payé le :"))
        self.add("reference", self.tr("Référence :"))
        self.add("rejected", self.tr("Rejeté le :"))
        self.add("rejection", self.tr("Motif du rejet :"))
        self.hide()

    def show_payment(self, payment: PartPaymentInfo | None) -> None:
        if payment is None:
            self.hide()
            return

        def day(value: dt.date | None) -> str | None:
            return None if value is None else date_fr(value)

        self.set("status", payment.status_label)
        self.set("amount", euros(payment.amount))
        self.set("channel", payment.channel_label)
        self.set("batch", day(payment.batch_created_on))
        self.set("execution", day(payment.execution_date))
        self.set("paid", day(payment.paid_on))
        self.set("reference", payment.reference)
        self.set("rejected", day(payment.rejected_on))
        self.set("rejection", payment.rejection_reason)
        self.show()


class MissionDetailPage(QWidget):
    """Signals:
    back_requested(): return to the list.
    edit_requested(object): open the statement editor on this `Statement`.
    convocation_changed(object): the mission's list row changed (a fresh `Convocation`).
    profile_requested(): open the person's profile (to give their financial file).
    """

    back_requested = Signal()
    profile_requested = Signal()
    edit_requested = Signal(object)
    convocation_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.convocation: Convocation | None = None
        self.statement: Statement | None = None
        self.not_performed_dialog: NotPerformedDialog | None = None
        self._recap: Path | None = None
        self._bar_action: str | None = None
        self.setProperty("helpTopic", "mission_detail")

        self.back_button = QPushButton(self.tr("← &Retour à la liste"))
        self.back_button.setToolTip(self.tr("Revenir à la liste des missions (Échap)"))
        self.back_button.clicked.connect(self.back_requested)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back_requested)
        self.title = app_style.page_title("")
        self.subtitle = app_style.page_subtitle("")
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self._on_bar_action)
        # What the person must give to be paid by transfer, with the way to give it.
        self.payment_bar = MessageBar()
        self.payment_bar.action_triggered.connect(self.profile_requested)
        # The DEC's last return reason or correction comment, in its own words.
        self.dec_bar = MessageBar()

        self.mission_section = _Section(self.tr("La mission"))
        self.mission_section.add("exam", self.tr("Examen :"))
        self.mission_section.add("speciality", self.tr("Spécialité :"))
        self.mission_section.add("type", self.tr("Type de mission :"))
        self.mission_section.add("paper", self.tr("Épreuve :"))
        self.mission_section.add("option", self.tr("Option :"))
        self.mission_section.add("session", self.tr("Session :"))
        self.place_section = _Section(self.tr("Le lieu"))
        self.place_section.add("centre", self.tr("Centre :"))
        self.place_section.add("address", self.tr("Adresse :"))
        self.place_section.add("commune", self.tr("Commune :"))
        self.when_section = _Section(self.tr("Dates et horaires"))
        self.when_section.add("dates", self.tr("Dates :"))
        self.when_section.add("hours", self.tr("Horaires :"))
        self.when_section.add("deadline", self.tr("Date limite de saisie :"))
        self.status_section = _Section(self.tr("Votre état de frais"))
        self.status_section.add("status", self.tr("Statut :"))
        self.status_section.add("pay", self.tr("Indemnités :"))
        self.status_section.add("travel", self.tr("Déplacement :"))
        self.status_section.add("amount", self.tr("Montant :"))
        self.payment_sections = {
            "PAY": _PaymentSection(self.tr("Paiement – Indemnités")),
            "TRAVEL": _PaymentSection(self.tr("Paiement – Frais de déplacement")),
        }
        # The reason of a return may run to several lines: below both columns, wrapped, rather
        # than in a form row that would widen the page past the window.
        self.reason = QLabel()
        self.reason.setObjectName("statementReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setAccessibleName(self.tr("Motif"))
        self.reason.setStyleSheet(
            "#statementReason { background: #fff4e5; color: #8a5300; border: 1px solid #8a5300;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.reason.hide()

        self.not_performed_button = QPushButton(self.tr("Je &n'ai pas effectué cette mission"))
        self.not_performed_button.clicked.connect(self.declare_not_performed)
        self.edit_button = QPushButton(self.tr("&Compléter mon état de frais"))
        self.edit_button.setDefault(True)
        self.edit_button.setAutoDefault(True)
        self.edit_button.clicked.connect(self._edit)
        self.print_button = QPushButton(self.tr("&Imprimer le récapitulatif"))
        self.print_button.clicked.connect(self.print_recap)
        for button, topic in (
            (self.not_performed_button, "mission_detail.not_performed"),
            (self.edit_button, "mission_detail.complete"),
            (self.print_button, "mission_detail.print"),
        ):
            button.setProperty("helpTopic", topic)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        actions.addWidget(self.not_performed_button)
        self.actions_hint = app_style.hint()

        columns = QHBoxLayout()
        columns.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(22)
        left.addWidget(self.mission_section)
        left.addWidget(self.place_section)
        left.addWidget(self.when_section)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(22)
        right.addWidget(self.status_section)
        for section in self.payment_sections.values():
            right.addWidget(section)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(22)
        body_layout.addLayout(columns)
        body_layout.addWidget(self.reason)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.bar)
        layout.addWidget(self.dec_bar)
        layout.addWidget(self.payment_bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.actions_hint)
        layout.addLayout(actions)

        self.setTabOrder(self.back_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.print_button)
        self.setTabOrder(self.print_button, self.not_performed_button)

    # --- showing --------------------------------------------------------------------------

    def show_convocation(self, convocation: Convocation) -> None:
        """Shows the mission at once, then fetches its statement for the actions."""
        self.convocation = convocation
        self.statement = None
        self._bar_action = None
        self.bar.hide()
        self._show_mission(convocation.mission)
        self._show_status(
            convocation.labels.intervenant,
            convocation.labels.pay,
            convocation.labels.travel,
            euros(convocation.total),
            None,
        )
        self._show_payment_missing(convocation.payment_missing)
        self._show_payments([])
        self._show_dec_comment(None)
        self._set_actions(None)
        self.actions_hint.setText(self.tr("Chargement de votre état de frais…"))
        self.load_statement()

    def load_statement(self) -> None:
        if self.convocation is None:
            return
        api, statement_id = self.ctx.api, self.convocation.statement_id
        Op(self, lambda: api.statement(statement_id), latest="statement").on_success(
            self.set_statement
        ).on_failure(self._on_load_failed).run(self.ctx.runner)

    def set_statement(self, statement: Statement) -> None:
        """The statement as the server has it now (also after the editor saved it)."""
        if self.convocation is not None and statement.id != self.convocation.statement_id:
            return
        self.statement = statement
        self._show_mission(statement.mission)
        self._show_status(
            statement.labels.intervenant,
            statement.labels.pay,
            statement.labels.travel,
            euros(statement.computation.total),
            # A return reason is the DEC's comment, shown above: not twice.
            None
            if statement.dec_comment is not None and statement.reason == statement.dec_comment.text
            else statement.reason,
        )
        self._show_payment_missing(statement.payment_missing)
        self._show_payments(statement.payments)
        self._show_dec_comment(statement.dec_comment)
        self._set_actions(statement)
        if self.convocation is not None:
            fresh = convocation_from(self.convocation, statement)
            if fresh != self.convocation:
                self.convocation = fresh
                self.convocation_changed.emit(fresh)

    def _on_load_failed(self, error: BaseException) -> None:
        self.actions_hint.setText("")
        self._bar_action = "reload"
        self.bar.error(message_for(error), self.tr("Réessayer"))

    def _show_mission(self, mission: Mission) -> None:
        heading = mission.paper or mission.exam or mission.session
        self.title.setText(self.tr("{type} – {what}").format(type=mission.type_label, what=heading))
        self.title.setAccessibleName(self.title.text())
        self.subtitle.setText(mission.session)
        m = self.mission_section
        m.set("exam", mission.exam)
        m.set("speciality", mission.speciality)
        m.set("type", mission.type_label)
        paper: str | None
        if mission.paper_code and mission.paper:
            paper = self.tr("{code} – {name}").format(code=mission.paper_code, name=mission.paper)
        else:
            paper = mission.paper or mission.paper_code
        m.set("paper", paper)
        m.set("option", self.tr("Épreuve facultative") if mission.optional_oral else None)
        m.set("session", mission.session)
        p = self.place_section
        p.set("centre", mission.centre)
        p.set("address", mission.centre_address or None)
        p.set("commune", mission.commune)
        w = self.when_section
        if mission.start_date == mission.end_date:
            dates = self.tr("le {0}").format(long_date(mission.start_date))
        else:
            dates = self.tr("du {0} au {1}").format(
                long_date(mission.start_date), long_date(mission.end_date)
            )
        w.set("dates", dates)
        w.set(
            "hours",
            self.tr("de {0} à {1}").format(time_fr(mission.start_time), time_fr(mission.end_time)),
        )
        deadline = None
        if mission.entry_deadline is not None and mission.days_left is not None:
            deadline = deadline_fr(mission.entry_deadline, mission.days_left)
        w.set("deadline", deadline)

    def _show_payment_missing(self, missing: str | None) -> None:
        if missing:
            self.payment_bar.warning(missing, self.tr("Ouvrir « &Mon profil »"))
        else:
            self.payment_bar.hide()

    def _show_payments(self, payments: list[PartPaymentInfo]) -> None:
        by_part = {p.part: p for p in payments}
        for part, section in self.payment_sections.items():
            section.show_payment(by_part.get(part))

    def _show_dec_comment(self, comment: DecComment | None) -> None:
        if comment is None:
            self.dec_bar.hide()
            return
        self.dec_bar.info(
            self.tr("Message du gestionnaire (le {day}) : {text}").format(
                day=date_fr(comment.at.astimezone().date()), text=comment.text
            )
        )
        self.dec_bar.setToolTip(comment.label)

    def _show_status(
        self, status: str, pay: str, travel: str, amount: str, reason: str | None
    ) -> None:
        s = self.status_section
        s.set("status", status)
        s.set("pay", pay)
        s.set("travel", travel)
        s.set("amount", amount)
        self.reason.setText(self.tr("Motif : {reason}").format(reason=reason or ""))
        self.reason.setVisible(bool(reason))

    def _set_actions(self, statement: Statement | None) -> None:
        if statement is None:
            for button in (self.not_performed_button, self.edit_button, self.print_button):
                button.setEnabled(False)
            return
        permissions = statement.permissions
        self.not_performed_button.setEnabled(permissions.declare_not_performed)
        self.not_performed_button.setVisible(permissions.declare_not_performed)
        self.edit_button.setEnabled(True)
        if permissions.edit:
            self.edit_button.setText(self.tr("&Compléter mon état de frais"))
            self.actions_hint.setText(
                self.tr(
                    "Vous avez effectué la mission : vous allez être guidé(e) pour compléter "
                    "votre état de frais."
                )
            )
        else:
            self.edit_button.setText(self.tr("&Consulter mon état de frais"))
            self.actions_hint.setText(
                self.tr("Cet état de frais ne peut plus être modifié : vous pouvez le consulter.")
            )
        self.print_button.setEnabled(True)

    # --- actions --------------------------------------------------------------------------

    def _edit(self) -> None:
        if self.statement is not None:
            self.edit_requested.emit(self.statement)

    def declare_not_performed(self) -> None:
        statement, convocation = self.statement, self.convocation
        if statement is None or convocation is None:
            return
        dialog = NotPerformedDialog(convocation, self)
        self.not_performed_dialog = dialog
        # A bound method, not a closure over `dialog` (see LoginPage._ask_new_password).
        dialog.finished.connect(self._on_not_performed_finished)
        dialog.open()

    def _on_not_performed_finished(self, result: int) -> None:
        dialog, self.not_performed_dialog = self.not_performed_dialog, None
        statement = self.statement
        if dialog is None:
            return
        reason = dialog.reason_text()
        dialog.deleteLater()
        if result != NotPerformedDialog.DialogCode.Accepted or statement is None:
            return
        api = self.ctx.api
        self.not_performed_button.setEnabled(False)
        Op(
            self,
            lambda: api.declare_not_performed(statement.id, statement.version, reason),
            latest="action",
        ).on_success(self._on_declared).on_failure(self._on_action_failed).run(self.ctx.runner)

    def _on_declared(self, statement: Statement) -> None:
        self.set_statement(statement)
        self._bar_action = None
        self.bar.success(
            self.tr(
                "Le service gestionnaire est informé que vous n'avez pas effectué cette mission."
            )
        )

    def _on_action_failed(self, error: BaseException) -> None:
        self._bar_action = None
        self.bar.error(message_for(error))
        # The statement may have moved on (validated elsewhere): show what is true now.
        self.load_statement()

    def print_recap(self) -> None:
        statement = self.statement
        if statement is None:
            return
        folder = self.ctx.recaps_folder()
        self.print_button.setEnabled(False)
        self._bar_action = None
        self.bar.info(self.tr("Préparation du récapitulatif…"))
        Op(self, lambda: write_recap(statement, folder), latest="recap").on_success(
            self._on_recap_written
        ).on_failure(self._on_recap_failed).run(self.ctx.runner)

    def _on_recap_written(self, path: Path) -> None:
        self.print_button.setEnabled(True)
        self._recap = path
        if self.ctx.open_url(QUrl.fromLocalFile(str(path))):
            self.bar.success(
                self.tr("Le récapitulatif est ouvert ; il est enregistré dans {0}.").format(path)
            )
        else:
            self._bar_action = "show-folder"
            self.bar.warning(
                self.tr(
                    "Le récapitulatif est enregistré dans {0}, mais aucun lecteur de PDF n'a pu "
                    "l'ouvrir."
                ).format(path),
                self.tr("Afficher le dossier"),
            )

    def _on_recap_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.bar.error(message_for(error))

    def _on_bar_action(self) -> None:
        action, self._bar_action = self._bar_action, None
        if action == "reload":
            self.bar.hide()
            self.load_statement()
        elif action == "show-folder" and self._recap is not None:
            self.ctx.open_url(QUrl.fromLocalFile(str(self._recap.parent)))
