"""What a request may hold (core/wire.py): each kind of value read strictly, and every field and
parameter of every route read that way, so that a new one cannot forget."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import pytest
from fastapi import routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Strict, TypeAdapter, ValidationError
from sqlalchemy import create_engine

from server_stub.core.settings import Settings
from server_stub.core.wire import (
    STRICT_PARSERS,
    AsDecimal,
    ClockTime,
    Day,
    Flag,
    Id,
    Int,
    LocalMoment,
    QueryFlag,
    QueryId,
    WireIn,
    refused_character,
)
from server_stub.main import create_app

Amount = Annotated[Decimal, AsDecimal]


@pytest.mark.parametrize(
    ("kind", "accepted", "refused"),
    [
        (Int, [0, 12, -3], ["12", True, 1.0, "1_000", None]),
        (Id, [1, 2_147_483_647], [0, 2_147_483_648, "7", False]),
        (Flag, [True, False], ["true", 1, 0, "yes"]),
        (Amount, [12, 12.5, "12.50", "-3"], [True, "1_000", " 12", "١٢", "1e5", "12,5", "NaN"]),
        (Day, ["2026-06-15"], [0, "0", 20260615, "2026-6-15", "2026-06-15T00:00", "2151-01-01"]),
        (ClockTime, ["14:30", "14:30:15"], ["14:30+02:00", "14:30Z", "1430", 0, "25:00"]),
        (
            LocalMoment,
            ["2026-06-15T07:15", "2026-06-15T07:15:00"],
            ["2026-06-15T07:15:00+02:00", "2026-06-15T07:15Z", "2026-06-15", 0],
        ),
        (QueryId, ["1", "42"], ["1_000", "١٢", " 1", "+1", "-1", "0", "1.0", "99999999999"]),
        (QueryFlag, ["true", "false"], ["1", "yes", "on", "True"]),
    ],
)
def test_each_kind_of_value_is_read_strictly(
    kind: Any, accepted: list[Any], refused: list[Any]
) -> None:
    adapter = TypeAdapter(kind)
    for value in accepted:
        adapter.validate_python(value)
    for value in refused:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_a_moment_is_read_as_the_local_time_it_says() -> None:
    assert TypeAdapter(LocalMoment).validate_python("2026-06-15T07:15") == dt.datetime(
        2026, 6, 15, 7, 15
    )


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Élodie Dupont-Martin", None),
        ("12 rue de la République\n80000 Amiens", None),
        ("Lycée\x00", "\x00"),
        ("\x1b[31mrouge", "\x1b"),
        ("abc\u202edef", "\u202e"),
        ("zéro\u200blargeur", "\u200b"),
        ("\ufeffBOM", "\ufeff"),
        ("ligne\u2028séparée", "\u2028"),
        ("privé\ue000", "\ue000"),
    ],
)
def test_text_holds_no_character_one_cannot_see_or_type(text: str, refused: str | None) -> None:
    assert refused_character(text) == refused


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("tab\tand\x07bell", "\x07"),  # ASCII: the search in C
        ("é\u2028then\x00", "\u2028"),  # the first in the text, not in a set's order
        ("é\x00then\u2028", "\x00"),
        ("x" * 100_000 + "\u202e" + "é" * 10 + "\x1b", "\u202e"),
    ],
)
def test_the_first_refused_character_is_the_one_named(text: str, refused: str) -> None:
    assert refused_character(text) == refused


def test_a_line_break_is_refused_where_text_holds_one_line() -> None:
    assert refused_character("deux\nlignes", multiline=False) == "\n"
    assert refused_character("deux\nlignes, é", multiline=False) == "\n"
    assert refused_character("deux\nlignes") is None


class _Nested(WireIn):
    names: list[str]


class _Body(WireIn):
    inner: _Nested


def test_text_is_checked_however_deep_it_lies_in_a_body() -> None:
    with pytest.raises(ValidationError) as caught:
        _Body.model_validate({"inner": {"names": ["ok", "pas\u202eok"]}})
    assert caught.value.errors()[0]["type"] == "text_character"


# --- every route reads its fields and parameters strictly --------------------------------------


def _leaves(
    annotation: Any, metadata: tuple[Any, ...] = ()
) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *more = typing.get_args(annotation)
        yield from _leaves(base, (*metadata, *more))
    elif origin in (typing.Union, types.UnionType):
        for option in typing.get_args(annotation):
            yield from _leaves(option, metadata)
    elif origin in (list, tuple, set, frozenset, dict):
        for item in typing.get_args(annotation):
            yield from _leaves(item)
    elif origin is typing.Literal or annotation is type(None):
        return
    else:
        yield annotation, metadata


def _read_strictly(kind: Any, metadata: tuple[Any, ...]) -> bool:
    parsers = {getattr(m, "func", None) for m in metadata}
    strict = any(isinstance(m, Strict) and m.strict for m in metadata)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return True
    if kind in (int, bool):
        return strict or bool(parsers & STRICT_PARSERS)
    if kind in (Decimal, float, dt.date, dt.time, dt.datetime):
        return bool(parsers & STRICT_PARSERS)
    return True


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for field in model.model_fields.values():
        for kind, _ in _leaves(field.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from _models(kind)


def _all(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _all(sub)


def test_every_field_and_parameter_a_route_reads_is_read_strictly() -> None:
    app = create_app(Settings(database_url="sqlite://"), create_engine("sqlite://"))
    lax: list[str] = []
    seen = 0
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        seen += 1
        name = f"{sorted(route.methods)[0]} {context.path}"
        dependants = list(_all(route.dependant))
        params = [p for d in dependants for p in (*d.path_params, *d.query_params)]
        bodies = [b for d in dependants for b in d.body_params]
        for param in params:
            info = param.field_info
            for kind, metadata in _leaves(info.annotation, tuple(info.metadata)):
                if not _read_strictly(kind, metadata):
                    lax.append(f"{name}: parameter {param.name} ({kind})")
        for body in bodies:
            for kind, _ in _leaves(body.field_info.annotation):
                if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
                    continue
                for model in _models(kind):
                    if not issubclass(model, WireIn):
                        lax.append(f"{name}: {model.__name__} is not a WireIn")
                    for field_name, field in model.model_fields.items():
                        for leaf, metadata in _leaves(field.annotation, tuple(field.metadata)):
                            if not _read_strictly(leaf, metadata):
                                lax.append(f"{name}: {model.__name__}.{field_name} ({leaf})")
    assert seen > 90
    assert sorted(set(lax)) == []
