"""Every operation of the API, as every kind of caller, answers what `access_matrix.MATRIX` says;
a caller outside office Alpha never reads its names; a new route without a row fails here."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from server_stub.core.settings import Settings
from server_stub.openapi import render as render_openapi
from tests.server_stub.api import access_matrix
from tests.server_stub.api.access_matrix import CALLS, MATRIX, SHARED
from tests.server_stub.two_offices import API, CALLERS, MARK, OUTSIDERS, two_offices

DOCUMENT = Path(__file__).parents[3] / "docs" / "access-matrix.md"


def operations() -> set[str]:
    paths = json.loads(render_openapi())["paths"]
    return {
        f"{method.upper()} {path.removeprefix(API)}"
        for path, methods in paths.items()
        for method in methods
    }


def test_every_operation_of_the_api_has_a_row_and_a_call() -> None:
    documented = operations()
    assert sorted(documented - MATRIX.keys()) == [], "operations without a row in MATRIX"
    assert sorted(MATRIX.keys() - documented) == [], "rows of MATRIX for no operation"
    assert CALLS.keys() == MATRIX.keys()
    assert MATRIX.keys() >= SHARED


def test_every_caller_gets_what_the_matrix_says(engine: Engine, settings: Settings) -> None:
    wrong: list[str] = []
    leaks: list[str] = []
    with two_offices(engine, settings) as (client, sandbox, world):
        for operation, expected in MATRIX.items():
            method = operation.split()[0]
            call = CALLS[operation](world)
            for caller, status in zip(CALLERS, expected, strict=True):
                with sandbox.undone():
                    response = client.request(
                        method,
                        API + call.path,
                        json=call.json,
                        content=call.content,
                        params=call.params,
                        headers={
                            **world.headers(caller),
                            **call.headers,
                            **(
                                {"Content-Type": "application/octet-stream"}
                                if call.content is not None
                                else {}
                            ),
                        },
                    )
                if response.status_code != status:
                    wrong.append(
                        f"{operation} as {caller}: {response.status_code} instead of {status} "
                        f"({response.text[:160]})"
                    )
                if (
                    caller in OUTSIDERS
                    and operation not in SHARED
                    and MARK in response.content.decode("utf-8", "replace")
                ):
                    leaks.append(f"{operation} as {caller}: {response.text[:200]}")
    assert wrong == [], "\n".join(wrong)
    assert leaks == [], "office Alpha's names read from outside it:\n" + "\n".join(leaks)


def test_the_committed_access_matrix_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == access_matrix.render(), (
        "docs/access-matrix.md is stale: run `make access-matrix` and commit the result"
    )
