"""Bureaux: how each office of the DEC works: whether the service must be recorded (constat de
service fait) and the supporting documents received before a statement is approved. Each change
is audited by the server."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.admin import AdminApi
from client.api.admin_models import OfficeSettings, OfficeSettingsIn
from client.formatting import date_fr, time_fr
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView


def _yes_no(value: bool) -> str:
    return "Exigé" if value else "Facultatif"


def _changed(row: OfficeSettings) -> str:
    if row.updated_at is None:
        return "—"
    at = row.updated_at.astimezone() if row.updated_at.tzinfo else row.updated_at
    when = f"{date_fr(at.date())} {time_fr(at.time())}"
    return f"{when} ({row.updated_by})" if row.updated_by else when


class OfficesPage(QWidget):
    """Signals:
    loaded(): the offices' rules arrived and are shown.
    saved(object): an office's rules were changed (the `OfficeSettings` answered).
    """

    loaded = Signal()
    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = AdminApi(ctx.api)
        self.setProperty("helpTopic", "admin.offices")
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)
        self.model: RowsModel[OfficeSettings] = RowsModel(
            [
                Column(self.tr("Bureau"), lambda r: r.office),
                Column(
                    self.tr("Service fait"), lambda r: self.tr(_yes_no(r.service_done_required))
                ),
                Column(
                    self.tr("Pièces justificatives"),
                    lambda r: self.tr(_yes_no(r.documents_required)),
                ),
                Column(self.tr("Dernière modification"), _changed),
            ],
            parent=self,
        )
        self.view = RowsView(self.tr("Bureaux de la DEC"))
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.editing = app_style.section_title("")
        self.service_done = QCheckBox(
            self.tr("Le service fait doit être &constaté avant la validation")
        )
        self.service_done.setAccessibleName(self.tr("Service fait exigé avant la validation"))
        self.documents = QCheckBox(
            self.tr("Les &pièces justificatives doivent être reçues avant la validation")
        )
        self.documents.setAccessibleName(self.tr("Pièces justificatives exigées"))
        self.explain = app_style.hint(
            self.tr(
                "Quand une règle est exigée, un état de frais qui ne la respecte pas porte une "
                "anomalie dans la file de la DEC et ne peut pas être validé."
            )
        )
        self.save_error = app_style.field_error()
        self.save_button = QPushButton(self.tr("&Enregistrer les règles du bureau"))
        self.save_button.clicked.connect(self.save)
        for box in (self.service_done, self.documents):
            box.toggled.connect(lambda _c: self._update_save())
        editor = QVBoxLayout()
        editor.addWidget(self.editing)
        editor.addWidget(self.service_done)
        editor.addWidget(self.documents)
        editor.addWidget(self.explain)
        row = QHBoxLayout()
        row.addWidget(self.save_error, 1)
        row.addStretch(1)
        row.addWidget(self.save_button)
        editor.addLayout(row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(editor)
        self._show_selected()

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        api = self.api

        def work() -> list[OfficeSettings]:
            return [api.office_settings(office) for office in api.offices()]

        Op(self, work, bar=self.bar, latest="offices").on_success(self.show_offices).run(
            self.ctx.runner
        )

    def show_offices(self, rows: list[OfficeSettings]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        self.view.fit_columns()
        names = [r.office for r in rows]
        if rows:
            self.view.selectRow(
                names.index(chosen.office) if chosen and chosen.office in names else 0
            )
        self._show_selected()
        self.loaded.emit()

    def selected(self) -> OfficeSettings | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        row = self.selected()
        for widget in (self.service_done, self.documents):
            widget.setEnabled(row is not None)
            widget.blockSignals(True)
        self.service_done.setChecked(bool(row and row.service_done_required))
        self.documents.setChecked(bool(row and row.documents_required))
        for widget in (self.service_done, self.documents):
            widget.blockSignals(False)
        self.editing.setText(
            self.tr("Règles du bureau {office}").format(office=row.office)
            if row is not None
            else self.tr("Sélectionnez un bureau")
        )
        app_style.show_field_error(self.save_error, None)
        self._update_save()

    def _update_save(self) -> None:
        row = self.selected()
        self.save_button.setEnabled(
            row is not None
            and (
                self.service_done.isChecked() != row.service_done_required
                or self.documents.isChecked() != row.documents_required
            )
        )

    def save(self) -> None:
        row = self.selected()
        if row is None:
            return
        body = OfficeSettingsIn(
            service_done_required=self.service_done.isChecked(),
            documents_required=self.documents.isChecked(),
        )
        api, office = self.api, row.office
        Op(self, lambda: api.change_office_settings(office, body)).on_success(
            self._saved
        ).on_failure(
            lambda error: app_style.show_field_error(self.save_error, message_for(error))
        ).run(self.ctx.runner)

    def _saved(self, row: OfficeSettings) -> None:
        self.bar.success(
            self.tr("Règles du bureau {office} enregistrées.").format(office=row.office)
        )
        self.saved.emit(row)
        self.refresh()
