"""The SEPA credit-transfer file of a batch: ISO 20022 pain.001.001.03, built with `sepaxml` and
checked against the official schema that `sepaxml` ships (docs/xsd/pain.001.001.03.xsd).

The identifiers are the batch's, never random: downloading the file again gives the same
message (MsgId), so a bank that already received it refuses the duplicate instead of paying
twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from lxml import etree
from sepaxml import SepaTransfer
from text_unidecode import unidecode

from server_stub.core.errors import DomainError
from server_stub.payment.config import Debtor

SCHEMA = "pain.001.001.03"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"


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


class _BatchTransfer(SepaTransfer):  # type: ignore[misc]
    """sepaxml's transfer, with the batch's own identifiers and creation time."""

    def __init__(self, config: dict[str, Any], message_id: str, created_at: dt.datetime) -> None:
        super().__init__(config, schema=SCHEMA, clean=True)
        self.msg_id = message_id
        header = self._xml.find("CstmrCdtTrfInitn").find("GrpHdr")
        header.find("MsgId").text = message_id
        header.find("CreDtTm").text = created_at.strftime("%Y-%m-%dT%H:%M:%S")

    def _finalize_batch(self) -> None:
        super()._finalize_batch()
        for n, node in enumerate(self._xml.iter("PmtInfId"), start=1):
            node.text = f"{self.msg_id}-{n}"


# The EPC's SEPA character set (Latin letters and digits, / - ? : ( ) . , ' + space).
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


def sepa_text(text: str, limit: int) -> str:
    """Text a SEPA bank accepts: accents dropped, other characters replaced by a space."""
    plain = _NOT_SEPA.sub(" ", unidecode(text))
    return " ".join(plain.split())[:limit] or "-"


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
    validate: bool = True,
) -> bytes:
    """The pain.001.001.03 document ordering `transfers` from the debtor's account."""
    config: dict[str, Any] = {
        "name": sepa_text(debtor.name, 70),
        "IBAN": debtor.iban,
        "batch": True,
        "currency": "EUR",
    }
    if debtor.bic:
        config["BIC"] = debtor.bic
    sepa = _BatchTransfer(config, message_id, created_at)
    for transfer in transfers:
        payment: dict[str, Any] = {
            "name": sepa_text(transfer.creditor_name, 70),
            "IBAN": transfer.iban,
            "amount": cents(transfer.amount),
            "execution_date": execution_date,
            "description": sepa_text(transfer.remittance, 140),
            "endtoend_id": transfer.end_to_end_id,
        }
        if transfer.bic:
            payment["BIC"] = transfer.bic
        sepa.add_payment(payment)
    # sepaxml validates with xmlschema, in pure Python; lxml does the same check far faster.
    document: bytes = sepa.export(validate=False)
    if validate:
        check(document)
    return document


@functools.cache
def schema() -> etree.XMLSchema:
    xsd = resources.files("sepaxml").joinpath("schemas", f"{SCHEMA}.xsd")
    with resources.as_file(xsd) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def check(document: bytes) -> None:
    """Raises `PaymentFileInvalid` unless the document conforms to the official schema."""
    parsed = etree.fromstring(document, parser=etree.XMLParser(resolve_entities=False))
    xsd = schema()
    if not xsd.validate(parsed):
        error = xsd.error_log.last_error
        raise PaymentFileInvalid(
            "Le fichier de virements produit n'est pas conforme à la norme ISO 20022 "
            f"(pain.001.001.03) : {error.message if error else 'erreur inconnue'}."
        )
