"""Solving a session through HTTP, reading the result, locking, what-if, editing by hand.

The centre is at Beauvais; from Amiens the round trip is 105 km (33,60 € at 0,32 €/km), from
Compiègne 111 km (35,52 €), from Laon 222 km (71,04 €); from Beauvais itself, nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from server_stub.auth.models import User
from server_stub.reference.models import Centre, Paper
from tests.server_stub.assignment.conftest import Academie, assignees
from tests.server_stub.factories import AMIENS, BEAUVAIS, LAON, log_in

API = "/api/v1/assignment"
COMPIEGNE = "60159"
NBSP = "\u00a0"


class Oral:
    def __init__(self, academie: Academie) -> None:
        self.paper: Paper = academie.paper("E31", "Oral de langue", oral=True)
        self.centre: Centre = academie.centre("Lycée Félix Faure", BEAUVAIS)
        self.local: User = academie.teacher("Élodie", "Dupont", self.paper, residence=BEAUVAIS)
        self.amiens: User = academie.teacher("Paul", "Martin", self.paper, residence=AMIENS)
        self.laon: User = academie.teacher("Claire", "Petit", self.paper, residence=LAON)

    def need(self, academie: Academie, seats: int = 2, **extra: Any) -> dict[str, Any]:
        return academie.need(
            kind="ORAL",
            paper_id=self.paper.id,
            centre_id=self.centre.id,
            commissions=1,
            seats=seats,
            **extra,
        )


@pytest.fixture
def oral(academie: Academie) -> Oral:
    return Oral(academie)


def test_the_solver_picks_the_cheapest_examiners_and_explains_why(
    academie: Academie, oral: Oral
) -> None:
    need = oral.need(academie)

    solved = academie.solve()

    run = solved["run"]
    assert (run["placed"], run["uncovered"], run["expected_cost"]) == (2, 0, "33.60")
    assert run["shortfalls"] == [] and solved["placements"] == []
    people = {a["person_name"]: a for a in assignees(academie.result(), need["id"])}
    assert set(people) == {"Élodie Dupont", "Paul Martin"}
    paul = people["Paul Martin"]
    assert (paul["expected_cost"], paul["round_trip_km"], paul["status"]) == (
        "33.60",
        105,
        "PROPOSED",
    )
    explanation = paul["explanation"]
    assert explanation["travel"] == (
        f"Amiens → Beauvais : 105 km aller-retour × 0,32{NBSP}€ (5 CV et moins) = "
        f"33,60{NBSP}€ ; coût estimé 33,60{NBSP}€."
    )
    assert explanation["competence"].startswith("Compétence validée pour l'épreuve E31 le ")
    assert explanation["competence"].endswith(" par Gérard Lemaire.")
    assert explanation["load"] == "Charge dans la session : 1 demi-journée sur 8 au plus."
    assert explanation["choice"].startswith("2e moins coûteux des 3 intervenants possibles")
    elodie = people["Élodie Dupont"]["explanation"]
    assert elodie["travel"] == (
        "Aucun frais de déplacement : le centre est dans la commune de résidence (Beauvais)."
    )
    assert elodie["choice"] == "Le moins coûteux des 3 intervenants possibles."


def test_an_uncoverable_commission_says_who_is_missing(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie, seats=3)
    for person in (oral.amiens, oral.laon):
        response = client.post(
            f"{API}/people/{person.id}/unavailabilities",
            json={"start_date": "2026-09-08", "end_date": "2026-09-08"},
            headers=academie.dec_headers,
        )
        assert response.status_code == 201

    solved = academie.solve()

    message = (
        "Épreuve E31 (Oral de langue) au centre « Lycée Félix Faure », mardi 08/09/2026 matin : "
        "3 examinateurs requis, 1 seul compétent et disponible."
    )
    assert solved["run"]["shortfalls"] == [
        {"need_id": need["id"], "missing": 2, "message": message}
    ]
    [coverage] = academie.result()["needs"]
    assert (coverage["required"], coverage["placed"], coverage["shortfall"]) == (3, 1, message)
    short = client.get(
        f"{API}/sessions/{academie.session_id}/result",
        params={"short_only": True, "paper_id": oral.paper.id},
        headers=academie.dec_headers,
    ).json()
    assert [n["need"]["id"] for n in short["needs"]] == [need["id"]]


def test_nobody_examines_at_the_centre_of_their_own_school(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.local.school = "LYCEE FELIX-FAURE"
    academie.world.commit()
    need = oral.need(academie)

    academie.solve()

    names = {a["person_name"] for a in assignees(academie.result(), need["id"])}
    assert names == {"Paul Martin", "Claire Petit"}
    short = client.get(
        f"{API}/sessions/{academie.session_id}/result",
        params={"short_only": True},
        headers=academie.dec_headers,
    ).json()
    assert (short["needs"], short["placed"], short["required"]) == ([], 2, 2)


def test_a_seat_given_by_hand_is_locked_and_kept_when_solving_again(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie)
    academie.solve()
    [paul] = [a for a in assignees(academie.result(), need["id"]) if a["user_id"] == oral.amiens.id]

    moved = client.post(
        f"{API}/assignments/{paul['id']}/reassign",
        json={"user_id": oral.laon.id},
        headers=academie.dec_headers,
    )
    assert moved.status_code == 200, moved.text
    claire = moved.json()
    assert (claire["person_name"], claire["locked"], claire["manual"]) == (
        "Claire Petit",
        True,
        True,
    )
    assert (
        claire["explanation"]["choice"] == "Affectation faite à la main par la DEC et verrouillée."
    )

    again = academie.solve()
    assert again["run"]["expected_cost"] == "71.04"
    assert again["previous_expected_cost"] == "33.60"
    names = {a["person_name"] for a in assignees(academie.result(), need["id"])}
    assert names == {"Élodie Dupont", "Claire Petit"}

    # What-if: unlocked, the solver would bring Paul back; a dry run only says so.
    client.patch(
        f"{API}/assignments/{claire['id']}", json={"locked": False}, headers=academie.dec_headers
    )
    what_if = academie.solve(dry_run=True)
    assert what_if["run"]["id"] is None
    assert {p["person_name"] for p in what_if["placements"]} == {"Élodie Dupont", "Paul Martin"}
    assert what_if["run"]["expected_cost"] == "33.60"
    still = {a["person_name"] for a in assignees(academie.result(), need["id"])}
    assert still == {"Élodie Dupont", "Claire Petit"}


def test_breaking_a_rule_by_hand_needs_confirmation_and_leaves_a_warning(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie)
    stranger = academie.teacher("Jean", "Bernard", residence=COMPIEGNE)
    academie.solve()
    seat = assignees(academie.result(), need["id"])[0]

    refused = client.post(
        f"{API}/assignments/{seat['id']}/reassign",
        json={"user_id": stranger.id},
        headers=academie.dec_headers,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "Jean Bernard n'a pas de compétence validée pour cette épreuve. "
        "Confirmez pour passer outre."
    )

    forced = client.post(
        f"{API}/assignments/{seat['id']}/reassign",
        json={"user_id": stranger.id, "force": True},
        headers=academie.dec_headers,
    )
    assert forced.status_code == 200
    assert forced.json()["explanation"]["warnings"] == [
        "Jean Bernard n'a pas de compétence validée pour cette épreuve."
    ]
    assert forced.json()["expected_cost"] == "35.52"

    # The next solve keeps the DEC's choice and says what it breaks.
    warnings = academie.solve()["run"]["warnings"]
    assert warnings == [
        "Épreuve E31 (Oral de langue) au centre « Lycée Félix Faure » : Jean Bernard n'a pas "
        "de compétence validée pour cette épreuve."
    ]


def test_an_empty_seat_is_filled_by_hand_from_the_ranked_candidates(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie)

    ranked = client.get(f"{API}/needs/{need['id']}/candidates", headers=academie.dec_headers).json()
    assert [(c["person_name"], c["expected_cost"]) for c in ranked] == [
        ("Élodie Dupont", "0.00"),
        ("Paul Martin", "33.60"),
        ("Claire Petit", "71.04"),
    ]

    filled = client.post(
        f"{API}/needs/{need['id']}/assignments",
        json={"task_index": 1, "user_id": oral.laon.id},
        headers=academie.dec_headers,
    )
    assert filled.status_code == 201, filled.text
    assert filled.json()["task_label"] == "Commission n° 1"

    academie.solve()
    names = {a["person_name"] for a in assignees(academie.result(), need["id"])}
    assert names == {"Élodie Dupont", "Claire Petit"}


def test_loads_are_listed_per_person(academie: Academie, client: TestClient, oral: Oral) -> None:
    oral.need(academie)
    oral.need(academie, day="2026-09-09")
    academie.solve()

    loads = client.get(
        f"{API}/sessions/{academie.session_id}/loads", headers=academie.dec_headers
    ).json()

    by_name = {row["person_name"]: row for row in loads}
    assert by_name["Élodie Dupont"]["half_days"] == 2
    assert by_name["Paul Martin"]["half_days"] == 2
    assert by_name["Paul Martin"]["expected_cost"] == "67.20"


def test_the_maximum_half_days_is_an_option_of_the_solve(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie)
    oral.need(academie, day="2026-09-09")

    academie.solve(max_half_days=1)

    loads = client.get(
        f"{API}/sessions/{academie.session_id}/loads", headers=academie.dec_headers
    ).json()
    assert sorted(row["half_days"] for row in loads) == [1, 1, 1]
    result = academie.result()
    assert result["run"]["options"]["max_half_days"] == 1
    assert result["placed"] == 3 and result["required"] == 4


def test_the_next_solve_starts_from_the_last_runs_limits(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie)
    url = f"{API}/sessions/{academie.session_id}/solve-defaults"

    before = client.get(url, headers=academie.dec_headers).json()
    assert before == {
        "max_half_days": 8,  # resources/estimation.toml
        "max_copies": 200,
        "load_step_cents": before["load_step_cents"],
        "from_last_run": False,
    }
    academie.solve(max_half_days=3, max_copies=120)

    after = client.get(url, headers=academie.dec_headers).json()
    assert (after["max_half_days"], after["max_copies"], after["from_last_run"]) == (3, 120, True)


def test_only_the_dec_solves(academie: Academie, client: TestClient, oral: Oral) -> None:
    headers = log_in(client, oral.local)
    response = client.post(f"{API}/sessions/{academie.session_id}/solve", json={}, headers=headers)
    assert response.status_code == 403
