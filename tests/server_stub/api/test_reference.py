"""The DEC maintains sessions, exams, papers, centres and missions."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server_stub.factories import World, log_in


def dec(client: TestClient, world: World) -> dict[str, str]:
    manager = world.gestionnaire()
    world.commit()
    return log_in(client, manager)


def post(client: TestClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/dec/{path}", json=body, headers=headers)


def test_a_whole_session_is_created_through_the_api(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    session = post(
        client,
        headers,
        "sessions",
        {"code": "CAP-2027", "name": "CAP, session juin 2027", "entry_deadline": "2027-08-31"},
    ).json()
    exam = post(
        client,
        headers,
        "exams",
        {
            "session_id": session["id"],
            "code": "CAP-CUIS",
            "diploma": "CAP",
            "name": "CAP",
            "speciality": "Cuisine",
        },
    ).json()
    paper = post(
        client,
        headers,
        "papers",
        {"exam_id": exam["id"], "code": "EP1", "name": "Production culinaire", "kind": "WRITTEN"},
    )
    assert paper.status_code == 201
    # DOMAIN §4: CAP copies are paid at taux 1 (0.75 €).
    assert paper.json()["pay_group"] == "1"
    centre = post(
        client,
        headers,
        "centres",
        {
            "code": "0800001A",
            "name": "Lycée professionnel Édouard Branly",
            "address": "70 boulevard de Saint-Quentin",
            "commune_insee": "80021",
        },
    ).json()
    mission = post(
        client,
        headers,
        "missions",
        {
            "session_id": session["id"],
            "type": "CORRECTION",
            "paper_id": paper.json()["id"],
            "centre_id": centre["id"],
            "start_date": "2027-06-14",
            "end_date": "2027-06-15",
            "start_time": "08:30",
            "end_time": "17:00",
            "lot_size": 60,
        },
    )
    assert mission.status_code == 201, mission.text
    listed = client.get(
        "/api/v1/dec/missions", params={"session_id": session["id"]}, headers=headers
    ).json()
    assert [m["id"] for m in listed] == [mission.json()["id"]]
    patched = client.patch(
        f"/api/v1/dec/missions/{mission.json()['id']}", json={"lot_size": 70}, headers=headers
    )
    assert patched.json()["lot_size"] == 70


def test_unknown_commune_is_refused(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    response = post(
        client,
        headers,
        "centres",
        {"code": "X", "name": "Lycée", "address": "1 rue", "commune_insee": "00000"},
    )
    assert response.status_code == 422
    assert response.json()["fields"]["commune_insee"].startswith("Commune inconnue")


def test_duplicate_code_is_a_conflict(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    body = {"code": "S1", "name": "Session", "entry_deadline": "2027-08-31"}
    assert post(client, headers, "sessions", body).status_code == 201
    again = post(client, headers, "sessions", body)
    assert again.status_code == 409
    assert again.json()["detail"] == "Un élément avec ce code existe déjà."


def test_mission_referring_to_missing_rows_is_refused(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    response = post(
        client,
        headers,
        "missions",
        {
            "session_id": world.session.id,
            "type": "CORRECTION",
            "paper_id": 999999,
            "centre_id": 999999,
            "start_date": "2027-06-14",
            "end_date": "2027-06-13",
            "start_time": "08:30",
            "end_time": "17:00",
        },
    )
    assert response.status_code == 422
    assert response.json()["fields"]


def test_missing_item_is_a_404(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    response = client.get("/api/v1/dec/papers/424242", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "Cette épreuve n'existe pas."


def test_an_intervenant_cannot_change_reference_data(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    response = post(
        client, headers, "sessions", {"code": "S", "name": "S", "entry_deadline": "2027-08-31"}
    )
    assert response.status_code == 403


def test_an_exam_of_a_diploma_no_rate_table_knows_is_refused_at_creation(
    client: TestClient, world: World
) -> None:
    headers = dec(client, world)
    body = {
        "session_id": world.session.id,
        "code": "X-1",
        "diploma": "DIPLOME_INVENTE",
        "name": "Examen",
        "speciality": "Spécialité",
    }
    response = post(client, headers, "exams", body)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "diploma": "Diplôme inconnu de la table des taux : DIPLOME_INVENTE."
    }
    listed = client.get("/api/v1/dec/exams", headers=headers).json()
    assert [e["code"] for e in listed] == ["BP-MELEC"]


def test_a_mission_on_a_day_no_rate_was_in_force_is_refused(
    client: TestClient, world: World
) -> None:
    headers = dec(client, world)
    centre = world.centre()
    world.commit()
    body = {
        "session_id": world.session.id,
        "type": "SURVEILLANCE",
        "centre_id": centre.id,
        "start_date": "1990-06-14",
        "end_date": "1990-06-14",
        "start_time": "08:00",
        "end_time": "12:00",
    }
    response = post(client, headers, "missions", body)
    assert response.status_code == 422
    assert response.json()["fields"]["start_date"].startswith("Aucun barème des ")
    assert "n'est en vigueur le 14/06/1990" in response.json()["fields"]["start_date"]


def test_the_rates_of_a_day_without_any_are_a_french_422(client: TestClient, world: World) -> None:
    headers = dec(client, world)
    response = client.get("/api/v1/tariffs", params={"date": "1990-01-01"}, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "no_tariff_in_force"
    assert "n'est en vigueur le 01/01/1990" in body["detail"]


def test_a_session_belongs_to_the_callers_office_and_to_no_other(
    client: TestClient, world: World
) -> None:
    headers = dec(client, world)
    body = {"code": "CAP-2027", "name": "CAP 2027", "entry_deadline": "2027-08-31"}
    created = post(client, headers, "sessions", body)
    assert created.status_code == 201
    assert created.json()["office"] == "DEC"
    elsewhere = post(client, headers, "sessions", {**body, "code": "X", "office": "DEC-LILLE"})
    assert elsewhere.status_code == 403
    assert elsewhere.json()["fields"]["office"] == (
        "Vous ne pouvez créer une session que pour l'un de vos services (DEC)."
    )


def test_text_holding_an_invisible_character_is_refused_and_nothing_stored(
    client: TestClient, world: World
) -> None:
    headers = dec(client, world)
    body = {"code": "0800099Z", "name": "Lycée\u202eerbmaléD", "address": "1 rue",
            "commune_insee": "80021"}  # fmt: skip
    response = post(client, headers, "centres", body)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "name": "Ce texte contient un caractère invisible ou de contrôle (U+202E) : retirez-le."
    }
    assert client.get("/api/v1/dec/centres", headers=headers).json() == []
