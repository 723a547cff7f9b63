"""What the assignment screens share: their tables and letters on disk."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtWidgets import QHeaderView, QWidget

from client.api.assignment import AssignmentApi
from client.api.assignment_models import LetterPdf
from client.recaps import write_atomically
from client.ui.context import AppContext
from client.ui.models.rows import Column, RowsModel, RowsProxy
from client.ui.ops import Op
from client.ui.widgets import MessageBar, RowsView

log = logging.getLogger(__name__)

T = TypeVar("T")

_UNSAFE = re.compile(r"[^\w.-]+")


def assignment_api(ctx: AppContext) -> AssignmentApi:
    """The assignment calls over the application's client (its session renewal and errors)."""
    return AssignmentApi(ctx.api)


class Table(Generic[T]):
    """A sortable, searchable table view over a `RowsModel`."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        name: str,
        multi: bool = False,
        parent: QWidget | None = None,
        stretch: int | None = None,
        max_width: int = 320,
    ) -> None:
        self.model: RowsModel[T] = RowsModel(columns)
        self.proxy = RowsProxy()
        self.proxy.setSourceModel(self.model)
        view = RowsView(name, multi=multi, parent=parent)
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.fit_columns(stretch=stretch, max_width=max_width)
        self.view = view
        self._stretch = stretch
        self._max_width = max_width

    def set_rows(self, rows: Sequence[T]) -> None:
        self.model.set_rows(rows)
        self.view.fit_columns(stretch=self._stretch, max_width=self._max_width)

    def selected(self) -> list[T]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.proxy.row_at(r) for r in rows]

    def current(self) -> T | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def select_row(self, proxy_row: int) -> None:
        index = self.proxy.index(proxy_row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(index, flags)

    def select_where(self, test: Callable[[T], bool]) -> bool:
        for number in range(self.proxy.rowCount()):
            if test(self.proxy.row_at(number)):
                self.select_row(number)
                return True
        return False


def letters_folder(ctx: AppContext) -> Path:
    return ctx.data_path() / "convocations"


def save_letter(pdf: LetterPdf, folder: Path) -> Path:
    """Writes a downloaded letter (worker thread); its path."""
    name = _UNSAFE.sub("-", pdf.filename).strip("-.") or "convocation.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    path = folder / name
    write_atomically(path, pdf.content)
    return path


def download_letter(
    ctx: AppContext,
    bar: MessageBar,
    letter_id: int,
    on_saved: Callable[[Path], Any] | None = None,
) -> None:
    """Downloads a letter, saves it in the data folder and opens it with the system viewer."""
    api = assignment_api(ctx)
    folder = letters_folder(ctx)

    def work() -> Path:
        return save_letter(api.letter_pdf(letter_id), folder)

    def saved(path: Path) -> None:
        if ctx.open_url(QUrl.fromLocalFile(str(path))):
            bar.success(bar.tr("Convocation enregistrée et ouverte : {0}").format(path))
        else:
            bar.warning(
                bar.tr(
                    "Convocation enregistrée dans {0}, mais aucune application n'a pu l'ouvrir."
                ).format(path),
                bar.tr("Afficher le dossier"),
                lambda: ctx.open_url(QUrl.fromLocalFile(str(path.parent))),
            )
        if on_saved is not None:
            on_saved(path)

    Op(bar, work, bar=bar, latest=f"letter-{letter_id}").on_success(saved).run(ctx.runner)
