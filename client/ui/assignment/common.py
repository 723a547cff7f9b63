"""What the assignment screens share: their tables, how a failure is shown, letters on disk."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from client.api.assignment import AssignmentApi
from client.api.assignment_models import LetterPdf
from client.ui.errors import message_for
from client.ui.login.session import AppContext
from client.ui.missions.recaps import write_atomically
from client.ui.models.assignment_tables import Column, RowsModel, RowsProxy
from client.ui.widgets import MessageBar

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
        view = QTableView(parent)
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(stretch is None)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setAccessibleName(name)
        self.view = view
        self._stretch = stretch
        self._max_width = max_width

    def set_rows(self, rows: Sequence[T]) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            if column != self._stretch:
                header.resizeSection(column, min(header.sectionSize(column), self._max_width))

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


def show_failure(ctx: AppContext, bar: MessageBar, error: BaseException) -> None:
    """A failure in the message bar, in French; a lost session also tells the main window."""
    if not ctx.guard.check(error):
        log.info("assignment call failed: %r", error)
    bar.error(message_for(error))


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
                ).format(path)
            )
        if on_saved is not None:
            on_saved(path)

    ctx.runner.run(
        work,
        on_success=saved,
        on_failure=lambda error: show_failure(ctx, bar, error),
        key=f"letter-{letter_id}",
    )
