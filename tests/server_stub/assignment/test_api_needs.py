"""What a session must cover: copies in lots, oral commissions, meetings."""

from __future__ import annotations

from fastapi.testclient import TestClient

from server_stub.reference.models import Exam, ExamSession, Paper
from tests.server_stub.assignment.conftest import TUESDAY, Academie

API = "/api/v1/assignment"


def test_copies_are_cut_into_even_lots(academie: Academie) -> None:
    paper = academie.paper("E21")
    centre = academie.centre("Lycée Condorcet")

    need = academie.need(
        kind="CORRECTION",
        paper_id=paper.id,
        centre_id=centre.id,
        copies=130,
        lot_size=50,
        end_date="2026-09-15",
    )

    assert (need["tasks"], need["required"], need["lot_size"]) == (3, 3, 50)
    assert (need["start_time"], need["end_time"]) == ("08:00:00", "12:00:00")
    assert (
        need["title"] == "Correction de l'épreuve E21 (Mathématiques) au centre « Lycée Condorcet »"
    )
    assert need["slot"] == "mardi 08/09/2026 matin"
    labels = [task["label"] for task in academie.result()["needs"][0]["tasks"]]
    assert labels == ["Lot n° 1 (44 copies)", "Lot n° 2 (43 copies)", "Lot n° 3 (43 copies)"]


def test_an_oral_need_is_commissions_of_examiners(academie: Academie) -> None:
    paper = academie.paper("E31", "Oral de langue", oral=True)
    centre = academie.centre("Lycée Condorcet")

    need = academie.need(
        kind="ORAL",
        paper_id=paper.id,
        centre_id=centre.id,
        half_day="PM",
        commissions=2,
        seats=3,
    )

    assert (need["tasks"], need["required"], need["seats"]) == (2, 6, 3)
    assert (need["start_time"], need["end_time"]) == ("13:30:00", "17:30:00")


def test_a_meeting_needs_its_number_of_participants(academie: Academie, client: TestClient) -> None:
    paper = academie.paper()
    centre = academie.centre("Lycée Condorcet")
    body = {
        "kind": "MEETING",
        "paper_id": paper.id,
        "centre_id": centre.id,
        "day": TUESDAY.isoformat(),
        "half_day": "AM",
    }

    missing = client.post(
        f"{API}/sessions/{academie.session_id}/needs", json=body, headers=academie.dec_headers
    )
    assert missing.status_code == 422
    assert missing.json()["fields"] == {"body": "Indiquez le nombre de participants de la réunion."}

    need = academie.need(**{**body, "seats": 5, "meeting_type": "HARMONISATION"})
    assert (need["required"], need["meeting_type"]) == (5, "HARMONISATION")


def test_a_paper_of_another_session_is_refused(academie: Academie, client: TestClient) -> None:
    db = academie.world.db
    other = ExamSession(code="CAP-2026", name="CAP 2026", entry_deadline=TUESDAY, office="DEC")
    exam = Exam(session=other, code="CAP", diploma="CAP", name="CAP", speciality="Cuisine")
    paper = Paper(
        exam=exam,
        code="EP1",
        name="Pratique",
        kind="WRITTEN",
        evaluation_mode="PONCTUEL",
        pay_group="1",
    )
    db.add_all([other, exam, paper])
    academie.world.commit()
    centre = academie.centre("Lycée Condorcet")

    response = client.post(
        f"{API}/sessions/{academie.session_id}/needs",
        json={
            "kind": "CORRECTION",
            "paper_id": paper.id,
            "centre_id": centre.id,
            "day": TUESDAY.isoformat(),
            "half_day": "AM",
            "copies": 10,
        },
        headers=academie.dec_headers,
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"paper_id": "Cette épreuve n'appartient pas à la session."}


def test_a_need_is_changed_then_deleted(academie: Academie, client: TestClient) -> None:
    paper = academie.paper()
    centre = academie.centre("Lycée Condorcet")
    need = academie.need(kind="CORRECTION", paper_id=paper.id, centre_id=centre.id, copies=100)
    assert need["lot_size"] == 50  # the académie's default (estimation.toml)

    changed = client.patch(
        f"{API}/needs/{need['id']}",
        json={"copies": 200, "half_day": "PM", "label": "Correction E21 – Beauvais"},
        headers=academie.dec_headers,
    ).json()
    assert (changed["tasks"], changed["half_day"], changed["start_time"]) == (4, "PM", "13:30:00")
    assert changed["title"] == "Correction E21 – Beauvais"

    listed = client.get(
        f"{API}/sessions/{academie.session_id}/needs", headers=academie.dec_headers
    ).json()
    assert [n["id"] for n in listed] == [need["id"]]
    assert (
        client.delete(f"{API}/needs/{need['id']}", headers=academie.dec_headers).status_code == 204
    )
    assert client.get(f"{API}/needs/{need['id']}", headers=academie.dec_headers).status_code == 404
