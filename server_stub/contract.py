"""What the OpenAPI document says of errors: the body every error has (`Problem`, not FastAPI's
default), and every status each operation can answer.

Most statuses follow from what a route declares: a policy or a bearer token (401, and 403 for a
role a policy refuses or a temporary password still to replace), a resource reached by id (404),
a parameter or a body (422; 413 for a body too large), an If-Match header (428, and 409 for a
version read too long ago); any may meet the database out of reach (503). What depends on the
state of the data is declared on the route itself (`responses=CONFLICT`, core/errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from server_stub.auth.access import REACHES, REFERS, Policy
from server_stub.auth.deps import bearer_token
from server_stub.core.errors import STATUS_WORDS


class Problem(BaseModel):
    """Every error the server answers: a stable `type` the client maps to its words, a French
    sentence for people, and the fields in question (some errors add data of their own, such as
    the current version of a statement edited elsewhere)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="Stable, for programs: not_found, stale_version, …")
    detail: str = Field(description="What happened and what to do, in French.")
    fields: dict[str, str] = Field(
        description="For each field in question (`days.0.copies`), what is wrong with it."
    )


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def statuses(route: APIRoute) -> set[int]:
    """The error statuses a route can answer, from what it declares; every one may find the
    database out of reach (503)."""
    found: set[int] = {503}
    for dependant in _dependants(route.dependant):
        call = dependant.call
        if call is bearer_token:
            found.add(401)
        if dependant.body_params:
            found.add(413)  # core/middleware.py: BodyLimit
        if isinstance(call, Policy):
            found.add(401)
            if not call.temporary_password or call.roles != Policy.EVERYONE:
                found.add(403)
        if getattr(call, REACHES, None) is not None:
            found.add(404)
        if getattr(call, REFERS, None) is not None:
            found.add(422)
        if dependant.path_params or dependant.query_params or dependant.body_params:
            found.add(422)
        if any(p.alias.lower() == "if-match" for p in dependant.header_params):
            found.update((409, 428))
    return found


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """`app.openapi`: FastAPI's document, with the errors as the server sends them."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for context in routing.iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            for method in route.methods or ():
                operation = doc["paths"][context.path_format][method.lower()]
                responses = operation["responses"]
                for status in statuses(route) | {int(s) for s in responses if s[0] == "4"}:
                    described = responses.get(str(status), {}).get("description")
                    if status == 422 or not described:
                        described = STATUS_WORDS[status]
                    responses[str(status)] = _problem(described)
        for default in ("HTTPValidationError", "ValidationError"):
            schemas.pop(default, None)
        app.openapi_schema = doc
        return doc

    return document
