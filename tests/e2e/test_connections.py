"""Connections over TCP between the application's HTTP client and `imagin-server serve`: kept
through a reading pause by both sides."""

from __future__ import annotations

import time
from typing import Any

from client.api.client import make_http
from tests.e2e.conftest import LiveServer

# Longer than httpx's and uvicorn's default keep-alive (5 s): with either default, the second
# request would open a new connection.
PAUSE = 6.0


def test_a_connection_outlives_a_reading_pause(server: LiveServer) -> None:
    opened: list[str] = []

    def trace(event: str, _info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            opened.append(event)

    with make_http(server.url) as http:
        first = http.get("/api/v1/health", extensions={"trace": trace})
        time.sleep(PAUSE)
        second = http.get("/api/v1/health", extensions={"trace": trace})
    assert first.status_code == second.status_code == 200
    assert len(opened) == 1
