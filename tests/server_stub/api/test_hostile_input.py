"""What a careless or hostile client may send, field by field, to every operation: each is refused
with a 422 in French, naming the field, never a 500; a field sent as null is never a 500.

The requests are generated: each operation's valid call (access_matrix.CALLS) with one value
replaced at a time, in the path, the query or anywhere in the JSON body, by values of the wrong
kind for its type in the OpenAPI document (a string for a number, `1_000`, other scripts' digits,
`0` for a date, a time with a UTC offset, `"yes"` for a boolean, NUL, ESC, U+202E, zero-width
spaces in text…)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from server_stub.core.settings import Settings
from tests.server_stub.api.access_matrix import CALLS, MATRIX, Call
from tests.server_stub.two_offices import API, CALLERS, Sandbox, TwoOffices, two_offices

# Values of the wrong kind, by the type the document gives a field or parameter.
WRONG_IN_BODY: dict[str, list[Any]] = {
    "integer": ["12", True, 1.5, -1, 2**31, 10**20, "1_000"],
    "decimal": [True, "1_000", " 12", "١٢", "1e5", "12,50", "NaN"],
    "date": [0, "0", 20260615, "2026-6-1", "15/06/2026", "9999-12-31", "2026-06-15T00:00:00"],
    "time": [0, "1430", "14:30+02:00", "14:30:00Z", "25:00"],
    "date-time": [0, "2026-06-15", "2026-06-15T07:15:00+02:00", "2026-06-15T07:15:00Z"],
    "boolean": ["true", 1, 0, "yes"],
    "string": ["a\x00b", "a\x1bb", "\u202eabc", "a\u200bb", "a\ufeffb", 12],
}
WRONG_IN_TEXT: dict[str, list[str]] = {
    "integer": ["1_000", "١٢", " 1", "+1", "-1", "0", "1.0", "99999999999", "true", "0x10"],
    "boolean": ["yes", "1", "on", "True"],
    "date": ["0", "2026-6-1", "15/06/2026", "9999-12-31"],
    "string": ["a\x00b", "\u202eabc", "a\u200bb"],
}
ENGLISH = ("Input should", "Field required", "value is not", "Extra inputs")


@dataclass(frozen=True)
class Attempt:
    operation: str
    where: str  # the field or parameter, as the error body names it
    value: Any
    call: Call
    expect_422: bool = True


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _kind(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, bool]:
    """(the type a mutation is chosen by, nullable) of a property's schema."""
    schema = _resolve(document, schema)
    options = schema.get("anyOf", [schema])
    nullable = any(o.get("type") == "null" for o in options)
    kinds = [_resolve(document, o) for o in options if o.get("type") != "null"]
    types = {k.get("type") for k in kinds}
    if types == {"number", "string"}:
        return "decimal", nullable
    if len(kinds) != 1:
        return None, nullable
    only = kinds[0]
    if only.get("type") == "string" and only.get("format") in ("date", "time", "date-time"):
        return only["format"], nullable
    if "enum" in only:
        return "string", nullable
    return only.get("type"), nullable


def _set(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(body))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def _body_attempts(
    document: dict[str, Any], operation: str, call: Call, schema: dict[str, Any], body: Any,
    path: tuple[Any, ...] = (),
) -> Iterator[Attempt]:  # fmt: skip
    schema = _resolve(document, schema)
    for name, prop in schema.get("properties", {}).items():
        here = (*path, name)
        where = ".".join(str(p) for p in here)
        kind, _ = _kind(document, prop)
        yield Attempt(operation, where, None, _with(call, _set(call.json, here, None)), False)
        if kind in WRONG_IN_BODY:
            for value in WRONG_IN_BODY[kind]:
                yield Attempt(operation, where, value, _with(call, _set(call.json, here, value)))
        resolved = _resolve(document, prop)
        options = [_resolve(document, o) for o in resolved.get("anyOf", [resolved])]
        present = isinstance(body, dict) and body.get(name) is not None
        for option in options:
            if option.get("type") == "object" and present:
                yield from _body_attempts(document, operation, call, option, body[name], here)
            if option.get("type") == "array" and present:
                items = _resolve(document, option.get("items", {}))
                if body[name]:
                    element = (*here, 0)
                    if items.get("type") == "object":
                        yield from _body_attempts(
                            document, operation, call, items, body[name][0], element
                        )
                    else:
                        item_kind, _ = _kind(document, items)
                        for value in WRONG_IN_BODY.get(item_kind or "", []):
                            yield Attempt(
                                operation,
                                ".".join(str(p) for p in element),
                                value,
                                _with(call, _set(call.json, element, value)),
                            )


