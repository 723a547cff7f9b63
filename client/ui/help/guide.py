"""Aide ▸ Guide utilisateur: the whole user guide, with its table of contents.

The guide is `client/resources/help/guide.html`; its screenshots are the package files
`client/resources/help/screenshots/*.png`, referenced relatively (`screenshots/….png`) and
handed to the document as resources, so that the guide reads the same from a folder or from a
zipped bundle.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from client.ui.help import rates
from client.ui.help.topics import help_folder

log = logging.getLogger(__name__)

_HEADING = re.compile(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(r'<img[^>]+src="([^"]+)"', re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")

STYLE = """
h1 { color: #1f3a5f; }
h2 { color: #1f3a5f; margin-top: 18px; }
h3 { color: #1f3a5f; margin-top: 12px; }
p, li { margin-bottom: 4px; }
.caption { color: #5f6b7a; font-size: small; }
.rule { background: #f3f6fa; }
"""


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    title: str


def guide_html() -> str:
    """The guide, its rates quoted from the session's tariffs."""
    return rates.fill((help_folder() / "guide.html").read_text(encoding="utf-8"))


def headings(text: str) -> list[Heading]:
    return [
        Heading(int(level), anchor, html.unescape(_TAG.sub("", title)).strip())
        for level, anchor, title in _HEADING.findall(text)
    ]


def images(text: str) -> list[str]:
    return _IMAGE.findall(text)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Guide utilisateur d'IMAG'IN"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("guideDialog")
        self.resize(1100, 760)
        text = guide_html()

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        self.browser.setAccessibleName(self.tr("Texte du guide"))
        document = self.browser.document()
        document.setDefaultStyleSheet(STYLE)
        self.missing_images: list[str] = []
        for source in images(text):
            self._add_image(document, source)
        self.browser.setHtml(text)

        self.contents = QTreeWidget()
        self.contents.setHeaderLabel(self.tr("Sommaire"))
        self.contents.setAccessibleName(self.tr("Sommaire du guide"))
        parent_item: QTreeWidgetItem | None = None
        for heading in headings(text):
            item = QTreeWidgetItem([heading.title])
            item.setData(0, Qt.ItemDataRole.UserRole, heading.anchor)
            if heading.level == 2 or parent_item is None:
                self.contents.addTopLevelItem(item)
                parent_item = item
            else:
                parent_item.addChild(item)
        self.contents.expandAll()
        self.contents.itemActivated.connect(self._on_item)
        self.contents.itemClicked.connect(self._on_item)
        self.contents.currentItemChanged.connect(lambda item, _old: self._on_item(item))

        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 820])
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("&Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(splitter, 1)
        column.addWidget(buttons)
        find = QShortcut(QKeySequence(Qt.Key.Key_F6), self)
        find.activated.connect(self._switch_focus)

    def _add_image(self, document: QTextDocument, source: str) -> None:
        path = help_folder().joinpath(*source.split("/"))
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            log.warning("guide image %s is missing", source)
            self.missing_images.append(source)
            return
        image = QImage.fromData(data)
        if image.isNull():
            self.missing_images.append(source)
            return
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(source), image)

    def anchors(self) -> list[str]:
        result: list[str] = []
        for index in range(self.contents.topLevelItemCount()):
            top = self.contents.topLevelItem(index)
            if top is None:
                continue
            result.append(str(top.data(0, Qt.ItemDataRole.UserRole)))
            for number in range(top.childCount()):
                child = top.child(number)
                if child is not None:
                    result.append(str(child.data(0, Qt.ItemDataRole.UserRole)))
        return result

    def go_to(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)

    def _on_item(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.go_to(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.go_to(url.fragment())

    def _switch_focus(self) -> None:
        target = self.browser if self.contents.hasFocus() else self.contents
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)


_open: GuideDialog | None = None


def show_guide(parent: QWidget | None = None, anchor: str | None = None) -> GuideDialog:
    """Opens (or raises) the user guide, beside the application rather than blocking it."""
    global _open
    if _open is None or not isValid(_open):
        _open = GuideDialog(parent)
        _open.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open.show()
    _open.raise_()
    _open.activateWindow()
    if anchor:
        _open.go_to(anchor)
    return _open
