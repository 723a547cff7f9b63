"""The sober look every screen shares: the system font, a clear title per page, generous spacing.

Sizes derive from the system font rather than fixed pixels, so that a person who enlarged the
desktop font gets a larger IMAG'IN too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLayout, QWidget

ERROR_COLOUR = "#a1231b"
SUCCESS_COLOUR = "#1e6b34"
MUTED_COLOUR = "#5f6b7a"
ACCENT_COLOUR = "#1f3a5f"

# Outer margins and spacing of a page, in pixels at the default font size.
PAGE_MARGIN = 24
PAGE_SPACING = 14

STYLESHEET = f"""
QLabel#pageTitle {{ color: {ACCENT_COLOUR}; }}
QLabel#pageSubtitle {{ color: {MUTED_COLOUR}; }}
QLabel#fieldError {{ color: {ERROR_COLOUR}; }}
QLabel#hint {{ color: {MUTED_COLOUR}; }}
QLabel#sectionTitle {{ color: {ACCENT_COLOUR}; }}
QFrame#card {{ background: palette(base); border: 1px solid #c9d1da; border-radius: 6px; }}
QTableView {{ gridline-color: #dde3ea; }}
QTableView::item {{ padding: 2px 6px; }}
QHeaderView::section {{ padding: 4px 6px; }}
"""


def apply(app: QApplication) -> None:
    """The application-wide look; called once, before the first window is built."""
    app.setStyleSheet(STYLESHEET)


def _scaled(widget: QWidget, factor: float, bold: bool) -> None:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    widget.setFont(font)


def page_title(text: str, parent: QWidget | None = None) -> QLabel:
    """The title at the top of a page (also what a screen reader announces first)."""
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    label.setAccessibleName(text)
    _scaled(label, 1.6, bold=True)
    return label


def page_subtitle(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("pageSubtitle")
    label.setWordWrap(True)
    return label


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionTitle")
    _scaled(label, 1.15, bold=True)
    return label


def hint(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A muted explanation under or beside a field."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def field_error(parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """The place beside a field where its problem is written; hidden while there is none."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_field_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setAccessibleDescription(text or "")
    label.setVisible(bool(text))


def card(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("card")
    frame.setFrameShape(QFrame.Shape.NoFrame)
    return frame


def page_margins(layout: QLayout) -> None:
    layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    layout.setSpacing(PAGE_SPACING)
