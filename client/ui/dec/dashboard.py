"""The session's dashboard: counts by status, amounts by exam and by mission type, and the
validation progress day by day, as charts (pyqtgraph, which runs on PySide6-Essentials), each
with the table behind it exportable as CSV.

Signals:
    loaded(object): the dashboard shows this `Dashboard`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.dec import DecApi
from client.api.dec_models import Dashboard, DayProgress, SessionRef, StatusCount, TypeAmounts
from client.formatting import date_fr, euros, number
from client.ui import app_style
from client.ui.context import AppContext
from client.ui.dec.export import ask_path, write_csv
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.widgets import MessageBar

HELP_TOPIC = "dec_dashboard"

BAR_COLOUR = "#1a4d8f"
LINE_COLOURS = (app_style.SUCCESS_COLOUR, "#8a5300", app_style.ERROR_COLOUR)
# Between two charts, so that each is laid out and painted in a turn of its own.
CHART_PAUSE_MS = 10

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")


@dataclass(frozen=True)
class ExamTotal:
    exam: str
    count: int
    total: Decimal


class FrenchAxis(pg.AxisItem):  # type: ignore[misc]
    """Tick labels written the French way (`1 200`, `2,5`)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        places = 0 if spacing * scale >= 1 else 1
        return [number(Decimal(str(round(v * scale, places))), places) for v in values]


