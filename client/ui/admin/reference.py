"""Référentiel: the reference data the académie owns, in four sections chosen from a list:
adjacent communes (no travel costs between them), the reasons offered to the DEC for returning
a statement, the anomaly thresholds and the account payment files are paid from. Each is shown
with the value shipped with IMAG'IN (or the server settings' one); each change is checked by the
server, its refusal shown beside the field, and audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from client.api.admin import AdminApi
from client.api.admin_models import (
    AdjacentCommunes,
    AdjacentPair,
    DebtorAccount,
    DebtorAccountIn,
    ReturnReasonEntry,
    Thresholds,
)
from client.formatting import date_fr, number, plural, time_fr
from client.ui import app_style
from client.ui.admin.accounts import confirm
from client.ui.context import AppContext
from client.ui.errors import field_messages, message_for
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView

_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


def _when(at: dt.datetime | None, by: str | None) -> str:
    if at is None:
        return "—"
    local = at.astimezone() if at.tzinfo else at
    when = f"{date_fr(local.date())} {time_fr(local.time())}"
    return f"{when} ({by})" if by else when


def _decimal_text(value: Decimal) -> str:
    return number(value, 0) if value == value.to_integral_value() else number(value.normalize())


def _grouped(iban: str) -> str:
    """FR76 3000 4000 …: an IBAN as it is printed, by four characters."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _labelled(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class _Section(QWidget):
    """What every section shares: the page's message bar, its API and runner, a field-error
    label per field, and the server's refusal shown beside the fields it names."""

    changed = Signal()

    def __init__(self, ctx: AppContext, api: AdminApi, bar: MessageBar, title: str) -> None:
        super().__init__()
        self.ctx, self.api, self.bar = ctx, api, bar
        self.errors: dict[str, QLabel] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 0, 0, 0)
        self.layout_.addWidget(app_style.section_title(title))

    def error_label(self, field: str) -> QLabel:
        label = app_style.field_error()
        self.errors[field] = label
        return label

    def show_problems(self, problems: dict[str, str]) -> None:
        for field, label in self.errors.items():
            app_style.show_field_error(label, problems.get(field))

    def show_error(self, error: BaseException) -> None:
        """Beside the fields the server names; in the message bar otherwise."""
        fields = {k.rsplit(".", 1)[-1]: v for k, v in field_messages(error).items()}
        known = {k: v for k, v in fields.items() if k in self.errors}
        self.show_problems(known)
        if not known:
            self.bar.error(message_for(error))

    def load(self) -> None:
        raise NotImplementedError


# --- adjacent communes ----------------------------------------------------------------------


def _adjacent_word(value: bool) -> str:
    return "Limitrophes" if value else "Non limitrophes"


