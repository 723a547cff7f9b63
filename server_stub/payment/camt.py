"""What the bank says it did with the transfers: the entries of an ISO 20022 camt.054 (debit
notification) or camt.053 (account statement), any version, read with lxml.

Each transaction is matched by the end-to-end identifier the SEPA file gave it
(`IMAGIN-<batch>-<person>`). A transaction booked on the debtor's account is paid, on its
booking date, with the bank's reference; one carrying return information (`RtrInf`), reversed
(`RvslInd`) or rejected (status `RJCT`) is rejected, with its ISO reason code and the code's
French meaning (`return_reasons.toml`). Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources

from lxml import etree

from server_stub.core.errors import InvalidInput

_KINDS = ("camt.053", "camt.054")


@dataclass(frozen=True)
class BankEntry:
    end_to_end_id: str
    amount: Decimal
    booked_on: dt.date | None
    reference: str | None
    rejected: bool
    code: str | None


@functools.cache
def return_reasons() -> dict[str, str]:
    text = resources.files("server_stub.payment").joinpath("return_reasons.toml").read_text("utf-8")
    return {str(k): str(v) for k, v in tomllib.loads(text)["reasons"].items()}


def reason_label(code: str | None) -> str:
    if not code:
        return "motif non communiqué"
    return return_reasons().get(code, f"motif {code}")


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"document": message})


_Children = dict[str, list[etree._Element]]


def _children(element: etree._Element) -> _Children:
    """The element's child elements by local name (any namespace or none), in order."""
    found: _Children = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str):  # not a comment nor a processing instruction
            found.setdefault(tag.rpartition("}")[2], []).append(child)
    return found


def _find(children: _Children, path: tuple[str, ...]) -> etree._Element | None:
    """The first element at `path` below the element whose `children` these are, in document
    order, as `findtext("{*}A/{*}B")` finds it: each level walked once, in place of a path
    interpreted against every child at each call."""
    for child in children.get(path[0], ()):
        if len(path) == 1:
            return child
        found = _find(_children(child), path[1:])
        if found is not None:
            return found
    return None


def _text(children: _Children, *path: str) -> str | None:
    """The text at `path` ("Refs", "EndToEndId": local names), stripped, or None."""
    element = _find(children, path)
    if element is None:
        return None
    return (element.text or "").strip() or None


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def entries(document: bytes) -> list[BankEntry]:
    """Every transaction of the statement or notification, in the document's order."""
    try:
        root = etree.fromstring(
            document,
            parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True),
        )
    except etree.XMLSyntaxError as error:
        raise _invalid(f"Le relevé n'est pas un document XML lisible : {error.msg}.") from None
    namespace = etree.QName(root).namespace or ""
    if not any(f":{kind}." in namespace for kind in _KINDS):
        raise _invalid(
            "Ce document n'est ni un relevé camt.053 ni un avis d'opérations camt.054 "
            "(ISO 20022) : importez le relevé de compte fourni par la banque."
        )
    found: list[BankEntry] = []
    for entry in root.iterdescendants("{*}Ntry"):
        inside = _children(entry)
        status = _text(inside, "Sts", "Cd") or _text(inside, "Sts")
        reversed_ = (_text(inside, "RvslInd") or "").lower() == "true"
        booked = _day(_text(inside, "BookgDt", "Dt") or _text(inside, "BookgDt", "DtTm"))
        entry_reference = _text(inside, "AcctSvcrRef")
        entry_amount = _text(inside, "Amt")
        for group in inside.get("NtryDtls", ()):
            for details in _children(group).get("TxDtls", ()):
                transaction = _children(details)
                end_to_end = _text(transaction, "Refs", "EndToEndId")
                if not end_to_end:
                    continue
                returns = transaction.get("RtrInf")
                code = None if not returns else _text(_children(returns[0]), "Rsn", "Cd")
                amount_text = (
                    _text(transaction, "AmtDtls", "TxAmt", "Amt")
                    or _text(transaction, "Amt")
                    or entry_amount
                )
                try:
                    amount = Decimal(amount_text or "")
                except InvalidOperation:
                    raise _invalid(
                        f"Montant illisible pour l'opération {end_to_end} : « {amount_text} »."
                    ) from None
                found.append(
                    BankEntry(
                        end_to_end_id=end_to_end,
                        amount=amount,
                        booked_on=booked,
                        reference=_text(transaction, "Refs", "AcctSvcrRef") or entry_reference,
                        rejected=bool(returns) or reversed_ or status == "RJCT",
                        code=code,
                    )
                )
    return found
