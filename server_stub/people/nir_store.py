"""The social security number at rest: encrypted with the key of the server settings (Fernet:
AES-128-CBC with an HMAC-SHA256, from the `cryptography` library), decrypted only to answer its
owner. Neither the number nor its token is ever logged."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from server_stub.core.errors import Conflict
from server_stub.core.settings import Settings

NOT_CONFIGURED = (
    "Le serveur n'est pas configuré pour conserver les numéros de sécurité sociale (clé de "
    "chiffrement absente) : contactez l'administrateur."
)


def _fernet(settings: Settings) -> Fernet:
    if settings.nir_key is None:
        raise Conflict(NOT_CONFIGURED)
    try:
        return Fernet(settings.nir_key.get_secret_value().encode())
    except ValueError:
        raise Conflict(NOT_CONFIGURED) from None


def encrypt(settings: Settings, number: str) -> str:
    return _fernet(settings).encrypt(number.encode()).decode()


def decrypt(settings: Settings, token: str | None) -> str | None:
    """The number, or None when there is none or when the server's key cannot open it (no key
    configured, or a key changed without encrypting again): the owner is then asked for it."""
    if token is None or settings.nir_key is None:
        return None
    try:
        return _fernet(settings).decrypt(token.encode()).decode()
    except (InvalidToken, Conflict):
        return None


def new_key() -> str:
    """A fresh key for `IMAGIN_NIR_KEY`."""
    return Fernet.generate_key().decode()
