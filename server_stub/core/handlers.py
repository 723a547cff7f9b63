"""Every error leaves as {"type", "detail", "fields"} in French; bad input is never a 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server_stub.core.errors import DomainError

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
    "bool_type": "Oui ou non est attendu.",
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
}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        if error["type"] == "json_invalid":
            return {
                "type": "malformed_json",
                "detail": "Le corps de la requête n'est pas un JSON valide.",
                "fields": {},
            }
        message = _MESSAGES.get(error["type"], "Valeur invalide.")
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


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_validation_body(exc), status_code=422)

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
