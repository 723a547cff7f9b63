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
from typing import Any

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


_Path = tuple[str, ...]
_Found = dict[_Path, etree._Element]


def _wanted(*paths: _Path) -> dict[str | None, Any]:
    """The paths (local names) as a tree of names, the last name of each marked with it."""
    tree: dict[str | None, Any] = {}
    for path in paths:
        node = tree
        for name in path:
            node = node.setdefault(name, {})
        node[None] = path
    return tree


# Local names of the tags met, by tag: thousands of entries repeat a few dozen tags.
_LOCAL: dict[str, str] = {}


def _first(element: etree._Element, wanted: dict[str | None, Any], found: _Found) -> _Found:
    """The first element at each wanted path below `element`, in document order, as
    `find("{*}A/{*}B")` finds it (any namespace or none): each child looked at once for all the
    paths, in place of each path interpreted against every child."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):  # a comment or a processing instruction
            continue
        name = _LOCAL.get(tag)
        if name is None:
            name = _LOCAL[tag] = tag.rpartition("}")[2]
        node = wanted.get(name)
        if node is None:
            continue
        path = node.get(None)
        if path is not None and path not in found:
            found[path] = child
        if len(node) > (path is not None):
            _first(child, node, found)
    return found


def _text(found: _Found, path: _Path) -> str | None:
    """The text of the first element at `path`, stripped, or None."""
    element = found.get(path)
    if element is None:
        return None
    return (element.text or "").strip() or None


_STATUS_CODE, _STATUS, _REVERSED = ("Sts", "Cd"), ("Sts",), ("RvslInd",)
_BOOKED, _BOOKED_AT = ("BookgDt", "Dt"), ("BookgDt", "DtTm")
_REFERENCE, _AMOUNT = ("AcctSvcrRef",), ("Amt",)
_ENTRY = _wanted(_STATUS_CODE, _STATUS, _REVERSED, _BOOKED, _BOOKED_AT, _REFERENCE, _AMOUNT)
_END_TO_END, _TRANSACTION_REFERENCE = ("Refs", "EndToEndId"), ("Refs", "AcctSvcrRef")
_RETURNS, _TRANSACTION_AMOUNT = ("RtrInf",), ("AmtDtls", "TxAmt", "Amt")
_TRANSACTION = _wanted(_END_TO_END, _TRANSACTION_REFERENCE, _RETURNS, _TRANSACTION_AMOUNT, _AMOUNT)
_REASON = ("Rsn", "Cd")
_RETURN = _wanted(_REASON)


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
        inside = _first(entry, _ENTRY, {})
        status = _text(inside, _STATUS_CODE) or _text(inside, _STATUS)
        reversed_ = (_text(inside, _REVERSED) or "").lower() == "true"
        booked = _day(_text(inside, _BOOKED) or _text(inside, _BOOKED_AT))
        entry_reference = _text(inside, _REFERENCE)
        entry_amount = _text(inside, _AMOUNT)
        for group in entry.iterchildren("{*}NtryDtls"):
            for details in group.iterchildren("{*}TxDtls"):
                transaction = _first(details, _TRANSACTION, {})
                end_to_end = _text(transaction, _END_TO_END)
                if not end_to_end:
                    continue
                # The reason of the first return information, as the bank gives it.
                returns = transaction.get(_RETURNS)
                code = None if returns is None else _text(_first(returns, _RETURN, {}), _REASON)
                amount_text = (
                    _text(transaction, _TRANSACTION_AMOUNT)
                    or _text(transaction, _AMOUNT)
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
                        reference=_text(transaction, _TRANSACTION_REFERENCE) or entry_reference,
                        rejected=returns is not None or reversed_ or status == "RJCT",
                        code=code,
                    )
                )
    return found
