"""The sober look every screen shares: the system font, a clear title per page, generous spacing.

Sizes derive from the system font rather than fixed pixels, so that a person who enlarged the
desktop font gets a larger IMAG'IN too. The colours of text follow the system palette: on a dark
or high-contrast one, lighter tones keep the same contrast. The control that has the keyboard's
focus is always marked: Fusion draws the default button the same with or without it, and lists
and help texts not at all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

ERROR_COLOUR = "#a1231b"
SUCCESS_COLOUR = "#1e6b34"
MUTED_COLOUR = "#5f6b7a"
WARNING_COLOUR = "#8a5300"  # what the DEC will check: not an error, said before validating
ACCENT_COLOUR = "#1f3a5f"

# Outer margins and spacing of a page, in pixels at the default font size.
PAGE_MARGIN = 24
PAGE_SPACING = 14


@dataclass(frozen=True)
class Tones:
    """The colours of text on the window's background."""

    error: str
    success: str
    muted: str
    warning: str
    accent: str
    border: str


# Each at least 4.5:1 against its background (WCAG AA), checked by tests/client/ui.
LIGHT = Tones(
    error=ERROR_COLOUR,
    success=SUCCESS_COLOUR,
    muted=MUTED_COLOUR,
    warning=WARNING_COLOUR,
    accent=ACCENT_COLOUR,
    border="#8a96a3",
)
DARK = Tones(
    error="#ff9a8f",
    success="#8fd6a3",
    muted="#b4bec9",
    warning="#ffc266",
    accent="#a8c8f0",
    border="#8a96a3",
)


def tones(palette: QPalette | None = None) -> Tones:
    """The tones for `palette` (by default the application's): lighter ones on a dark window."""
    window = (palette or QApplication.palette()).color(QPalette.ColorRole.Window)
    return DARK if window.lightnessF() < 0.5 else LIGHT


def readable(colour: str, palette: QPalette | None = None) -> str:
    """A tone of the light set as it should be written on `palette`'s window: itself on a light
    one, its lighter counterpart on a dark one (lists colour their cells with the light set)."""
    now = tones(palette)
    if now is LIGHT:
        return colour
    counterparts: dict[str, str] = {
        getattr(LIGHT, f.name).lower(): getattr(now, f.name) for f in dataclasses.fields(Tones)
    }
    return counterparts.get(colour.lower(), colour)


def stylesheet(t: Tones) -> str:
    return f"""
QLabel#pageTitle {{ color: {t.accent}; }}
QLabel#pageSubtitle {{ color: {t.muted}; }}
QLabel#fieldError {{ color: {t.error}; }}
QLabel#fieldError[warning="true"] {{ color: {t.warning}; }}
QLabel#hint {{ color: {t.muted}; }}
QLabel#sectionTitle {{ color: {t.accent}; }}
QFrame#card {{ background: palette(base); border: 1px solid #c9d1da; border-radius: 6px; }}
QTableView {{ gridline-color: #dde3ea; }}
QTableView::item {{ padding: 2px 6px; }}
QHeaderView::section {{ padding: 4px 6px; }}
QAbstractItemView, QTextBrowser {{ border: 1px solid {t.border}; padding: 1px; }}
QAbstractItemView:focus, QTextBrowser:focus {{ border: 2px solid {t.accent}; padding: 0px; }}
"""


class _VisibleFocus(QProxyStyle):
    """The system's style, with a ring inside the push button that has the keyboard's focus."""

    def drawControl(  # noqa: N802 (Qt's name)
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        keyboard = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
        if element == QStyle.ControlElement.CE_PushButton and option.state & keyboard == keyboard:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(tones(option.palette).accent), 2))
            painter.drawRoundedRect(option.rect.adjusted(3, 3, -3, -3), 3, 3)
            painter.restore()


def apply(app: QApplication) -> None:
    """The application-wide look; called once, before the first window is built."""
    app.setStyle(_VisibleFocus(app.style().name()))
    app.setStyleSheet(stylesheet(tones(app.palette())))


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


def show_field_error(label: QLabel, text: str | None, *, warning: bool = False) -> None:
    """A problem beside its field, or with `warning` what the DEC will check there (⚠)."""
    shown = f"⚠ {text}" if text and warning else text or ""
    label.setText(shown)
    label.setAccessibleDescription(shown)
    if bool(label.property("warning")) != warning:
        label.setProperty("warning", warning)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setVisible(bool(text))


def card(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("card")
    frame.setFrameShape(QFrame.Shape.NoFrame)
    return frame


def page_margins(layout: QLayout) -> None:
    layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    layout.setSpacing(PAGE_SPACING)
