"""The committed OpenAPI document is the contract the client codes against: it must be current."""

from pathlib import Path

from server_stub.openapi import render

COMMITTED = Path(__file__).parents[2] / "docs" / "openapi.json"


def test_committed_openapi_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/openapi.json is stale: run `make openapi` and commit the result"
    )


def test_every_route_lives_under_api_v1() -> None:
    import json

    paths = json.loads(render())["paths"]
    assert paths and all(path.startswith("/api/v1/") for path in paths)
