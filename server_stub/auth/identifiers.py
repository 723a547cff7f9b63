"""The IMAG'IN identifier: first letter of the first name + first 7 letters of the last name.

Names are transliterated to Latin letters by anyascii before anything is cut: `œ` → `oe`,
`æ` → `ae`, `ß` → `ss`, `ø` → `o`, and a name in another script (Cyrillic, Greek, Arabic, Chinese…)
gets its usual romanisation (`Иванова` → `ivanova`). A name of which nothing can be written in
Latin letters is refused, with a French message asking for its Latin spelling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from anyascii import anyascii

from server_stub.core.errors import InvalidInput

# Scripts that write consonants only: their transliteration (`محمد` → `mhmd`) is no spelling
# anyone would recognise, so the person's Latin spelling is asked for instead.
_ABJADS = frozenset({"ARABIC", "HEBREW", "SYRIAC", "THAANA", "SAMARITAN", "MANDAIC"})


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def latin_letters(text: str) -> str:
    """The name's letters in lowercase ASCII: each letter transliterated, anything else (digits,
    hyphens, symbols, emoji) removed; empty when the name is written in a consonant-only
    script."""
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    if any(_script(c) in _ABJADS for c in letters):
        return ""
    return "".join(c for c in anyascii("".join(letters)).lower() if "a" <= c <= "z")


def base_identifier(first_name: str, last_name: str) -> str:
    """`Élodie Dupont-Martin` → `edupontm`, `Marc Lœuillet` → `mloeuill`.

    The rule printed on convocations is "1re lettre du prénom et 7 premières lettres du nom";
    DOMAIN's worked example (`edupontma`, eight letters of the name) disagrees with it, and the
    rule wins.
    """
    return latin_letters(first_name)[:1] + latin_letters(last_name)[:7]


def refusal(first_name: str, last_name: str) -> InvalidInput | None:
    """The error for a name that gives no identifier, or None when both give letters."""
    fields = {
        name: (
            f"Le {label} « {value.strip()} » ne s'écrit pas en lettres latines : saisissez son "
            "orthographe latine (telle qu'elle figure sur la pièce d'identité ou le passeport) "
            "pour que l'identifiant IMAG'IN puisse être formé."
        )
        for name, label, value in (
            ("first_name", "prénom", first_name),
            ("last_name", "nom", last_name),
        )
        if not latin_letters(value)
    }
    if not fields:
        return None
    return InvalidInput(next(iter(fields.values())), fields=fields)


def unique_identifier(first_name: str, last_name: str, taken: Callable[[str], bool]) -> str:
    """The base identifier, or with the smallest numeric suffix that is free.

    Raises `InvalidInput` (on `first_name` or `last_name`) when a name has no Latin letter even
    transliterated: the DEC is asked for the Latin spelling."""
    error = refusal(first_name, last_name)
    if error is not None:
        raise error
    base = base_identifier(first_name, last_name)
    if not taken(base):
        return base
    suffix = 2
    while taken(f"{base}{suffix}"):
        suffix += 1
    return f"{base}{suffix}"
