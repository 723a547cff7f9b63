"""What a file must be to be kept: its type read from its content (never from its name), a PDF
that opens without a password, an image re-encoded without its metadata.

A photo from a phone carries its EXIF block: the place it was taken (GPS), the phone, the time.
The image is decoded, turned upright as the EXIF orientation says, and encoded again with none
of it; what is stored is the re-encoded image only.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from PIL import Image, ImageOps, JpegImagePlugin
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from server_stub.core.errors import DomainError, InvalidInput
from server_stub.core.middleware import TOO_LARGE_TYPE, file_too_large_detail

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# A photo from a recent phone is 12 to 50 megapixels; more is not a document.
MAX_PIXELS = 60_000_000
MAX_PAGES = 500


class FileTooLarge(DomainError):
    status_code = 413
    type = TOO_LARGE_TYPE


@dataclass(frozen=True)
class Checked:
    """A file as it will be stored: its content (re-encoded for an image), type, pages, name."""

    data: bytes
    media_type: str
    pages: int
    name: str


def sniff(data: bytes) -> str | None:
    """The type the content's first bytes announce, among those accepted."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def clean_name(name: str, media_type: str) -> str:
    """The name shown for the file: its last path part, printable, with the extension of its
    real type."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable()).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:150].strip() or "document"
    return stem + EXTENSIONS[media_type]


def _pdf_pages(data: bytes) -> int:
    refused = InvalidInput(
        "Ce PDF est illisible ou endommagé : enregistrez-le à nouveau ou scannez le document.",
        fields={"file": "PDF illisible"},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise InvalidInput(
                    "Ce PDF est protégé par un mot de passe : envoyez-le sans protection.",
                    fields={"file": "PDF protégé"},
                )
            count = len(reader.pages)
            for page in reader.pages:
                box = page.mediabox
                if box.width <= 0 or box.height <= 0:
                    raise refused
    except InvalidInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise refused from error
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise refused from error
    if count < 1:
        raise refused
    if count > MAX_PAGES:
        raise InvalidInput(
            f"Ce PDF a trop de pages ({count}) : envoyez au plus {MAX_PAGES} pages par fichier.",
            fields={"file": "trop de pages"},
        )
    return count


def _reencoded(data: bytes, media_type: str) -> bytes:
    refused = InvalidInput(
        "Cette image est illisible ou endommagée : prenez une nouvelle photo du document.",
        fields={"file": "image illisible"},
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(
                    "Cette image est trop grande (plus de 60 mégapixels) : réduisez-la.",
                    fields={"file": "image trop grande"},
                )
            image.load()
            # The photo's own chroma subsampling (a phone's is 4:2:0): kept, the re-encoded file
            # is no larger and encodes faster than at 4:4:4.
            sampling = JpegImagePlugin.get_sampling(image) if media_type == JPEG else -1
            upright = ImageOps.exif_transpose(image)
    except InvalidInput:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise refused from error
    out = io.BytesIO()
    if media_type == JPEG:
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        # No exif, no comment, no XMP: only the pixels are written.
        upright.save(
            out, "JPEG", quality=88, subsampling=2 if sampling < 0 else sampling, optimize=False
        )
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", compress_level=3)
    return out.getvalue()


def check(data: bytes, name: str, max_bytes: int) -> Checked:
    """The file as stored, or InvalidInput (422) saying in French what is wrong with it."""
    if not data:
        raise InvalidInput("Le fichier est vide.", fields={"file": "fichier vide"})
    if len(data) > max_bytes:
        raise FileTooLarge(file_too_large_detail(max_bytes), fields={"file": "trop volumineux"})
    media_type = sniff(data)
    if media_type is None:
        raise InvalidInput(
            "Ce fichier n'est ni un PDF ni une image JPEG ou PNG : seuls ces formats sont "
            "acceptés, quel que soit le nom du fichier.",
            fields={"file": "format refusé"},
        )
    if media_type == PDF:
        return Checked(data, PDF, _pdf_pages(data), clean_name(name, PDF))
    return Checked(_reencoded(data, media_type), media_type, 1, clean_name(name, media_type))
