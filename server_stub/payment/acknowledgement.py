"""What the payroll says it did with the lines of a batch's payroll export: its acknowledgement
file, one line per line of the export, each naming the export's reference (`PAIE-…`), paid or
rejected, the payment date and the reason of a rejection.

The format is documented in docs/payroll-export.md ("Accusé de la paie"): `;`-separated,
UTF-8 (with or without a byte-order mark), a header line naming the columns, dates JJ/MM/AAAA.
Pure: no database. A file that cannot be read is refused in French with its line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

from server_stub.core.errors import InvalidInput

REFERENCE, STATUS, DAY, REASON = "Référence", "Statut", "Date de paiement", "Motif"
HEADER = (REFERENCE, STATUS, DAY, REASON)
PAID, REJECTED = "PAYÉ", "REJETÉ"
MAX_LINES = 200_000


@dataclass(frozen=True)
class PayrollLine:
    line: int  # in the file, the header being line 1
    reference: str
    paid: bool
    on: dt.date | None
    reason: str | None


def line_reference(batch_id: int, statement_id: int) -> str:
    """The payroll export's reference of a batch's line: `PAIE-000042-0018231` (batch,
    statement). The same on every download; the acknowledgement names it back."""
    return f"PAIE-{batch_id:06d}-{statement_id:07d}"


def _plain(text: str) -> str:
    """Lower case, no accents, no surrounding spaces: « Référence » and "reference" match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"document": message})


_FRENCH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _day(text: str, line: int) -> dt.date | None:
    """JJ/MM/AAAA (or AAAA-MM-JJ); None when empty."""
    if not text:
        return None
    french, iso = _FRENCH_DAY.fullmatch(text), _ISO_DAY.fullmatch(text)
    try:
        if french:
            return dt.date(int(french[3]), int(french[2]), int(french[1]))
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise _invalid(
        f"Ligne {line} : date de paiement illisible « {text} » (attendue au format JJ/MM/AAAA)."
    )


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def lines(document: str) -> list[PayrollLine]:
    """Every line of the acknowledgement, in the file's order; empty lines are skipped."""
    text = document.removeprefix("\ufeff")
    if text.lstrip().startswith("<"):
        raise _invalid(
            "Ce fichier est un document XML, pas un accusé de la paie : un relevé de la banque "
            "s'importe avec « Importer le relevé bancaire… »."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise _invalid("L'accusé de la paie est vide : il n'a pas même de ligne d'en-tête.")
        columns = {_plain(name): index for index, name in enumerate(header)}
        missing = [name for name in HEADER[:3] if _plain(name) not in columns]
        if missing:
            raise _invalid(
                f"Ligne {reader.line_num} : l'en-tête de l'accusé de la paie doit nommer les "
                f"colonnes {' ; '.join(HEADER)} (il manque {', '.join(missing)}). Le séparateur "
                "est le point-virgule."
            )
        at = {name: columns.get(_plain(name)) for name in HEADER}
        found: list[PayrollLine] = []
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(found) >= MAX_LINES:
                raise _invalid(f"L'accusé de la paie dépasse {MAX_LINES} lignes.")
            reference = _cell(row, at[REFERENCE])
            if not reference:
                raise _invalid(f"Ligne {line} : la référence est vide.")
            if reference in seen:
                raise _invalid(
                    f"Ligne {line} : la référence {reference} figure déjà ligne {seen[reference]}."
                )
            seen[reference] = line
            written = _cell(row, at[STATUS])
            status = _plain(written)
            if status not in ("paye", "rejete"):
                raise _invalid(
                    f"Ligne {line} : statut « {written} » inconnu (attendu {PAID} ou {REJECTED})."
                )
            paid = status == "paye"
            on = _day(_cell(row, at[DAY]), line)
            if paid and on is None:
                raise _invalid(f"Ligne {line} : une ligne {PAID} doit porter sa date de paiement.")
            found.append(PayrollLine(line, reference, paid, on, _cell(row, at[REASON]) or None))
    except csv.Error as error:
        raise _invalid(
            f"Ligne {reader.line_num} : l'accusé de la paie est mal formé ({error})."
        ) from None
    return found
