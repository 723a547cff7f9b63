"""The embedded TrueType font every PDF of the client uses.

reportlab's built-in Helvetica lacks the narrow no-break space (U+202F) that Babel puts between
thousands in French, and prints a black box instead: every PDF embeds DejaVu Sans, shipped with
the package (client/resources/fonts, licence beside the files).
"""

from __future__ import annotations

import io
import threading
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab; parsing the files happens once."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        fonts = resources.files("client.resources") / "fonts"
        for name, filename in _FILES.items():
            # The file is read into memory, so the package may be a zip or a frozen bundle.
            with (fonts / filename).open("rb") as file:
                pdfmetrics.registerFont(TTFont(name, io.BytesIO(file.read())))
        # <b> in a paragraph picks the bold face; there is no italic face, italics stay upright.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True
