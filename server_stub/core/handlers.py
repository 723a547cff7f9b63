"""Every error leaves as {"type", "detail", "fields"} in French; bad input is never a 500."""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server_stub.core import wire
from server_stub.core.errors import DomainError
from server_stub.core.middleware import TOO_LARGE_TYPE, too_large_detail
from server_stub.rules.tariffs import NoTariffInForceError, UnknownDiplomaError

log = logging.getLogger(__name__)

_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "decimal_type": "Un nombre est attendu.",
    "decimal_parsing": "Un nombre est attendu.",
    "decimal_max_places": "Deux décimales au plus.",
    "float_parsing": "Un nombre est attendu.",
    "bool_type": "Oui ou non est attendu (true ou false).",
    "bool_parsing": "Oui ou non est attendu.",
    "string_type": "Un texte est attendu.",
    "string_too_short": "Ce champ ne peut pas être vide.",
    "string_too_long": "Ce texte est trop long.",
    "date_type": "Une date est attendue.",
    "date_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "datetime_type": "Une date et une heure sont attendues.",
    "datetime_parsing": "Une date et une heure sont attendues.",
    "datetime_from_date_parsing": "Une date et une heure sont attendues.",
    "time_type": "Une heure est attendue.",
    "time_parsing": "Une heure au format HH:MM est attendue.",
    "greater_than_equal": "La valeur ne peut pas être négative.",
    "greater_than": "La valeur doit être positive.",
    "less_than_equal": "La valeur est trop grande.",
    "enum": "Cette valeur n'est pas permise.",
    "literal_error": "Cette valeur n'est pas permise.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet est attendu.",
    "model_type": "Un objet est attendu.",
    "extra_forbidden": "Ce champ n'est pas reconnu.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "value_error": "Valeur invalide.",
    "string_pattern_mismatch": "Ce texte n'a pas la forme attendue.",
    "enum_type": "Cette valeur n'est pas permise.",
    "finite_number": "Un nombre est attendu.",
    "decimal_max_digits": "Ce nombre a trop de chiffres.",
    "decimal_whole_digits": "Ce nombre a trop de chiffres.",
    "too_short": "Cette liste ne peut pas être vide.",
    "too_long": "Cette liste est trop longue.",
    "less_than": "La valeur est trop grande.",
    "union_tag_invalid": "Cette valeur n'est pas permise.",
    "date_from_datetime_inexact": "Une date au format AAAA-MM-JJ est attendue.",
    "time_delta_parsing": "Une durée est attendue.",
    # core/wire.py: what a request may hold, strictly.
    wire.INT_PARSING: "Un nombre entier est attendu, en chiffres seulement.",
    wire.DECIMAL_PARSING: "Un nombre est attendu, en chiffres avec un point décimal (12.50).",
    wire.DATE_PARSING: "Une date au format AAAA-MM-JJ est attendue.",
    wire.TIME_PARSING: "Une heure au format HH:MM est attendue.",
    wire.DATETIME_PARSING: "Une date et une heure au format AAAA-MM-JJTHH:MM sont attendues.",
    wire.TIME_ZONE: "Indiquez l'heure locale, sans fuseau horaire (ni Z ni +02:00).",
}


_MALFORMED = {
    "type": "malformed_json",
    "detail": "Le corps de la requête n'est pas un JSON valide.",
    "fields": {},
}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        if error["type"] == "json_invalid":
            return _MALFORMED
        message = _MESSAGES.get(error["type"], "Valeur invalide.")
        if error["type"] == "less_than_equal" and isinstance(error.get("ctx", {}).get("le"), int):
            message = f"La valeur ne peut pas dépasser {error['ctx']['le']}."
        if error["type"] == "greater_than_equal" and error.get("ctx", {}).get("ge") == 1:
            message = "La valeur doit être au moins 1."
        if error["type"] == "string_too_long" and isinstance(
            error.get("ctx", {}).get("max_length"), int
        ):
            message = f"Ce texte est trop long ({error['ctx']['max_length']} caractères au plus)."
        if error["type"] == wire.DATE_RANGE:
            message = f"Une date entre {wire.FIRST_YEAR} et {wire.LAST_YEAR} est attendue."
        if error["type"] == wire.TEXT_CHARACTER:
            message = (
                f"Ce texte contient un caractère invisible ou de contrôle "
                f"({error['ctx']['code']}) : retirez-le."
            )
        if error["type"] == "value_error" and isinstance(
            error.get("ctx", {}).get("error"), ValueError
        ):
            text = str(error["ctx"]["error"])
            # Our own validators speak French; pydantic's do not.
            if text and not text.isascii():
                message = text
        fields.setdefault(_field_path(tuple(error["loc"])), message)
    count = len(fields)
    detail = (
        "Un champ est invalide : corrigez-le puis réessayez."
        if count == 1
        else f"{count} champs sont invalides : corrigez-les puis réessayez."
    )
    return {"type": "invalid_input", "detail": detail, "fields": fields}


