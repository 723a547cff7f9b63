"""Domain errors, rendered as {"type": ..., "detail": <French sentence>, "fields": {...}}."""

from __future__ import annotations

from typing import Any


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


class AccountLocked(DomainError):
    status_code = 423
    type = "account_locked"


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


class StaleVersion(Conflict):
    type = "stale_version"


class TransitionRefused(Conflict):
    type = "transition_refused"


class PreconditionRequired(DomainError):
    status_code = 428
    type = "precondition_required"