class AdjacentSection(_Section):
    """Signals:
    loaded(): the académie's choices arrived and are shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, api: AdminApi, bar: MessageBar) -> None:
        super().__init__(ctx, api, bar, self.tr("Communes limitrophes"))
        self.setProperty("helpTopic", "admin.reference.adjacent")
        self.summary = app_style.hint()
        self.model: RowsModel[AdjacentPair] = RowsModel(
            [
                Column(self.tr("Commune"), lambda r: f"{r.name_a} ({r.insee_a})"),
                Column(self.tr("Commune"), lambda r: f"{r.name_b} ({r.insee_b})"),
                Column(
                    self.tr("Choix de l'académie"), lambda r: self.tr(_adjacent_word(r.adjacent))
                ),
                Column(self.tr("Liste fournie"), lambda r: self.tr(_adjacent_word(r.packaged))),
                Column(self.tr("Modifié le"), lambda r: _when(r.changed_at, r.changed_by)),
            ],
            parent=self,
        )
        self.view = RowsView(self.tr("Choix de l'académie sur les communes limitrophes"))
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._fill_selected())

        self.insee_a = QLineEdit()
        self.insee_a.setAccessibleName(self.tr("Code INSEE de la première commune"))
        self.insee_a.setPlaceholderText(self.tr("ex. 80021"))
        self.insee_a.setMaxLength(5)
        self.insee_b = QLineEdit()
        self.insee_b.setAccessibleName(self.tr("Code INSEE de la seconde commune"))
        self.insee_b.setPlaceholderText(self.tr("ex. 80489"))
        self.insee_b.setMaxLength(5)
        self.state = app_style.hint()
        self.check_button = QPushButton(self.tr("&Vérifier"))
        self.adjacent_button = QPushButton(self.tr("Déclarer &limitrophes"))
        self.not_adjacent_button = QPushButton(self.tr("Déclarer &non limitrophes"))
        self.packaged_button = QPushButton(self.tr("Comme la liste &fournie"))
        self.check_button.clicked.connect(self.check)
        self.adjacent_button.clicked.connect(lambda: self.set_adjacent(True))
        self.not_adjacent_button.clicked.connect(lambda: self.set_adjacent(False))
        self.packaged_button.clicked.connect(lambda: self.set_adjacent(None))
        for edit in (self.insee_a, self.insee_b):
            edit.textEdited.connect(lambda _t: self._forget_state())
            edit.returnPressed.connect(self.check)

        form = QGridLayout()
        form.addWidget(_labelled(self.tr("Commune &A (code INSEE) :"), self.insee_a), 0, 0)
        form.addWidget(self.insee_a, 0, 1)
        form.addWidget(self.error_label("insee_a"), 0, 2)
        form.addWidget(_labelled(self.tr("Commune &B (code INSEE) :"), self.insee_b), 1, 0)
        form.addWidget(self.insee_b, 1, 1)
        form.addWidget(self.error_label("insee_b"), 1, 2)
        form.setColumnStretch(2, 1)
        buttons = QHBoxLayout()
        for button in (
            self.check_button,
            self.adjacent_button,
            self.not_adjacent_button,
            self.packaged_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.view, 1)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.state)
        self.layout_.addLayout(buttons)
        self.state.hide()

    def load(self) -> None:
        api = self.api
        Op(self, api.adjacent_communes, bar=self.bar, latest="adjacent").on_success(
            self.show_communes
        ).run(self.ctx.runner)

    def show_communes(self, found: AdjacentCommunes) -> None:
        self.summary.setText(
            self.tr(
                "Un déplacement entre deux communes limitrophes n'est pas remboursé. La liste "
                "fournie avec IMAG'IN compte {packaged} ; avec les choix de l'académie "
                "ci-dessous, {count} sont en vigueur."
            ).format(
                packaged=plural(found.packaged_count, "paire", "paires"),
                count=plural(found.count, "paire", "paires"),
            )
        )
        self.model.set_rows(found.changes)
        self.view.fit_columns()
        self.loaded.emit()

    def _fill_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            pair = self.model.row(rows[0].row())
            self.insee_a.setText(pair.insee_a)
            self.insee_b.setText(pair.insee_b)
            self._show_state(pair)

    def _forget_state(self) -> None:
        self.state.hide()
        self.show_problems({})

    def _codes(self) -> tuple[str, str] | None:
        a, b = self.insee_a.text().strip().upper(), self.insee_b.text().strip().upper()
        problems = {}
        for field, code in (("insee_a", a), ("insee_b", b)):
            if not _INSEE.match(code):
                problems[field] = self.tr("Un code INSEE a 5 caractères, par ex. 80021.")
        if not problems and a == b:
            problems["insee_b"] = self.tr("Choisissez deux communes différentes.")
        self.show_problems(problems)
        if problems:
            (self.insee_a if "insee_a" in problems else self.insee_b).setFocus()
            return None
        return a, b

    def _show_state(self, pair: AdjacentPair) -> None:
        whose = (
            self.tr("choix de l'académie, {when}").format(
                when=_when(pair.changed_at, pair.changed_by)
            )
            if pair.changed
            else self.tr("comme la liste fournie")
        )
        self.state.setText(
            self.tr("{a} ({ia}) et {b} ({ib}) : {state} ({whose}).").format(
                a=pair.name_a,
                ia=pair.insee_a,
                b=pair.name_b,
                ib=pair.insee_b,
                state=self.tr(_adjacent_word(pair.adjacent)).lower(),
                whose=whose,
            )
        )
        self.state.show()

    def check(self) -> None:
        codes = self._codes()
        if codes is None:
            return
        api = self.api
        Op(self, lambda: api.adjacent_pair(*codes)).on_success(self._show_state).on_failure(
            self.show_error
        ).run(self.ctx.runner)

    def set_adjacent(self, adjacent: bool | None) -> None:
        codes = self._codes()
        if codes is None:
            return
        api = self.api
        Op(self, lambda: api.set_adjacent(*codes, adjacent)).on_success(self._saved).on_failure(
            self.show_error
        ).run(self.ctx.runner)

    def _saved(self, pair: AdjacentPair) -> None:
        self._show_state(pair)
        self.bar.success(
            self.tr("{a} et {b} : {state}.").format(
                a=pair.name_a, b=pair.name_b, state=self.tr(_adjacent_word(pair.adjacent)).lower()
            )
        )
        self.changed.emit()
        self.load()


# --- return reasons -------------------------------------------------------------------------


class ReasonsSection(_Section):
    """Signals:
    loaded(): the reasons arrived and are shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, api: AdminApi, bar: MessageBar) -> None:
        super().__init__(ctx, api, bar, self.tr("Motifs de retour"))
        self.setProperty("helpTopic", "admin.reference.reasons")
        self._adding = False
        self.model: RowsModel[ReturnReasonEntry] = RowsModel(
            [
                Column(self.tr("Code"), lambda r: r.code),
                Column(self.tr("Motif lu par l'intervenant"), lambda r: r.label),
                Column(
                    self.tr("Proposé à la DEC"),
                    lambda r: self.tr("Oui") if r.active else self.tr("Non"),
                ),
                Column(
                    self.tr("Origine"),
                    lambda r: (
                        self.tr("Fourni") if r.packaged_label is not None else self.tr("Académie")
                    ),
                ),
                Column(self.tr("Retours"), lambda r: str(r.uses), numeric=True),
            ],
            parent=self,
        )
        self.view = RowsView(self.tr("Motifs de retour"))
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("Code du motif"))
        self.code.setPlaceholderText(self.tr("ex. SIGNATURE_MANQUANTE"))
        self.code.setMaxLength(40)
        self.label = QPlainTextEdit()
        self.label.setAccessibleName(self.tr("Texte du motif"))
        self.label.setTabChangesFocus(True)
        self.label.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.active = QCheckBox(self.tr("&Proposé à la DEC"))
        self.origin = app_style.hint()
        self.new_button = QPushButton(self.tr("N&ouveau motif"))
        self.save_button = QPushButton(self.tr("&Enregistrer le motif"))
        self.remove_button = QPushButton(self.tr("&Supprimer…"))
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)

        form = QGridLayout()
        form.addWidget(_labelled(self.tr("Co&de :"), self.code), 0, 0)
        form.addWidget(self.code, 0, 1)
        form.addWidget(self.error_label("code"), 0, 2)
        form.addWidget(_labelled(self.tr("&Texte :"), self.label), 1, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.label, 1, 1, 1, 2)
        form.addWidget(self.error_label("label"), 2, 1, 1, 2)
        form.addWidget(self.active, 3, 1)
        form.addWidget(self.origin, 3, 2)
        form.setColumnStretch(2, 1)
        form.setColumnMinimumWidth(1, 260)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)
        self.layout_.addWidget(
            app_style.hint(
                self.tr(
                    "Les motifs proposés à la DEC quand elle renvoie un état de frais. Un motif "
                    "fourni avec IMAG'IN ou déjà utilisé ne se supprime pas : désactivez-le."
                )
            )
        )
        self.layout_.addWidget(self.view, 1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self._show_selected()

    def load(self, select: str | None = None) -> None:
        shown = self.selected()
        chosen = select or (shown.code if shown is not None else None)
        Op(self, self.api.return_reasons, bar=self.bar, latest="reasons").on_success(
            lambda rows: self.show_reasons(rows, chosen)
        ).run(self.ctx.runner)

    def show_reasons(self, rows: list[ReturnReasonEntry], chosen: str | None = None) -> None:
        self.model.set_rows(rows)
        self.view.fit_columns(stretch=1)
        codes = [r.code for r in rows]
        self._adding = False
        if rows:
            self.view.selectRow(codes.index(chosen) if chosen in codes else 0)
        self._show_selected()
        self.loaded.emit()

    def selected(self) -> ReturnReasonEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        row = None if self._adding else self.selected()
        self.show_problems({})
        self.code.setReadOnly(not self._adding)
        self.code.setText(row.code if row else "")
        self.label.setPlainText(row.label if row else "")
        self.active.setChecked(row.active if row else True)
        self.active.setEnabled(row is not None)
        self.remove_button.setEnabled(
            row is not None and row.packaged_label is None and row.uses == 0
        )
        self.save_button.setEnabled(row is not None or self._adding)
        if self._adding:
            self.origin.setText(self.tr("Nouveau motif de l'académie."))
        elif row is None:
            self.origin.setText("")
        else:
            origin = (
                self.tr("Fourni avec IMAG'IN")
                if row.packaged_label is not None
                else self.tr("Ajouté par l'académie")
            )
            uses = (
                self.tr("utilisé pour {n}").format(n=plural(row.uses, "retour", "retours"))
                if row.uses
                else self.tr("encore jamais utilisé")
            )
            self.origin.setText(self.tr("{origin} ; {uses}.").format(origin=origin, uses=uses))

    def start_new(self) -> None:
        self._adding = True
        self.view.clearSelection()
        self._show_selected()
        self.code.setFocus()

    def save(self) -> None:
        code, label = self.code.text().strip(), " ".join(self.label.toPlainText().split())
        problems = {}
        if self._adding and not _CODE.match(code):
            problems["code"] = self.tr(
                "En majuscules sans accent, chiffres et « _ », 2 à 40 caractères (par ex. "
                "SIGNATURE_MANQUANTE)."
            )
        if not label:
            problems["label"] = self.tr(
                "Saisissez le texte du motif, tel que l'intervenant le lira."
            )
        self.show_problems(problems)
        if problems:
            (self.code if "code" in problems else self.label).setFocus()
            return
        api, active = self.api, self.active.isChecked()
        if self._adding:
            op = Op(self, lambda: api.add_return_reason(code, label))
        else:
            op = Op(self, lambda: api.change_return_reason(code, label, active))
        op.on_success(self._saved).on_failure(self.show_error).run(self.ctx.runner)

    def _saved(self, reason: ReturnReasonEntry) -> None:
        self.bar.success(self.tr("Motif {code} enregistré.").format(code=reason.code))
        self.changed.emit()
        self.load(select=reason.code)

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not confirm(
            self,
            self.tr("Supprimer un motif de retour"),
            self.tr("Supprimer le motif {code} ? Il ne sera plus proposé à la DEC.").format(
                code=row.code
            ),
            self.tr("Supprimer"),
        ):
            return
        api, code = self.api, row.code
        Op(self, lambda: api.remove_return_reason(code)).on_success(
            lambda _none: self._removed(code)
        ).on_failure(self.show_error).run(self.ctx.runner)

    def _removed(self, code: str) -> None:
        self.bar.success(self.tr("Motif {code} supprimé.").format(code=code))
        self.changed.emit()
        self.load()


# --- anomaly thresholds ---------------------------------------------------------------------


class ThresholdsSection(_Section):
    """Signals:
    loaded(): the thresholds arrived and are shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, api: AdminApi, bar: MessageBar) -> None:
        super().__init__(ctx, api, bar, self.tr("Seuils des anomalies"))
        self.setProperty("helpTopic", "admin.reference.thresholds")
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.defaults: dict[str, QLabel] = {}
        self.units: dict[str, QLabel] = {}
        self.shown: Thresholds | None = None
        self.grid = QGridLayout()
        self.grid.setColumnStretch(3, 1)
        self.grid.setColumnMinimumWidth(0, 380)
        self.save_button = QPushButton(self.tr("&Enregistrer les seuils"))
        self.packaged_button = QPushButton(self.tr("Revenir aux valeurs &fournies"))
        self.save_button.clicked.connect(self.save)
        self.packaged_button.clicked.connect(self.restore)
        self.layout_.addWidget(
            app_style.hint(
                self.tr(
                    "Ces seuils signalent un état de frais à examiner dans la file de la DEC ; "
                    "ils ne changent aucun montant. Après un changement, les anomalies de tous "
                    "les états de frais sont recalculées."
                )
            )
        )
        self.layout_.addLayout(self.grid)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.packaged_button)
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)
        self.layout_.addStretch(1)

    def _row(self, name: str, number_: int) -> QLineEdit:
        if name in self.edits:
            return self.edits[name]
        edit = QLineEdit()
        edit.setMaximumWidth(120)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.returnPressed.connect(self.save)
        label = QLabel()
        label.setWordWrap(True)
        label.setBuddy(edit)
        unit, default = QLabel(), app_style.hint()
        base = number_ * 2
        self.grid.addWidget(label, base, 0)
        self.grid.addWidget(edit, base, 1)
        self.grid.addWidget(unit, base, 2)
        self.grid.addWidget(default, base, 3)
        self.grid.addWidget(self.error_label(name), base + 1, 1, 1, 3)
        self.edits[name], self.labels[name] = edit, label
        self.units[name], self.defaults[name] = unit, default
        return edit

    def load(self) -> None:
        Op(self, self.api.anomaly_thresholds, bar=self.bar, latest="thresholds").on_success(
            self.show_thresholds
        ).run(self.ctx.runner)

    def show_thresholds(self, found: Thresholds) -> None:
        self.shown = found
        for number_, threshold in enumerate(found.thresholds):
            edit = self._row(threshold.name, number_)
            self.labels[threshold.name].setText(f"{threshold.label} :")
            edit.setAccessibleName(threshold.label)
            edit.setText(_decimal_text(threshold.value))
            self.units[threshold.name].setText(threshold.unit)
            fourni = self.tr("fourni : {value}").format(value=_decimal_text(threshold.packaged))
            if threshold.changed:
                fourni += self.tr(" ; modifié le {when}").format(
                    when=_when(threshold.changed_at, threshold.changed_by)
                )
            self.defaults[threshold.name].setText(fourni)
        self.packaged_button.setEnabled(any(t.changed for t in found.thresholds))
        self.show_problems({})
        self.loaded.emit()

    def _values(self) -> dict[str, Decimal] | None:
        values, problems = {}, {}
        for name, edit in self.edits.items():
            text = edit.text().strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
            try:
                value = Decimal(text)
            except InvalidOperation:
                problems[name] = self.tr("Saisissez un nombre, par ex. 1,6.")
                continue
            if not value.is_finite() or value <= 0:
                problems[name] = self.tr("Un seuil est un nombre strictement positif.")
                continue
            values[name] = value
        self.show_problems(problems)
        if problems:
            self.edits[next(iter(problems))].setFocus()
            return None
        return values

    def save(self) -> None:
        values = self._values()
        if values is None or self.shown is None:
            return
        now = {t.name: t.value for t in self.shown.thresholds}
        asked: dict[str, Decimal | None] = {
            name: value for name, value in values.items() if value != now.get(name)
        }
        if not asked:
            self.bar.info(self.tr("Aucun seuil n'a changé."))
            return
        self._send(asked)

    def restore(self) -> None:
        if self.shown is not None:
            self._send({t.name: None for t in self.shown.thresholds if t.changed})

    def _send(self, asked: dict[str, Decimal | None]) -> None:
        if not asked:
            self.bar.info(self.tr("Les seuils sont déjà ceux fournis avec IMAG'IN."))
            return
        api = self.api
        Op(self, lambda: api.change_anomaly_thresholds(asked)).on_success(self._saved).on_failure(
            self.show_error
        ).run(self.ctx.runner)

    def _saved(self, found: Thresholds) -> None:
        self.show_thresholds(found)
        if found.refreshed:
            self.bar.success(
                self.tr("Seuils enregistrés : les anomalies de {n} ont changé.").format(
                    n=plural(found.refreshed, "état de frais", "états de frais")
                )
            )
        else:
            self.bar.success(
                self.tr("Seuils enregistrés : les anomalies des états de frais restent les mêmes.")
            )
        self.changed.emit()


# --- the debtor account ---------------------------------------------------------------------


class DebtorSection(_Section):
    """Signals:
    loaded(): the account arrived and is shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, api: AdminApi, bar: MessageBar) -> None:
        super().__init__(ctx, api, bar, self.tr("Compte payeur des fichiers de paiement"))
        self.setProperty("helpTopic", "admin.reference.debtor")
        self.state = app_style.hint()
        self.name = QLineEdit()
        self.name.setMaxLength(70)
        self.iban = QLineEdit()
        self.iban.setMaxLength(42)
        self.iban.setPlaceholderText("FR76 …")
        self.bic = QLineEdit()
        self.bic.setMaxLength(11)
        self.party = QLineEdit()
        self.party.setMaxLength(70)
        self.party.setPlaceholderText(self.tr("le nom du titulaire, s'il est vide"))
        self.schema = QComboBox()
        for widget, name in (
            (self.name, self.tr("Titulaire du compte")),
            (self.iban, self.tr("IBAN")),
            (self.bic, self.tr("BIC")),
            (self.party, self.tr("Émetteur du fichier")),
            (self.schema, self.tr("Version du fichier SEPA")),
        ):
            widget.setAccessibleName(name)
        self.save_button = QPushButton(self.tr("&Enregistrer le compte"))
        self.reset_button = QPushButton(self.tr("Revenir au compte des &réglages du serveur…"))
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        form = QGridLayout()
        rows = (
            (self.tr("&Titulaire :"), self.name, "name"),
            (self.tr("&IBAN :"), self.iban, "iban"),
            (self.tr("BI&C :"), self.bic, "bic"),
            (self.tr("É&metteur :"), self.party, "initiating_party"),
            (self.tr("&Version SEPA :"), self.schema, "sepa_schema"),
        )
        rows_: tuple[tuple[str, QWidget, str], ...] = rows
        for number_, (text, editor, field) in enumerate(rows_):
            form.addWidget(_labelled(text, editor), number_, 0)
            form.addWidget(editor, number_, 1)
            form.addWidget(self.error_label(field), number_, 2)
        form.setColumnMinimumWidth(1, 340)
        form.setColumnStretch(2, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        self.layout_.addWidget(
            app_style.hint(
                self.tr(
                    "Le compte débité par les virements des fichiers SEPA : celui du comptable "
                    "de l'académie. Le prochain fichier produit l'utilise."
                )
            )
        )
        self.layout_.addWidget(self.state)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self.layout_.addStretch(1)

    def load(self) -> None:
        Op(self, self.api.debtor_account, bar=self.bar, latest="debtor").on_success(
            self.show_account
        ).run(self.ctx.runner)

    def show_account(self, account: DebtorAccount) -> None:
        self.name.setText(account.name)
        self.iban.setText(_grouped(account.iban))
        self.bic.setText(account.bic or "")
        self.party.setText(account.initiating_party)
        self.schema.clear()
        for schema in account.schemas:
            self.schema.addItem(schema, schema)
        self.schema.setCurrentIndex(max(0, self.schema.findData(account.sepa_schema)))
        if account.example:
            state = self.tr(
                "Compte d'exemple fourni avec IMAG'IN : aucun fichier de paiement ne peut être "
                "produit tant que le compte de l'académie n'est pas renseigné."
            )
        elif account.academie:
            state = self.tr("Renseigné par l'administrateur le {when}.").format(
                when=_when(account.changed_at, account.changed_by)
            )
        else:
            state = self.tr("Compte nommé par les réglages du serveur.")
        self.state.setText(state)
        self.reset_button.setEnabled(account.academie)
        self.show_problems({})
        self.loaded.emit()

    def save(self) -> None:
        problems = {}
        if not self.name.text().strip():
            problems["name"] = self.tr("Saisissez le nom du titulaire du compte.")
        if not self.iban.text().strip():
            problems["iban"] = self.tr("Saisissez l'IBAN du compte.")
        self.show_problems(problems)
        if problems:
            (self.name if "name" in problems else self.iban).setFocus()
            return
        body = DebtorAccountIn(
            name=self.name.text().strip(),
            iban=self.iban.text().strip(),
            bic=self.bic.text().strip() or None,
            initiating_party=self.party.text().strip() or None,
            sepa_schema=str(self.schema.currentData() or ""),
        )
        api = self.api
        Op(self, lambda: api.change_debtor_account(body)).on_success(self._saved).on_failure(
            self.show_error
        ).run(self.ctx.runner)

    def _saved(self, account: DebtorAccount) -> None:
        self.show_account(account)
        self.bar.success(self.tr("Compte payeur enregistré : le prochain fichier SEPA l'utilise."))
        self.changed.emit()

    def reset(self) -> None:
        if not confirm(
            self,
            self.tr("Revenir au compte des réglages"),
            self.tr(
                "Les prochains fichiers de paiement seront payés depuis le compte nommé par les "
                "réglages du serveur. Continuer ?"
            ),
            self.tr("Revenir aux réglages"),
        ):
            return
        Op(self, self.api.reset_debtor_account).on_success(self._saved).on_failure(
            self.show_error
        ).run(self.ctx.runner)


# --- the page -------------------------------------------------------------------------------


class ReferencePage(QWidget):
    """Signals:
    changed(): some reference data was changed (the journal has a new line).
    """

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = AdminApi(ctx.api)
        self.setProperty("helpTopic", "admin.reference")
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)
        self.adjacent = AdjacentSection(ctx, self.api, self.bar)
        self.reasons = ReasonsSection(ctx, self.api, self.bar)
        self.thresholds = ThresholdsSection(ctx, self.api, self.bar)
        self.debtor = DebtorSection(ctx, self.api, self.bar)
        self.sections: list[_Section] = [self.adjacent, self.reasons, self.thresholds, self.debtor]
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Données de référence"))
        self.nav.setSpacing(3)
        for section, name in zip(
            self.sections,
            (
                self.tr("Communes limitrophes"),
                self.tr("Motifs de retour"),
                self.tr("Seuils des anomalies"),
                self.tr("Compte payeur"),
            ),
            strict=True,
        ):
            self.stack.addWidget(section)
            self.nav.addItem(name)
            section.changed.connect(self.changed)
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 32)
        self.nav.currentRowChanged.connect(self._on_section)
        self._started: set[int] = set()
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(body, 1)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - the help pane walks pages
        return self.stack.currentWidget()

    def start(self) -> None:
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        else:
            self._on_section(self.nav.currentRow())

    def refresh(self) -> None:
        self._started = {self.nav.currentRow()}
        self.sections[self.nav.currentRow()].load()

    def _on_section(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        if index not in self._started:
            self._started.add(index)
            self.sections[index].load()