_HTTP = {
    404: ("route_not_found", "Cette adresse n'existe pas sur le serveur IMAG'IN."),
    405: ("method_not_allowed", "Cette opération n'est pas permise à cette adresse."),
}
# How long a client waits before trying again when the database cannot be reached.
UNAVAILABLE_RETRY_SECONDS = 5
UNAVAILABLE = (
    "La base de données d'IMAG'IN est momentanément inaccessible : rien n'a été enregistré. "
    "Réessayez dans quelques instants."
)


# SQLite reports a mistaken query as an OperationalError too: only these mean "out of reach".
_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly database")


def _unreachable(exc: DBAPIError) -> bool:
    """The database could not be reached, was busy past its timeout or dropped the
    connection (not a query it refused)."""
    if exc.connection_invalidated:
        return True
    if isinstance(exc.orig, sqlite3.Error):
        message = str(exc.orig).lower()
        return any(words in message for words in _SQLITE_UNAVAILABLE)
    return isinstance(exc, OperationalError | InterfaceError)


def install(app: FastAPI, max_body_bytes: int) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        headers = None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after)}
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(DBAPIError)
    async def database_error(_: Request, exc: DBAPIError) -> JSONResponse:
        if not _unreachable(exc):
            log.exception("database error", exc_info=exc)
            body = {
                "type": "server_error",
                "detail": "Une erreur inattendue est survenue sur le serveur. Réessayez plus tard.",
                "fields": {},
            }
            return JSONResponse(body, status_code=500)
        log.warning("database unreachable: %s", exc.orig)
        return JSONResponse(
            {"type": "database_unavailable", "detail": UNAVAILABLE, "fields": {}},
            status_code=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_SECONDS)},
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_validation_body(exc), status_code=422)

    # The rules know of no HTTP: what they cannot compute for the data sent is the client's to
    # correct (a mission dated when no rate was in force, a diploma no table knows).
    @app.exception_handler(NoTariffInForceError)
    async def no_tariff(_: Request, exc: NoTariffInForceError) -> JSONResponse:
        body = {"type": "no_tariff_in_force", "detail": str(exc), "fields": {}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(UnknownDiplomaError)
    async def unknown_diploma(_: Request, exc: UnknownDiplomaError) -> JSONResponse:
        body = {"type": "unknown_diploma", "detail": f"{exc}.", "fields": {}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StaleDataError)
    async def stale(_: Request, exc: StaleDataError) -> JSONResponse:
        body = {
            "type": "stale_version",
            "detail": "Ce dossier vient d'être modifié par quelqu'un d'autre : rechargez-le.",
            "fields": {},
        }
        return JSONResponse(body, status_code=409)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's answer to a body it could not read (not UTF-8, numbers too long): the
            # same as to one that is not JSON.
            return JSONResponse(_MALFORMED, status_code=422)
        if exc.status_code == 413:
            # The limit's own sentence (an upload's), or the request's.
            own = exc.detail if exc.detail != HTTPStatus(413).phrase else None
            kind, detail = TOO_LARGE_TYPE, own or too_large_detail(max_body_bytes)
        else:
            kind, detail = _HTTP.get(exc.status_code, ("http_error", "La requête n'a pas abouti."))
        return JSONResponse(
            {"type": kind, "detail": detail, "fields": {}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        body = {
            "type": "server_error",
            "detail": "Une erreur inattendue est survenue sur le serveur. Réessayez plus tard.",
            "fields": {},
        }
        return JSONResponse(body, status_code=500)
