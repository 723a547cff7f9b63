"""Password hashes: argon2id for a person's own, a salted HMAC for a generated temporary one."""

from __future__ import annotations

import time

from server_stub.core.security import (
    TEMPORARY_PASSWORD_BITS,
    hash_password,
    hash_temporary_password,
    is_temporary_hash,
    temporary_password,
    verify_password,
)


def test_a_temporary_password_has_at_least_72_random_bits() -> None:
    assert TEMPORARY_PASSWORD_BITS >= 72
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    assert not any(c in p for p in passwords for c in "0O1lI")


def test_a_temporary_hash_verifies_its_password_alone_and_is_salted() -> None:
    password = temporary_password()
    first, second = hash_temporary_password(password), hash_temporary_password(password)

    assert is_temporary_hash(first) and first != second
    assert verify_password(first, password) and verify_password(second, password)
    assert not verify_password(first, password[:-1])
    assert not verify_password(first, password + "x")
    assert not verify_password("$imagin-temporary$v1$zz$00", password)  # damaged: refused


def test_a_person_s_own_password_stays_argon2id() -> None:
    stored = hash_password("Nouveau-Mot2passe!")
    assert stored.startswith("$argon2id$") and not is_temporary_hash(stored)
    assert verify_password(stored, "Nouveau-Mot2passe!")


def test_checking_a_temporary_password_costs_what_checking_any_other_does() -> None:
    """An answer's delay must not tell which accounts still have their temporary password."""
    password = temporary_password()
    temporary, own = hash_temporary_password(password), hash_password(password)
    verify_password(temporary, password)  # the first one prepares what it compares to

    def seconds(stored: str) -> float:
        started = time.perf_counter()
        verify_password(stored, password)
        return time.perf_counter() - started

    assert min(seconds(temporary) for _ in range(3)) > 0.5 * min(seconds(own) for _ in range(3))
