"""Files as people send them: a phone photo with its EXIF (place, phone, orientation), PDFs
sound, damaged and locked, and programs named like documents."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

ORIENTATION, MAKE, GPS = 0x0112, 0x010F, 0x8825


def phone_photo(width: int = 64, height: int = 48, *, noise: bool = False) -> bytes:
    """A JPEG as a phone writes it: taken sideways (orientation 6), with its maker and the
    place it was taken in its EXIF block."""
    if noise:
        image = Image.effect_noise((width, height), 80).convert("RGB")
    else:
        image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "TéléphoneDeMarque"
    gps = exif.get_ifd(GPS)
    gps[1] = "N"
    gps[2] = (49.0, 53.0, 30.0)
    gps[3] = "E"
    gps[4] = (2.0, 18.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for n in range(pages):
        canvas.drawString(72, 720, f"Facture d'hôtel, page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf(1)))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def damaged_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nceci n'est pas un PDF\n"


def windows_program() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"


def linux_program() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 300
