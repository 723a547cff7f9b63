"""The server's PDF kit: every document embeds DejaVu Sans, which has the narrow no-break space
Babel puts between thousands (Helvetica would print a black box)."""

import io
from decimal import Decimal

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from server_stub.core.pdf import REGULAR, footer, register_fonts, render
from server_stub.rules.money import format_euros


def fonts_of(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_document_embeds_dejavu_sans_regular_and_bold() -> None:
    register_fonts()
    style = ParagraphStyle("body", fontName=REGULAR, fontSize=10)
    amount = format_euros(Decimal("1234.56"))
    story = [Paragraph(f"<b>Total</b> : {amount}", style)]

    pdf = render(story, title="Essai", author="IMAG'IN", on_page=footer("IMAG'IN – essai"))

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "Essai"
    # Text extraction gives the no-break spaces back as plain ones.
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Total : 1 234,56 €" in text
    assert "Page 1" in text
    # Subsets of DejaVu Sans, regular and bold (<b> picks the bold face). reportlab declares
    # Helvetica on every page as the canvas's initial font, and writes nothing with it.
    embedded = {name.split("+")[-1] for name in fonts_of(pdf)}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= embedded
