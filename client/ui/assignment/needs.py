"""The DEC's needs of a session: copies to correct in lots, oral commissions, meetings, each at
one centre on one half-day; created, changed and deleted here."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import CentreRef, Need, NeedIn, NeedKind, NeedPatch, PaperChoice
from client.api.models import HalfDay
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api
from client.ui.context import AppContext
from client.ui.errors import field_messages, message_for
from client.ui.models.assignment_tables import need_columns
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


DEFAULT_LOT_SIZE = 50  # estimation.toml's default, shown as a starting value


class NeedDialog(QDialog):
    """Creates a need, or changes one (`need` given: kind, paper and centre are fixed).

    Signals:
        saved(Need): the server stored the need.
    """

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        session_id: int,
        papers: list[PaperChoice],
        centres: list[CentreRef],
        need: Need | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = assignment_api(ctx)
        self.session_id = session_id
        self.need = need
        self.setWindowTitle(
            self.tr("Nouveau besoin") if need is None else self.tr("Modifier le besoin")
        )
        layout = QVBoxLayout(self)
        self.bar = MessageBar()
        layout.addWidget(self.bar)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Correction de copies (lots)"), NeedKind.CORRECTION)
        self.kind.addItem(self.tr("Oral (commissions d'examinateurs)"), NeedKind.ORAL)
        self.kind.addItem(self.tr("Réunion ou harmonisation"), NeedKind.MEETING)
        self.paper = QComboBox()
        for paper in papers:
            self.paper.addItem(f"{paper.code} – {paper.name} ({paper.exam_name})", paper.id)
        self.centre = QComboBox()
        for centre in centres:
            self.centre.addItem(centre.name, centre.id)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate.currentDate())
        self.half_day = QComboBox()
        self.half_day.addItem(self.tr("matin"), HalfDay.MORNING)
        self.half_day.addItem(self.tr("après-midi"), HalfDay.AFTERNOON)
        self.copies = self._spin(1, 100_000, 100, self.tr("Nombre de copies"))
        self.lot_size = self._spin(1, 2000, DEFAULT_LOT_SIZE, self.tr("Taille des lots"))
        self.lot_size.setPrefix(self.tr("lots de "))
        self.lot_size.setSuffix(self.tr(" copies"))
        self.end_date = QDateEdit()
        self.end_date.setCalendarPopup(True)
        self.end_date.setDisplayFormat("dd/MM/yyyy")
        self.end_date.setAccessibleName(self.tr("Date de retour des copies"))
        self.has_end_date = QCheckBox(self.tr("Retour des copies le :"))
        self.has_end_date.toggled.connect(self.end_date.setEnabled)
        self.end_date.setEnabled(False)
        self.end_date.setDate(self.day.date())
        self.day.dateChanged.connect(self._follow_day)
        self.commissions = self._spin(1, 500, 1, self.tr("Nombre de commissions"))
        self.seats = self._spin(1, 200, 2, self.tr("Personnes par commission ou participants"))
        self.meeting_type = QComboBox()
        self.meeting_type.addItem(self.tr("Réunion"), "REUNION")
        self.meeting_type.addItem(self.tr("Harmonisation"), "HARMONISATION")
        self.travel = QCheckBox(self.tr("Frais de déplacement &remboursés"))
        self.travel.setChecked(True)
        self.label = QLineEdit()
        self.label.setMaxLength(200)
        self.label.setPlaceholderText(self.tr("facultatif"))
        self.errors: dict[str, QLabel] = {}
        rows: list[tuple[str, QWidget, str]] = [
            (self.tr("&Nature :"), self.kind, "kind"),
            (self.tr("É&preuve :"), self.paper, "paper_id"),
            (self.tr("&Centre :"), self.centre, "centre_id"),
            (self.tr("&Jour :"), self.day, "day"),
            (self.tr("&Demi-journée :"), self.half_day, "half_day"),
            (self.tr("C&opies :"), self.copies, "copies"),
            (self.tr("&Taille des lots :"), self.lot_size, "lot_size"),
            ("", self._pair(self.has_end_date, self.end_date), "end_date"),
            (self.tr("Co&mmissions :"), self.commissions, "commissions"),
            (self.tr("&Places :"), self.seats, "seats"),
            (self.tr("&Type de réunion :"), self.meeting_type, "meeting_type"),
            ("", self.travel, "travel_reimbursable"),
            (self.tr("&Intitulé :"), self.label, "label"),
        ]
        self._rows: dict[str, tuple[QLabel | None, QWidget]] = {}
        for text, widget, name in rows:
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            error = app_style.field_error()
            column.addWidget(error)
            self.errors[name] = error
            if text:
                label = QLabel(text)
                label.setBuddy(widget)
                widget.setAccessibleName(text.replace("&", "").rstrip(" :"))
                form.addRow(label, holder)
                self._rows[name] = (label, holder)
            else:
                form.addRow(holder)
                self._rows[name] = (None, holder)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Enregistrer"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._show_kind_fields)
        if need is not None:
            self._fill(need)
        self._show_kind_fields()
        self.resize(560, 0)

    def _follow_day(self, day: QDate) -> None:
        if not self.has_end_date.isChecked() or self.end_date.date() < day:
            self.end_date.setDate(day)

    @staticmethod
    def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setGroupSeparatorShown(True)
        spin.setAccessibleName(name)
        return spin

    @staticmethod
    def _pair(first: QWidget, second: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first)
        row.addWidget(second)
        row.addStretch(1)
        return holder

    def _fill(self, need: Need) -> None:
        self.kind.setCurrentIndex(self.kind.findData(need.kind))
        self.paper.setCurrentIndex(max(0, self.paper.findData(need.paper_id)))
        if self.paper.findData(need.paper_id) < 0:
            self.paper.addItem(need.paper_code, need.paper_id)
            self.paper.setCurrentIndex(self.paper.count() - 1)
        if self.centre.findData(need.centre_id) < 0:
            self.centre.addItem(need.centre_name, need.centre_id)
        self.centre.setCurrentIndex(self.centre.findData(need.centre_id))
        for fixed in (self.kind, self.paper, self.centre, self.meeting_type):
            fixed.setEnabled(False)
        self.day.setDate(_qdate(need.day))
        self.half_day.setCurrentIndex(self.half_day.findData(need.half_day))
        if need.copies is not None:
            self.copies.setValue(need.copies)
        if need.lot_size is not None:
            self.lot_size.setValue(need.lot_size)
        if need.end_date is not None:
            self.has_end_date.setChecked(True)
            self.end_date.setDate(_qdate(need.end_date))
        if need.commissions is not None:
            self.commissions.setValue(need.commissions)
        self.seats.setValue(need.seats)
        if need.meeting_type:
            self.meeting_type.setCurrentIndex(max(0, self.meeting_type.findData(need.meeting_type)))
        self.travel.setChecked(need.travel_reimbursable)
        self.label.setText(need.label or "")

    def _show_kind_fields(self) -> None:
        kind = NeedKind(self.kind.currentData())
        shown = {
            "copies": kind is NeedKind.CORRECTION,
            "lot_size": kind is NeedKind.CORRECTION,
            "end_date": kind is NeedKind.CORRECTION,
            "commissions": kind is NeedKind.ORAL,
            "seats": kind is not NeedKind.CORRECTION,
            "meeting_type": kind is NeedKind.MEETING,
        }
        for name, visible in shown.items():
            label, holder = self._rows[name]
            holder.setVisible(visible)
            if label is not None:
                label.setVisible(visible)
        if kind is NeedKind.ORAL and self.need is None:
            self.seats.setValue(2)
        label, _ = self._rows["seats"]
        if label is not None:
            label.setText(
                self.tr("&Examinateurs par commission :")
                if kind is NeedKind.ORAL
                else self.tr("&Participants :")
            )

    # --- saving ---------------------------------------------------------------------------

    def body(self) -> NeedIn:
        kind = NeedKind(self.kind.currentData())
        correction = kind is NeedKind.CORRECTION
        return NeedIn(
            kind=kind,
            paper_id=self.paper.currentData(),
            centre_id=self.centre.currentData(),
            day=self.day.date().toPython(),
            half_day=HalfDay(self.half_day.currentData()),
            end_date=self._end_date(),
            copies=self.copies.value() if correction else None,
            lot_size=self.lot_size.value() if correction else None,
            commissions=self.commissions.value() if kind is NeedKind.ORAL else None,
            seats=None if correction else self.seats.value(),
            meeting_type=self.meeting_type.currentData() if kind is NeedKind.MEETING else None,
            travel_reimbursable=self.travel.isChecked(),
            label=self.label.text().strip() or None,
        )

    def _end_date(self) -> dt.date | None:
        if (
            NeedKind(self.kind.currentData()) is not NeedKind.CORRECTION
            or not self.has_end_date.isChecked()
        ):
            return None
        chosen = self.end_date.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def changes(self, need: Need) -> NeedPatch:
        """The fields that differ from the stored need (only they are sent)."""
        wanted = self.body()
        patch = NeedPatch()
        for name in ("day", "half_day", "copies", "lot_size", "commissions", "end_date"):
            value = getattr(wanted, name)
            if value is not None and value != getattr(need, name):
                setattr(patch, name, value)
        if need.kind is not NeedKind.CORRECTION and wanted.seats != need.seats:
            patch.seats = wanted.seats
        if wanted.travel_reimbursable != need.travel_reimbursable:
            patch.travel_reimbursable = wanted.travel_reimbursable
        if (wanted.label or None) != (need.label or None):
            patch.label = wanted.label or ""
        return patch

    def save(self) -> None:
        if self.paper.currentData() is None or self.centre.currentData() is None:
            self.bar.error(self.tr("Choisissez une épreuve et un centre."))
            return
        for label in self.errors.values():
            app_style.show_field_error(label, None)
        self.save_button.setEnabled(False)
        api, session_id, need = self.api, self.session_id, self.need
        if need is None:
            body = self.body()

            def work() -> Need:
                return api.create_need(session_id, body)
        else:
            patch = self.changes(need)
            if not patch.model_fields_set:
                self.reject()
                return

            def work() -> Need:
                return api.update_need(need.id, patch)

        Op(self, work, latest="need-save").on_success(self._saved).on_failure(self._failed).run(
            self.ctx.runner
        )

    def _saved(self, need: Need) -> None:
        self.saved.emit(need)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        unplaced: list[str] = []
        for path, text in field_messages(error).items():
            name = path.split(".")[-1]
            if name in self.errors:
                app_style.show_field_error(self.errors[name], text)
            else:
                unplaced.append(text)
        self.bar.error(" ".join(unplaced) or message_for(error))


class NeedsTab(QWidget):
    """Signals:
    loaded(): the needs of the session were read.
    changed(): a need was created, changed or deleted (proposals may have been dropped).
    """

    loaded = Signal()
    changed = Signal()

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "assignment.needs")
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self.papers: list[PaperChoice] = []
        self.centres: list[CentreRef] = []
        self.dialog: NeedDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(
            app_style.hint(
                self.tr(
                    "Chaque besoin se tient dans un centre, sur une demi-journée : copies à "
                    "corriger en lots, commissions d'oral ou réunion."
                )
            ),
            1,
        )
        search_label = QLabel(self.tr("Rec&hercher :"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Rechercher un besoin"))
        search_label.setBuddy(self.search)
        top.addWidget(search_label)
        top.addWidget(self.search)
        layout.addLayout(top)
        self.table = Table(need_columns(), name=self.tr("Besoins de la session"), stretch=2)
        self.search.textChanged.connect(self.table.proxy.set_search)
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.view.doubleClicked.connect(lambda _: self.edit_selected())
        layout.addWidget(self.table.view, 1)
        buttons = QHBoxLayout()
        self.summary = app_style.hint()
        buttons.addWidget(self.summary, 1)
        self.new_button = QPushButton(self.tr("&Nouveau besoin…"))
        self.new_button.clicked.connect(self.new_need)
        self.edit_button = QPushButton(self.tr("&Modifier…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("&Supprimer"))
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            self.table.set_rows([])
            return
        api = self.api

        def work() -> tuple[list[Need], list[PaperChoice], list[CentreRef]]:
            return api.needs(session_id), api.papers(session_id), api.centres()

        Op(self, work, bar=self.bar, latest="needs").on_success(self._on_loaded).run(
            self.ctx.runner
        )

    def _on_loaded(self, loaded: tuple[list[Need], list[PaperChoice], list[CentreRef]]) -> None:
        needs, self.papers, self.centres = loaded
        self._show(needs)
        self.loaded.emit()

    def _show(self, needs: list[Need]) -> None:
        self.table.set_rows(needs)
        people = sum(n.required for n in needs)
        self.summary.setText(
            self.tr("{needs} besoin(s), {people} personne(s) à convoquer en tout.").format(
                needs=len(needs), people=people
            )
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        need = self.table.current()
        self.new_button.setEnabled(self.session_id is not None)
        editable = need is not None and need.mission_id is None
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    def new_need(self) -> NeedDialog | None:
        return self._open_dialog(None)

    def edit_selected(self) -> NeedDialog | None:
        need = self.table.current()
        if need is None:
            return None
        if need.mission_id is not None:
            self.bar.info(self.tr("Ce besoin est déjà convoqué : il ne peut plus être modifié."))
            return None
        return self._open_dialog(need)

    def _open_dialog(self, need: Need | None) -> NeedDialog | None:
        if self.session_id is None:
            return None
        if not self.papers or not self.centres:
            self.bar.warning(
                self.tr(
                    "Aucune épreuve ou aucun centre n'est défini pour cette session : "
                    "créez-les d'abord dans le référentiel."
                )
            )
            return None
        dialog = NeedDialog(self.ctx, self.session_id, self.papers, self.centres, need, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_saved)
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_saved(self, need: Need) -> None:
        rows = self.table.model.rows()
        known = any(n.id == need.id for n in rows)
        rows = [need if n.id == need.id else n for n in rows] if known else [*rows, need]
        self._show(rows)
        self.table.select_where(lambda n: n.id == need.id)
        self.bar.success(
            self.tr("Besoin enregistré : {title}, {slot}.").format(title=need.title, slot=need.slot)
        )
        self.changed.emit()

    def delete_selected(self, confirmed: bool = False) -> None:
        need = self.table.current()
        if need is None:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                self.tr("Supprimer le besoin"),
                self.tr("Supprimer le besoin « {title} », {slot}, et ses propositions ?").format(
                    title=need.title, slot=need.slot
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        api = self.api

        def done(_: object) -> None:
            self._show([n for n in self.table.model.rows() if n.id != need.id])
            self.bar.success(self.tr("Besoin supprimé : {title}.").format(title=need.title))
            self.changed.emit()

        Op(self, lambda: api.delete_need(need.id), bar=self.bar, latest="need-delete").on_success(
            done
        ).run(self.ctx.runner)
