"""Where the tokens live: memory always, the keyring only for "rester connecté"."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import KeyringLocked

from client.api.tokens import NO_KEYRING, SERVICE, TokenStore, keyring_username
from tests.fixtures import MemoryKeyring

SERVER = "https://imagin.ac-amiens.fr"
KEY = (SERVICE, f"{SERVER}|edupontm")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A headless machine: keyring's `fail` backend, as found on a bare Linux."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


class LockedKeyring(MemoryKeyring):
    """A keyring the person refused to unlock."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


def test_remember_keeps_only_the_refresh_token_in_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    store = TokenStore()
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    assert memory_keyring.entries == {KEY: "refresh-1"}
    assert store.access_token == "access-1"
    assert store.persistent
    assert store.unavailable_message is None


def test_without_remember_nothing_reaches_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=False)
    assert memory_keyring.entries == {}
    assert (store.access_token, store.refresh_token) == ("access-1", "refresh-1")


def test_unticking_remember_forgets_the_token_remembered_before(
    memory_keyring: MemoryKeyring,
) -> None:
    TokenStore().keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    TokenStore().keep(SERVER, "edupontm", "access-2", "refresh-2", remember=False)
    assert memory_keyring.entries == {}


def test_a_remembered_session_is_found_again_after_a_restart(
    memory_keyring: MemoryKeyring,
) -> None:
    TokenStore().keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    restarted = TokenStore()
    assert restarted.load_remembered(SERVER, "EDupontM") == "refresh-1"
    assert restarted.refresh_token == "refresh-1"
    assert restarted.access_token is None
    assert restarted.remember


def test_nothing_is_remembered_for_another_server(memory_keyring: MemoryKeyring) -> None:
    TokenStore().keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    store = TokenStore()
    assert store.load_remembered("http://127.0.0.1:8000", "edupontm") is None
    assert store.refresh_token is None


def test_renewed_tokens_replace_the_remembered_one(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    store.renew("access-2", "refresh-2")
    assert memory_keyring.entries == {KEY: "refresh-2"}
    assert store.access_token == "access-2"


def test_forgetting_clears_memory_and_keyring(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    store.forget()
    assert memory_keyring.entries == {}
    assert (store.access_token, store.refresh_token) == (None, None)
    store.forget()  # twice is harmless


def test_without_a_keyring_the_session_stays_in_memory_and_says_so(no_keyring: None) -> None:
    store = TokenStore()
    assert not store.persistent
    assert store.unavailable_message == NO_KEYRING
    assert "ne pourra pas être mémorisée" in NO_KEYRING
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    assert (store.access_token, store.refresh_token) == ("access-1", "refresh-1")
    assert store.load_remembered(SERVER, "edupontm") is None
    store.forget()
    assert store.access_token is None


def test_a_keyring_that_fails_is_given_up_for_memory() -> None:
    store = TokenStore(backend=LockedKeyring())
    assert store.persistent
    store.keep(SERVER, "edupontm", "access-1", "refresh-1", remember=True)
    assert not store.persistent
    assert store.unavailable_message == NO_KEYRING
    assert store.refresh_token == "refresh-1"


def test_a_keyring_that_fails_on_reading_finds_nothing() -> None:
    store = TokenStore(backend=LockedKeyring())
    assert store.load_remembered(SERVER, "edupontm") is None
    assert not store.persistent


def test_the_keyring_entry_names_the_server_and_the_login() -> None:
    assert keyring_username(f"{SERVER}/", " EDupontM ") == f"{SERVER}|edupontm"
