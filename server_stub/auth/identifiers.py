"""The IMAG'IN identifier: first letter of the first name + first 7 letters of the last name."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if "a" <= c <= "z")


def base_identifier(first_name: str, last_name: str) -> str:
    """`Élodie Dupont-Martin` → `edupontm`: accents and non-letters removed.

    The rule printed on convocations is "1re lettre du prénom et 7 premières lettres du nom";
    DOMAIN's worked example (`edupontma`, eight letters of the name) disagrees with it, and the
    rule wins.
    """
    return _letters(first_name)[:1] + _letters(last_name)[:7]


def unique_identifier(first_name: str, last_name: str, taken: Callable[[str], bool]) -> str:
    """The base identifier, or with the smallest numeric suffix that is free."""
    base = base_identifier(first_name, last_name) or "intervenant"
    if not taken(base):
        return base
    suffix = 2
    while taken(f"{base}{suffix}"):
        suffix += 1
    return f"{base}{suffix}"
