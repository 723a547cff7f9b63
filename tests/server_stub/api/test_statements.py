"""The intervenant's convocations and expense statements, through HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.rules.model import MissionType
from server_stub.statements.models import AuditEntry, Statement
from tests.server_stub.conftest import TODAY
from tests.server_stub.factories import AMIENS, World, log_in
from tests.server_stub.factories import BEAUVAIS as BEAUVAIS_INSEE

JUNE_15 = "2026-06-15"


def correction_entry(copies: int = 42) -> dict[str, Any]:
    return {"days": [{"date": JUNE_15, "copies": copies}]}


def car_trip_entry(km: str = "112") -> dict[str, Any]:
    return {
        "days": [{"date": JUNE_15, "copies": 40}],
        "travel": {
            "claimed": True,
            "departure": "ADMINISTRATIVE",
            "trips": [
                {
                    "depart_at": "2026-06-15T07:15:00",
                    "return_at": "2026-06-15T19:30:00",
                    "mode": "CAR",
                    "km": km,
                }
            ],
            "meals": [{"date": JUNE_15, "kind": "LUNCH"}],
        },
    }


def read(client: TestClient, headers: dict[str, str], statement_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/statements/{statement_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def save(
    client: TestClient, headers: dict[str, str], statement: dict[str, Any], entry: dict[str, Any]
) -> Any:
    return client.put(
        f"/api/v1/statements/{statement['id']}",
        json=entry,
        headers={**headers, "If-Match": f'"{statement["version"]}"'},
    )


def setup(world: World, client: TestClient, **mission: Any) -> tuple[User, dict[str, str], int]:
    user = world.person()
    statement = world.statement(user, world.mission(**mission))
    return user, log_in(client, user), statement.id


def test_my_convocations_list_the_mission_and_its_statuses(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    response = client.get("/api/v1/convocations", headers=headers)
    assert response.status_code == 200
    [row] = response.json()
    assert row["statement_id"] == statement_id
    assert row["mission"]["type_label"] == "Correction"
    assert row["mission"]["commune"] == "Beauvais"
    assert row["labels"]["intervenant"] == "Non validé"
    assert row["total"] == "0.00"


def test_saving_computes_every_line_with_its_explanation(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    statement = read(client, headers, statement_id)
    response = save(client, headers, statement, correction_entry(42))
    assert response.status_code == 200, response.text
    body = response.json()
    [line] = body["computation"]["lines"]
    # arrêté du 13 avril 2012: bac copies at taux 5, 5.00 € each; 42 × 5.00 = 210.00
    assert line["amount"] == "210.00"
    assert line["legal_text"].startswith("Arrêté du 13 avril 2012")
    assert body["computation"]["total"] == "210.00"
    assert body["version"] == statement["version"] + 1
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_a_saved_statement_reads_back_intact(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    save(client, headers, read(client, headers, statement_id), car_trip_entry())
    again = read(client, headers, statement_id)
    assert again["entry"]["travel"]["trips"][0]["km"] == "112"
    assert again["entry"]["days"][0]["copies"] == 40
    kinds = [line["kind"] for line in again["computation"]["lines"]]
    assert kinds == ["COPIES", "KILOMETRIC", "MEAL"]


def test_travel_with_car_gives_kilometres_meal_and_documents(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    body = save(client, headers, read(client, headers, statement_id), car_trip_entry()).json()
    lines = {line["kind"]: line for line in body["computation"]["lines"]}
    # 5 CV, first 2,000 km of the year: 112 × 0.32 = 35.84 (arrêté du 14 mars 2022)
    assert lines["KILOMETRIC"]["amount"] == "35.84"
    # 20.00 € from 22/09/2023 (arrêté du 20 décembre 2013 as amended)
    assert lines["MEAL"]["amount"] == "20.00"
    assert body["computation"]["total"] == "255.84"
    assert any("autorisation" in d.lower() for d in body["computation"]["documents"])


def test_stale_version_gets_409_with_the_current_statement(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    first = read(client, headers, statement_id)
    assert save(client, headers, first, correction_entry(10)).status_code == 200
    response = save(client, headers, first, correction_entry(20))
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "stale_version"
    assert body["current"]["entry"]["days"][0]["copies"] == 10


def test_saving_without_the_version_read_is_refused(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = client.put(
        f"/api/v1/statements/{statement_id}", json=correction_entry(), headers=headers
    )
    assert response.status_code == 428
    assert response.json()["type"] == "precondition_required"


def test_preview_computes_without_saving(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = client.post(
        f"/api/v1/statements/{statement_id}/preview", json=correction_entry(3), headers=headers
    )
    assert response.status_code == 200
    assert response.json()["computation"]["total"] == "15.00"
    assert read(client, headers, statement_id)["computation"]["total"] == "0.00"


def test_preview_proposes_meals_and_the_distance(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = client.post(
        f"/api/v1/statements/{statement_id}/preview", json=car_trip_entry(), headers=headers
    )
    proposals = response.json()["proposals"]
    assert proposals["meals"] == [
        {"date": JUNE_15, "kind": "LUNCH", "administrative_restaurant": False},
        {"date": JUNE_15, "kind": "DINNER", "administrative_restaurant": False},
    ] or proposals["meals"] == [
        {"date": JUNE_15, "kind": "LUNCH", "administrative_restaurant": False}
    ]
    # Amiens → Beauvais is about 56 km as the crow flies: about 112 km there and back.
    assert 105 <= float(proposals["suggested_km"]) <= 120
    # By road, estimated with the factor of rules/tariffs/road_distance.toml (1.3).
    straight = Decimal(proposals["suggested_km"])
    road = (straight * Decimal("1.3")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert Decimal(proposals["road_km"]) == road
    assert proposals["departure_commune"] == "Amiens"


def test_validating_makes_the_statement_read_only(
    client: TestClient, world: World, db: Session
) -> None:
    _, headers, statement_id = setup(world, client)
    saved = save(client, headers, read(client, headers, statement_id), correction_entry()).json()
    response = client.post(
        f"/api/v1/statements/{statement_id}/validate",
        json={"accurate": True, "no_overtime": True},
        headers={**headers, "If-Match": f'"{saved["version"]}"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["labels"]["intervenant"] == "Validé"
    assert body["labels"]["dec"] == "À valider"
    assert body["permissions"] == {"edit": False, "validate": False, "declare_not_performed": False}
    again = save(client, headers, body, correction_entry(99))
    assert again.status_code == 409
    assert again.json()["type"] == "transition_refused"
    assert "validé" in again.json()["detail"]
    audit = db.query(AuditEntry).filter_by(statement_id=statement_id, action="SUBMIT").one()
    assert (audit.from_status, audit.to_status) == ("OPEN", "SUBMITTED")


def test_save_and_validate_in_one_request_sent_twice_is_done_once(
    client: TestClient, world: World, db: Session
) -> None:
    _, headers, statement_id = setup(world, client)
    version = read(client, headers, statement_id)["version"]

    def validate(entry: dict[str, Any]) -> Any:
        return client.post(
            f"/api/v1/statements/{statement_id}/validate",
            json={"accurate": True, "no_overtime": True, "entry": correction_entry(**entry)},
            headers={**headers, "If-Match": f'"{version}"'},
        )

    first = validate({})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["labels"]["intervenant"] == "Validé"
    assert body["entry"]["days"][0]["copies"] == 42
    # The answer was lost: the same request again answers the statement as it is.
    again = validate({})
    assert again.status_code == 200, again.text
    assert again.json()["version"] == body["version"]
    actions = [a.action for a in db.query(AuditEntry).filter_by(statement_id=statement_id)]
    assert actions.count("SAVE") == 1
    assert actions.count("SUBMIT") == 1
    # Another entry over the old version is a conflict, not a silent overwrite.
    other = validate({"copies": 43})
    assert other.status_code == 409
    assert other.json()["type"] == "stale_version"


def test_save_and_validate_refuses_an_entry_with_problems(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    version = read(client, headers, statement_id)["version"]
    response = client.post(
        f"/api/v1/statements/{statement_id}/validate",
        json={"accurate": True, "no_overtime": True, "entry": correction_entry(copies=-1)},
        headers={**headers, "If-Match": f'"{version}"'},
    )
    assert response.status_code == 422
    assert response.json()["detail"]
    assert read(client, headers, statement_id)["labels"]["intervenant"] != "Validé"


def test_declaring_not_performed_records_the_reason(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    statement = read(client, headers, statement_id)
    response = client.post(
        f"/api/v1/statements/{statement_id}/not-performed",
        json={"reason": "Malade ce jour-là"},
        headers={**headers, "If-Match": f'"{statement["version"]}"'},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["labels"]["intervenant"] == "Mission non effectuée (déclarée)"
    assert body["reason"] == "Malade ce jour-là"
    assert body["history"][-1]["reason"] == "Malade ce jour-là"


def test_someone_elses_statement_is_not_found(client: TestClient, world: World) -> None:
    _, _, statement_id = setup(world, client)
    other = world.person("Marc", "Durand")
    world.commit()
    headers = log_in(client, other)
    for response in (
        client.get(f"/api/v1/statements/{statement_id}", headers=headers),
        client.get("/api/v1/statements/999999", headers=headers),
        client.put(
            f"/api/v1/statements/{statement_id}",
            json=correction_entry(),
            headers={**headers, "If-Match": '"1"'},
        ),
        client.post(f"/api/v1/statements/{statement_id}/preview", json={}, headers=headers),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "detail": "Cet état de frais n'existe pas.",
            "fields": {},
        }


def unchanged_after(
    client: TestClient, headers: dict[str, str], statement_id: int, payload: Any
) -> Any:
    before = read(client, headers, statement_id)
    response = client.put(
        f"/api/v1/statements/{statement_id}",
        content=payload if isinstance(payload, (bytes, str)) else None,
        json=None if isinstance(payload, (bytes, str)) else payload,
        headers={
            **headers,
            "If-Match": f'"{before["version"]}"',
            "Content-Type": "application/json",
        },
    )
    after = read(client, headers, statement_id)
    assert after["version"] == before["version"]
    assert after["entry"] == before["entry"]
    return response


def test_negative_counts_are_refused_beside_the_field(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = unchanged_after(client, headers, statement_id, correction_entry(-3))
    assert response.status_code == 422
    assert response.json()["fields"] == {"days.0.copies": "La valeur ne peut pas être négative."}


def test_dates_outside_the_mission_are_refused(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    entry = {"days": [{"date": "2026-06-20", "copies": 3}]}
    response = unchanged_after(client, headers, statement_id, entry)
    assert response.status_code == 422
    body = response.json()
    assert "days.0.date" in body["fields"] or "days.0" in body["fields"]
    assert body["detail"]


def test_more_than_2000_km_a_day_is_refused(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = unchanged_after(client, headers, statement_id, car_trip_entry("2500"))
    assert response.status_code == 422
    assert (
        "travel.trips.0.km" in response.json()["fields"]
        or "trips.0.km" in response.json()["fields"]
    )


def test_malformed_json_is_a_french_422(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    response = unchanged_after(client, headers, statement_id, b'{"days": [')
    assert response.status_code == 422
    assert response.json()["type"] == "malformed_json"
    assert response.json()["detail"] == "Le corps de la requête n'est pas un JSON valide."


def test_wrong_types_are_refused_field_by_field(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client)
    entry = {"days": [{"date": "demain", "copies": "beaucoup"}]}
    response = unchanged_after(client, headers, statement_id, entry)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "days.0.date": "Une date au format AAAA-MM-JJ est attendue.",
        "days.0.copies": "Un nombre entier est attendu.",
    }


def test_a_future_mission_cannot_be_filled_yet(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client, start=dt.date(2026, 12, 10))
    statement = read(client, headers, statement_id)
    assert statement["labels"]["intervenant"] == "Mission non effectuée"
    assert statement["permissions"]["edit"] is False
    response = save(client, headers, statement, {"days": [{"date": "2026-12-10", "copies": 1}]})
    assert response.status_code == 409
    assert "10/12/2026" in response.json()["detail"]


def test_two_missions_the_same_day_carry_the_journey_once(
    client: TestClient, world: World, db: Session
) -> None:
    user = world.person()
    morning = world.statement(user, world.mission(start_time=dt.time(8), end_time=dt.time(12)))
    afternoon_mission = world.mission(
        MissionType.INTERROGATION, start_time=dt.time(13), end_time=dt.time(17)
    )
    afternoon = world.statement(user, afternoon_mission)
    headers = log_in(client, user)
    second = read(client, headers, afternoon.id)
    entry = {
        "days": [{"date": JUNE_15, "candidates": {"PM": 6}}],
        "travel": {
            "claimed": True,
            "trips": [
                {
                    "depart_at": "2026-06-15T12:00:00",
                    "return_at": "2026-06-15T19:00:00",
                    "mode": "CAR",
                    "km": "112",
                }
            ],
        },
    }
    body = save(client, headers, second, entry).json()
    assert [line["kind"] for line in body["computation"]["lines"]] == ["ORAL"]
    assert body["labels"]["travel"] == "Invalidable"
    assert morning.id != afternoon.id


def test_gestionnaire_lists_statements_with_cursor_paging(client: TestClient, world: World) -> None:
    for last_name in ("Martin", "Petit", "Bernard", "Leroy", "Moreau"):
        world.statement(world.person("Anne", last_name))
    manager = world.gestionnaire()
    world.commit()
    headers = log_in(client, manager)
    first = client.get("/api/v1/dec/statements?limit=2", headers=headers).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(
        f"/api/v1/dec/statements?limit=2&cursor={first['next_cursor']}", headers=headers
    ).json()
    assert second["items"][0]["id"] > first["items"][-1]["id"]
    found = client.get("/api/v1/dec/statements?q=leroy", headers=headers).json()
    assert [row["intervenant"] for row in found["items"]] == ["Anne Leroy"]


def test_an_intervenant_cannot_reach_the_dec_queue(client: TestClient, world: World) -> None:
    _, headers, _ = setup(world, client)
    response = client.get("/api/v1/dec/statements", headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "forbidden"


def test_issuing_a_convocation_creates_its_statement(
    client: TestClient, world: World, db: Session
) -> None:
    mission = world.mission()
    person = world.person(administrative_residence=AMIENS)
    manager = world.gestionnaire()
    world.commit()
    headers = log_in(client, manager)
    body = {"mission_id": mission.id, "user_ids": [person.id]}
    response = client.post("/api/v1/dec/convocations/issue", json=body, headers=headers)
    assert response.status_code == 201
    [issued] = response.json()
    assert issued["created"] is True
    assert db.get(Statement, issued["statement_id"]) is not None
    again = client.post("/api/v1/dec/convocations/issue", json=body, headers=headers).json()
    assert again[0]["created"] is False
    assert again[0]["statement_id"] == issued["statement_id"]


def test_a_trip_time_with_a_utc_offset_is_refused_rather_than_compared_with_local_ones(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    entry = car_trip_entry()
    entry["travel"]["trips"][0]["depart_at"] = "2026-06-15T07:15:00+02:00"
    response = unchanged_after(client, headers, statement_id, entry)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "travel.trips.0.depart_at": "Indiquez l'heure locale, sans fuseau horaire (ni Z ni +02:00)."
    }


def test_numbers_written_loosely_are_refused_rather_than_guessed(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    for copies in ("40", True, 40.0):
        entry = {"days": [{"date": JUNE_15, "copies": copies}]}
        response = unchanged_after(client, headers, statement_id, entry)
        assert response.status_code == 422
        assert response.json()["fields"] == {"days.0.copies": "Un nombre entier est attendu."}
    for km in ("1_000", "١٢", " 112", "112,5"):
        response = unchanged_after(client, headers, statement_id, car_trip_entry(km))
        assert response.status_code == 422
        assert "travel.trips.0.km" in response.json()["fields"]


def validate(
    client: TestClient, headers: dict[str, str], statement: dict[str, Any], body: Any
) -> Any:
    return client.post(
        f"/api/v1/statements/{statement['id']}/validate",
        json=body,
        headers={**headers, "If-Match": f'"{statement["version"]}"'},
    )


def test_validating_paid_work_asks_both_pledges_and_stores_them(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    saved = save(client, headers, read(client, headers, statement_id), correction_entry()).json()
    assert [(p["key"], p["paid_work_only"]) for p in saved["pledges"]] == [
        ("accurate", False),
        ("no_overtime", True),
    ]
    assert saved["certification"] is None

    for body in (None, {"accurate": True}, {"accurate": False, "no_overtime": True}):
        refused = validate(client, headers, saved, body)
        assert refused.status_code == 422
        assert read(client, headers, statement_id)["status"] == "OPEN"
    missing = validate(client, headers, saved, {"accurate": True}).json()
    assert missing["fields"] == {
        "certification.no_overtime": "Cochez l'attestation de non-cumul avec des heures "
        "supplémentaires pour les mêmes heures (obligatoire pour des vacations rémunérées)."
    }

    validated = validate(client, headers, saved, {"accurate": True, "no_overtime": True})
    assert validated.status_code == 200, validated.text
    certification = validated.json()["certification"]
    assert certification["texts"] == [
        "Je certifie sur l'honneur l'exactitude des renseignements portés sur cet état de frais.",
        "Je certifie sur l'honneur ne pas percevoir d'heures supplémentaires pour les mêmes "
        "heures que ces vacations (arrêté du 13 avril 2012, art. 5).",
    ]
    assert read(client, headers, statement_id)["certification"] == certification


def test_validating_unpaid_work_asks_only_for_accuracy(client: TestClient, world: World) -> None:
    _, headers, statement_id = setup(world, client, type=MissionType.REUNION)
    statement = read(client, headers, statement_id)
    assert statement["computation"]["pay_total"] == "0.00"
    validated = validate(client, headers, statement, {"accurate": True})
    assert validated.status_code == 200, validated.text
    assert len(validated.json()["certification"]["texts"]) == 1


def _preview(
    client: TestClient, headers: dict[str, str], statement_id: int, entry: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/statements/{statement_id}/preview", json=entry, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _two_day_trip(**travel: Any) -> dict[str, Any]:
    """Leaves on the evening of 14 June (the day before the mission), back on 15 June at 20h."""
    return {
        "days": [{"date": JUNE_15, "copies": 40}],
        "travel": {
            "claimed": True,
            "trips": [
                {
                    "depart_at": "2026-06-14T17:00:00",
                    "return_at": "2026-06-15T21:30:00",
                    "mode": "PUBLIC_TRANSPORT",
                    "fare": "30",
                }
            ],
            **travel,
        },
    }


def test_meals_and_nights_are_proposed_only_where_the_server_accepts_them(
    client: TestClient, world: World
) -> None:
    # Amiens → Beauvais: travel is due. The dinner of 14 June is outside the mission's dates.
    _, headers, statement_id = setup(world, client)
    proposals = _preview(client, headers, statement_id, _two_day_trip())["proposals"]
    assert [(m["date"], m["kind"]) for m in proposals["meals"]] == [
        (JUNE_15, "LUNCH"),
        (JUNE_15, "DINNER"),
    ]
    assert proposals["nights"] == ["2026-06-14"]  # the evening before the first day counts
    accepted = _two_day_trip(
        meals=proposals["meals"], nights=[{"date": "2026-06-14", "cost": "80"}]
    )
    statement = read(client, headers, statement_id)
    assert save(client, headers, statement, accepted).status_code == 200

    # A mission in the person's residence commune: no travel, so nothing to propose.
    local = world.person("Marc", "Lœuillet", administrative_residence=BEAUVAIS_INSEE)
    own = world.statement(local, world.mission())
    local_headers = log_in(client, local)
    preview = _preview(client, local_headers, own.id, _two_day_trip())
    assert preview["computation"]["travel_eligible"] is False
    assert preview["proposals"]["meals"] == [] and preview["proposals"]["nights"] == []
    # And what is not proposed is what a save refuses.
    refused = save(
        client,
        local_headers,
        read(client, local_headers, own.id),
        _two_day_trip(meals=[{"date": JUNE_15, "kind": "LUNCH"}]),
    )
    assert refused.status_code == 422
    assert "meals.0" in refused.json()["fields"]


def test_the_preview_shows_what_the_dec_will_check(client: TestClient, world: World) -> None:
    """Before validating, the intervenant sees the checks of the DEC's queue, on their fields."""
    _, headers, statement_id = setup(world, client)
    entry = car_trip_entry(km="900")
    entry["days"] = [{"date": JUNE_15, "copies": 85}]  # a lot of 80
    body = client.post(
        f"/api/v1/statements/{statement_id}/preview", json=entry, headers=headers
    ).json()
    warnings = {w["code"]: w for w in body["warnings"]}
    assert set(warnings) == {"COPIES_ABOVE_LOT", "KM_EXCESSIVE"}
    assert warnings["COPIES_ABOVE_LOT"]["field"] == "days.0.copies"
    assert warnings["COPIES_ABOVE_LOT"]["label"] == "Copies au-delà du lot"
    assert warnings["COPIES_ABOVE_LOT"]["advice"].startswith("Plus de copies que le lot")
    assert "85 copies déclarées" in warnings["COPIES_ABOVE_LOT"]["message"]
    # Nothing was stored: the DEC's queue knows nothing of a preview.
    statement = client.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    assert statement["entry"]["days"] == []


