"""The intervenant's convocations as a table, and the filters of the missions screen.

`ConvocationTableModel` shows plain `Convocation` rows; `ConvocationFilterProxy` sorts them on
the values (dates, amounts) rather than on the displayed text and keeps those of the chosen
set ("À compléter", "Validés", "Tous") that match the search words, accents and case ignored.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from enum import Enum
from typing import Any

from babel.dates import format_date
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from client.api.models import Convocation, Status
from client.formatting import LOCALE, date_fr, euros
from client.ui.models.roles import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex

# The intervenant's labels of an open statement whose mission has begun (DOMAIN §3).
_STARTED_LABELS = frozenset({"Mission en cours", "Non validé"})
VALIDATED = frozenset(
    {Status.SUBMITTED, Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID}
)


def folded(text: str) -> str:
    """Lower case without accents: "Épreuve" and "epreuve" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def short_period(start: dt.date, end: dt.date) -> tuple[str, str]:
    """The two ends of a period, the first one shortened as far as the second allows:
    `12` and `13/05/2026`, `29/05` and `02/06/2026`, or both in full."""
    if start.year != end.year:
        return date_fr(start), date_fr(end)
    pattern = "dd" if start.month == end.month else "dd/MM"
    return format_date(start, pattern, locale=LOCALE), date_fr(end)


def to_complete(row: Convocation) -> bool:
    """Whether the intervenant has something to do: a begun mission not yet validated, or a
    statement the DEC sent back."""
    if row.status is Status.RETURNED:
        return True
    return row.status is Status.OPEN and row.labels.intervenant in _STARTED_LABELS


def validated(row: Convocation) -> bool:
    return row.status in VALIDATED


_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        ROW_ROLE,
    }
)


class Column(Enum):
    DATES = 0
    EXAM = 1
    PAPER = 2
    MISSION_TYPE = 3
    PLACE = 4
    PAY = 5
    TRAVEL = 6
    AMOUNT = 7


class ConvocationTableModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[Convocation] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Convocation] = list(rows)
        self._search: list[str] = [self._haystack(r) for r in self._rows]
        # The texts as shown, made once per row: the view asks for them on every layout of
        # its word-wrapped rows, and money through Babel costs a millisecond a cell.
        self._texts: dict[tuple[int, Column], str] = {}
        self._headers = {
            Column.DATES: self.tr("Dates"),
            Column.EXAM: self.tr("Examen"),
            Column.PAPER: self.tr("Épreuve"),
            Column.MISSION_TYPE: self.tr("Type de mission"),
            Column.PLACE: self.tr("Lieu"),
            Column.PAY: self.tr("Indemnités"),
            Column.TRAVEL: self.tr("Déplacement"),
            Column.AMOUNT: self.tr("Montant"),
        }

    # --- rows -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Convocation]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [self._haystack(r) for r in self._rows]
        self._texts.clear()
        self.endResetModel()

    def replace(self, row: Convocation) -> None:
        """Puts a fresher version of one convocation in place (after an action on it)."""
        for number, current in enumerate(self._rows):
            if current.id == row.id:
                self._rows[number] = row
                self._search[number] = self._haystack(row)
                for column in Column:
                    self._texts.pop((number, column), None)
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(number, 0), self.index(number, last))
                return

    def row(self, number: int) -> Convocation:
        return self._rows[number]

    def rows(self) -> list[Convocation]:
        return list(self._rows)

    def search_text(self, number: int) -> str:
        return self._search[number]

    @staticmethod
    def _haystack(row: Convocation) -> str:
        mission = row.mission
        words = (
            mission.exam,
            mission.speciality,
            mission.paper,
            mission.paper_code,
            mission.centre,
            mission.commune,
            mission.type_label,
        )
        return folded(" ".join(w for w in words if w))

    # --- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The word-wrapped rows are measured often, each time for a dozen roles: those not
        # answered leave first.
        if role not in _ANSWERED or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            key = (index.row(), column)
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self._text(row, column)
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is Column.AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def _text(self, row: Convocation, column: Column) -> str:
        mission = row.mission
        if column is Column.DATES:
            if mission.start_date == mission.end_date:
                return date_fr(mission.start_date)
            return self.tr("{0} au {1}").format(*short_period(mission.start_date, mission.end_date))
        if column is Column.EXAM:
            return mission.exam or mission.session
        if column is Column.PAPER:
            if mission.paper_code and mission.paper:
                return self.tr("{code} – {name}").format(
                    code=mission.paper_code, name=mission.paper
                )
            return mission.paper or mission.paper_code or "—"
        if column is Column.MISSION_TYPE:
            return mission.type_label
        if column is Column.PLACE:
            # The commune first: it is what a narrow column should still show.
            return self.tr("{commune} – {centre}").format(
                centre=mission.centre, commune=mission.commune
            )
        if column is Column.PAY:
            return row.labels.pay
        if column is Column.TRAVEL:
            return row.labels.travel
        return euros(row.total)

    def _tooltip(self, row: Convocation, column: Column) -> str | None:
        """The whole text, for a column too narrow to show it."""
        mission = row.mission
        if column is Column.DATES and mission.start_date != mission.end_date:
            return self.tr("du {0} au {1}").format(
                date_fr(mission.start_date), date_fr(mission.end_date)
            )
        if column is Column.PLACE:
            return self.tr("{centre}\n{address}\n{commune}").format(
                centre=mission.centre, address=mission.centre_address, commune=mission.commune
            )
        if column is Column.EXAM and mission.speciality:
            return self.tr("{exam} – {speciality}").format(
                exam=mission.exam or mission.session, speciality=mission.speciality
            )
        if column in (Column.PAPER, Column.EXAM, Column.PAY, Column.TRAVEL):
            return self._text(row, column)
        return None

    def sort_key(self, number: int, column: int) -> Any:
        """What a column sorts on: the value, not its French text."""
        row = self._rows[number]
        mission = row.mission
        match Column(column):
            case Column.DATES:
                return (mission.start_date, mission.start_time, mission.end_date)
            case Column.AMOUNT:
                return row.total
            case other:
                return folded(self._text(row, other))


class ConvocationFilter(Enum):
    TO_COMPLETE = "to_complete"
    VALIDATED = "validated"
    ALL = "all"


class ConvocationFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ConvocationFilter.ALL
        self._words: list[str] = []

    @property
    def current_filter(self) -> ConvocationFilter:
        return self._filter

    def set_filter(self, which: ConvocationFilter) -> None:
        if which is not self._filter:
            self.beginFilterChange()
            self._filter = which
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        words = folded(text).split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _source(self) -> ConvocationTableModel:
        source = self.sourceModel()
        assert isinstance(source, ConvocationTableModel)
        return source

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        source = self._source()
        row = source.row(source_row)
        if self._filter is ConvocationFilter.TO_COMPLETE and not to_complete(row):
            return False
        if self._filter is ConvocationFilter.VALIDATED and not validated(row):
            return False
        haystack = source.search_text(source_row)
        return all(word in haystack for word in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        source = self._source()
        left_key = source.sort_key(left.row(), left.column())
        right_key = source.sort_key(right.row(), right.column())
        return bool(left_key < right_key)
