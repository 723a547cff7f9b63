"""Missions de mon centre: the chef de centre's missions by day or by paper, who was convened,
who declared the mission not performed or withdrew, and the constat de service fait, recorded
for one mission or many at once (a date and an optional remark), corrected, and what is still
missing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.api.centre import CentreApi, CentreMission
from client.api.dec_models import ServiceDoneOut
from client.formatting import date_fr, long_date, plural, time_fr
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.ops import Op
from client.ui.widgets import FlowLayout, MessageBar

MISSION_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR = QColor(app_style.ERROR_COLOUR)
MUTED = QColor(app_style.MUTED_COLOUR)


class ServiceDialog(QDialog):
    """The constat de service fait: its date (not after today) and an optional remark."""

    def __init__(
        self,
        title: str,
        intro: str,
        today: dt.date,
        earliest: dt.date,
        day: dt.date | None = None,
        remark: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setProperty("helpTopic", "centre.service_done")
        self.setMinimumWidth(460)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        chosen = day or today
        self.date.setDate(QDate(chosen.year, chosen.month, chosen.day))
        self.date.setAccessibleName(self.tr("Date du constat"))
        self.remark = QPlainTextEdit(remark or "")
        self.remark.setAccessibleName(self.tr("Remarque"))
        self.remark.setPlaceholderText(
            self.tr("Facultative : un retard, une absence, un incident…")
        )
        self.remark.setTabChangesFocus(True)
        self.remark.setFixedHeight(80)
        label = QLabel(intro)
        label.setWordWrap(True)
        form = QFormLayout()
        date_label = QLabel(self.tr("&Date du constat :"))
        date_label.setBuddy(self.date)
        remark_label = QLabel(self.tr("&Remarque :"))
        remark_label.setBuddy(self.remark)
        form.addRow(date_label, self.date)
        form.addRow(remark_label, self.remark)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("&Constater"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_day(self) -> dt.date:
        day = self.date.date()
        return dt.date(day.year(), day.month(), day.day())

    def chosen_remark(self) -> str | None:
        return self.remark.toPlainText().strip() or None


class CentreWorkspace(QWidget):
    """Signals:
    loaded(): the missions arrived and are shown.
    recorded(): a constat was recorded or corrected (the list is read again).
    """

    loaded = Signal()
    recorded = Signal()

    BY_DAY, BY_PAPER = 0, 1
    ALL, MISSING = 0, 1

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = CentreApi(ctx.raw_api)
        self.missions: list[CentreMission] = []
        self.service_dialog: ServiceDialog | None = None
        self.setProperty("helpTopic", "centre")

        self.title = app_style.page_title(self.tr("Missions de mon centre"))
        self.summary = app_style.page_subtitle(self.tr("Chargement des missions…"))
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)

        self.grouping = QComboBox()
        self.grouping.addItems([self.tr("Par jour"), self.tr("Par épreuve")])
        self.grouping.setAccessibleName(self.tr("Regrouper les missions"))
        self.showing = QComboBox()
        self.showing.addItems([self.tr("Toutes les missions"), self.tr("Service fait à constater")])
        self.showing.setAccessibleName(self.tr("Missions affichées"))
        for combo in (self.grouping, self.showing):
            combo.currentIndexChanged.connect(self._fill)
        self.record_button = QPushButton(self.tr("Constater le &service fait…"))
        self.record_button.clicked.connect(self.record_selected)
        self.correct_button = QPushButton(self.tr("C&orriger le constat…"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.refresh_button = QPushButton(self.tr("&Actualiser"))
        self.refresh_button.clicked.connect(self.refresh)
        # The choices, then the actions: on a second line when the window is narrow.
        tools = FlowLayout()
        for text, widget in (
            (self.tr("&Regrouper :"), self.grouping),
            (self.tr("A&fficher :"), self.showing),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            pair = QWidget()
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.addWidget(label)
            pair_layout.addWidget(widget)
            tools.addWidget(pair)
        tools.addWidget(self.record_button)
        tools.addWidget(self.correct_button)
        tools.addWidget(self.refresh_button)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(
            [
                self.tr("Mission"),
                self.tr("Horaires"),
                self.tr("Centre"),
                self.tr("Convoqués"),
                self.tr("Service fait"),
            ]
        )
        self.tree.setAccessibleName(self.tr("Missions du centre"))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._show_selection)
        self.tree.itemDoubleClicked.connect(lambda *_: self.record_selected())

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setProperty("helpTopic", "centre.people")
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(12, 0, 0, 0)
        detail_layout.addWidget(app_style.section_title(self.tr("Intervenants convoqués")))
        detail_layout.addWidget(self.detail, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 280])
        detail_box.setMinimumWidth(260)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        self._show_selection()

    # --- the workspace protocol -----------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def maybe_close(self) -> bool:
        return True

    def refresh(self) -> None:
        api = self.api
        Op(self, api.missions, bar=self.bar, latest="missions").on_success(self.show_missions).run(
            self.ctx.runner
        )

    # --- showing --------------------------------------------------------------------------

    def show_missions(self, missions: list[CentreMission]) -> None:
        self.missions = missions
        missing = sum(1 for m in missions if m.missing)
        total = plural(len(missions), "mission", "missions")
        if missing:
            self.summary.setText(
                self.tr("{total} ; {missing} sans constat de service fait.").format(
                    total=total,
                    missing=plural(missing, "mission commencée", "missions commencées"),
                )
            )
        else:
            self.summary.setText(
                self.tr("{total} ; aucun constat de service fait en attente.").format(total=total)
            )
        self._fill()
        self.loaded.emit()

    def _groups(self) -> dict[str, list[CentreMission]]:
        shown = [m for m in self.missions if self.showing.currentIndex() == self.ALL or m.missing]
        groups: dict[str, list[CentreMission]] = defaultdict(list)
        if self.grouping.currentIndex() == self.BY_DAY:
            for mission in sorted(shown, key=lambda m: (m.start_date, m.start_time, m.id)):
                groups[long_date(mission.start_date).capitalize()].append(mission)
        else:
            for mission in sorted(shown, key=lambda m: (m.paper_code or "~", m.start_date)):
                key = (
                    self.tr("Épreuve {code}").format(code=mission.paper_code)
                    + (f" – {mission.exam}" if mission.exam else "")
                    if mission.paper_code
                    else self.tr("Sans épreuve (réunions, surveillances…)")
                )
                groups[key].append(mission)
        return groups

    def _fill(self) -> None:
        self.tree.clear()
        # One centre (the usual case): its name on every row would take the missions' room.
        self.tree.setColumnHidden(2, len({m.centre for m in self.missions}) <= 1)
        for name, missions in self._groups().items():
            group = QTreeWidgetItem([name])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)  # the day or the paper across the whole row
            for mission in missions:
                group.addChild(self._item(mission))
            group.setExpanded(True)
        self._show_selection()

    def _item(self, mission: CentreMission) -> QTreeWidgetItem:
        present = [p for p in mission.people if p.state == "CONVENED"]
        away = len(mission.people) - len(present)
        people = str(len(present)) + (
            " (+ " + plural(away, self.tr("absent"), self.tr("absents")) + ")" if away else ""
        )
        when = (
            f"{time_fr(mission.start_time)} – {time_fr(mission.end_time)}"
            if mission.start_date == mission.end_date
            else self.tr("jusqu'au {day}").format(day=date_fr(mission.end_date))
        )
        if mission.service is not None:
            state = self.tr("Constaté le {day}").format(
                day=date_fr(mission.service.date or mission.service.recorded_at.date())
            )
        elif mission.missing:
            state = self.tr("À constater")
        else:
            state = self.tr("Mission à venir")
        texts = [mission.title, when, mission.centre, people, state]
        item = QTreeWidgetItem(texts)
        for column, text in enumerate(texts):  # whole, where a narrow column cuts it
            item.setToolTip(column, text)
        item.setData(0, MISSION_ROLE, mission.id)
        if mission.missing:
            item.setForeground(4, QBrush(ERROR))
        elif mission.service is None:
            item.setForeground(4, QBrush(MUTED))
        return item

    def selected(self) -> list[CentreMission]:
        ids = {
            item.data(0, MISSION_ROLE)
            for item in self.tree.selectedItems()
            if item.data(0, MISSION_ROLE) is not None
        }
        return [m for m in self.missions if m.id in ids]

    def _show_selection(self) -> None:
        chosen = self.selected()
        self.record_button.setEnabled(any(m.missing for m in chosen))
        self.correct_button.setEnabled(len(chosen) == 1 and chosen[0].service is not None)
        if len(chosen) != 1:
            self.detail.setText(
                self.tr("Sélectionnez une mission pour voir ses intervenants.")
                if not chosen
                else self.tr("{n} missions sélectionnées.").format(n=len(chosen))
            )
            return
        self.detail.setText(self._detail_html(chosen[0]))

    def _detail_html(self, mission: CentreMission) -> str:
        from html import escape

        lines = [f"<p><b>{escape(mission.title)}</b><br>{escape(mission.session)}</p><ul>"]
        if not mission.people:
            lines.append(f"<li>{escape(self.tr('Personne n’est convoqué.'))}</li>")
        for person in mission.people:
            text = f"{escape(person.name)} : {escape(person.state_label)}"
            if person.reason:
                text += f" ({escape(person.reason)})"
            colour = (
                "" if person.state == "CONVENED" else f' style="color:{app_style.ERROR_COLOUR}"'
            )
            lines.append(f"<li{colour}>{text}</li>")
        lines.append("</ul>")
        service = mission.service
        if service is not None:
            day = date_fr(service.date or service.recorded_at.date())
            who = f" par {escape(service.recorded_by)}" if service.recorded_by else ""
            lines.append(f"<p>{escape(self.tr('Service fait constaté le'))} {day}{who}")
            if service.corrected:
                lines.append(escape(self.tr(" (constat corrigé)")))
            lines.append("</p>")
            if service.remark:
                lines.append(f"<p><i>{escape(service.remark)}</i></p>")
        return "".join(lines)

    # --- recording ------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return dt.datetime.now().astimezone().date()

    def record_selected(self) -> None:
        missing = [m for m in self.selected() if m.missing]
        if not missing:
            return
        dialog = ServiceDialog(
            self.tr("Constat de service fait"),
            self.tr("Vous constatez que le service de {n} a été fait.").format(
                n=plural(len(missing), "mission", "missions")
            ),
            self._today(),
            max(m.start_date for m in missing),
            parent=self,
        )
        self.service_dialog = dialog
        dialog.accepted.connect(lambda: self._record(missing, dialog))
        dialog.open()

    def _record(self, missions: list[CentreMission], dialog: ServiceDialog) -> None:
        api, day, remark = self.api, dialog.chosen_day(), dialog.chosen_remark()
        ids = [m.id for m in missions]
        Op(self, lambda: api.record(ids, day, remark), bar=self.bar).on_success(
            self._on_recorded
        ).run(self.ctx.runner)

    def _on_recorded(self, result: ServiceDoneOut) -> None:
        if result.failed:
            reasons = "; ".join(r.reason or "" for r in result.results if not r.ok)
            self.bar.warning(
                self.tr("{done} ; {failed} : {reasons}").format(
                    done=plural(result.done, "constat enregistré", "constats enregistrés"),
                    failed=plural(result.failed, "refus", "refus"),
                    reasons=reasons,
                )
            )
        else:
            self.bar.success(
                plural(result.done, "constat de service fait enregistré", "constats enregistrés")
                + "."
            )
        self.recorded.emit()
        self.refresh()

    def correct_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or chosen[0].service is None:
            return
        mission = chosen[0]
        service = mission.service
        dialog = ServiceDialog(
            self.tr("Corriger le constat"),
            self.tr("Corrigez la date ou la remarque du constat de « {title} ».").format(
                title=mission.title
            ),
            self._today(),
            mission.start_date,
            day=cast(Any, service).date,
            remark=cast(Any, service).remark,
            parent=self,
        )
        dialog.ok_button.setText(self.tr("&Corriger"))
        self.service_dialog = dialog
        dialog.accepted.connect(lambda: self._correct(mission, dialog))
        dialog.open()

    def _correct(self, mission: CentreMission, dialog: ServiceDialog) -> None:
        api, day, remark = self.api, dialog.chosen_day(), dialog.chosen_remark()
        Op(self, lambda: api.correct(mission.id, day, remark), bar=self.bar).on_success(
            lambda _none: self._on_corrected()
        ).run(self.ctx.runner)

    def _on_corrected(self) -> None:
        self.bar.success(self.tr("Le constat est corrigé."))
        self.recorded.emit()
        self.refresh()
