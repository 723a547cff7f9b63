"""The social security number (NIR, numéro d'inscription au répertoire) of the financial file.

15 characters: sex (1 or 2; 3, 4, 7 or 8 for a provisional number), year and month of birth,
department (2A and 2B for Corsica), commune, order number, then a two-digit control key equal to
97 minus the first 13 digits modulo 97 (Corsica's 2A and 2B counted as 19 and 18). Source: INSEE,
« Répertoire national d'identification des personnes physiques » and décret n° 82-103 du
22 janvier 1982. Pure: the checks and the masking only; the number is never written anywhere by
this module.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"[123478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}")
# Months: 01–12, and 20–42 or 50–99 for people whose month of birth is unknown.
_MONTHS = frozenset(range(1, 13)) | frozenset(range(20, 43)) | frozenset(range(50, 100))


def compact(value: str) -> str:
    """The number without spaces, dots or dashes, in upper case (2a → 2A)."""
    return re.sub(r"[\s.\-]", "", value).upper()


def control_key(first_13: str) -> int:
    """97 − (the 13 characters as a number mod 97), Corsica's 2A as 19 and 2B as 18."""
    digits = first_13.replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def problem(value: str) -> str | None:
    """Why `value` is not a valid NIR (French), or None. Never repeats the number."""
    number = compact(value)
    if len(number) != 15:
        return f"Le numéro compte 15 chiffres, clé comprise : {len(number)} saisis."
    if not _SHAPE.fullmatch(number):
        return "Numéro invalide : il commence par 1 ou 2, puis des chiffres (ou 2A, 2B)."
    if int(number[3:5]) not in _MONTHS:
        return "Numéro invalide : le mois de naissance (4e et 5e chiffres) n'existe pas."
    if control_key(number[:13]) != int(number[13:]):
        return "La clé (2 derniers chiffres) ne correspond pas : vérifiez la carte Vitale."
    return None


def masked(number: str) -> str:
    """What others may read of a NIR: its last two digits (the key) only."""
    return "• •• •• •• ••• ••• " + compact(number)[-2:]


def spaced(number: str) -> str:
    """`1 84 12 76 451 089 46`, as on the carte Vitale."""
    n = compact(number)
    return " ".join((n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:]))
