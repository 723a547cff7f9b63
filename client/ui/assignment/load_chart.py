"""The load of each person in the session as bars: half-days or copies.

pyqtgraph draws it when installed (it runs on PySide6-Essentials); otherwise a small QPainter
chart does, so the screen never depends on an optional package.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QStackedLayout, QWidget

from client.api.assignment_models import PersonLoad
from client.ui import app_style

log = logging.getLogger(__name__)

BAR_COLOUR = "#4a78b0"
LIMIT_COLOUR = app_style.ERROR_COLOUR


class Measure(Enum):
    HALF_DAYS = "half_days"
    COPIES = "copies"


def _value(load: PersonLoad, measure: Measure) -> int:
    return load.half_days if measure is Measure.HALF_DAYS else load.copies


def _short(name: str) -> str:
    # "Élodie Dupont-Martin" -> "É. Dupont-Martin": bars stay narrow, names stay readable.
    first, _, last = name.partition(" ")
    return f"{first[:1]}. {last}" if last else name


class _PainterBars(QWidget):
    """The fallback chart: plain bars with the person's initial and name underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[tuple[str, int]] = []
        self.limit: int | None = None
        self.setMinimumHeight(160)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        area = QRectF(self.rect()).adjusted(36, 8, -8, -(metrics.height() + 10))
        painter.setPen(QColor(app_style.MUTED_COLOUR))
        if not self.values:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Aucune charge."))
            return
        top = max([v for _, v in self.values] + [self.limit or 0, 1])
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawText(QRectF(0, area.top() - 6, 32, 14), Qt.AlignmentFlag.AlignRight, str(top))
        painter.drawText(QRectF(0, area.bottom() - 8, 32, 14), Qt.AlignmentFlag.AlignRight, "0")
        step = area.width() / len(self.values)
        width = max(2.0, step * 0.7)
        for number, (name, value) in enumerate(self.values):
            height = area.height() * value / top
            x = area.left() + number * step + (step - width) / 2
            painter.fillRect(QRectF(x, area.bottom() - height, width, height), QColor(BAR_COLOUR))
            if step > 40:
                label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(step) - 4)
                painter.drawText(
                    QRectF(area.left() + number * step, area.bottom() + 4, step, metrics.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    label,
                )
        if self.limit:
            y = area.bottom() - area.height() * self.limit / top
            painter.setPen(QColor(LIMIT_COLOUR))
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))


class LoadChart(QWidget):
    """Bars of the half-days (or copies) of each person, the limit as a red line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure = Measure.HALF_DAYS
        self.loads: list[PersonLoad] = []
        self.limits: dict[Measure, int | None] = {Measure.HALF_DAYS: None, Measure.COPIES: None}
        self.setAccessibleName(self.tr("Graphique des charges par intervenant"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QStackedLayout(self)
        self._plot = None
        try:
            import pyqtgraph as pg
        except ImportError:
            log.info("pyqtgraph not installed: the load chart is drawn with QPainter")
        else:
            pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
            plot = pg.PlotWidget()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(y=True, alpha=0.25)
            plot.setMinimumHeight(160)
            self._plot = plot
            layout.addWidget(plot)
        self._bars = _PainterBars()
        if self._plot is None:
            layout.addWidget(self._bars)

    @property
    def uses_pyqtgraph(self) -> bool:
        return self._plot is not None

    def set_limits(self, half_days: int | None, copies: int | None) -> None:
        self.limits = {Measure.HALF_DAYS: half_days, Measure.COPIES: copies}
        self._draw()

    def set_measure(self, measure: Measure) -> None:
        self.measure = measure
        self._draw()

    def set_loads(self, loads: Sequence[PersonLoad]) -> None:
        self.loads = sorted(loads, key=lambda p: (-_value(p, self.measure), p.person_name))
        self._draw()

    def values(self) -> list[tuple[str, int]]:
        ordered = sorted(self.loads, key=lambda p: (-_value(p, self.measure), p.person_name))
        return [(_short(p.person_name), _value(p, self.measure)) for p in ordered]

    def _draw(self) -> None:
        values = self.values()
        limit = self.limits[self.measure]
        if self._plot is None:
            self._bars.values = values
            self._bars.limit = limit
            self._bars.update()
            return
        import pyqtgraph as pg

        plot = self._plot
        plot.clear()
        label = self.tr("Demi-journées") if self.measure is Measure.HALF_DAYS else self.tr("Copies")
        plot.setLabel("bottom", label)
        if not values:
            return
        # Horizontal bars: the names read on the left axis, the most loaded at the top.
        ys = list(range(len(values)))
        lengths = [v for _, v in values]
        plot.addItem(
            pg.BarGraphItem(x0=0, y=ys, width=lengths, height=0.7, brush=BAR_COLOUR, pen=None)
        )
        if limit:
            plot.addItem(pg.InfiniteLine(pos=limit, angle=90, pen=pg.mkPen(LIMIT_COLOUR, width=1)))
        every = max(1, len(values) // 25)
        ticks = [(y, name) for y, (name, _) in zip(ys, values, strict=True) if y % every == 0]
        plot.getAxis("left").setTicks([ticks])
        plot.getAxis("bottom").setTicks(None)
        plot.invertY(True)
        plot.setYRange(-0.6, len(values) - 0.4, padding=0)
        plot.setXRange(0, max([*lengths, limit or 0, 1]) * 1.08, padding=0)
