"""The SEPA credit-transfer file of a batch: ISO 20022 pain.001.001.09 (the EPC's current
rulebook) or pain.001.001.03, as the payment configuration says, written with lxml and checked
against the official schema of that version (`xsd/`, also docs/xsd/).

The two versions differ, for what this file holds, in two places: the requested execution date
is a choice (`ReqdExctnDt/Dt`) and a bank's identifier is `BICFI` instead of `BIC` in .09.

The identifiers are the batch's, never random: downloading the file again gives the same
message (MsgId), so a bank that already received it refuses the duplicate instead of paying
twice. All transfers share one execution date: one payment information block (PmtInf), booked
as a batch, charges shared (SLEV), as the EPC's implementation guidelines describe.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from lxml import etree

from server_stub.core.errors import DomainError
from server_stub.payment.config import Debtor
from server_stub.payment.sepa_versions import SCHEMAS, V09


class PaymentFileInvalid(DomainError):
    status_code = 500
    type = "payment_file_invalid"


@dataclass(frozen=True)
class Transfer:
    creditor_name: str
    iban: str
    bic: str | None
    amount: Decimal  # euros, two decimals
    end_to_end_id: str  # at most 35 characters
    remittance: str  # unstructured remittance information, at most 140 characters


# The EPC's SEPA character set (Latin letters and digits, / - ? : ( ) . , ' + space).
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


# Letters that Unicode does not decompose into a Latin letter and an accent.
_LATIN = str.maketrans(
    {
        "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o", "Ł": "L",
        "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i",
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
        "\u2012": "-", "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip


def sepa_text(text: str, limit: int) -> str:
    """Text a SEPA bank accepts: accents dropped, ligatures spelt out, other characters replaced
    by a space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_SEPA.sub(" ", plain).split())[:limit] or "-"


def cents(amount: Decimal) -> int:
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"amount with more than two decimals: {amount}")
    return int(value)


def credit_transfer_file(
    debtor: Debtor,
    message_id: str,
    created_at: dt.datetime,
    execution_date: dt.date,
    transfers: Sequence[Transfer],
    *,
    schema: str = V09,
    validate: bool = True,
) -> bytes:
    """The pain.001 document (version `schema`) ordering `transfers` from the debtor's
    account."""
    if schema not in SCHEMAS:
        raise ValueError(f"unknown SEPA schema: {schema}")
    count = str(len(transfers))
    total = _amount(sum((t.amount for t in transfers), Decimal(0)))
    debtor_name = sepa_text(debtor.name, 70)
    namespace = _namespace(schema)

    def _add(
        parent: etree._Element, tag: str, text: str | None = None, **attributes: str
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    def _agent(parent: etree._Element, bic: str | None) -> None:
        """The bank by its BIC, or "not provided" (IBAN-only, as SEPA allows)."""
        institution = _add(parent, "FinInstnId")
        if bic:
            _add(institution, "BICFI" if schema == V09 else "BIC", bic)
        else:
            _add(_add(institution, "Othr"), "Id", "NOTPROVIDED")

    document = etree.Element(f"{{{namespace}}}Document", nsmap={None: namespace})
    initiation = _add(document, "CstmrCdtTrfInitn")
    header = _add(initiation, "GrpHdr")
    _add(header, "MsgId", message_id)
    _add(header, "CreDtTm", created_at.strftime("%Y-%m-%dT%H:%M:%S"))
    _add(header, "NbOfTxs", count)
    _add(header, "CtrlSum", total)
    _add(_add(header, "InitgPty"), "Nm", debtor_name)

    block = _add(initiation, "PmtInf")
    _add(block, "PmtInfId", f"{message_id}-1")
    _add(block, "PmtMtd", "TRF")
    _add(block, "BtchBookg", "true")
    _add(block, "NbOfTxs", count)
    _add(block, "CtrlSum", total)
    _add(_add(_add(block, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    if schema == V09:
        _add(_add(block, "ReqdExctnDt"), "Dt", execution_date.isoformat())
    else:
        _add(block, "ReqdExctnDt", execution_date.isoformat())
    _add(_add(block, "Dbtr"), "Nm", debtor_name)
    _add(_add(_add(block, "DbtrAcct"), "Id"), "IBAN", debtor.iban)
    _agent(_add(block, "DbtrAgt"), debtor.bic)
    _add(block, "ChrgBr", "SLEV")
    for transfer in transfers:
        line = _add(block, "CdtTrfTxInf")
        _add(_add(line, "PmtId"), "EndToEndId", transfer.end_to_end_id)
        _add(_add(line, "Amt"), "InstdAmt", _amount(transfer.amount), Ccy="EUR")
        if transfer.bic:
            _agent(_add(line, "CdtrAgt"), transfer.bic)
        _add(_add(line, "Cdtr"), "Nm", sepa_text(transfer.creditor_name, 70))
        _add(_add(_add(line, "CdtrAcct"), "Id"), "IBAN", transfer.iban)
        _add(_add(line, "RmtInf"), "Ustrd", sepa_text(transfer.remittance, 140))

    body: bytes = etree.tostring(document, encoding="UTF-8")
    result = b'<?xml version="1.0" encoding="UTF-8"?>' + body
    if validate:
        check(result, schema)
    return result


def _namespace(schema: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{schema}"


def _amount(amount: Decimal) -> str:
    cents(amount)  # refuses more than two decimals
    return f"{amount:.2f}"


@functools.cache
def xml_schema(schema: str) -> etree.XMLSchema:
    xsd = resources.files("server_stub.payment.xsd").joinpath(f"{schema}.xsd")
    with resources.as_file(xsd) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def check(document: bytes, schema: str = V09) -> None:
    """Raises `PaymentFileInvalid` unless the document conforms to the official schema."""
    parsed = etree.fromstring(document, parser=etree.XMLParser(resolve_entities=False))
    xsd = xml_schema(schema)
    if not xsd.validate(parsed):
        error = xsd.error_log.last_error
        raise PaymentFileInvalid(
            "Le fichier de virements produit n'est pas conforme à la norme ISO 20022 "
            f"({schema}) : {error.message if error else 'erreur inconnue'}."
        )