def test_an_externe_without_a_bank_account_is_told_before_validating(
    client: TestClient, world: World
) -> None:
    """An externe has their pay transferred: the preview says the RIB is missing."""
    user = world.person(academic=False)
    statement = world.statement(user, world.mission())
    response = client.post(
        f"/api/v1/statements/{statement.id}/preview",
        json={"days": [{"date": JUNE_15, "copies": 12}]},
        headers=log_in(client, user),
    )
    assert response.status_code == 200
    warnings = {w["code"]: w for w in response.json()["warnings"]}
    assert warnings["RIB_MISSING"]["advice"].startswith("Aucun RIB dans votre profil")


def test_the_deadline_and_the_days_left_are_on_the_mission(
    client: TestClient, world: World
) -> None:
    _, headers, statement_id = setup(world, client)
    statement = client.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    deadline = world.session.entry_deadline
    assert statement["mission"]["entry_deadline"] == deadline.isoformat()
    assert statement["mission"]["days_left"] == (deadline - TODAY).days
    [row] = client.get("/api/v1/convocations", headers=headers).json()
    assert row["mission"]["days_left"] == (deadline - TODAY).days

    world.session.entry_deadline = TODAY - dt.timedelta(days=3)
    world.commit()
    body = client.post(
        f"/api/v1/statements/{statement_id}/preview", json=car_trip_entry(), headers=headers
    ).json()
    [late] = body["warnings"]
    assert (late["code"], late["field"]) == ("LATE_SUBMISSION", "submitted_at")
    statement = client.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    assert statement["mission"]["days_left"] == -3


def test_listing_opening_and_saving_each_take_a_few_statements(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The intervenant's busiest requests, in database statements: the caller; then the list;
    the statement with its mission, its history and the académie's values; or, to save, the
    person's statements, the audit entry and the statement written, and its history."""
    _, headers, statement_id = setup(world, client)
    executed: list[str] = []

    def count(*args: Any) -> None:
        executed.append(args[2])

    def statements_of(send: Callable[[], Any]) -> int:
        executed.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert send().status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(executed)

    def opened() -> Any:
        return client.get(f"/api/v1/statements/{statement_id}", headers=headers)

    assert statements_of(lambda: client.get("/api/v1/convocations", headers=headers)) == 2
    assert statements_of(opened) == 4
    statement = opened().json()
    assert statements_of(lambda: save(client, headers, statement, car_trip_entry())) == 7
