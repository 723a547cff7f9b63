"""Competences and unavailability: declared by intervenants, validated by the DEC or a chef de
centre for the people of their school."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from server_stub.auth.models import Role
from tests.server_stub.assignment.conftest import Academie
from tests.server_stub.factories import log_in

API = "/api/v1/assignment"


def test_an_intervenant_declares_a_competence_that_awaits_validation(
    academie: Academie, client: TestClient
) -> None:
    paper = academie.paper("E21", "Mathématiques")
    teacher = academie.teacher("Élodie", "Dupont")
    headers = log_in(client, teacher)

    papers = client.get(f"{API}/papers", params={"q": "mathé"}, headers=headers).json()
    assert [p["code"] for p in papers] == ["E21"]

    response = client.post(
        f"{API}/me/competences",
        json={"paper_id": paper.id, "subject": "Mathématiques-sciences"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    declared = response.json()
    assert (declared["status"], declared["paper_code"], declared["subject"]) == (
        "PENDING",
        "E21",
        "Mathématiques-sciences",
    )

    again = client.post(f"{API}/me/competences", json={"paper_id": paper.id}, headers=headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "Une compétence pour l'épreuve E21 est déjà déclarée."

    mine = client.get(f"{API}/me/competences", headers=headers).json()
    assert [c["id"] for c in mine] == [declared["id"]]
    gone = client.delete(f"{API}/me/competences/{declared['id']}", headers=headers)
    assert gone.status_code == 204
    assert client.get(f"{API}/me/competences", headers=headers).json() == []


def test_the_dec_validates_and_refuses_pending_competences(
    academie: Academie, client: TestClient
) -> None:
    maths, letters = academie.paper("E21"), academie.paper("E11", "Français")
    teacher = academie.teacher("Élodie", "Dupont")
    headers = log_in(client, teacher)
    ids = [
        client.post(f"{API}/me/competences", json={"paper_id": p.id}, headers=headers).json()["id"]
        for p in (maths, letters)
    ]

    queue = client.get(f"{API}/competences", headers=academie.dec_headers).json()
    assert [c["id"] for c in queue] == ids

    validated = client.post(f"{API}/competences/{ids[0]}/validate", headers=academie.dec_headers)
    assert validated.status_code == 200
    assert validated.json()["status"] == "VALIDATED"
    assert validated.json()["decided_by"] == "Gérard Lemaire"

    refused = client.post(
        f"{API}/competences/{ids[1]}/refuse",
        json={"reason": "Vous n'enseignez pas le français."},
        headers=academie.dec_headers,
    )
    assert refused.json()["status"] == "REFUSED"
    assert refused.json()["refusal_reason"] == "Vous n'enseignez pas le français."

    assert client.get(f"{API}/competences", headers=academie.dec_headers).json() == []
    mine = client.get(f"{API}/me/competences", headers=headers).json()
    assert [c["status"] for c in mine] == ["VALIDATED", "REFUSED"]


def test_validating_in_bulk_says_what_succeeded_and_what_failed(
    academie: Academie, client: TestClient
) -> None:
    paper = academie.paper()
    headers = log_in(client, academie.teacher("Élodie", "Dupont"))
    declared = client.post(
        f"{API}/me/competences", json={"paper_id": paper.id}, headers=headers
    ).json()

    response = client.post(
        f"{API}/competences/validate",
        json={"ids": [declared["id"], 999_999]},
        headers=academie.dec_headers,
    )

    assert response.json() == {
        "succeeded": [declared["id"]],
        "failed": [{"id": 999_999, "detail": "Cette compétence n'existe pas."}],
    }


def test_a_chef_de_centre_validates_only_the_people_of_their_school(
    academie: Academie, client: TestClient
) -> None:
    paper = academie.paper()
    ours = academie.teacher("Élodie", "Dupont", school="Lycée Jean-Moulin")
    theirs = academie.teacher("Paul", "Martin", school="Lycée Condorcet")
    chef = academie.world.person(
        "Claire", "Petit", role=Role.CHEF_CENTRE, school="LYCEE JEAN MOULIN"
    )
    academie.world.commit()
    declared = {}
    for person in (ours, theirs):
        headers = log_in(client, person)
        declared[person.id] = client.post(
            f"{API}/me/competences", json={"paper_id": paper.id}, headers=headers
        ).json()["id"]
    chef_headers = log_in(client, chef)

    queue = client.get(f"{API}/competences", headers=chef_headers).json()
    assert [c["person_name"] for c in queue] == ["Élodie Dupont"]

    assert (
        client.post(
            f"{API}/competences/{declared[ours.id]}/validate", headers=chef_headers
        ).status_code
        == 200
    )
    other = client.post(f"{API}/competences/{declared[theirs.id]}/validate", headers=chef_headers)
    assert other.status_code == 404


def test_an_intervenant_may_not_validate(academie: Academie, client: TestClient) -> None:
    headers = log_in(client, academie.teacher("Élodie", "Dupont"))
    response = client.get(f"{API}/competences", headers=headers)
    assert response.status_code == 403
    assert "chefs de centre" in response.json()["detail"]


def test_unavailability_is_declared_by_half_days(academie: Academie, client: TestClient) -> None:
    headers = log_in(client, academie.teacher("Élodie", "Dupont"))

    response = client.post(
        f"{API}/me/unavailabilities",
        json={
            "start_date": "2026-09-08",
            "start_half_day": "PM",
            "end_date": "2026-09-09",
            "end_half_day": "AM",
            "reason": "Conseil de classe",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["label"] == "du mardi 08/09/2026 après-midi au mercredi 09/09/2026 matin"

    day = client.post(
        f"{API}/me/unavailabilities",
        json={"start_date": "2026-09-10", "end_date": "2026-09-10"},
        headers=headers,
    ).json()
    assert day["label"] == "le jeudi 10/09/2026 toute la journée"

    backwards = client.post(
        f"{API}/me/unavailabilities",
        json={
            "start_date": "2026-09-09",
            "start_half_day": "AM",
            "end_date": "2026-09-08",
            "end_half_day": "PM",
        },
        headers=headers,
    )
    assert backwards.status_code == 422
    assert backwards.json()["fields"] == {"body": "La fin de l'indisponibilité précède son début."}

    listed = client.get(f"{API}/me/unavailabilities", headers=headers).json()
    assert len(listed) == 2
    assert (
        client.delete(f"{API}/me/unavailabilities/{day['id']}", headers=headers).status_code == 204
    )
    assert len(client.get(f"{API}/me/unavailabilities", headers=headers).json()) == 1


def test_the_dec_registers_an_externe_and_declares_for_them(
    academie: Academie, client: TestClient
) -> None:
    paper = academie.paper()
    response = client.post(
        f"{API}/externes",
        json={
            "first_name": "Étienne",
            "last_name": "Lefèvre-Roussel",
            "category": "PROFESSIONAL",
            "administrative_residence": "80021",
            "fiscal_power": 6,
        },
        headers=academie.dec_headers,
    )
    assert response.status_code == 201, response.text
    person = response.json()
    assert (person["login"], person["academic"], person["family_residence"]) == (
        "elefevre",
        False,
        "80021",
    )

    competence = client.post(
        f"{API}/people/{person['id']}/competences",
        json={"paper_id": paper.id},
        headers=academie.dec_headers,
    ).json()
    assert competence["status"] == "VALIDATED"
    client.post(
        f"{API}/people/{person['id']}/unavailabilities",
        json={"start_date": "2026-09-08", "end_date": "2026-09-08"},
        headers=academie.dec_headers,
    )
    declarations = client.get(
        f"{API}/people/{person['id']}/declarations", headers=academie.dec_headers
    ).json()
    assert [c["paper_code"] for c in declarations["competences"]] == ["E21"]
    assert len(declarations["unavailabilities"]) == 1


def test_externes_get_transliterated_identifiers_or_a_request_for_the_latin_spelling(
    academie: Academie, client: TestClient
) -> None:
    def register(first_name: str, last_name: str) -> Any:
        return client.post(
            f"{API}/externes",
            json={
                "first_name": first_name,
                "last_name": last_name,
                "administrative_residence": "80021",
            },
            headers=academie.dec_headers,
        )

    assert register("Marc", "Lœuillet").json()["login"] == "mloeuill"
    assert register("Marc", "Lœuillet").json()["login"] == "mloeuill2"
    assert register("Ægir", "Strauß").json()["login"] == "astrauss"
    assert register("Олег", "Соколов").json()["login"] == "osokolov"

    refused = register("Yasmine", "حداد")
    assert refused.status_code == 422
    assert refused.json()["fields"] == {
        "last_name": "Le nom « حداد » ne s'écrit pas en lettres latines : saisissez son "
        "orthographe latine (telle qu'elle figure sur la pièce d'identité ou le passeport) pour "
        "que l'identifiant IMAG'IN puisse être formé."
    }


def test_an_externe_with_an_unknown_commune_is_refused(
    academie: Academie, client: TestClient
) -> None:
    response = client.post(
        f"{API}/externes",
        json={"first_name": "A", "last_name": "B", "administrative_residence": "99999"},
        headers=academie.dec_headers,
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "administrative_residence": "Commune inconnue (code INSEE 99999)."
    }


def test_a_centre_lists_the_schools_whose_candidates_sit_there(
    academie: Academie, client: TestClient
) -> None:
    centre = academie.centre("Lycée Félix Faure")
    response = client.put(
        f"{API}/centres/{centre.id}/schools",
        json={"schools": ["Lycée Jean-Moulin", "LYCEE JEAN MOULIN", "  LP  Condorcet "]},
        headers=academie.dec_headers,
    )
    assert response.json() == {
        "centre_id": centre.id,
        "centre_name": "Lycée Félix Faure",
        "schools": ["Lycée Jean-Moulin", "LP Condorcet"],
    }
