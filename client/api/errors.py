"""Typed errors of the IMAG'IN API, one class per server error `type`.

The server answers every error as `{"type": ..., "detail": ..., "fields": {...}}`; `type` is
stable and `detail` is already a French sentence for people, kept as is. The hierarchy mirrors
the server's (`server_stub/core/errors.py`): `WrongCredentials` and `SessionExpired` are
`NotAuthenticated` (all three are 401), `StaleVersion` and `TransitionRefused` are `Conflict`
(409). Types the client has no class for (`precondition_required`, `malformed_json`,
`method_not_allowed`, ...) arrive as a plain `ApiError` carrying the server's `type`.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Mapping
from typing import Any, ClassVar

import httpx
from pydantic import ValidationError

from client.api import transport
from client.api.models import Statement

log = logging.getLogger(__name__)

UNREACHABLE = "Le serveur IMAG'IN est injoignable. Vérifiez votre connexion puis réessayez."
INVALID_ADDRESS = (
    "L'adresse du serveur IMAG'IN est invalide. Vérifiez-la (par exemple "
    "https://imagin.ac-amiens.fr) puis réessayez."
)
CERTIFICATE_REFUSED = (
    "Le certificat du serveur IMAG'IN n'a pas pu être vérifié : la connexion a été interrompue "
    "pour protéger vos données. Vérifiez l'adresse du serveur ; si elle est juste, contactez "
    "l'assistance informatique de votre académie."
)
SERVER_FAILED = "Le serveur IMAG'IN a rencontré une erreur. Réessayez dans quelques minutes."
UNREADABLE = (
    "La réponse du serveur IMAG'IN est illisible. Vérifiez l'adresse du serveur ou réessayez "
    "plus tard."
)
NOT_LOGGED_IN = "Vous n'êtes pas connecté(e). Connectez-vous pour continuer."
SESSION_EXPIRED = "Votre session a expiré. Reconnectez-vous pour continuer."


class ApiError(Exception):
    """An error answered by (or on the way to) the server.

    `type` is the server's stable error type, `detail` a French sentence to show as is,
    `fields` maps a field path (`days.0.copies`) to a French message to show beside that field,
    `status` is the HTTP status, None when no answer came back.
    """

    default_type: ClassVar[str] = "error"
    default_detail: ClassVar[str] = "La requête n'a pas abouti."

    def __init__(
        self,
        type: str | None = None,
        detail: str | None = None,
        fields: Mapping[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        self.type = type or self.default_type
        self.detail = detail or self.default_detail
        self.fields: dict[str, str] = dict(fields or {})
        self.status = status
        super().__init__(self.detail)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(type={self.type!r}, status={self.status!r})"


class NotAuthenticated(ApiError):
    default_type = "not_authenticated"
    default_detail = NOT_LOGGED_IN


class WrongCredentials(NotAuthenticated):
    default_type = "wrong_credentials"
    default_detail = "Identifiant ou mot de passe incorrect."


class SessionExpired(NotAuthenticated):
    default_type = "session_expired"
    default_detail = SESSION_EXPIRED


class TooManyAttempts(ApiError):
    """Too many log-in attempts: the server says how long to wait (`retry_after`, seconds)."""

    default_type = "too_many_attempts"
    default_detail = "Trop de tentatives de connexion : attendez quelques minutes."

    def __init__(
        self,
        type: str | None = None,
        detail: str | None = None,
        fields: Mapping[str, str] | None = None,
        status: int | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(type, detail, fields, status)
        self.retry_after = retry_after


class PasswordChangeRequired(ApiError):
    default_type = "password_change_required"
    default_detail = (
        "Vous devez d'abord remplacer votre mot de passe temporaire par un mot de passe personnel."
    )


class Forbidden(ApiError):
    default_type = "forbidden"
    default_detail = "Cette action ne vous est pas permise."


class NotFound(ApiError):
    default_type = "not_found"
    default_detail = "Cet élément n'existe pas."


class InvalidInput(ApiError):
    """Some fields are wrong; `fields` says which and why, in French."""

    default_type = "invalid_input"
    default_detail = "Un champ est invalide : corrigez-le puis réessayez."


class Conflict(ApiError):
    default_type = "conflict"
    default_detail = "Cette opération est en conflit avec l'état actuel du dossier."


class StaleVersion(Conflict):
    """Someone saved the statement since it was read; `current` is what is stored now.

    `current` is None only when the server could not send it (a write race detected at
    commit) and it could not be read again either.
    """

    default_type = "stale_version"
    default_detail = "Ce dossier vient d'être modifié par quelqu'un d'autre : rechargez-le."

    def __init__(
        self,
        type: str | None = None,
        detail: str | None = None,
        fields: Mapping[str, str] | None = None,
        status: int | None = None,
        *,
        current: Statement | None = None,
    ) -> None:
        super().__init__(type, detail, fields, status)
        self.current = current


class TransitionRefused(Conflict):
    default_type = "transition_refused"
    default_detail = "Cette opération n'est pas possible dans l'état actuel du dossier."


class ServerUnreachable(ApiError):
    """No answer: connection refused, DNS failure, timeout, invalid address."""

    default_type = "server_unreachable"
    default_detail = UNREACHABLE


class AddressRefused(ApiError):
    """The server's address is refused before anything is sent: plain http:// beyond this
    computer, or not an address at all."""

    default_type = "address_refused"
    default_detail = INVALID_ADDRESS


class CertificateRefused(ApiError):
    """The server's certificate could not be verified, or the CA bundle configured to verify it
    cannot be read: nothing was sent."""

    default_type = "certificate_refused"
    default_detail = CERTIFICATE_REFUSED


class ServerError(ApiError):
    """The server failed (5xx) or answered something the client cannot read."""

    default_type = "server_error"
    default_detail = SERVER_FAILED


class ServerUnavailable(ServerError):
    """The server is up but cannot reach its database for now (503): nothing was saved."""

    default_type = "database_unavailable"


_BY_TYPE: dict[str, type[ApiError]] = {
    cls.default_type: cls
    for cls in (
        NotAuthenticated,
        WrongCredentials,
        SessionExpired,
        TooManyAttempts,
        PasswordChangeRequired,
        Forbidden,
        NotFound,
        InvalidInput,
        Conflict,
        StaleVersion,
        TransitionRefused,
    )
}


def unreachable(error: httpx.HTTPError) -> ApiError:
    """What a transport failure means for the person at the screen."""
    if isinstance(error, transport.AddressRefused | transport.CaBundleUnreadable):
        kind = AddressRefused if isinstance(error, transport.AddressRefused) else CertificateRefused
        return kind(detail=str(error))
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ServerUnreachable(detail=INVALID_ADDRESS)
    if _certificate_failure(error):
        return CertificateRefused()
    return ServerUnreachable()


def _certificate_failure(error: BaseException) -> bool:
    """True when a TLS certificate check is behind the failure, however deep."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def error_body(response: httpx.Response) -> dict[str, Any] | None:
    """The `{"type", "detail", "fields"}` body, or None if the answer is not one."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    if not isinstance(body.get("type"), str) or not isinstance(body.get("detail"), str):
        return None
    fields = body.get("fields")
    if not isinstance(fields, dict):
        body["fields"] = {}
    else:
        body["fields"] = {str(k): str(v) for k, v in fields.items()}
    return body


def _seconds(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _statement(value: object) -> Statement | None:
    if value is None:
        return None
    try:
        return Statement.model_validate(value)
    except ValidationError:
        log.warning("stale_version answer carries an unreadable current statement")
        return None


def from_response(response: httpx.Response) -> ApiError:
    """The typed error for an unsuccessful answer."""
    status = response.status_code
    body = error_body(response)
    if body is None:
        log.warning("unreadable error answer: HTTP %s", status)
        detail = SERVER_FAILED if status >= 500 else UNREADABLE
        return ServerError(detail=detail, status=status)
    kind, detail, fields = body["type"], body["detail"], body["fields"]
    if status == 503 and kind == ServerUnavailable.default_type:
        return ServerUnavailable(kind, detail, fields, status)
    if status >= 500:
        return ServerError(kind, detail, fields, status)
    cls = _BY_TYPE.get(kind, ApiError)
    if cls is TooManyAttempts:
        return TooManyAttempts(
            kind, detail, fields, status, retry_after=_seconds(response.headers.get("Retry-After"))
        )
    if cls is StaleVersion:
        return StaleVersion(kind, detail, fields, status, current=_statement(body.get("current")))
    return cls(kind, detail, fields, status)
