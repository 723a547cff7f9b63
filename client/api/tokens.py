"""Where the session's tokens live: the access token in memory only, always; with "rester
connecté", the refresh token in the operating system's keyring as well, nowhere else.

Without a usable keyring (a headless Linux has none: `keyring.backends.fail.Keyring`), the store
keeps working in memory and says so through `persistent` and `unavailable_message`, so that the
interface can tell the person their session will not be remembered.
"""

from __future__ import annotations

import logging
import threading

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "imagin"
NO_KEYRING = (
    "Votre session ne pourra pas être mémorisée sur ce poste : aucun trousseau sécurisé n'est "
    "disponible."
)


def keyring_username(server: str, login: str) -> str:
    """The keyring entry of one account on one server: the server URL followed by the login."""
    return f"{server.strip().rstrip('/')}|{login.strip().lower()}"


def _usable(backend: KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


class TokenStore:
    """The current session's tokens; safe to use from several threads.

    `backend` pins a keyring backend; by default the one `keyring` chose (or was given with
    `keyring.set_keyring`) is asked at each use.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._lock = threading.RLock()
        self._access: str | None = None
        self._refresh: str | None = None
        self._server: str | None = None
        self._login: str | None = None
        self._remember = False
        self._keyring_failed = False

    # --- what is held ---------------------------------------------------------------------

    @property
    def access_token(self) -> str | None:
        with self._lock:
            return self._access

    @property
    def refresh_token(self) -> str | None:
        with self._lock:
            return self._refresh

    @property
    def login(self) -> str | None:
        with self._lock:
            return self._login

    @property
    def server(self) -> str | None:
        with self._lock:
            return self._server

    @property
    def remember(self) -> bool:
        """Whether the person asked to stay logged in (kept even if the keyring failed)."""
        with self._lock:
            return self._remember

    @property
    def persistent(self) -> bool:
        """Whether a refresh token can be kept across restarts on this computer."""
        with self._lock:
            return not self._keyring_failed and _usable(self._keyring())

    @property
    def unavailable_message(self) -> str | None:
        """The French sentence to show when the session cannot be remembered, else None."""
        return None if self.persistent else NO_KEYRING

    # --- changes --------------------------------------------------------------------------

    def keep(
        self, server: str, login: str, access_token: str, refresh_token: str, *, remember: bool
    ) -> None:
        """Holds a fresh session; remembers its refresh token only if asked to, else forgets
        any token remembered before for this account ("rester connecté" was unticked)."""
        with self._lock:
            self._server, self._login, self._remember = server, login, remember
            self._access, self._refresh = access_token, refresh_token
            if remember:
                self._write(refresh_token)
            else:
                self._delete()

    def renew(self, access_token: str, refresh_token: str) -> None:
        """Replaces the tokens after a refresh or a password change (refresh tokens are used
        once: the remembered one must follow)."""
        with self._lock:
            self._access, self._refresh = access_token, refresh_token
            if self._remember:
                self._write(refresh_token)

    def load_remembered(self, server: str, login: str) -> str | None:
        """The refresh token remembered for this account, now held in memory; None if there
        is none or no keyring."""
        with self._lock:
            backend = self._keyring()
            if self._keyring_failed or not _usable(backend):
                return None
            try:
                token = backend.get_password(SERVICE, keyring_username(server, login))
            except Exception:  # backends raise their own kinds (D-Bus, Security framework)
                self._failed("read")
                return None
            if token:
                self._server, self._login, self._remember = server, login, True
                self._access, self._refresh = None, token
            return token or None

    def forget(self) -> None:
        """Ends the session here: memory cleared, remembered refresh token deleted."""
        with self._lock:
            self._delete()
            self._access = self._refresh = None
            self._remember = False

    # --- the keyring ----------------------------------------------------------------------

    def _keyring(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def _username(self) -> str | None:
        if self._server is None or self._login is None:
            return None
        return keyring_username(self._server, self._login)

    def _failed(self, action: str) -> None:
        log.warning("keyring %s failed; the session stays in memory only", action, exc_info=True)
        self._keyring_failed = True

    def _write(self, refresh_token: str) -> None:
        username = self._username()
        backend = self._keyring()
        if username is None or self._keyring_failed or not _usable(backend):
            return
        try:
            backend.set_password(SERVICE, username, refresh_token)
        except Exception:  # backends raise their own kinds (D-Bus, Security framework)
            self._failed("write")

    def _delete(self) -> None:
        username = self._username()
        backend = self._keyring()
        if username is None or self._keyring_failed or not _usable(backend):
            return
        try:
            backend.delete_password(SERVICE, username)
        except PasswordDeleteError:
            pass  # nothing was remembered
        except Exception:  # backends raise their own kinds (D-Bus, Security framework)
            self._failed("delete")
