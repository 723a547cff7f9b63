"""An item delegate that asks the style for the size of a text once, then remembers it.

A table whose rows take the height of their word-wrapped texts asks for the size of every cell
several times per layout: each row's height, each column sized by its content, again after each
resize of a column. Under the application's style sheet each answer lays the text out anew
(a fifth of a millisecond a cell): showing « Tous » in the intervenant's missions (18 rows)
asked 864 times, clearing the search 1,296 times, and froze the window for 60 to 110 ms
(`bench/dec_gui_probe.py`). The size of a text depends only on the text, its column (the
alignment), the width it wraps in and the font: the same cell measured again is answered from
memory, exactly what the style said the first time, so the table looks the same.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

# Past this many remembered sizes, start afresh (a long list, or many widths tried).
LIMIT = 20_000


class MeasuredOnce(QStyledItemDelegate):
    """`QStyledItemDelegate`, with the size of each (column, wrapping width, text, font)
    computed by the style once."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[int, int, str, str], QSize] = {}

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str):
            return super().sizeHint(option, index)
        rect = option.rect
        # The style wraps within the cell's width when the cell has one, else on one line.
        width = rect.width() if rect.isValid() else -1
        key = (index.column(), width, text, option.font.key())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= LIMIT:
                self._sizes.clear()
            size = self._sizes[key] = super().sizeHint(option, index)
        return QSize(size)