class ChartBox(QFrame):
    """A titled chart with the table behind it, exportable as CSV."""

    def __init__(self, title: str, model: RowsModel[Any], runner: Any, bar: MessageBar) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self._runner = runner
        self._bar = bar
        self._title = title
        self._plot: pg.PlotWidget | None = None
        # The chart takes this room once it is first drawn.
        self._room = QWidget()
        self._room_layout = QVBoxLayout(self._room)
        self._room_layout.setContentsMargins(0, 0, 0, 0)
        self.export_button = QPushButton(self.tr("Exporter en CSV…"))
        self.export_button.setToolTip(self.tr("Enregistrer le tableau de « {0} »").format(title))
        self.export_button.clicked.connect(self.on_export)
        head = QHBoxLayout()
        head.addWidget(app_style.section_title(title), 1)
        head.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self._room, 1)

    @property
    def plot(self) -> pg.PlotWidget:
        """The chart, made when first drawn: four of them made with the workstation froze the
        DEC's log-in for a quarter of a second."""
        if self._plot is None:
            # Without its menu from the start: built and then dropped, the view's English
            # context menu alone took a dozen milliseconds per chart.
            plot = pg.PlotWidget(axisItems={"bottom": FrenchAxis("bottom")}, enableMenu=False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setAccessibleName(self._title)
            self._room_layout.addWidget(plot)
            plot.show()  # at once: a box already shown would only show it a turn later
            self._plot = plot
        return self._plot

    def horizontal_bars(
        self, labels: Sequence[str], values: Sequence[float], unit: str, *, integers: bool = False
    ) -> None:
        """Bars laid flat: the long French labels read on the left axis."""
        self.plot.clear()
        count = len(labels)
        ys = list(range(count))
        if count:
            self.plot.addItem(
                pg.BarGraphItem(x0=0, y=ys, height=0.6, width=list(values), brush=BAR_COLOUR)
            )
        axis = self.plot.getAxis("left")
        axis.setTicks([[(y, _short(label)) for y, label in zip(ys, labels, strict=True)]])
        self.plot.getAxis("bottom").setLabel(unit)
        self.plot.setYRange(-0.6, max(count - 0.4, 0.6), padding=0)
        top = max(values, default=1) or 1
        self.plot.setXRange(0, top * 1.08, padding=0)
        bottom = self.plot.getAxis("bottom")
        if integers and top <= 10:
            bottom.setTickSpacing(1, 1)  # no "2,5 états de frais"
        else:
            bottom.setTickSpacing()

    def lines(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> None:
        self.plot.clear()
        legend = self.plot.addLegend(offset=(10, 10))
        xs = list(range(len(labels)))
        for (name, values), colour in zip(series, LINE_COLOURS, strict=False):
            self.plot.plot(
                xs,
                list(values),
                name=name,
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=6,
                symbolBrush=colour,
            )
        step = max(1, len(labels) // 8)
        self.plot.getAxis("bottom").setTicks([[(x, labels[x]) for x in xs[::step]]])
        _ = legend

    def on_export(self) -> None:
        path = ask_path(
            self,
            self.tr("Exporter le tableau"),
            f"{_slug(self._title)}.csv",
            self.tr("Fichiers CSV (*.csv)"),
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        headings, rows = self.model.table()
        Op(self, lambda: write_csv(path, headings, rows), bar=self._bar).on_success(
            lambda n: self._bar.success(
                self.tr("Tableau exporté ({0} lignes) : {1}").format(n, path)
            )
        ).run(self._runner)


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


class DashboardPane(QWidget):
    loaded = Signal(object)

    def __init__(self, ctx: AppContext, api: DecApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = api
        self.runner = ctx.runner
        self.setProperty("helpTopic", HELP_TOPIC)
        self.current: Dashboard | None = None
        self._drawing: list[Callable[[], None]] = []
        self.bar = MessageBar()
        self.session = QComboBox()
        self.session.setAccessibleName(self.tr("Session"))
        self.session.currentIndexChanged.connect(lambda _n: self.reload())
        session_label = QLabel(self.tr("&Session :"))
        session_label.setBuddy(self.session)
        refresh = QPushButton(self.tr("Actualiser"))
        refresh.clicked.connect(self.reload)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(session_label)
        head.addWidget(self.session, 1)
        head.addWidget(refresh)

        self.status_model: RowsModel[StatusCount] = RowsModel(
            [
                Column(self.tr("Statut"), lambda s: s.label),
                Column(self.tr("Nombre"), lambda s: str(s.count), numeric=True),
                Column(self.tr("Montant"), lambda s: euros(s.total), numeric=True),
            ],
            parent=self,
        )
        self.type_model: RowsModel[TypeAmounts] = RowsModel(
            [
                Column(self.tr("Type de mission"), lambda t: t.label),
                Column(self.tr("Nombre"), lambda t: str(t.count), numeric=True),
                Column(self.tr("Montant"), lambda t: euros(t.total), numeric=True),
            ],
            parent=self,
        )
        self.exam_model: RowsModel[ExamTotal] = RowsModel(
            [
                Column(self.tr("Examen"), lambda e: e.exam),
                Column(self.tr("Nombre"), lambda e: str(e.count), numeric=True),
                Column(self.tr("Montant"), lambda e: euros(e.total), numeric=True),
            ],
            parent=self,
        )
        self.progress_model: RowsModel[DayProgress] = RowsModel(
            [
                Column(self.tr("Jour"), lambda d: date_fr(d.date)),
                Column(self.tr("Transmis"), lambda d: str(d.submitted), numeric=True),
                Column(self.tr("Validés"), lambda d: str(d.approved), numeric=True),
                Column(self.tr("Renvoyés"), lambda d: str(d.returned), numeric=True),
                Column(
                    self.tr("Validés (cumul)"), lambda d: str(d.approved_cumulative), numeric=True
                ),
            ],
            parent=self,
        )
        self.by_status = ChartBox(
            self.tr("États de frais par statut"), self.status_model, self.runner, self.bar
        )
        self.by_type = ChartBox(
            self.tr("Montants par type de mission"), self.type_model, self.runner, self.bar
        )
        self.by_exam = ChartBox(
            self.tr("Montants par examen"), self.exam_model, self.runner, self.bar
        )
        self.progress = ChartBox(
            self.tr("Validation jour par jour"), self.progress_model, self.runner, self.bar
        )
        grid = QGridLayout()
        grid.addWidget(self.by_status, 0, 0)
        grid.addWidget(self.by_type, 0, 1)
        grid.addWidget(self.by_exam, 1, 0)
        grid.addWidget(self.progress, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(head)
        layout.addWidget(self.figures)
        layout.addLayout(grid, 1)

    def start(self) -> None:
        """The sessions from the workstation's reference lists (read once for the session),
        then the first session's dashboard, chained on the worker: one round trip when the
        lists are already there."""
        api = self.api

        def first() -> tuple[list[SessionRef], Dashboard | None]:
            sessions = api.reference_lists().sessions
            return sessions, api.dashboard(sessions[0].id) if sessions else None

        Op(self, first, bar=self.bar, latest="dashboard").on_success(self._on_first).run(
            self.runner
        )

    def _on_first(self, first: tuple[list[SessionRef], Dashboard | None]) -> None:
        sessions, board = first
        self.session.blockSignals(True)
        self.session.clear()
        for session in sessions:
            self.session.addItem(f"{session.code} — {session.name}", session.id)
        self.session.blockSignals(False)
        if board is not None:
            self.show_dashboard(board)
        else:
            self.figures.setText(self.tr("Aucune session."))

    def reload(self) -> None:
        session_id = self.session.currentData()
        if session_id is None:
            return
        api = self.api
        Op(self, lambda: api.dashboard(session_id), bar=self.bar, latest="dashboard").on_success(
            self.show_dashboard
        ).run(self.runner)

    def show_dashboard(self, board: Dashboard) -> None:
        """The figures and tables at once, then one chart per turn of the event loop (each
        takes a few tens of milliseconds to lay out and paint); `loaded` after the last."""
        self.current = board
        self._drawing = self._charts(board)
        self._draw_next()

    def _draw_next(self) -> None:
        if not self._drawing:
            return
        draw = self._drawing.pop(0)
        draw()
        if self._drawing:
            QTimer.singleShot(CHART_PAUSE_MS, self, self._draw_next)
        elif self.current is not None:
            self.loaded.emit(self.current)

    def _charts(self, board: Dashboard) -> list[Callable[[], None]]:
        share = number(board.validated_share * 100, 0)
        self.figures.setText(
            self.tr(
                "{0} états de frais · {1} à valider · {2} validés ({3} % des états transmis)"
            ).format(
                number(board.statement_count),
                number(board.to_validate),
                number(board.validated),
                share,
            )
        )
        statuses = [s for s in board.by_status if s.count]
        self.status_model.set_rows(statuses)
        self.type_model.set_rows(board.by_mission_type)
        exams: dict[str, ExamTotal] = {}
        for line in board.by_exam:
            name = " — ".join(p for p in (line.exam, line.speciality) if p) or self.tr(
                "Sans examen"
            )
            before = exams.get(name, ExamTotal(name, 0, Decimal(0)))
            exams[name] = ExamTotal(name, before.count + line.count, before.total + line.total)
        self.exam_model.set_rows(list(exams.values()))
        self.progress_model.set_rows(board.progress)
        labels = [d.date.strftime("%d/%m") for d in board.progress]
        submitted, total = [], 0
        for day in board.progress:
            total += day.submitted
            submitted.append(total)
        series = [
            (self.tr("Transmis (cumul)"), submitted),
            (self.tr("Validés (cumul)"), [d.approved_cumulative for d in board.progress]),
            (self.tr("Renvoyés (jour)"), [d.returned for d in board.progress]),
        ]
        # Each bar chart in two turns: made and laid out, then drawn.
        return [
            lambda: self.by_status.plot,
            lambda: self.by_status.horizontal_bars(
                [s.label for s in statuses],
                [s.count for s in statuses],
                self.tr("états de frais"),
                integers=True,
            ),
            lambda: self.by_type.plot,
            lambda: self.by_type.horizontal_bars(
                [t.label for t in board.by_mission_type],
                [float(t.total) for t in board.by_mission_type],
                self.tr("euros"),
            ),
            lambda: self.by_exam.plot,
            lambda: self.by_exam.horizontal_bars(
                [e.exam for e in exams.values()],
                [float(e.total) for e in exams.values()],
                self.tr("euros"),
            ),
            # The lines' chart made and drawn at once: its axes take their widths from the
            # first values they show.
            lambda: self.progress.lines(labels, series),
        ]
