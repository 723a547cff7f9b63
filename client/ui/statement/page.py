"""What every page of the statement editor does: show a part of the entry, write it back, and
show what the server computed from it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from client.api.models import Computation, Entry, Proposals, Statement
from client.ui import app_style
from client.ui.statement.fields import Slot, set_topic
from client.ui.statement.steps import Step, step_title


class StepPage(QScrollArea):
    """One step of the statement, scrolled when it does not fit.

    Signals:
        edited(): the person changed something on the page.
    """

    edited = Signal()

    step: Step = Step.SERVICE
    topic = "statement"

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement = statement
        self.mission = statement.mission
        self.read_only = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        set_topic(self, self.topic)
        self.body = QWidget()
        self.body.setObjectName("stepPageBody")
        set_topic(self.body, self.topic)
        self.setWidget(self.body)
        self.column = QVBoxLayout(self.body)
        app_style.page_margins(self.column)
        self.title = app_style.section_title(step_title(self.step))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setAccessibleName(step_title(self.step))
        self.column.addWidget(self.title)

    # --- what the editor calls ------------------------------------------------------------

    def fill(self, entry: Entry) -> None:
        """Shows `entry` (without emitting `edited`)."""

    def write(self, entry: Entry, slots: dict[str, Slot]) -> None:
        """Writes what the page shows into `entry`, registering the slot of each field under
        the path the server uses for it."""

    def show_computation(self, computation: Computation, proposals: Proposals) -> None:
        """The server's latest answer for what is typed."""

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def first_field(self) -> QWidget | None:
        """Where the focus goes when the page opens."""
        return None

    # --- helpers --------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        self.edited.emit()

    @staticmethod
    def note_label(text: str = "") -> QLabel:
        label = app_style.hint(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
