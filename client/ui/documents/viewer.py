"""The DEC's viewer of supporting documents: PDF pages and images inside the application, with
zoom and previous/next through every page of every file, and the "received" tick at hand.

QtPdf is not part of PySide6-Essentials: PDF pages are drawn by PDFium (pypdfium2) on a worker
thread into a QImage, so a 20-page scan never blocks the interface; one page at a time is drawn,
at the zoom shown. Files are fetched once (through `fetch`, on a worker) and kept while the
viewer is open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from client.api.models import DocumentFile
from client.pdf.dossier import PDFIUM
from client.ui.tasks import Task, TaskRunner

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
# A PDF point is 1/72 inch; drawn at 96 dots per inch at zoom 1.
_POINTS_TO_PIXELS = 96 / 72


@dataclass(frozen=True)
class Shown:
    """One page on screen: the file (index in the list), the page within it."""

    file: int
    page: int


def render_page(content: bytes, page: int, zoom: float) -> tuple[QImage, int]:
    """Page `page` of a PDF as an image at `zoom`, and the number of pages (on a worker).

    PDFium draws straight into 32-bit BGRx, which is QImage's RGB32 in memory: no conversion.
    """
    with PDFIUM:  # one use of PDFium at a time, whichever thread
        document = pdfium.PdfDocument(content)
        try:
            count = len(document)
            bitmap = document[min(page, count - 1)].render(
                scale=zoom * _POINTS_TO_PIXELS, prefer_bgrx=True, may_draw_forms=False
            )
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            data = bytes(bitmap.buffer)
        finally:
            document.close()
    image = QImage(data, width, height, stride, QImage.Format.Format_RGB32)
    return image.copy(), count


def decode_image(content: bytes, zoom: float) -> QImage:
    image = QImage.fromData(content)
    if zoom != 1.0 and not image.isNull():
        image = image.scaledToWidth(
            max(1, round(image.width() * zoom)), Qt.TransformationMode.SmoothTransformation
        )
    return image


class DocumentViewer(QDialog):
    """Every file of one required document (or of several), page after page.

    received_changed(bool): the DEC ticked or unticked the document as received.
    """

    received_changed = Signal(bool)
    page_shown = Signal(int, int)  # file index, page index (tests, benchmarks)

    def __init__(
        self,
        title: str,
        files: Sequence[DocumentFile],
        fetch: Callable[[int], bytes],
        runner: TaskRunner,
        *,
        received: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pièce justificative : {0}").format(title))
        self.files = list(files)
        self.fetch = fetch
        self.runner = runner
        self.contents: dict[int, bytes] = {}
        self.pages: dict[int, int] = {i: f.pages for i, f in enumerate(self.files)}
        self.shown = Shown(0, 0)
        self.zoom = 1.0

        self.where = QLabel()
        self.previous_button = QPushButton(self.tr("◀ &Précédent"))
        self.next_button = QPushButton(self.tr("&Suivant ▶"))
        self.zoom_out_button = QPushButton(self.tr("Zoom −"))
        self.zoom_in_button = QPushButton(self.tr("Zoom +"))
        self.zoom_label = QLabel()
        self.received = QCheckBox(self.tr("Pièce &reçue"))
        self.received.setChecked(received)
        self.received.toggled.connect(self.received_changed)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(+1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(-1))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom_by(+1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom_by(-1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, self.next)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, self.previous)

        self.page = QLabel(self.tr("Chargement…"))
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setAccessibleName(self.tr("Page du document"))
        scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)

        bar = QHBoxLayout()
        for widget in (self.previous_button, self.next_button, self.where):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(self.received)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        self.resize(900, 1000)
        self.show_page(Shown(0, 0))

    # --- navigation ----------------------------------------------------------------------

    def _steps(self) -> list[Shown]:
        return [Shown(f, p) for f in range(len(self.files)) for p in range(self.pages[f])]

    def next(self) -> None:
        steps = self._steps()
        at = steps.index(self.shown) if self.shown in steps else 0
        if at + 1 < len(steps):
            self.show_page(steps[at + 1])

    def previous(self) -> None:
        steps = self._steps()
        at = steps.index(self.shown) if self.shown in steps else 0
        if at > 0:
            self.show_page(steps[at - 1])

    def zoom_by(self, step: int) -> None:
        at = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else ZOOMS.index(1.0)
        zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, at + step))]
        if zoom != self.zoom:
            self.zoom = zoom
            self.show_page(self.shown)

    def _update_bar(self) -> None:
        if not self.files:
            self.where.setText(self.tr("Aucun fichier joint."))
            return
        file = self.files[self.shown.file]
        steps = self._steps()
        at = steps.index(self.shown) if self.shown in steps else 0
        self.where.setText(
            self.tr("{0} — page {1} sur {2} (fichier {3} sur {4})").format(
                file.name,
                self.shown.page + 1,
                self.pages[self.shown.file],
                self.shown.file + 1,
                len(self.files),
            )
        )
        self.previous_button.setEnabled(at > 0)
        self.next_button.setEnabled(at + 1 < len(steps))
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")

    # --- drawing, on a worker ------------------------------------------------------------

    def show_page(self, shown: Shown) -> None:
        self.shown = shown
        self._update_bar()
        if not self.files:
            self.page.setText(self.tr("Aucun fichier n'est joint à cette pièce."))
            return
        file = self.files[shown.file]
        zoom = self.zoom
        cached = self.contents.get(file.id)
        fetch = self.fetch

        def draw(task: Task) -> tuple[Shown, bytes, QImage, int]:
            content = cached if cached is not None else fetch(file.id)
            if file.is_pdf:
                image, count = render_page(content, shown.page, zoom)
            else:
                image, count = decode_image(content, zoom), 1
            return shown, content, image, count

        self.runner.start(
            draw, on_success=self._drawn, on_failure=self._failed, key=f"viewer-{id(self)}"
        )

    def _drawn(self, result: tuple[Shown, bytes, QImage, int]) -> None:
        shown, content, image, count = result
        self.contents[self.files[shown.file].id] = content
        self.pages[shown.file] = count
        if shown != self.shown:
            return
        self.page.setPixmap(QPixmap.fromImage(image))
        self._update_bar()
        self.page_shown.emit(shown.file, shown.page)

    def _failed(self, error: BaseException) -> None:
        self.page.setText(
            self.tr("Ce fichier n'a pas pu être affiché : {0}").format(
                getattr(error, "detail", None) or self.tr("fichier illisible")
            )
        )
