"""The rates quoted in the help pages, read from the tariffs the server serves (Qt-free).

A help page never writes a rate: it names it with a placeholder that `fill` replaces by the
value of `GET /tariffs` (`ApiClient.tariffs`), written the French way (`client.formatting`):

    {{meals.rate}}                           20,00 €   (the rate in force today)
    {{meals.rate@2020-01-01}}                17,50 €   (the rate in force on that day)
    {{meals.valid_from|date}}                22/09/2023
    {{vacations.copy_rates.5|number}}        5,00
    {{vacations.optional_oral_factor|percent}}  75 %
    {{kilometric.band_limits_km.0|int}}      2 000
    {{42*vacations.copy_rates.5}}            210,00 €  (a worked example, computed)

A path walks the JSON of the tariffs (list items by their index); a product multiplies numbers
and paths. Until the tariffs are known (before log-in, offline, or a server that refused), or
when a path does not resolve, the placeholder reads « (voir le barème en vigueur) »; an element
of class `quote` then reads it once for all its placeholders (see `fill`).

The tariffs fetched for the session are kept here (`set_current`) so that the help pane and the
guide, wherever they are opened from, quote the same ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from client.formatting import date_fr, euros, number

log = logging.getLogger(__name__)

__all__ = [
    "FALLBACK",
    "PLACEHOLDER",
    "QUOTE",
    "RateBook",
    "UnresolvedRateError",
    "current",
    "dates_named",
    "fill",
    "load",
    "set_current",
]

FALLBACK = "(voir le barème en vigueur)"

PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<expr>[\w.*]+?)(?:@(?P<day>\d{4}-\d{2}-\d{2}))?(?:\|(?P<fmt>\w+))?\s*\}\}"
)

# An element quoted whole or not at all (no element of the same tag inside it).
QUOTE = re.compile(
    r'(?P<open><(?P<tag>[a-z]+)\b[^>]*\bclass="quote"[^>]*>)(?P<body>.*?)(?P<close></(?P=tag)>)',
    re.DOTALL,
)


class UnresolvedRateError(LookupError):
    """A placeholder names no value of the tariffs, or a value it cannot format."""


def _decimal(value: object, text: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise UnresolvedRateError(f"{text}: not a number ({value!r})")
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise UnresolvedRateError(f"{text}: not a number ({value!r})") from error


def _percent(value: Decimal) -> str:
    return f"{number(value * 100)}\u00a0%"


_FORMATS: Mapping[str, Callable[[Decimal], str]] = {
    "money": euros,
    "number": lambda value: number(value, 2),
    "int": number,
    "percent": _percent,
}


@dataclass(frozen=True)
class RateBook:
    """The tariffs in force today (`today`) and on the other days the pages name (`on`), as
    `GET /tariffs` answers them."""

    today: Mapping[str, Any]
    on: Mapping[dt.date, Mapping[str, Any]]

    def value(self, path: str, day: dt.date | None = None) -> object:
        node: object = self.today if day is None else self.on.get(day)
        if node is None:
            raise UnresolvedRateError(f"no tariffs known on {day}")
        for part in path.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise UnresolvedRateError(f"{path}: no {part!r} in the tariffs")
        return node

    def render(self, match: re.Match[str]) -> str:
        """The text of one placeholder; `UnresolvedRateError` when it does not resolve."""
        expr, fmt = match["expr"], match["fmt"] or "money"
        day = dt.date.fromisoformat(match["day"]) if match["day"] else None
        if fmt == "date":
            raw = self.value(expr, day)
            if not isinstance(raw, str):
                raise UnresolvedRateError(f"{expr}: not a date ({raw!r})")
            return date_fr(dt.date.fromisoformat(raw))
        if fmt not in _FORMATS:
            raise UnresolvedRateError(f"{match[0]}: unknown format {fmt!r}")
        product = Decimal(1)
        for factor in expr.split("*"):
            if re.fullmatch(r"\d+(\.\d+)?", factor):
                product *= Decimal(factor)
            else:
                product *= _decimal(self.value(factor, day), factor)
        return _FORMATS[fmt](product.normalize() if fmt == "int" else product)


_current: RateBook | None = None


def current() -> RateBook | None:
    return _current


def set_current(book: RateBook | None) -> None:
    """The tariffs of the session (None at log-out)."""
    global _current
    _current = book


def _filled(html: str, book: RateBook | None) -> str:
    """`html` with its placeholders replaced; `UnresolvedRateError` at the first that does
    not resolve."""
    if book is None:
        if PLACEHOLDER.search(html):
            raise UnresolvedRateError("no tariffs known")
        return html
    return PLACEHOLDER.sub(book.render, html)


def fill(html: str, book: RateBook | None = None) -> str:
    """`html` with every placeholder replaced by its value in `book` (the session's by
    default), or by the fallback sentence.

    An element of class `quote` (a sentence quoting several rates, a worked example, a table
    of rates) is quoted whole or not at all: when one of its placeholders does not resolve, the
    fallback sentence stands for the whole of it, once.
    """
    book = book if book is not None else _current

    def quote(match: re.Match[str]) -> str:
        try:
            return match["open"] + _filled(match["body"], book) + match["close"]
        except UnresolvedRateError:
            if match["tag"] == "table":
                return f'<p class="rule">{FALLBACK}</p>'
            return match["open"] + FALLBACK + match["close"]

    def replace(match: re.Match[str]) -> str:
        try:
            return _filled(match[0], book)
        except UnresolvedRateError:
            return FALLBACK

    return PLACEHOLDER.sub(replace, QUOTE.sub(quote, html))


def dates_named(pages: Iterable[str]) -> set[dt.date]:
    """The days other than today whose tariffs the pages quote."""
    return {
        dt.date.fromisoformat(match["day"])
        for page in pages
        for match in PLACEHOLDER.finditer(page)
        if match["day"]
    }


def load(tariffs: Callable[[dt.date | None], Mapping[str, Any]], pages: Iterable[str]) -> RateBook:
    """Asks `tariffs` (`ApiClient.tariffs`) for today's tariffs and those of the days the
    pages name; runs on a worker thread."""
    from client.api.errors import ApiError

    today = tariffs(None)
    on: dict[dt.date, Mapping[str, Any]] = {}
    for day in sorted(dates_named(pages)):
        try:
            on[day] = tariffs(day)
        except ApiError:  # no tariff in force that day: those quotes read the fallback
            log.warning("no tariffs for the help pages on %s", day)
    return RateBook(today=today, on=on)