def _with(call: Call, body: Any) -> Call:
    return replace(call, json=body)


def _parameter_attempts(
    document: dict[str, Any], operation: str, call: Call, spec: dict[str, Any]
) -> Iterator[Attempt]:
    template = operation.split(" ", 1)[1].split("/")
    concrete = call.path.split("/")
    for parameter in spec.get("parameters", []):
        kind, _ = _kind(document, parameter["schema"])
        wrong = WRONG_IN_TEXT.get(kind or "")
        if not wrong or parameter["in"] not in ("path", "query"):
            continue
        for value in wrong:
            if parameter["in"] == "path":
                position = template.index("{" + parameter["name"] + "}")
                parts = [*concrete]
                # Percent-encoded, as a client sends it: the server reads the value itself.
                parts[position] = quote(value, safe="")
                attempt = replace(call, path="/".join(parts))
            else:
                attempt = replace(call, params={**call.params, parameter["name"]: value})
            yield Attempt(operation, parameter["name"], value, attempt)


def attempts(document: dict[str, Any], world: TwoOffices) -> Iterator[Attempt]:
    for operation in MATRIX:
        method, path = operation.split(" ", 1)
        spec = document["paths"][API + path][method.lower()]
        call = CALLS[operation](world)
        yield from _parameter_attempts(document, operation, call, spec)
        content = spec.get("requestBody", {}).get("content", {}).get("application/json")
        if content is not None and isinstance(call.json, dict):
            yield from _body_attempts(document, operation, call, content["schema"], call.json)
            for value in ([], "texte", 12):
                yield Attempt(operation, "body", value, _with(call, value))


def _admitted(operation: str) -> str:
    """A caller the operation lets through to its checks of content."""
    statuses = dict(zip(CALLERS, MATRIX[operation], strict=True))
    for caller in ("gestionnaire_here", "owner", "administrator", "chef_here", "anonymous"):
        if statuses[caller] not in (401, 403, 404):
            return caller
    raise AssertionError(f"nobody may call {operation}")


def _send(client: TestClient, sandbox: Sandbox, world: TwoOffices, a: Attempt) -> Response:
    method = a.operation.split()[0]
    with sandbox.undone():
        return client.request(
            method,
            API + a.call.path,
            json=a.call.json,
            content=a.call.content,
            params=a.call.params,
            headers={
                **world.headers(_admitted(a.operation)),
                **a.call.headers,
                **({"Content-Type": "application/octet-stream"} if a.call.content else {}),
            },
        )


def _problem(a: Attempt, response: Response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:200]}"
    if not a.expect_422:
        return None
    if response.status_code != 422:
        return f"{response.status_code} instead of 422: {response.text[:200]}"
    body = response.json()
    if set(body) < {"type", "detail", "fields"} or not body["detail"]:
        return f"not the project's error body: {body}"
    words = [body["detail"], *body["fields"].values()]
    if any(english in word for word in words for english in ENGLISH):
        return f"not in French: {body}"
    if a.where != "body" and a.where not in body["fields"]:
        return f"the field is not named: {body['fields']}"
    return None


def test_wrong_values_are_refused_in_french_and_never_break_the_server(
    engine: Engine, settings: Settings
) -> None:
    problems: list[str] = []
    count = 0
    with two_offices(engine, settings) as (client, sandbox, world):
        document = client.app.openapi()  # type: ignore[attr-defined]
        for attempt in attempts(document, world):
            count += 1
            response = _send(client, sandbox, world, attempt)
            problem = _problem(attempt, response)
            if problem:
                problems.append(f"{attempt.operation} {attempt.where}={attempt.value!r}: {problem}")
    assert count > 2000
    assert problems == [], f"{len(problems)} of {count}:\n" + "\n".join(problems)


def test_bodies_json_cannot_read_are_a_french_422(client: TestClient) -> None:
    for raw in (
        b'{"login": ',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"login": ' + b"1" * 5_000 + b"}",
        b'{"login": "a", "password": "\xff\xfe"}',
        b'{"login": NaN, "password": Infinity}',
    ):
        response = client.post(
            f"{API}/auth/login", content=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, (raw[:40], response.text)
        assert response.json()["type"] in ("malformed_json", "invalid_input"), response.text
