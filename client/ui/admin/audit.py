"""Journal: the audit log, read only, newest first, narrowed by author, action, kind of target
and target, and a range of days; the server answers a limited number of events at once, and
« Afficher plus » asks for more."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from client.api.admin import AUDIT_MAX, AdminApi
from client.api.admin_models import Account, AuditEvent, AuditFilters
from client.formatting import date_fr, plural, time_fr
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.models.rows import Column, RowsModel, RowsProxy
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView

PAGE = 200
# The actions the log is most often searched for; any other is typed.
ACTIONS = {
    "ACCOUNT_CREATED": "Compte créé",
    "ACCOUNT_ROLES": "Rôle changé",
    "ACCOUNT_UNLOCKED": "Compte débloqué",
    "ACCOUNT_DEACTIVATED": "Compte désactivé",
    "ACCOUNT_ACTIVATED": "Compte réactivé",
    "TEMPORARY_PASSWORD": "Mot de passe temporaire",
    "PASSWORD_RESET": "Mot de passe réinitialisé",
    "OFFICE_SETTINGS": "Règles d'un bureau",
    "TARIFF_VERSION_ADDED": "Nouvelle version de tarif",
    "ADJACENT_COMMUNES": "Communes limitrophes",
    "RETURN_REASON_ADDED": "Motif de retour ajouté",
    "RETURN_REASON_CHANGED": "Motif de retour modifié",
    "RETURN_REASON_REMOVED": "Motif de retour supprimé",
    "ANOMALY_THRESHOLDS": "Seuils des anomalies",
    "DEBTOR_ACCOUNT": "Compte payeur",
}
TARGETS = {
    "user": "Compte",
    "statement": "État de frais",
    "office": "Bureau",
    "mission": "Mission",
    "session": "Session",
    "tariff": "Tarif",
    "adjacent_communes": "Communes limitrophes",
    "return_reason": "Motif de retour",
    "anomaly_thresholds": "Seuils des anomalies",
    "debtor_account": "Compte payeur",
}
# The names of the details' keys the log's readers meet most; any other is shown as it is.
DETAIL_KEYS = {
    "before": "Avant",
    "after": "Après",
    "role": "Rôle",
    "offices": "Bureaux",
    "centres": "Centres",
    "service_done_required": "Service fait exigé",
    "documents_required": "Pièces justificatives exigées",
    "reason": "Motif",
    "status": "Statut",
    "file": "Fichier",
    "version": "Version",
    "valid_from": "En vigueur à partir du",
    "source": "Source",
    "values": "Valeurs",
    "recomputed": "États de frais recalculés",
    "adjacent": "Limitrophes",
    "packaged": "Dans la liste fournie",
    "label": "Texte",
    "active": "Proposé à la DEC",
    "code": "Code",
    "name": "Titulaire",
    "iban": "IBAN",
    "bic": "BIC",
}
# The earliest day a date field offers; shown as « — », it means no bound.
NO_DAY = QDate(2000, 1, 1)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def details_text(value: Any, depth: int = 0) -> list[str]:
    """The details of an event, one key a line, nested ones indented, in words."""
    pad = "  " * depth
    lines: list[str] = []
    for key, item in value.items():
        name = DETAIL_KEYS.get(key, key)
        if isinstance(item, dict):
            lines.append(f"{pad}{name} :")
            lines += details_text(item, depth + 1)
        elif isinstance(item, list):
            lines.append(f"{pad}{name} : {', '.join(str(i) for i in item) or '—'}")
        elif isinstance(item, bool):
            lines.append(f"{pad}{name} : {'oui' if item else 'non'}")
        else:
            lines.append(f"{pad}{name} : {'—' if item is None else item}")
    return lines


def _target(event: AuditEvent) -> str:
    if not event.target_id:
        return ""
    return f" n° {event.target_id}" if event.target_id.isdigit() else f" {event.target_id}"


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMinimumDate(NO_DAY)
    edit.setSpecialValueText("—")
    edit.setDate(NO_DAY)
    edit.setAccessibleName(name)
    return edit


def _day(edit: QDateEdit) -> dt.date | None:
    day = edit.date()
    if day == NO_DAY:
        return None
    return dt.date(day.year(), day.month(), day.day())


class AuditPage(QWidget):
    """Signals:
    loaded(): the events arrived and are shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = AdminApi(ctx.api)
        self.limit = PAGE
        self.setProperty("helpTopic", "admin.audit")

        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)
        self.actor = QComboBox()
        self.actor.setAccessibleName(self.tr("Auteur des actions"))
        self.actor.addItem(self.tr("Tous les auteurs"), None)
        self.action = QComboBox()
        self.action.setEditable(True)
        self.action.setAccessibleName(self.tr("Action"))
        self.action.addItem(self.tr("Toutes les actions"), None)
        for code, action_name in ACTIONS.items():
            self.action.addItem(f"{self.tr(action_name)} ({code})", code)
        self.action.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target_type = QComboBox()
        self.target_type.setAccessibleName(self.tr("Sur quoi"))
        self.target_type.addItem(self.tr("Tout"), None)
        for code, target_name in TARGETS.items():
            self.target_type.addItem(self.tr(target_name), code)
        self.target_id = QLineEdit()
        self.target_id.setAccessibleName(self.tr("Numéro de l'objet"))
        self.target_id.setPlaceholderText(self.tr("n° (facultatif)"))
        self.target_id.setMaxLength(60)
        self.since = _date_edit(self.tr("Depuis le"))
        self.until = _date_edit(self.tr("Jusqu'au"))
        self.dates_error = app_style.field_error()
        self.search_button = QPushButton(self.tr("&Rechercher"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.on_search)
        self.clear_button = QPushButton(self.tr("E&ffacer les filtres"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.target_id.returnPressed.connect(self.on_search)
        for combo in (self.actor, self.target_type):
            combo.activated.connect(lambda _i: self.on_search())

        grid = QGridLayout()
        cells: list[tuple[str, QWidget]] = [
            (self.tr("&Auteur :"), self.actor),
            (self.tr("A&ction :"), self.action),
            (self.tr("&Sur :"), self.target_type),
            (self.tr("&N° :"), self.target_id),
            (self.tr("&Depuis le :"), self.since),
            (self.tr("&Jusqu'au :"), self.until),
        ]
        for index, (text, widget) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(widget)
            row, column = divmod(index, 3)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(widget, row, column * 2 + 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.dates_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.search_button)

        self.model: RowsModel[AuditEvent] = RowsModel(
            [
                Column(
                    self.tr("Date"),
                    lambda e: f"{date_fr(_local(e.at).date())} {time_fr(_local(e.at).time())}",
                    sort=lambda e: e.at,
                ),
                Column(self.tr("Auteur"), lambda e: e.actor or self.tr("(système)")),
                Column(self.tr("Action"), lambda e: self.tr(ACTIONS.get(e.action, e.action))),
                Column(
                    self.tr("Sur"),
                    lambda e: self.tr(TARGETS.get(e.target_type, e.target_type)) + _target(e),
                ),
                Column(self.tr("Résumé"), lambda e: e.summary),
            ],
            parent=self,
        )
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = RowsView(self.tr("Journal des actions"))
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.detail = QTextBrowser()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(self.tr("Détail de l'action"))
        self.detail.setTabChangesFocus(True)
        self.detail.setProperty("helpTopic", "admin.audit")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.count = app_style.hint()
        self.more_button = QPushButton(self.tr("Afficher &plus"))
        self.more_button.clicked.connect(self.show_more)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        QShortcut(QKeySequence("Ctrl+F"), self, self.actor.setFocus)
        order: list[QWidget] = [w for _, w in cells] + [
            self.clear_button,
            self.search_button,
            self.view,
            self.detail,
            self.more_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- filters --------------------------------------------------------------------------

    def chosen_action(self) -> str | None:
        index = self.action.currentIndex()
        text = self.action.currentText().strip()
        if index >= 0 and self.action.itemText(index) == text:
            data = self.action.itemData(index)
            return str(data) if data else None
        return text.upper() or None

    def filters(self) -> AuditFilters:
        actor = self.actor.currentData()
        target = self.target_type.currentData()
        return AuditFilters(
            actor_id=int(actor) if actor is not None else None,
            action=self.chosen_action(),
            target_type=str(target) if target else None,
            target_id=self.target_id.text().strip() or None,
            since=_day(self.since),
            until=_day(self.until),
        )

    def clear_filters(self) -> None:
        for combo in (self.actor, self.action, self.target_type):
            combo.setCurrentIndex(0)
        self.target_id.clear()
        self.since.setDate(NO_DAY)
        self.until.setDate(NO_DAY)
        self.on_search()

    # --- loading --------------------------------------------------------------------------

    def start(self) -> None:
        api = self.api
        Op(self, lambda: api.accounts(limit=500), bar=self.bar).on_success(self._set_actors).run(
            self.ctx.runner
        )
        self.refresh()

    def _set_actors(self, accounts: list[Account]) -> None:
        chosen = self.actor.currentData()
        self.actor.blockSignals(True)
        while self.actor.count() > 1:
            self.actor.removeItem(1)
        for account in sorted(accounts, key=lambda a: (a.last_name.lower(), a.first_name)):
            self.actor.addItem(f"{account.last_name.upper()} {account.first_name}", account.id)
        if chosen is not None:
            self.actor.setCurrentIndex(max(0, self.actor.findData(chosen)))
        self.actor.blockSignals(False)

    def on_search(self) -> None:
        self.limit = PAGE
        self.refresh()

    def show_more(self) -> None:
        self.limit = min(self.limit + PAGE, AUDIT_MAX)
        self.refresh()

    def refresh(self) -> None:
        filters = self.filters()
        if filters.since and filters.until and filters.since > filters.until:
            app_style.show_field_error(
                self.dates_error, self.tr("La date de début est postérieure à la date de fin.")
            )
            self.until.setFocus()
            return
        app_style.show_field_error(self.dates_error, None)
        api, limit = self.api, self.limit
        Op(self, lambda: api.audit(filters, limit), bar=self.bar, latest="audit").on_success(
            self.show_events
        ).run(self.ctx.runner)

    def show_events(self, events: list[AuditEvent]) -> None:
        self.model.set_rows(events)
        self.view.fit_columns(stretch=4)
        complete = len(events) < self.limit
        self.more_button.setEnabled(not complete and self.limit < AUDIT_MAX)
        shown = plural(len(events), "action", "actions")
        self.count.setText(
            self.tr("{shown}, des plus récentes aux plus anciennes.").format(shown=shown)
            if complete
            else self.tr(
                "Les {shown} les plus récentes ; « Afficher plus » remonte plus loin."
            ).format(shown=shown)
        )
        self._show_detail()
        self.loaded.emit()

    def _show_detail(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.detail.setPlainText(self.tr("Sélectionnez une action pour voir son détail."))
            return
        event: AuditEvent = self.proxy.row_at(rows[0].row())
        text = event.summary
        if event.details:
            text += "\n\n" + "\n".join(details_text(event.details))
        self.detail.setPlainText(text)
