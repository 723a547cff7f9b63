"""Tarifs: every dated version of every tariff file with its legal source and its values, and a
new version effective from a day. The new version's statements are previewed before it is
added (those not yet validated whose total it changes, with their old and new totals); the
server computes them again when it is added, never a validated one. Each addition is audited."""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from client.api.admin import AdminApi
from client.api.admin_models import (
    StatementChange,
    TariffAdded,
    TariffFile,
    TariffPreview,
    TariffVersion,
    TariffVersionIn,
)
from client.formatting import date_fr, euros, plural
from client.tariff_fields import Field, Kind, field_for, fields_of, values_of
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.errors import field_messages, message_for
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


def _until(version: TariffVersion) -> str:
    return date_fr(version.valid_to) if version.valid_to else "—"


def values_text(version: TariffVersion, labels: dict[str, str]) -> str:
    """A version's values one a line, in words."""
    lines = [f"{f.label} : {_value_text(f)}" for f in fields_of(version.values, labels)]
    return "\n".join(lines)


def _value_text(field: Field) -> str:
    if field.kind is Kind.FLAG:
        return "oui" if field.value else "non"
    return str(field.value) or "—"


class TariffVersionDialog(QDialog):
    """A new version of `file`: its first day, its source and its values, filled with those of
    the version in force. « Aperçu » asks what it would change; « Ajouter » is offered once the
    preview of what is typed is shown. The dialog does not close itself: the page sends what it
    emits and closes it once the server agreed, or shows the refusal beside the fields.

    Signals:
    preview_requested(object): a `TariffVersionIn` to preview.
    submitted(object): a `TariffVersionIn` to add (its preview shown).
    """

    preview_requested = Signal(object)
    submitted = Signal(object)

    def __init__(self, file: TariffFile, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.setWindowTitle(self.tr("Nouvelle version : {title}").format(title=file.title))
        self.setProperty("helpTopic", "admin.tariff_version")
        self.setMinimumSize(860, 640)
        last = file.last
        self.bar = MessageBar()
        intro = app_style.hint(
            self.tr(
                "Version en vigueur : {version}, depuis le {day}. La nouvelle version s'applique "
                "à partir du jour choisi ; la version en vigueur prend fin la veille. Les valeurs "
                "proposées sont celles de la version en vigueur."
            ).format(version=last.version, day=date_fr(last.valid_from))
        )
        self.valid_from = QDateEdit()
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat("dd/MM/yyyy")
        first = max(today, last.valid_from + dt.timedelta(days=1))
        self.valid_from.setDate(QDate(first.year, first.month, first.day))
        self.valid_from.setAccessibleName(self.tr("En vigueur à partir du"))
        self.source = QLineEdit()
        self.source.setMaxLength(400)
        self.source.setPlaceholderText(self.tr("Ex. : Arrêté du … (JORF du …), art. …"))
        self.source.setAccessibleName(self.tr("Source (texte officiel)"))
        self.errors: dict[str, QLabel] = {}
        head = QFormLayout()
        self._add_row(head, self.tr("En &vigueur à partir du :"), "valid_from", self.valid_from)
        self._add_row(head, self.tr("&Source (texte officiel) :"), "source", self.source)

        self.fields = fields_of(last.values, file.labels)
        self.inputs: dict[Field, QLineEdit | QCheckBox] = {}
        values_form = QFormLayout()
        for field in self.fields:
            widget: QLineEdit | QCheckBox
            if field.kind is Kind.FLAG:
                widget = QCheckBox()
                widget.setChecked(bool(field.value))
                widget.toggled.connect(lambda _c: self._touched())
            else:
                widget = QLineEdit(str(field.value))
                widget.setMaxLength(2000)
                widget.textEdited.connect(lambda _t: self._touched())
            widget.setAccessibleName(field.label)
            self.inputs[field] = widget
            self._add_row(values_form, f"{field.label} :", field.name, widget, key=field)
        holder = QWidget()
        holder.setLayout(values_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setAccessibleName(self.tr("Valeurs de la nouvelle version"))

        self.preview_title = app_style.section_title(self.tr("Aperçu des états de frais"))
        self.preview_text = app_style.hint(
            self.tr("L'aperçu montre les états de frais que la nouvelle version changerait.")
        )
        self.changes: RowsModel[StatementChange] = RowsModel(
            [
                Column(self.tr("N°"), lambda c: str(c.statement_id), numeric=True),
                Column(self.tr("Intervenant"), lambda c: c.person),
                Column(self.tr("Mission"), lambda c: c.mission),
                Column(
                    self.tr("Début"), lambda c: date_fr(c.start_date), sort=lambda c: c.start_date
                ),
                Column(self.tr("Statut"), lambda c: c.status),
                Column(self.tr("Total actuel"), lambda c: euros(c.old_total), numeric=True),
                Column(self.tr("Nouveau total"), lambda c: euros(c.new_total), numeric=True),
            ],
            parent=self,
        )
        self.changes_view = RowsView(self.tr("États de frais changés"))
        self.changes_view.setModel(self.changes)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.preview_title)
        below_layout.addWidget(self.preview_text)
        below_layout.addWidget(self.changes_view, 1)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton(
            self.tr("&Aperçu des changements"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.add_button = buttons.addButton(
            self.tr("A&jouter la version"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.on_preview)
        buttons.accepted.connect(self.on_submit)
        buttons.rejected.connect(self.reject)
        self.valid_from.dateChanged.connect(lambda _d: self._touched())
        self.source.textEdited.connect(lambda _t: self._touched())

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(intro)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.previewed: TariffPreview | None = None
        self._touched()
        self.source.setFocus()

    def _add_row(
        self,
        form: QFormLayout,
        text: str,
        name: str,
        widget: QWidget,
        key: Field | None = None,
    ) -> None:
        error = app_style.field_error()
        self.errors[name if key is None else f"{name}#{id(key)}"] = error
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        cell = QWidget()
        cell.setLayout(column)
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, cell)

    def error_label(self, field: Field) -> QLabel:
        return self.errors[f"{field.name}#{id(field)}"]

    # --- what is typed --------------------------------------------------------------------

    def body(self) -> TariffVersionIn:
        entries: list[tuple[Field, str | bool]] = []
        for field, widget in self.inputs.items():
            typed = widget.isChecked() if isinstance(widget, QCheckBox) else widget.text()
            entries.append((field, typed))
        return TariffVersionIn(
            valid_from=_day(self.valid_from),
            source=self.source.text().strip(),
            values=values_of(entries),
        )

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.source.text().strip():
            found["source"] = self.tr("Indiquez le texte officiel qui fixe ces valeurs.")
        last = self.file.last.valid_from
        if _day(self.valid_from) <= last:
            found["valid_from"] = self.tr(
                "La nouvelle version doit prendre effet après le {day}."
            ).format(day=date_fr(last))
        return found

    def _touched(self) -> None:
        """What is typed changed: the preview shown no longer describes it."""
        self.previewed = None
        self.add_button.setEnabled(False)
        if self.changes.rowCount():
            self.changes.set_rows([])
            self.preview_text.setText(
                self.tr("Les valeurs ont changé : demandez un nouvel aperçu avant d'ajouter.")
            )

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message beside its field; those of no field above the form."""
        for label in self.errors.values():
            app_style.show_field_error(label, None)
        elsewhere = []
        first: QWidget | None = None
        for name, message in problems.items():
            if name in ("valid_from", "source"):
                app_style.show_field_error(self.errors[name], message)
                widget: QWidget = self.valid_from if name == "valid_from" else self.source
            else:
                field = field_for(name, self.fields)
                if field is None:
                    elsewhere.append(message)
                    continue
                app_style.show_field_error(self.error_label(field), message)
                widget = self.inputs[field]
            first = first or widget
        if elsewhere:
            self.bar.error(" ".join(elsewhere))
        if first is not None:
            first.setFocus()

    def show_error(self, error: BaseException) -> None:
        """The server's refusal: beside its fields when it names them, above them otherwise."""
        fields = field_messages(error)
        self.show_problems(fields)
        if not fields:
            self.bar.error(message_for(error))
        self.preview_button.setEnabled(True)
        self.add_button.setEnabled(self.previewed is not None)

    def show_preview(self, preview: TariffPreview) -> None:
        self.show_problems({})
        self.bar.withdraw()
        self.previewed = preview
        self.changes.set_rows(preview.changed)
        self.changes_view.fit_columns(stretch=2)
        changed = plural(len(preview.changed), "état de frais", "états de frais")
        kept = plural(preview.validated_kept, "état de frais", "états de frais")
        self.preview_text.setText(
            self.tr(
                "Version {version}, en vigueur à partir du {day}. Recalculés à l'ajout (non "
                "encore validés) : {changed}. Validés, qui gardent leurs montants : {kept}."
            ).format(
                version=preview.version,
                day=date_fr(preview.valid_from),
                changed=changed,
                kept=kept,
            )
        )
        self.preview_button.setEnabled(True)
        self.add_button.setEnabled(True)
        self.add_button.setDefault(True)

    # --- sending --------------------------------------------------------------------------

    def on_preview(self) -> None:
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            return
        self.bar.withdraw()
        self.preview_button.setEnabled(False)
        self.preview_requested.emit(self.body())

    def on_submit(self) -> None:
        if self.previewed is None:
            return
        self.add_button.setEnabled(False)
        self.submitted.emit(self.body())


class TariffsPage(QWidget):
    """Signals:
    loaded(): the files and their versions arrived and are shown.
    added(object): a version was added (the `TariffAdded` answered).
    """

    loaded = Signal()
    added = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = AdminApi(ctx.api)
        self.setProperty("helpTopic", "admin.tariffs")
        self.dialog: TariffVersionDialog | None = None
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)

        self.files: RowsModel[TariffFile] = RowsModel(
            [
                Column(self.tr("Tarif"), lambda f: f.title),
                Column(self.tr("Depuis le"), lambda f: date_fr(f.last.valid_from)),
            ],
            parent=self,
        )
        self.files_view = RowsView(self.tr("Fichiers de tarifs"))
        self.files_view.setModel(self.files)
        self.files_view.selectionModel().selectionChanged.connect(lambda *_: self._show_file())

        self.file_title = app_style.section_title("")
        self.note = app_style.hint()
        self.versions: RowsModel[TariffVersion] = RowsModel(
            [
                Column(self.tr("Version"), lambda v: v.version),
                Column(self.tr("Du"), lambda v: date_fr(v.valid_from), sort=lambda v: v.valid_from),
                Column(self.tr("Au"), _until),
                Column(self.tr("Ajoutée par"), lambda v: v.added_by or self.tr("(livrée)")),
                Column(self.tr("Source"), lambda v: v.source, tooltip=lambda v: v.source),
            ],
            parent=self,
        )
        self.versions_view = RowsView(self.tr("Versions du tarif"))
        self.versions_view.setModel(self.versions)
        self.versions_view.selectionModel().selectionChanged.connect(
            lambda *_: self._show_version()
        )
        self.values = QTextBrowser()
        self.values.setReadOnly(True)
        self.values.setAccessibleName(self.tr("Valeurs de la version"))
        self.values.setTabChangesFocus(True)
        self.add_button = QPushButton(self.tr("A&jouter une version…"))
        self.add_button.clicked.connect(self.add_version)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.file_title, 1)
        title_row.addWidget(self.add_button)
        right_layout.addLayout(title_row)
        right_layout.addWidget(self.note)
        inner = QSplitter(Qt.Orientation.Vertical)
        inner.addWidget(self.versions_view)
        inner.addWidget(self.values)
        inner.setStretchFactor(0, 1)
        inner.setStretchFactor(1, 2)
        right_layout.addWidget(inner, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.files_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 830])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(splitter, 1)
        order: list[QWidget] = [
            self.files_view,
            self.add_button,
            self.versions_view,
            self.values,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)
        self._show_file()

    # --- loading --------------------------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        api = self.api
        Op(self, api.tariff_files, bar=self.bar, latest="tariffs").on_success(self.show_files).run(
            self.ctx.runner
        )

    def show_files(self, files: list[TariffFile]) -> None:
        chosen = self.selected()
        self.files.set_rows(files)
        self.files_view.fit_columns(stretch=0)
        names = [f.file for f in files]
        if files:
            self.files_view.selectRow(
                names.index(chosen.file) if chosen and chosen.file in names else 0
            )
        self._show_file()
        self.loaded.emit()

    def selected(self) -> TariffFile | None:
        rows = self.files_view.selectionModel().selectedRows()
        return self.files.row(rows[0].row()) if rows else None

    def select(self, file: str) -> None:
        for row, found in enumerate(self.files.rows()):
            if found.file == file:
                self.files_view.selectRow(row)
                return

    def _show_file(self) -> None:
        file = self.selected()
        self.file_title.setText(file.title if file else self.tr("Sélectionnez un tarif"))
        self.note.setText(
            ""
            if file is None
            else (file.note or "")
            if not file.editable
            else self.tr(
                "Chaque version s'applique aux missions de sa période. Une nouvelle version "
                "recalcule les états de frais non encore validés ; un état validé garde ses "
                "montants."
            )
        )
        self.note.setVisible(file is not None)
        self.add_button.setEnabled(file is not None and file.editable)
        self.versions.set_rows(list(reversed(file.versions)) if file else [])
        self.versions_view.fit_columns()
        if file is not None and file.versions:
            self.versions_view.selectRow(0)
        self._show_version()

    def _show_version(self) -> None:
        file = self.selected()
        rows = self.versions_view.selectionModel().selectedRows()
        if file is None or not rows:
            self.values.setPlainText(self.tr("Sélectionnez une version pour voir ses valeurs."))
            return
        version = self.versions.row(rows[0].row())
        period = (
            self.tr("du {start} au {end}").format(
                start=date_fr(version.valid_from), end=_until(version)
            )
            if version.valid_to
            else self.tr("en vigueur depuis le {start}").format(start=date_fr(version.valid_from))
        )
        head = self.tr("{version}, {period}.\nSource : {source}").format(
            version=version.version, period=period, source=version.source
        )
        self.values.setPlainText(head + "\n\n" + values_text(version, file.labels))

    # --- a new version --------------------------------------------------------------------

    def add_version(self) -> None:
        file = self.selected()
        if file is None or not file.editable:
            return
        dialog = TariffVersionDialog(file, dt.datetime.now().astimezone().date(), parent=self)
        self.dialog = dialog
        dialog.preview_requested.connect(lambda body: self._preview(dialog, body))
        dialog.submitted.connect(lambda body: self._send(dialog, body))
        dialog.open()

    def _preview(self, dialog: TariffVersionDialog, body: TariffVersionIn) -> None:
        api, name = self.api, dialog.file.file
        Op(dialog, lambda: api.preview_tariff_version(name, body)).on_success(
            dialog.show_preview
        ).on_failure(dialog.show_error).run(self.ctx.runner)

    def _send(self, dialog: TariffVersionDialog, body: TariffVersionIn) -> None:
        api, name = self.api, dialog.file.file
        Op(dialog, lambda: api.add_tariff_version(name, body)).on_success(
            lambda added: self._added(dialog, added)
        ).on_failure(dialog.show_error).run(self.ctx.runner)

    def _added(self, dialog: TariffVersionDialog, added: TariffAdded) -> None:
        dialog.accept()
        recomputed = plural(
            added.recomputed, "état de frais recalculé", "états de frais recalculés"
        )
        self.bar.success(
            self.tr(
                "Version {version} ajoutée, en vigueur à partir du {day} : {recomputed}."
            ).format(
                version=added.version.version,
                day=date_fr(added.version.valid_from),
                recomputed=recomputed,
            )
        )
        self.added.emit(added)
        self.refresh()
