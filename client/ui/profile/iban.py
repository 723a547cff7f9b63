"""Instant feedback on an IBAN as it is typed (ISO 13616 check digits, mod 97), Qt-free.

Only a first check, beside the field: the server (schwifty) has the last word, including on the
bank codes of each country.
"""

from __future__ import annotations

import string
from enum import Enum

# Lengths of the IBANs people of an académie usually give (ECBS registry).
LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "CH": 21, "DE": 22, "DK": 18, "ES": 24, "FI": 18, "FR": 27,
    "GB": 22, "GR": 27, "IE": 22, "IT": 27, "LU": 20, "MC": 27, "NL": 18, "PL": 28, "PT": 25,
    "SE": 24,
}  # fmt: skip
MIN_LENGTH, MAX_LENGTH = 15, 34


class IbanState(Enum):
    EMPTY = "empty"
    INCOMPLETE = "incomplete"
    BAD_CHARACTERS = "bad_characters"
    BAD_COUNTRY = "bad_country"
    TOO_LONG = "too_long"
    BAD_CHECKSUM = "bad_checksum"
    VALID = "valid"


def compact(text: str) -> str:
    return "".join(text.split()).upper()


def grouped(text: str) -> str:
    """`FR76 3000 6000 0112 3456 7890 189`: the way it is printed on a RIB."""
    value = compact(text)
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def checksum_ok(value: str) -> bool:
    rearranged = value[4:] + value[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def check(text: str) -> IbanState:
    value = compact(text)
    if not value:
        return IbanState.EMPTY
    if any(c not in string.ascii_uppercase + string.digits for c in value):
        return IbanState.BAD_CHARACTERS
    country = value[:2]
    if len(country) == 2 and not country.isalpha():
        return IbanState.BAD_COUNTRY
    if len(value) >= 4 and not value[2:4].isdigit():
        return IbanState.BAD_CHARACTERS
    expected = LENGTHS.get(country)
    if expected is not None:
        if len(value) < expected:
            return IbanState.INCOMPLETE
        if len(value) > expected:
            return IbanState.TOO_LONG
    elif len(value) < MIN_LENGTH:
        return IbanState.INCOMPLETE
    elif len(value) > MAX_LENGTH:
        return IbanState.TOO_LONG
    return IbanState.VALID if checksum_ok(value) else IbanState.BAD_CHECKSUM
