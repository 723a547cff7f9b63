"""A word-wrapped table measures each text once: the same sizes as the style gives, asked of
the style once per text and width, however many times the table lays its rows out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from client.ui.measured import MeasuredOnce

LONG = "Baccalauréat professionnel — Épreuve orale de contrôle en langue vivante étrangère"


class Counting(MeasuredOnce):
    """Counts what reaches the style."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.asked = 0

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        original = QStyledItemDelegate.sizeHint

        def counted(*args: Any) -> QSize:
            self.asked += 1
            return original(*args)

        QStyledItemDelegate.sizeHint = counted  # type: ignore[method-assign]
        try:
            return super().sizeHint(option, index)
        finally:
            QStyledItemDelegate.sizeHint = original  # type: ignore[method-assign]


def _wrapped_table(qtbot: Any, rows: int) -> QTableView:
    model = QStandardItemModel(rows, 2)
    for number in range(rows):
        model.setItem(number, 0, QStandardItem(LONG))
        model.setItem(number, 1, QStandardItem(f"{number} €"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.setParent(view)
    view.setWordWrap(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.resize(500, 400)
    return view


def test_rows_as_tall_as_the_style_makes_them(qtbot: Any) -> None:
    plain = _wrapped_table(qtbot, 3)
    measured = _wrapped_table(qtbot, 3)
    measured.setItemDelegate(MeasuredOnce(measured))
    for view in (plain, measured):
        view.show()
        qtbot.waitExposed(view)
        view.setColumnWidth(0, 180)
    assert [measured.rowHeight(n) for n in range(3)] == [plain.rowHeight(n) for n in range(3)]
    assert measured.rowHeight(0) > 2 * measured.fontMetrics().height()  # wrapped


def test_each_text_and_width_measured_once(qtbot: Any) -> None:
    view = _wrapped_table(qtbot, 20)
    delegate = Counting(view)
    view.setItemDelegate(delegate)
    view.show()
    qtbot.waitExposed(view)
    for width in (180, 240, 180, 240):
        view.setColumnWidth(0, width)
        view.resizeRowsToContents()
    # Two texts' kinds per width of the long column, the figures measured at their one width:
    # at most a few dozen answers from the style, where Qt asked hundreds of times.
    assert delegate.asked <= 2 * 20 + 10
    narrow = view.rowHeight(0)
    view.setColumnWidth(0, 400)
    view.resizeRowsToContents()
    assert view.rowHeight(0) < narrow  # a new width is measured anew
