"""The one table view of every list (client.ui.widgets.RowsView): sizing, elision, keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from client.ui.assignment.common import Table
from client.ui.models.rows import Column, RowsModel
from client.ui.widgets import RowsView

LONG = "Lycée professionnel Jean-Baptiste de La Salle, site de la Madeleine, bâtiment des ateliers"
COLUMNS = [
    Column[tuple[str, str]](
        "Nom", lambda row: row[0], tooltip=lambda row: f"Identifiant : {row[0]}"
    ),
    Column[tuple[str, str]]("Centre", lambda row: row[1]),
]
ROWS = [("Ada", "Lycée Hoche"), ("Blaise", LONG)]


def table_in_window(qtbot: QtBot) -> tuple[QWidget, QLineEdit, RowsView]:
    window = QWidget()
    field = QLineEdit()
    view = RowsView("Personnes")
    view.setModel(RowsModel(COLUMNS, ROWS, parent=view))
    column = QVBoxLayout(window)
    column.addWidget(field)
    column.addWidget(view)
    qtbot.addWidget(window)
    window.resize(520, 240)
    window.show()
    qtbot.waitExposed(window)
    return window, field, view


def test_columns_fit_their_content_within_the_maximum(qtbot: QtBot) -> None:
    _window, _field, view = table_in_window(qtbot)
    view.fit_columns(max_width=200)
    metrics = view.fontMetrics()
    assert view.columnWidth(0) >= metrics.horizontalAdvance("Blaise")
    assert view.columnWidth(1) == 200 or view.horizontalHeader().stretchLastSection()
    view.fit_columns(stretch=0, max_width=200)
    assert view.columnWidth(1) == 200


def test_a_paged_table_is_sized_by_sample_texts(qtbot: QtBot) -> None:
    _window, _field, view = table_in_window(qtbot)
    view.fit_columns(samples={0: "Pierre-Yves Delcourt"})
    metrics = view.fontMetrics()
    assert view.columnWidth(0) == metrics.horizontalAdvance("Pierre-Yves Delcourt") + 24
    assert not view.horizontalHeader().stretchLastSection()


def test_a_cut_off_cell_shows_its_whole_text_in_its_tooltip(qtbot: QtBot) -> None:
    _window, _field, view = table_in_window(qtbot)
    view.fit_columns(stretch=0, max_width=120)
    model = view.model()
    long_cell, short_cell = model.index(1, 1), model.index(0, 1)
    assert view.elided(long_cell) and not view.elided(short_cell)
    assert view.tooltip_for(long_cell) == LONG
    assert view.tooltip_for(short_cell) == "Lycée Hoche"
    # The model's own tooltip stays, after the whole text when the cell cuts it off.
    name = model.index(1, 0)
    assert view.tooltip_for(name) == "Identifiant : Blaise"
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    view.setColumnWidth(0, 14)
    assert view.tooltip_for(name) == "Blaise\nIdentifiant : Blaise"


def test_tab_into_the_table_selects_its_first_row_and_tab_leaves_it(qtbot: QtBot) -> None:
    _window, field, view = table_in_window(qtbot)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(view.hasFocus)
    assert [i.row() for i in view.selectionModel().selectedRows()] == [0]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert [i.row() for i in view.selectionModel().selectedRows()] == [1]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus()


def test_the_assignment_tables_are_rows_views(qtbot: QtBot) -> None:
    table = Table(COLUMNS, name="Personnes", multi=True)
    qtbot.addWidget(table.view)
    table.set_rows(ROWS)
    assert isinstance(table.view, RowsView)
    assert table.view.accessibleName() == "Personnes"
    table.select_row(1)
    assert table.current() == ROWS[1]


def test_each_text_is_made_once_however_often_the_view_paints(qtbot: QtBot) -> None:
    made: list[int] = []

    def amount(row: int) -> str:
        made.append(row)
        return f"{row},00 €"

    model = RowsModel([Column("Montant", amount, numeric=True)], list(range(5)))
    view = RowsView("Montants")
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 300)
    view.show()
    qtbot.waitExposed(view)
    for _ in range(3):
        view.grab()  # paints every cell
    assert model.index(2, 0).data() == "2,00 €"
    assert sorted(made) == list(range(5))
    model.set_rows([7])
    assert model.index(0, 0).data() == "7,00 €"  # new rows, new texts
