"""CSV exports of what the workstation shows, written on the worker pool.

The files open in a French spreadsheet as they are: semicolon-separated, UTF-8 with a byte
order mark, cells exactly as shown on screen (amounts in euros, dates dd/mm/yyyy).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from client.ui.ops import Op
from client.ui.tasks import Task

Rows = Sequence[Sequence[str]]


def write_csv(path: Path, headings: Sequence[str], rows: Rows) -> int:
    """Writes the table; returns the number of data rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(headings)
        writer.writerows(rows)
    return len(rows)


def ask_path(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    """The file the user chose to write, or None if they gave up."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return Path(name) if name else None


def export_table(
    parent: QWidget, path: Path, table: Callable[[Task], tuple[Sequence[str], Rows]]
) -> Op[int]:
    """Builds the table (which may fetch pages) and writes it, both off the GUI thread; the
    operation answers the number of rows written."""

    def work(task: Task) -> int:
        headings, rows = table(task)
        return write_csv(path, headings, rows)

    return Op.reporting(parent, work)
