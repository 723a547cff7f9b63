"""The server's PDF kit: one embedded font, one palette, one A4 page, for every document the
server makes (the convocation letter, the payment batch summary).

reportlab's platypus on DejaVu Sans (`core/fonts`): the built-in Helvetica prints the narrow
no-break space Babel puts between thousands as a black box. The font is read from the package
into memory, so it works from a zip or a frozen bundle, and parsed once per process. Its names
are the server's own: the client registers DejaVu under its names in the same process in tests.
Text is French and formatted by `rules.french` and `rules.money`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from importlib import resources

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

REGULAR = "ImaginServerSans"
BOLD = "ImaginServerSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
TINT = colors.HexColor("#eef1f4")
MUTED = colors.grey

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 18 * mm
# The width between the margins: what the tables of a page share.
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

PageDecoration = Callable[[Canvas, SimpleDocTemplate], None]


def register_fonts() -> None:
    """Registers DejaVu Sans (regular and bold) with reportlab, once per process."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = resources.files("server_stub.core") / "fonts"
        for name, filename in _FILES.items():
            with (folder / filename).open("rb") as file:
                pdfmetrics.registerFont(TTFont(name, io.BytesIO(file.read())))
        # <b> picks the bold face; there is no italic face, italics stay upright.
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        _registered = True


def footer(text: str) -> PageDecoration:
    """A page decoration: `text` at the bottom left, the page number at the bottom right."""

    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, 10 * mm, text)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    return draw


def render(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    on_page: PageDecoration | None = None,
) -> bytes:
    """The story laid out on A4 pages with the kit's margins, as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
    )
    if on_page is None:
        document.build(list(story))
    else:
        document.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
