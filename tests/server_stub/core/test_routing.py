"""A sync endpoint, its commit and its answer run in one worker-thread trip."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Response, status
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import text

from server_stub.core.database import make_engine, make_session_factory
from server_stub.core.deps import DbSession
from server_stub.core.routing import api_router, defer, then


def _thread() -> str:
    return str(threading.get_ident())


def _refuse_seven(value: str) -> str:
    if value.startswith("7@"):
        raise PermissionError(value)
    return value


async def who(session: DbSession) -> str:
    return defer(session, lambda s: f"{s.execute(text('SELECT 7')).scalar_one()}@{_thread()}")


async def not_seven(value: Annotated[str, Depends(who)]) -> str:
    return then(value, _refuse_seven)


class Out(BaseModel):
    n: int


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    router = api_router()

    @router.post("/ok", status_code=status.HTTP_201_CREATED)
    def ok(session: DbSession, response: Response) -> Out:
        session.execute(text("INSERT INTO t VALUES (1)"))
        response.headers["ETag"] = '"7"'
        return Out(n=1)

    @router.post("/fails")
    def fails(session: DbSession) -> Out:
        session.execute(text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("boom")

    @router.delete("/gone", status_code=status.HTTP_204_NO_CONTENT)
    def gone(session: DbSession) -> None:
        session.execute(text("DELETE FROM t"))

    @router.get("/count")
    def count(session: DbSession) -> dict[str, int]:
        return {"rows": session.execute(text("SELECT count(*) FROM t")).scalar_one()}

    @router.get("/deferred")
    def deferred(value: Annotated[str, Depends(who)]) -> dict[str, str]:
        return {"value": value, "endpoint_thread": _thread()}

    @router.get("/refused")
    def refused(value: Annotated[str, Depends(not_seven)]) -> dict[str, str]:
        return {"value": value}

    app = FastAPI()
    app.state.session_factory = make_session_factory(engine)
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    engine.dispose()


def test_the_answer_keeps_status_headers_and_shape_and_the_work_is_committed(
    client: TestClient,
) -> None:
    response = client.post("/ok")
    assert response.status_code == 201
    assert response.headers["ETag"] == '"7"'
    assert response.json() == {"n": 1}
    assert client.get("/count").json() == {"rows": 1}


def test_a_failing_endpoint_leaves_nothing_behind_and_the_next_writer_goes_through(
    client: TestClient,
) -> None:
    assert client.post("/fails").status_code == 500
    assert client.get("/count").json() == {"rows": 0}
    assert client.post("/ok").status_code == 201


def test_no_content_has_no_body(client: TestClient) -> None:
    client.post("/ok")
    response = client.delete("/gone")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get("/count").json() == {"rows": 0}


def test_a_deferred_dependency_is_worked_out_on_the_endpoint_thread(client: TestClient) -> None:
    answer = client.get("/deferred").json()
    value, thread = answer["value"].split("@")
    assert value == "7"
    assert thread == answer["endpoint_thread"]


def test_the_checks_of_a_deferred_dependency_run_before_the_endpoint(client: TestClient) -> None:
    assert client.get("/refused").status_code == 500
