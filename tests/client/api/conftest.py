"""The API client's tests run against the real server in-process, with an in-memory keyring so
that no test ever touches the keyring of the machine it runs on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server_stub.core.settings import Settings as ServerSettings
from server_stub.main import create_app

TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def app(engine: Engine, db: Session) -> FastAPI:
    settings = ServerSettings(database_url=engine.url.render_as_string(), today=TODAY)
    return create_app(settings, engine)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
