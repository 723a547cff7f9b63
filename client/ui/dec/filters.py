"""The queue's filters: session, exam, paper, centre, mission type, status, anomaly and the
intervenant's name. Every filter is applied by the server; the lists of sessions, centres
and anomaly kinds come from the workstation's reference lists (one request, kept for the
session), those of exams and papers are read when a session or an exam is chosen.

Signals:
    changed(): the filters changed (typing in the search box waits for a pause).
    failed(object): a list could not be read.
    status_kinds_loaded(list[StatusKind]): the server's status labels arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from client.api.dec import DecApi
from client.api.dec_models import (
    AnomalyKind,
    QueueFilters,
    ReferenceLists,
    StatusKind,
    opening_filters,
    status_key,
)
from client.api.models import MissionType, Status
from client.ui.models.dec_queue import mission_type_labels
from client.ui.ops import Op
from client.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 300
FILTERS_PER_ROW = 3
OPENING_STATUS = status_key(opening_filters().status or Status.SUBMITTED)
_CLEAN = "__clean__"
_DIRTY = "__dirty__"


def parse_status_key(key: str) -> tuple[Status, bool | None]:
    """The status and, for an open statement, whether its mission is over, of a filter value."""
    status, _, stage = key.partition(":")
    return Status(status), (stage == "done") if stage else None


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class FilterBar(QWidget):
    changed = Signal()
    failed = Signal(object)
    status_kinds_loaded = Signal(list)

    def __init__(self, api: DecApi, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._runner = runner
        self._quiet = False
        self.anomaly_kinds: list[AnomalyKind] = []
        self.session = _combo(self.tr("Session"))
        self.exam = _combo(self.tr("Examen"))
        self.paper = _combo(self.tr("Épreuve"))
        self.centre = _combo(self.tr("Centre"))
        self.mission_type = _combo(self.tr("Type de mission"))
        self.status = _combo(self.tr("Statut"))
        self.anomaly = _combo(self.tr("Anomalie"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Nom ou identifiant de l'intervenant (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Rechercher un intervenant"))
        self.search.setClearButtonEnabled(True)
        self.reset_button = QPushButton(self.tr("Tout &afficher"))
        self.reset_button.setToolTip(self.tr("Retirer tous les filtres"))
        self.reset_button.clicked.connect(self.reset)

        everything = self.tr("Tous")
        for combo in (self.session, self.exam, self.paper, self.centre):
            combo.addItem(everything if combo is not self.session else self.tr("Toutes"), None)
        self.exam.setItemText(0, everything)
        self.paper.setItemText(0, self.tr("Toutes"))
        self.mission_type.addItem(everything, None)
        for kind, label in mission_type_labels(self.tr).items():
            self.mission_type.addItem(label, kind.value)
        self.status.addItem(everything, None)
        # The queue opens on what awaits the DEC; the labels come from the server.
        self.status_kinds: list[StatusKind] = []
        self._wanted_status: str | None = OPENING_STATUS
        self.anomaly.addItem(self.tr("Toutes"), None)
        self.anomaly.addItem(self.tr("Sans anomalie"), _CLEAN)
        self.anomaly.addItem(self.tr("Avec anomalie(s)"), _DIRTY)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells: Sequence[tuple[str, QWidget]] = (
            (self.tr("Se&ssion :"), self.session),
            (self.tr("E&xamen :"), self.exam),
            (self.tr("É&preuve :"), self.paper),
            (self.tr("Ce&ntre :"), self.centre),
            (self.tr("&Type :"), self.mission_type),
            (self.tr("St&atut :"), self.status),
            (self.tr("Anomal&ie :"), self.anomaly),
            (self.tr("&Rechercher :"), self.search),
        )
        for number, (text, widget) in enumerate(cells):
            caption = QLabel(text)
            caption.setBuddy(widget)
            # Three filters a row: the queue keeps its width in a 1180-pixel window with the
            # help pane open.
            row, column = divmod(number, FILTERS_PER_ROW)
            grid.addWidget(caption, row, column * 2)
            grid.addWidget(widget, row, column * 2 + 1)
        last_row, used = divmod(len(cells) - 1, FILTERS_PER_ROW)
        grid.addWidget(
            self.reset_button, last_row, (used + 1) * 2, 1, 2, Qt.AlignmentFlag.AlignRight
        )
        for column in range(1, FILTERS_PER_ROW * 2, 2):
            grid.setColumnStretch(column, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._emit)
        self.session.currentIndexChanged.connect(self.on_session_changed)
        self.exam.currentIndexChanged.connect(self.on_exam_changed)
        for combo in (self.paper, self.centre, self.mission_type, self.status, self.anomaly):
            combo.currentIndexChanged.connect(self._emit)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._search_timer.stop()
        super().hideEvent(event)

    # --- reference lists --------------------------------------------------------------------

    def load(self, refresh: bool = False) -> None:
        """Fills the lists from the workstation's reference lists (one request, kept for the
        session; `refresh` asks the server again)."""
        api = self._api
        Op(self, lambda: api.reference_lists(refresh=refresh), latest="lists").on_success(
            self.show_lists
        ).on_failure(self.failed.emit).run(self._runner)

    def show_lists(self, lists: ReferenceLists) -> None:
        self._fill(self.session, lists.sessions, lambda s: f"{s.code} — {s.name}")
        self._fill(self.centre, lists.centres, lambda c: f"{c.code} {c.name}")
        self._on_anomaly_kinds(lists.anomaly_kinds)
        self._on_status_kinds(lists.status_kinds)

    def _fill_later(
        self, combo: QComboBox, fetch: Callable[[], list[Any]], text: Callable[[Any], str], key: str
    ) -> None:
        Op(self, fetch, latest=key).on_success(
            lambda items: self._fill(combo, items, text)
        ).on_failure(self.failed.emit).run(self._runner)

    def _fill(self, combo: QComboBox, items: list[Any], text: Callable[[Any], str]) -> None:
        self._quiet = True
        try:
            kept = combo.currentData()
            while combo.count() > 1:
                combo.removeItem(1)
            for item in items:
                combo.addItem(text(item), item.id)
            index = combo.findData(kept) if kept is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            self._quiet = False

    def _on_status_kinds(self, kinds: list[StatusKind]) -> None:
        self.status_kinds = kinds
        self._quiet = True
        try:
            kept = self._wanted_status or self.status.currentData()
            while self.status.count() > 1:
                self.status.removeItem(1)
            for kind in kinds:
                self.status.addItem(kind.label, kind.key)
            self.status.setCurrentIndex(max(self.status.findData(kept), 0) if kept else 0)
        finally:
            self._quiet = False
        self._wanted_status = None
        self.status_kinds_loaded.emit(kinds)

    def _on_anomaly_kinds(self, kinds: list[AnomalyKind]) -> None:
        self.anomaly_kinds = kinds
        self._quiet = True
        try:
            kept = self.anomaly.currentData()
            while self.anomaly.count() > 3:  # "Toutes", "Sans anomalie", "Avec anomalie(s)"
                self.anomaly.removeItem(3)
            for kind in kinds:
                self.anomaly.addItem(kind.label, kind.code)
            self.anomaly.setCurrentIndex(max(self.anomaly.findData(kept), 0))
        finally:
            self._quiet = False

    def on_session_changed(self, _index: int) -> None:
        session_id = self.session.currentData()
        self._reset_combo(self.exam)
        self._reset_combo(self.paper)
        if session_id is not None:
            self._fill_later(
                self.exam,
                lambda: self._api.exams(session_id),
                lambda e: f"{e.name} — {e.speciality}",
                "exams",
            )
        self._emit()

    def on_exam_changed(self, _index: int) -> None:
        exam_id = self.exam.currentData()
        self._reset_combo(self.paper)
        if exam_id is not None:
            self._fill_later(
                self.paper,
                lambda: self._api.papers(exam_id),
                lambda p: f"{p.code} {p.name}",
                "papers",
            )
        self._emit()

    def _reset_combo(self, combo: QComboBox) -> None:
        self._quiet = True
        try:
            combo.setCurrentIndex(0)
            while combo.count() > 1:
                combo.removeItem(1)
        finally:
            self._quiet = False

    # --- the filters ------------------------------------------------------------------------

    def filters(self) -> QueueFilters:
        anomaly = self.anomaly.currentData()
        mission_type = self.mission_type.currentData()
        key = self._wanted_status or self.status.currentData()
        status, done = parse_status_key(key) if key else (None, None)
        return QueueFilters(
            session_id=self.session.currentData(),
            exam_id=self.exam.currentData(),
            paper_id=self.paper.currentData(),
            centre_id=self.centre.currentData(),
            mission_type=MissionType(mission_type) if mission_type else None,
            status=status,
            done=done,
            anomaly=anomaly if anomaly not in (None, _CLEAN, _DIRTY) else None,
            clean=True if anomaly == _CLEAN else False if anomaly == _DIRTY else None,
            q=" ".join(self.search.text().split()) or None,
        )

    def select(self, combo: QComboBox, value: object) -> None:
        """Chooses the item holding `value` (tests, and links from the dashboard)."""
        if combo is self.status:
            self._wanted_status = None
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def reset(self) -> None:
        self._quiet = True
        try:
            for combo in (
                self.session,
                self.exam,
                self.paper,
                self.centre,
                self.mission_type,
                self.status,
                self.anomaly,
            ):
                combo.setCurrentIndex(0)
            self.search.clear()
            self._search_timer.stop()
            self._wanted_status = None
        finally:
            self._quiet = False
        self._emit()

    def _emit(self, *_args: object) -> None:
        self._search_timer.stop()
        if not self._quiet:
            self.changed.emit()
