"""schemathesis against the whole API, as each role, on the world of two offices: requests built
from the OpenAPI document, valid and invalid, answered without a server error, with a status the
document lists for the operation and a body it describes.

Bounded for CI (derandomised: the same requests each run). `IMAGIN_SCHEMATHESIS_EXAMPLES=200`
and `IMAGIN_SCHEMATHESIS_RANDOM=1` explore further, locally.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as budget
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from server_stub.core.settings import Settings
from tests.server_stub.two_offices import Sandbox, TwoOffices, two_offices

ROLES = ("owner", "chef_here", "gestionnaire_here", "administrator")
EXAMPLES = int(os.environ.get("IMAGIN_SCHEMATHESIS_EXAMPLES", "4"))
RANDOM = os.environ.get("IMAGIN_SCHEMATHESIS_RANDOM") == "1"
# The budget of the whole run, per database: beyond it, the remaining operations are tried
# with one example each rather than left out.
SECONDS = float(os.environ.get("IMAGIN_SCHEMATHESIS_SECONDS", "150"))
ONLY = os.environ.get("IMAGIN_SCHEMATHESIS_ONLY", "")  # a part of the operations' names
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _path_ids(world: TwoOffices, path: str) -> dict[str, int]:
    """Real ids of office Alpha's things for the path's parameters, so that the requests reach
    the code behind the checks of scope (random ids would mostly meet a 404)."""
    ids = dict(world.ids)
    if path.startswith("/api/v1/dec/statements/"):
        ids["statement_id"] = world.ids["submitted_statement_id"]
    if "/replace" in path or "/withdraw" in path:
        ids["assignment_id"] = world.ids["issued_assignment_id"]
    return {name: ids[name] for name in ids if "{" + name + "}" in path}


def _sender(client: TestClient, sandbox: Sandbox) -> Callable[[schemathesis.Case], Any]:
    def send(case: schemathesis.Case) -> Any:
        kwargs = case.as_transport_kwargs(base_url="http://testserver")
        headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k != "User-Agent"}
        content = kwargs.get("data")
        with sandbox.undone():
            return client.request(
                kwargs["method"],
                kwargs["url"],
                params=kwargs.get("params"),
                headers=headers,
                json=kwargs.get("json"),
                content=content if isinstance(content, bytes | str) else None,
            )

    return send


def _explore(
    strategy: Any,
    send: Callable[[schemathesis.Case], Any],
    checks: list[Any],
    examples: int,
) -> None:
    @budget(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = send(case)
        case.validate_response(response, checks=checks)

    run()


def _explained(error: BaseException) -> str:
    text = str(error)
    for sub in getattr(error, "exceptions", ()):
        text += "\n" + _explained(sub)
    return text[:3000]


@pytest.mark.timeout(int(SECONDS) * 2 + 300)
def test_the_api_answers_as_its_document_says_whoever_calls(
    engine: Engine, settings: Settings
) -> None:
    failures: list[str] = []
    started = time.monotonic()
    with two_offices(engine, settings) as (client, sandbox, world):
        schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
        operations = [r.ok() for r in schema.get_all_operations() if ONLY in r.ok().label]
        for operation in operations:
            path = operation.path
            for role in ROLES:
                # An invalid request is refused before anyone's rights are looked at: one role
                # is enough to try those.
                modes = [GenerationMode.POSITIVE]
                if role == ROLES[0]:
                    modes.append(GenerationMode.NEGATIVE)
                for mode in modes:
                    late = time.monotonic() - started > SECONDS
                    examples = 1 if late else EXAMPLES
                    send = _sender(client, sandbox)
                    checks = CHECKS + ([negative_data_rejection] if mode.is_negative else [])
                    strategy = operation.as_strategy(
                        generation_mode=mode,
                        # Valid requests on real things; invalid ones on any path.
                        path_parameters=None if mode.is_negative else _path_ids(world, path),
                        headers={"Authorization": f"Bearer {world.tokens[role]}"},
                    )

                    try:
                        _explore(strategy, send, checks, examples)
                    except Unsatisfiable:
                        pass  # nothing the caller sends can be wrong (no parameter, no body)
                    except (Exception, BaseExceptionGroup) as error:  # each reports, none stops
                        failures.append(
                            f"{operation.label} as {role} ({mode.value}):\n{_explained(error)}"
                        )
    assert failures == [], f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
