"""Routes whose endpoint, commit and answer run in one go on one worker thread.

FastAPI runs a synchronous endpoint on a worker thread, then checks its answer on another trip
to a worker thread, and a yield dependency's set-up and tear-down on two more. Each trip costs
about a quarter of a millisecond of CPU and a wait for a free thread. Here the endpoint, the
commit of its transaction and the serialisation of its answer are a single trip. The commit
inside that trip also means that no request holds a database write lock (see
`core/database.py`) while it waits for a thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.utils import is_body_allowed_for_status_code
from sqlalchemy.orm import Session

_ONE_TRIP = "__imagin_one_trip__"


class UnitOfWorkRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not hasattr(endpoint, _ONE_TRIP):
            endpoint = self._in_one_trip(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def _in_one_trip(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)
        def run(**arguments: Any) -> Any:
            session = next((a for a in arguments.values() if isinstance(a, Session)), None)
            try:
                result = endpoint(**arguments)
                if session is not None:
                    session.commit()
            except BaseException:
                if session is not None:
                    session.rollback()
                raise
            if isinstance(result, Response):
                return result
            return self._answer(result, arguments)

        setattr(run, _ONE_TRIP, True)
        return run

    def _answer(self, result: Any, arguments: dict[str, Any]) -> Response:
        """What FastAPI would send for `result`, built here rather than on another trip."""
        sub = next((a for a in arguments.values() if isinstance(a, Response)), None)
        status_code = (sub.status_code if sub is not None else None) or self.status_code or 200
        field = self.response_field
        response: Response
        if field is None:
            response = JSONResponse(jsonable_encoder(result), status_code=status_code)
        else:
            value, errors = field.validate(result, {}, loc=("response",))
            if errors:
                raise ResponseValidationError(errors=errors, body=result)
            content = field.serialize_json(
                value,
                include=self.response_model_include,
                exclude=self.response_model_exclude,
                by_alias=self.response_model_by_alias,
                exclude_unset=self.response_model_exclude_unset,
                exclude_defaults=self.response_model_exclude_defaults,
                exclude_none=self.response_model_exclude_none,
            )
            response = Response(content, status_code=status_code, media_type="application/json")
        if not is_body_allowed_for_status_code(status_code):
            response = Response(status_code=status_code)
        if sub is not None:
            response.headers.raw.extend(sub.headers.raw)
        return response


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose synchronous endpoints are units of work (see above)."""
    return APIRouter(route_class=UnitOfWorkRoute, **kwargs)
