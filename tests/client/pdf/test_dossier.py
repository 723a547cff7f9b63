"""The whole dossier in one PDF: the recap's pages, then each attached PDF's pages, then each
photo on a page of its own."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from client.pdf.dossier import dossier
from tests.client.ui.documents.test_viewer import scan


def test_the_dossier_is_the_recap_then_every_file_in_order() -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1200, 1600), (250, 250, 250)).save(photo, "JPEG")
    whole = dossier(scan(1), [("application/pdf", scan(2)), ("image/jpeg", photo.getvalue())])
    pages = PdfReader(io.BytesIO(whole)).pages
    assert len(pages) == 4
    assert "page 1" in (pages[0].extract_text() or "")
    assert "page 2" in (pages[2].extract_text() or "")
    width, height = float(pages[3].mediabox.width), float(pages[3].mediabox.height)
    assert (round(width), round(height)) == (288, 384)  # 1200 × 1600 pixels at 300 dpi
