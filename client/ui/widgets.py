"""Small widgets every screen shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QTableView,
    QToolTip,
    QWidget,
)

from client.ui.app_style import ERROR_COLOUR, SUCCESS_COLOUR
from client.ui.measured import MeasuredOnce


class Level(Enum):
    INFO = ("#e8f0fe", "#1a4d8f")
    SUCCESS = ("#e6f4ea", SUCCESS_COLOUR)
    WARNING = ("#fff4e5", "#8a5300")
    ERROR = ("#fdecea", ERROR_COLOUR)


class MessageBar(QWidget):
    """An inline message above the content, instead of improvised pop-ups.

    Signals:
        action_triggered(): the optional action button (e.g. "Réessayer") was pressed.
    """

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton()
        self._action.clicked.connect(self._on_action)
        self._on_action_of_message: Callable[[], object] | None = None
        self._close = QPushButton(self.tr("Fermer"))
        self._close.setFlat(True)
        self._close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def show_message(
        self,
        text: str,
        level: Level = Level.INFO,
        action: str | None = None,
        on_action: Callable[[], object] | None = None,
    ) -> None:
        """`on_action`, if given, is what the action button of this message does, instead of
        emitting `action_triggered` for the bar's owner; the next message forgets it."""
        self._on_action_of_message = on_action
        background, foreground = level.value
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {foreground};"
            f" border-radius: 4px; }} #messageBar QLabel {{ color: {foreground}; }}"
        )
        self.level = level
        self._label.setText(text)
        self._action.setVisible(action is not None)
        self._action.setText(action or "")
        self.setAccessibleDescription(text)
        self.show()

    def info(self, text: str, action: str | None = None) -> None:
        self.show_message(text, Level.INFO, action)

    def success(self, text: str) -> None:
        self.show_message(text, Level.SUCCESS)

    def withdraw(self, *levels: Level) -> None:
        """Hides the message if it is of one of `levels`: its cause is gone (an "Enregistré"
        once the person types again, a problem once corrected)."""
        if not self.isHidden() and getattr(self, "level", None) in levels:
            self.hide()

    def warning(
        self, text: str, action: str | None = None, on_action: Callable[[], object] | None = None
    ) -> None:
        self.show_message(text, Level.WARNING, action, on_action)

    def _on_action(self) -> None:
        callback = self._on_action_of_message
        if callback is None:
            self.action_triggered.emit()
        else:
            callback()

    def error(self, text: str, action: str | None = None) -> None:
        self.show_message(text, Level.ERROR, action)


class FlowLayout(QLayout):
    """A row of widgets that wraps onto the next line when the room runs out, like words: a
    narrow pane keeps every button whole instead of widening the window."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


# The room a cell's text has: its width less the item padding of app_style (6 px each side).
_CELL_PADDING = 12
# Columns sized by their content read this many rows beyond those on screen: measuring every
# row of a long list (a thousand accounts) froze the interface for a few hundred ms.
SIZED_ROWS = 100


def sample_rows(count: int, first: int, wanted: int = SIZED_ROWS) -> list[int]:
    """At most about `wanted` row numbers of `count`: from `first` (the top row on screen)
    on, then spread evenly over the whole."""
    if count <= wanted:
        return list(range(count))
    head = list(range(max(first, 0), min(count, max(first, 0) + wanted // 2)))
    step = max(1, count // max(1, wanted - len(head)))
    return sorted(set(head) | set(range(0, count, step)))


def fit_to_sample(view: QTableView, rows: int = SIZED_ROWS) -> None:
    """Each column of `view` as wide as its heading and the widest of a sample of its cells,
    as `resizeColumnsToContents` would make it reading every row."""
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader()
    top = max(view.rowAt(0), 0)
    numbers = sample_rows(model.rowCount(), top, rows)
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        content = max(
            (view.sizeHintForIndex(model.index(row, column)).width() for row in numbers),
            default=0,
        )
        if content and view.showGrid():
            content += 1  # the grid line, as Qt's sizeHintForColumn counts it
        header.resizeSection(column, max(content, header.sectionSizeHint(column)))


class RowsView(QTableView):
    """The table of rows every list uses: whole rows selected (one, or several when `multi`),
    nothing edited in place, Tab leaving the table and the arrows moving inside it, the first
    row made current when the keyboard enters a table without one, columns sized by their
    content (or by sample texts, for a paged model whose rows are not all there) within a
    maximum, and a cell whose text is cut off showing it whole in its tooltip."""

    def __init__(self, name: str, *, multi: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        # Columns sized by their content measure each text once (client.ui.measured).
        self.setItemDelegate(MeasuredOnce(self))

    def fit_columns(
        self,
        *,
        samples: Mapping[int, str] | None = None,
        stretch: int | None = None,
        max_width: int = 320,
    ) -> None:
        """Sizes each column to its heading and its widest text (or its sample text), at most
        `max_width`; `stretch` takes the room left (else, without samples, the last column does)."""
        header = self.horizontalHeader()
        model = self.model()
        if model is None:
            return
        if samples is None:
            self.resize_columns_to_sample()
        metrics = self.fontMetrics()
        for column in range(model.columnCount()):
            if samples is not None and column in samples:
                heading = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                width = max(
                    metrics.horizontalAdvance(samples[column]), metrics.horizontalAdvance(heading)
                )
                header.resizeSection(column, width + 24)
            elif column != stretch:
                header.resizeSection(column, min(header.sectionSize(column), max_width))
        # A paged model, sized by samples, keeps its widths; a full one fills the width.
        header.setStretchLastSection(stretch is None and samples is None)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def resize_columns_to_sample(self, rows: int = SIZED_ROWS) -> None:
        """`resizeColumnsToContents`, reading at most `rows` rows (the first ones, those on
        screen, and some spread over the rest): Qt reads every row of a table not yet shown."""
        fit_to_sample(self, rows)

    def elided(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether the cell's text is cut off."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None:
            return False
        room = self.columnWidth(index.column()) - _CELL_PADDING
        return self.fontMetrics().horizontalAdvance(str(text)) > room

    def tooltip_for(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """The model's tooltip, after the whole text when the cell cuts it off."""
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        tip = str(tip) if tip else ""
        if self.elided(index):
            text = str(index.data(Qt.ItemDataRole.DisplayRole))
            return text if not tip or tip == text else f"{text}\n{tip}"
        return tip

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            tip = self.tooltip_for(index) if index.isValid() else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        selection = self.selectionModel()
        had_current = selection is not None and selection.currentIndex().isValid()
        super().focusInEvent(event)  # makes a cell current, without selecting it
        model = self.model()
        if (
            not had_current
            and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
            and model is not None
            and selection is not None
            and not selection.hasSelection()
            and model.rowCount() > 0
        ):
            selection.setCurrentIndex(
                model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
