"""The whole dossier in one PDF: the recap followed by every attached file (PDF pages as they
are, each photo on a page of its own), in the order of the documents. Qt-free; PDFium
(pypdfium2) joins the pages.

PDFium is not thread-safe: every use of it in the client holds `PDFIUM`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

import pypdfium2 as pdfium
from PIL import Image

PDFIUM = threading.Lock()
# A photo is placed at this resolution: a phone's 4000 pixels make a page of about A4 width.
PHOTO_DPI = 300


def image_as_pdf(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "PDF", resolution=PHOTO_DPI)
        return out.getvalue()


def dossier(recap: bytes, files: Sequence[tuple[str, bytes]]) -> bytes:
    """`recap` then each (media type, content) of `files`, as one PDF."""
    parts = [
        content if kind == "application/pdf" else image_as_pdf(content) for kind, content in files
    ]
    with PDFIUM:
        whole = pdfium.PdfDocument(recap)
        opened = []
        try:
            for part in parts:
                document = pdfium.PdfDocument(part)
                opened.append(document)
                whole.import_pages(document)
            out = io.BytesIO()
            whole.save(out)
        finally:
            for document in opened:
                document.close()
            whole.close()
    return out.getvalue()
