"""Two saves of the same version at once: exactly one lands, the other gets a clear conflict."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from server_stub.main import create_app
from tests.server_stub.factories import World, log_in


def test_concurrent_saves_of_one_version_change_it_exactly_once(
    client: TestClient, world: World
) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)
    version = client.get(f"/api/v1/statements/{statement.id}", headers=headers).json()["version"]
    app = create_app(client.app.state.settings, client.app.state.engine)  # type: ignore[attr-defined]
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def save(copies: int) -> None:
        with TestClient(app) as own:
            barrier.wait()
            response = own.put(
                f"/api/v1/statements/{statement.id}",
                json={"days": [{"date": "2026-06-15", "copies": copies}]},
                headers={**headers, "If-Match": f'"{version}"'},
            )
            codes.append(response.status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in (10, 20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [200, 409, 409, 409]
    final = client.get(f"/api/v1/statements/{statement.id}", headers=headers).json()
    assert final["version"] == version + 1


def test_many_people_saving_at_once_all_get_through(client: TestClient, world: World) -> None:
    """Writers queue for the database instead of failing or waiting on each other's threads."""
    people = [world.person() for _ in range(10)]
    statements = [world.statement(person) for person in people]
    sessions = [log_in(client, person) for person in people]
    app = create_app(client.app.state.settings, client.app.state.engine)  # type: ignore[attr-defined]
    barrier = threading.Barrier(len(people))
    failures: list[str] = []

    def work(statement_id: int, headers: dict[str, str]) -> None:
        with TestClient(app) as own:
            barrier.wait()
            for copies in range(1, 6):
                listed = own.get("/api/v1/convocations", headers=headers)
                current = own.get(f"/api/v1/statements/{statement_id}", headers=headers)
                saved = own.put(
                    f"/api/v1/statements/{statement_id}",
                    json={"days": [{"date": "2026-06-15", "copies": copies}]},
                    headers={**headers, "If-Match": f'"{current.json()["version"]}"'},
                )
                failures.extend(
                    f"{r.request.method} {r.url.path}: {r.status_code}"
                    for r in (listed, current, saved)
                    if r.status_code != 200
                )

    threads = [
        threading.Thread(target=work, args=(s.id, h))
        for s, h in zip(statements, sessions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    for statement, headers in zip(statements, sessions, strict=True):
        final = client.get(f"/api/v1/statements/{statement.id}", headers=headers).json()
        assert final["version"] == statement.version + 5
        assert final["entry"]["days"][0]["copies"] == 5
