"""Domain errors, rendered as {"type": ..., "detail": <French sentence>, "fields": {...}}."""

from __future__ import annotations

from typing import Any

Responses = dict[int | str, dict[str, Any]]


class DomainError(Exception):
    """An error the client can act on. `type` is stable; `detail` is for people."""

    status_code = 400
    type = "bad_request"

    def __init__(self, detail: str, *, fields: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "detail": self.detail, "fields": self.fields, **self.extra}


class InvalidInput(DomainError):
    status_code = 422
    type = "invalid_input"


class NotAuthenticated(DomainError):
    status_code = 401
    type = "not_authenticated"


class SessionExpired(NotAuthenticated):
    type = "session_expired"


class WrongCredentials(NotAuthenticated):
    type = "wrong_credentials"


class TooManyAttempts(DomainError):
    """Answered 429 with Retry-After: the client may try again after `retry_after` seconds."""

    status_code = 429
    type = "too_many_attempts"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


class PasswordChangeRequired(DomainError):
    status_code = 403
    type = "password_change_required"


class Forbidden(DomainError):
    status_code = 403
    type = "forbidden"


class NotFound(DomainError):
    status_code = 404
    type = "not_found"


class Conflict(DomainError):
    status_code = 409
    type = "conflict"


class PaymentNotConfigured(Conflict):
    type = "payment_not_configured"


class StaleVersion(Conflict):
    type = "stale_version"


class TransitionRefused(Conflict):
    type = "transition_refused"


class PreconditionRequired(DomainError):
    status_code = 428
    type = "precondition_required"


# What each status means, as the OpenAPI document says it (contract.py); `responses=CONFLICT` on a
# route that can meet the state of the data.
STATUS_WORDS = {
    401: "Non connecté(e) : jeton absent, invalide, révoqué ou expiré.",
    403: "Le rôle de l'appelant ne permet pas cette opération, ou son mot de passe temporaire "
    "est à remplacer.",
    404: "Introuvable, ou hors du périmètre de l'appelant (répondu de la même façon).",
    409: "En conflit avec l'état des données : version, statut ou doublon.",
    422: "Requête invalide : chaque champ en cause est nommé.",
    423: "Compte verrouillé pour un temps après plusieurs essais infructueux.",
    413: "Corps de requête trop volumineux.",
    428: "En-tête If-Match (la version lue) requis.",
    429: "Trop de tentatives : réessayer après Retry-After.",
    503: "Base de données momentanément injoignable : rien n'a été enregistré, réessayer.",
}


def answers(*statuses: int) -> Responses:
    """`responses=` of a route that can also answer these statuses (from the data's state)."""
    return {status: {"description": STATUS_WORDS[status]} for status in statuses}


CONFLICT = answers(409)
