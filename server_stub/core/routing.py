"""Routes whose endpoint, commit and answer run in one go on one worker thread.

FastAPI runs a synchronous endpoint on a worker thread, then checks its answer on another trip
to a worker thread, and each synchronous dependency on a trip of its own. Each trip costs
about a quarter of a millisecond of CPU and a wait for a free thread. Here the dependencies
that need the database (`Deferred`: who is calling), the endpoint, the commit of its
transaction and the serialisation of its answer are a single trip. The commit inside that
trip also means that no request holds a database write lock (see `core/database.py`) while it
waits for a thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from fastapi import APIRouter, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.utils import is_body_allowed_for_status_code
from sqlalchemy.orm import Session

_ONE_TRIP = "__imagin_one_trip__"
# The session of the request served on this thread, for what reads data of the database that
# the rules apply without being handed the session (the tariffs in effect: tariff_versions/).
current_session: ContextVar[Session | None] = ContextVar("current_session", default=None)
T = TypeVar("T")
U = TypeVar("U")


class Deferred:
    """A dependency's value that needs the database, worked out on the endpoint's thread.

    `defer(session, produce)` stands for `produce(session)`; `then(value, check)` stands for
    `check(value)`. The route replaces each by its value before the endpoint runs: the endpoint
    receives what the dependency is annotated with. A value is worked out once per request,
    however many dependencies build on it (FastAPI hands the same object to each of them): who
    is calling is looked up once, then each check of a route runs on that one answer.
    """

    _UNSET: Any = object()

    def __init__(self, session: Session, produce: Callable[[Session], Any]) -> None:
        self.session = session
        self._produce = produce
        self._value: Any = Deferred._UNSET

    def then(self, check: Callable[[Any], Any]) -> Deferred:
        return Deferred(self.session, lambda _: check(self.resolve()))

    def resolve(self) -> Any:
        if self._value is Deferred._UNSET:
            self._value = self._produce(self.session)
        return self._value


def defer(session: Session, produce: Callable[[Session], T]) -> T:
    return cast(T, Deferred(session, produce))


def then(value: T, check: Callable[[T], U]) -> U:
    """`check(value)`, now or, for a deferred value, when it is worked out."""
    if isinstance(value, Deferred):
        return cast(U, value.then(check))
    return check(value)


class UnitOfWorkRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and not hasattr(endpoint, _ONE_TRIP):
            endpoint = self._in_one_trip(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def _in_one_trip(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)
        def run(**arguments: Any) -> Any:
            session = next((a for a in arguments.values() if isinstance(a, Session)), None)
            deferred = {k: a for k, a in arguments.items() if isinstance(a, Deferred)}
            if session is None and deferred:
                session = next(iter(deferred.values())).session
            serving = current_session.set(session)
            try:
                arguments.update((k, a.resolve()) for k, a in deferred.items())
                result = endpoint(**arguments)
                if session is not None:
                    session.commit()
            except BaseException:
                if session is not None:
                    session.rollback()
                raise
            finally:
                current_session.reset(serving)
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
