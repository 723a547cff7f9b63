"""The contextual help pane: the help of the page, and of the field that has the focus.

The pane follows `QApplication.focusChanged`: from the focused widget it walks up the parents to
the first one carrying the dynamic property `helpTopic` and shows that topic (an unknown topic
falls back on the page's, then on the general one). F1, installed by the host with
`HelpPane.install_shortcut(window)`, shows and raises the pane on the focused field's topic;
pressed again, it moves the focus into the help text (Échap brings it back to the field).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from client.ui.help import rates, topics
from client.ui.help.guide import show_guide
from client.ui.ops import Op

if TYPE_CHECKING:
    from collections.abc import Callable

    from client.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

HELP_TOPIC = "helpTopic"
_PROPERTY = HELP_TOPIC.encode()

STYLE = """
h2 { color: #1f3a5f; font-size: large; margin-bottom: 6px; }
h3 { color: #1f3a5f; margin-top: 10px; margin-bottom: 4px; }
p, li { margin-bottom: 4px; }
.rule { background: #f3f6fa; }
.source { color: #5f6b7a; font-size: small; }
"""


def own_topic(widget: QWidget) -> str | None:
    """The widget's `helpTopic`, read only when it is set (an unset property is an invalid
    QVariant, which some PySide6 versions mishandle)."""
    if _PROPERTY not in [bytes(name.data()) for name in widget.dynamicPropertyNames()]:
        return None
    value = widget.property(HELP_TOPIC)
    return value if isinstance(value, str) and value else None


def topic_chain(widget: QWidget | None) -> list[str]:
    """The topics named by the widget and its parents, nearest first."""
    chain: list[str] = []
    while widget is not None:
        topic = own_topic(widget)
        if topic:
            chain.append(topic)
        widget = widget.parentWidget()
    return chain


def topic_for(widget: QWidget | None) -> str:
    return topics.resolve(topic_chain(widget))


class HelpPane(QDockWidget):
    """Signals:
    topic_changed(str): the pane now shows this topic.
    """

    topic_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Aide"), parent)
        self.setObjectName("helpPane")
        self.setAccessibleName(self.tr("Aide contextuelle"))
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Texte de l'aide"))
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.browser.anchorClicked.connect(self._on_link)
        self.guide_button = QPushButton(self.tr("&Guide utilisateur"))
        self.guide_button.setAccessibleDescription(
            self.tr("Ouvre le guide complet, avec son sommaire et ses captures d'écran.")
        )
        self.guide_button.clicked.connect(self._on_guide)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.guide_button)
        column.addLayout(row)
        self.setWidget(body)
        # Narrow enough that the default window (1180 px) leaves the screens their columns.
        self.setMinimumWidth(260)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.browser)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self._give_focus_back)
        self._last_field: QWidget | None = None
        self._topic = ""
        self._rates_source: tuple[Callable[[], rates.RateBook], TaskRunner] | None = None
        self._rates_asked = False
        self.show_topic(topics.GENERAL)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # --- public ---------------------------------------------------------------------------

    @property
    def current_topic(self) -> str:
        return self._topic

    def show_topic(self, topic: str) -> str:
        """Shows `topic` (or the nearest existing one); returns the topic shown."""
        shown = topics.resolve([topic])
        if shown != self._topic:
            self._topic = shown
            self._render()
            self.browser.setAccessibleDescription(topics.title_of(shown))
            self.topic_changed.emit(shown)
        return shown

    def set_rates_source(
        self, load: Callable[[], rates.RateBook] | None, runner: TaskRunner | None = None
    ) -> None:
        """Where the rates the pages quote come from: `load` (run in the background the
        first time a page quotes a rate) for a session, None at log-out, when the pages fall
        back on « (voir le barème en vigueur) »."""
        self._rates_source = None if load is None or runner is None else (load, runner)
        self._rates_asked = False
        rates.set_current(None)
        self._render()

    def show_for(self, widget: QWidget | None) -> str:
        return self.show_topic(topic_for(widget))

    def install_shortcut(self, window: QWidget) -> QShortcut:
        """F1 in `window` shows the help of the focused field."""
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window)
        if shortcut.key().isEmpty():  # platforms without a standard help key
            shortcut.setKey(QKeySequence(Qt.Key.Key_F1))
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.on_help_requested)
        return shortcut

    def on_help_requested(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self._inside(focused):
            return
        topic = topic_for(focused if focused is not None else self._last_field)
        already = self.isVisible() and topic == self._topic
        self.show_topic(topic)
        self.setVisible(True)
        self.raise_()
        if already:
            # Second F1 on the same field: read the help from the keyboard.
            self._last_field = focused
            self.browser.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- rates -------------------------------------------------------------------------

    def _render(self) -> None:
        html = topics.topic_html(self._topic) or ""
        if rates.PLACEHOLDER.search(html) and rates.current() is None:
            self._ask_rates()
        self.browser.setHtml(rates.fill(html))

    def _ask_rates(self) -> None:
        if self._rates_source is None or self._rates_asked:
            return
        self._rates_asked = True  # once a session: a failure leaves the fallback sentence
        load, runner = self._rates_source
        Op(self, load, latest="help-rates").on_success(self._on_rates).on_failure(
            lambda _error: None
        ).run(runner)

    def _on_rates(self, book: rates.RateBook) -> None:
        rates.set_current(book)
        self._render()

    # --- focus ----------------------------------------------------------------------------

    def _inside(self, widget: QWidget | None) -> bool:
        while widget is not None:
            if widget is self:
                return True
            widget = widget.parentWidget()
        return False

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not isValid(self) or new is None or self._inside(new):
            return
        if new.window() is not self.window() and self.window() is not self:
            return  # a dialog or another window: the pane stays on the screen's topic
        self._last_field = new
        self.show_for(new)

    def _give_focus_back(self) -> None:
        field = self._last_field
        if field is not None and isValid(field) and field.isVisible():
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- links ----------------------------------------------------------------------------

    def _on_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "topic":
            self.show_topic(url.path())
        elif scheme == "guide":
            show_guide(self.window(), url.fragment() or None)
        elif scheme in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        else:
            log.warning("help link not understood: %s", url.toString())

    def _on_guide(self) -> None:
        show_guide(self.window())
