"""The payroll export of a batch: internes' vacation indemnities, one row per statement.

The format is documented in docs/payroll-export.md: `;`-separated, UTF-8 with a byte-order
mark, decimal comma, dates JJ/MM/AAAA, CRLF line ends (opens as is in a French spreadsheet
and reads the same in any CSV reader told those four things).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from server_stub.payment.acknowledgement import line_reference
from server_stub.rules.model import MissionType
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS

COLUMNS = (
    "Lot",
    "N° état de frais",
    "Identifiant",
    "Nom",
    "Prénom",
    "Session",
    "Examen",
    "Spécialité",
    "Épreuve",
    "Type de mission",
    "Début",
    "Fin",
    "Nature",
    "Montant",
    "Référence",
)


def decimal_comma(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}".replace(".", ",")


def french_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def payroll_csv(reference: str, batch_id: int, rows: Iterable[Mapping[Any, Any]]) -> bytes:
    """The export of batch `batch_id` (`reference`, LOT-…); each line ends with its own stable
    reference (`PAIE-…`), the key of the payroll's acknowledgement (acknowledgement.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        paper = " – ".join(p for p in (row["paper_code"], row["paper"]) if p)
        nature = (
            "Indemnité saisie par la DEC"
            if row["direct_indemnity"] is not None
            else "Indemnité de vacation"
        )
        writer.writerow(
            (
                reference,
                row["statement_id"],
                row["login"],
                row["last_name"],
                row["first_name"],
                row["session"],
                row["exam"] or "",
                row["speciality"] or "",
                paper,
                MISSION_TYPE_LABELS[MissionType(row["mission_type"])],
                french_date(row["start_date"]),
                french_date(row["end_date"]),
                nature,
                decimal_comma(row["payroll_amount"]),
                line_reference(batch_id, row["statement_id"]),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
