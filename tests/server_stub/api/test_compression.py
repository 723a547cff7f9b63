"""Answers over a kilobyte travel gzipped to a client that accepts it, with the same headers and
the same JSON; small answers, refusals and clients that do not accept gzip get them plain."""

from __future__ import annotations

import gzip
import json

from fastapi.testclient import TestClient

from tests.server_stub.factories import World, log_in

TARIFFS = "/api/v1/tariffs"


def test_a_large_answer_is_gzipped_and_keeps_its_headers(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    auth = log_in(client, user)
    plain = client.get(TARIFFS, headers={**auth, "Accept-Encoding": "identity"})
    packed = client.get(TARIFFS, headers={**auth, "Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert len(plain.content) > 1024
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    # What crossed the wire is the compressed body; httpx hands back the JSON.
    assert packed.num_bytes_downloaded < len(plain.content) / 2
    assert packed.json() == plain.json()
    for response in (plain, packed):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_small_answers_and_refusals_are_sent_plain(client: TestClient) -> None:
    health = client.get("/api/v1/health", headers={"Accept-Encoding": "gzip"})
    assert health.status_code == 200
    assert "Content-Encoding" not in health.headers
    body = b'{"statements": [' + b'{"id": 1},' * 200_000 + b'{"id": 1}]}'
    refused = client.post(
        "/api/v1/dec/statements/approve",
        content=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
    )
    assert refused.status_code == 413
    assert "Content-Encoding" not in refused.headers
    assert refused.json()["type"] == "payload_too_large"
    assert refused.headers["X-Content-Type-Options"] == "nosniff"


def test_a_gzipped_answer_is_plain_gzip(client: TestClient, world: World) -> None:
    """Any HTTP client can read it: the raw body is one gzip stream of the JSON."""
    user = world.person()
    world.commit()
    auth = log_in(client, user)
    with client.stream("GET", TARIFFS, headers={**auth, "Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert json.loads(gzip.decompress(raw)) == client.get(TARIFFS, headers=auth).json()
