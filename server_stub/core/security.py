"""Password hashing (argon2id) and opaque bearer tokens stored as hashes."""

from __future__ import annotations

import hashlib
import secrets
import string

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
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


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
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    return "".join(secrets.choice(alphabet) for _ in range(10))
