"""Password hashing (argon2id) and opaque bearer tokens stored as hashes.

A temporary password the server generates is stored otherwise (docs/security.md, "Temporary
passwords"): with 75 random bits, a salted HMAC-SHA-256 protects it as well as argon2id
protects a password a person chooses, at a millionth of the cost, which an import of
thousands of new people pays for each of them.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import string
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

PASSWORD_RULES = (
    "Le mot de passe doit compter au moins 12 caractères, dont une minuscule, une majuscule, "
    "un chiffre et un caractère spécial, et ne pas contenir votre identifiant."
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if password_hash.startswith(_TEMPORARY_PREFIX):
        matches = _verify_temporary(password_hash, password)
        # The same work as any other log-in: how long an answer takes must not tell that an
        # account still has its temporary password.
        _verify_argon2(_equaliser(), password)
        return matches
    return _verify_argon2(password_hash, password)


def _verify_argon2(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _equaliser() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


# A temporary password's hash: "$imagin-temporary$v1$<salt, hex>$<HMAC-SHA-256, hex>".
_TEMPORARY_PREFIX = "$imagin-temporary$v1$"
_TEMPORARY_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
TEMPORARY_PASSWORD_LENGTH = 13
# At least 72 random bits: out of reach of a search however fast the hash (docs/security.md).
TEMPORARY_PASSWORD_BITS = TEMPORARY_PASSWORD_LENGTH * math.log2(len(_TEMPORARY_ALPHABET))


def hash_temporary_password(password: str) -> str:
    """The hash of a password `temporary_password` generated, and of nothing else: a person's
    own password is hashed by `hash_password` (argon2id). Its account must change it at the
    first log-in (`must_change_password`)."""
    salt = secrets.token_bytes(16)
    return _TEMPORARY_PREFIX + salt.hex() + "$" + _temporary_digest(salt, password)


def is_temporary_hash(password_hash: str) -> bool:
    return password_hash.startswith(_TEMPORARY_PREFIX)


def _temporary_digest(salt: bytes, password: str) -> str:
    return hmac.new(salt, password.encode(), hashlib.sha256).hexdigest()


def _verify_temporary(password_hash: str, password: str) -> bool:
    salt, _, digest = password_hash.removeprefix(_TEMPORARY_PREFIX).partition("$")
    try:
        key = bytes.fromhex(salt)
    except ValueError:
        return False
    return hmac.compare_digest(_temporary_digest(key, password), digest)


def password_problems(password: str, login: str) -> list[str]:
    """What is wrong with a new password, in French; empty when it is acceptable."""
    problems = []
    if len(password) < 12:
        problems.append("au moins 12 caractères")
    if not any(c.islower() for c in password):
        problems.append("une minuscule")
    if not any(c.isupper() for c in password):
        problems.append("une majuscule")
    if not any(c.isdigit() for c in password):
        problems.append("un chiffre")
    if all(c.isalnum() for c in password):
        problems.append("un caractère spécial")
    if login and login.lower() in password.lower():
        problems.append("ne pas contenir votre identifiant")
    return problems


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def temporary_password() -> str:
    """A password to print on a convocation: unambiguous characters, changed at first log-in."""
    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))
