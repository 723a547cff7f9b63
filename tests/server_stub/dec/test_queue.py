"""The DEC's queue: anomaly filters, sorting, and keyset paging consistent with the sort."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server_stub.statements.models import Status
from tests.server_stub.dec.helpers import car_trip, copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in

IBAN = "FR7630004000031234567890143"
QUEUE = "/api/v1/dec/statements"


def every_page(
    client: TestClient, headers: dict[str, str], limit: int = 2, **params: Any
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(QUEUE, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        rows += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return rows


@pytest.fixture
def queue(world: World, client: TestClient) -> tuple[dict[str, str], list[int]]:
    """Five statements with different people, dates, totals and statuses; two with anomalies."""
    headers = log_in(client, gestionnaire(world))
    made = [
        submitted(world, intervenant(world), entry=copies(10)),
        submitted(world, intervenant(world), entry=copies(95)),  # above the lot of 80
        submitted(world, intervenant(world), entry=copies(30), status=Status.APPROVED),
        submitted(world, intervenant(world, iban=IBAN), entry=car_trip("400")),  # kilometres
        submitted(world, intervenant(world), entry=copies(10), status=Status.RETURNED),
    ]
    return headers, [s.id for s in made]


def test_rows_carry_their_anomalies(
    client: TestClient, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, ids = queue
    rows = {r["id"]: r for r in every_page(client, headers)}
    assert rows[ids[1]]["anomaly_codes"] == ["COPIES_ABOVE_LOT"]
    assert rows[ids[3]]["anomaly_codes"] == ["KM_EXCESSIVE"]
    assert rows[ids[0]]["anomaly_count"] == 0
    assert rows[ids[0]]["version"] >= 2


def test_filter_by_anomaly_and_without_anomaly(
    client: TestClient, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, ids = queue
    by_code = every_page(client, headers, anomaly="COPIES_ABOVE_LOT")
    assert [r["id"] for r in by_code] == [ids[1]]
    clean = every_page(client, headers, clean="true")
    assert [r["id"] for r in clean] == [ids[0], ids[2], ids[4]]
    flagged = every_page(client, headers, clean="false")
    assert [r["id"] for r in flagged] == [ids[1], ids[3]]
    both = every_page(client, headers, clean="true", status="SUBMITTED")
    assert [r["id"] for r in both] == [ids[0]]
    unknown = client.get(QUEUE, params={"anomaly": "NOPE"}, headers=headers)
    assert unknown.status_code == 422


def sort_value(row: dict[str, Any], sort: str) -> Any:
    order = ["OPEN", "NOT_PERFORMED", "SUBMITTED", "RETURNED", "APPROVED", "DEC_ENTERED"]
    values = {
        "id": (),
        "intervenant": (row["intervenant"].split(" ", 1)[1], row["intervenant"].split(" ", 1)[0]),
        "start_date": (row["start_date"], row["mission_id"]),  # a mission's together
        "total": (Decimal(row["total"]),),
        "status": (order.index(row["status"]),),
    }
    return (*values[sort], row["id"])


@pytest.mark.parametrize("sort", ["id", "intervenant", "start_date", "total", "status"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_pages_follow_the_sort_without_gaps_or_repeats(
    client: TestClient, queue: tuple[dict[str, str], list[int]], sort: str, order: str
) -> None:
    headers, ids = queue
    rows = every_page(client, headers, limit=2, sort=sort, order=order)
    assert sorted(r["id"] for r in rows) == sorted(ids)
    keys = [sort_value(r, sort) for r in rows]
    assert keys == sorted(keys, reverse=order == "desc")
    one_page = client.get(
        QUEUE, params={"sort": sort, "order": order, "limit": 50}, headers=headers
    )
    assert [r["id"] for r in one_page.json()["items"]] == [r["id"] for r in rows]


def test_a_cursor_belongs_to_its_sort(
    client: TestClient, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, _ = queue
    page = client.get(QUEUE, params={"sort": "total", "limit": 2}, headers=headers).json()
    other = client.get(
        QUEUE, params={"sort": "id", "limit": 2, "cursor": page["next_cursor"]}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["fields"]["cursor"].startswith("Curseur de pagination invalide")
    garbage = client.get(QUEUE, params={"cursor": "%%%"}, headers=headers)
    assert garbage.status_code == 422


def test_another_office_sees_nothing(
    client: TestClient, world: World, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))
    assert client.get(QUEUE, headers=headers).json() == {"items": [], "next_cursor": None}


def test_anomaly_kinds_for_the_filter(
    client: TestClient, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, _ = queue
    kinds = client.get("/api/v1/dec/anomaly-kinds", headers=headers).json()
    assert {"code": "LATE_SUBMISSION", "label": "Transmis après la date limite"} in kinds


def test_the_reference_lists_come_in_one_answer(
    client: TestClient, world: World, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, _ = queue
    lists = client.get("/api/v1/dec/reference-lists", headers=headers).json()
    for key, path in (
        ("sessions", "sessions"),
        ("centres", "centres"),
        ("anomaly_kinds", "anomaly-kinds"),
        ("status_kinds", "status-kinds"),
        ("return_reasons", "return-reasons"),
    ):
        assert lists[key] == client.get(f"/api/v1/dec/{path}", headers=headers).json(), key
    assert [s["id"] for s in lists["sessions"]] == [world.session.id]
    assert lists["return_reasons"]
    # Another office's gestionnaire gets the lists of their offices only.
    other = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))
    assert client.get("/api/v1/dec/reference-lists", headers=other).json()["sessions"] == []


def test_status_kinds_name_every_label_of_the_queue_once(
    client: TestClient, world: World, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, _ = queue
    kinds = client.get("/api/v1/dec/status-kinds", headers=headers).json()
    labels = [k["label"] for k in kinds]
    assert len(labels) == len(set(labels))
    assert {"status": "SUBMITTED", "done": None, "label": "À valider"} in kinds
    assert {"status": "OPEN", "done": True, "label": "Mission effectuée"} in kinds
    assert {"status": "OPEN", "done": False, "label": "Mission non encore effectuée"} in kinds
    for kind in kinds:
        params = {"status": kind["status"]}
        if kind["done"] is not None:
            params["done"] = "true" if kind["done"] else "false"
        for row in every_page(client, headers, **params):
            assert row["status_label"] == kind["label"]
    shown = {r["status_label"] for r in every_page(client, headers)}
    assert shown <= set(labels)


def test_an_open_statement_is_found_by_where_its_mission_stands(
    client: TestClient, world: World, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, _ = queue
    done = world.statement(intervenant(world), world.mission())
    later = dt.date.today() + dt.timedelta(days=30)
    ahead = world.statement(intervenant(world), world.mission(start=later))
    rows = every_page(client, headers, status="OPEN", done="true")
    assert [(r["id"], r["status_label"]) for r in rows] == [(done.id, "Mission effectuée")]
    rows = every_page(client, headers, status="OPEN", done="false")
    assert [(r["id"], r["status_label"]) for r in rows] == [
        (ahead.id, "Mission non encore effectuée")
    ]


def test_anomalies_can_be_computed_again_in_bulk(
    client: TestClient, world: World, queue: tuple[dict[str, str], list[int]]
) -> None:
    headers, ids = queue
    # The session's deadline moves before the submissions: every statement is now late.
    world.session.entry_deadline = world.session.entry_deadline.replace(month=6, day=1)
    world.commit()
    response = client.post("/api/v1/dec/anomalies/refresh", headers=headers)
    assert response.json() == {"updated": len(ids)}
    late = every_page(client, headers, anomaly="LATE_SUBMISSION")
    assert len(late) == len(ids)
