"""Issuing convocations from the proposal, the letters, withdrawals and replacements."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server_stub.reference.models import Convocation, Mission
from server_stub.statements.models import AuditEntry, Statement
from tests.server_stub.assignment.conftest import Academie, assignees
from tests.server_stub.assignment.test_api_planning import Oral
from tests.server_stub.factories import AMIENS, PASSWORD, log_in

API = "/api/v1/assignment"
COMPIEGNE = "60159"


@pytest.fixture
def oral(academie: Academie) -> Oral:
    return Oral(academie)


def count(academie: Academie, model: type) -> int:
    academie.world.db.expire_all()
    return int(academie.world.db.scalar(select(func.count()).select_from(model)) or 0)


def test_issuing_convenes_everyone_and_creates_their_statements(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie)
    lots = academie.need(
        kind="CORRECTION",
        paper_id=oral.paper.id,
        centre_id=oral.centre.id,
        day="2026-09-09",
        copies=90,
        lot_size=50,
        end_date="2026-09-14",
    )
    academie.solve()

    issued = academie.issue()

    assert (issued["issued"], issued["missions_created"]) == (4, 2)
    assert issued["convocations_created"] == issued["statements_created"] == 4
    assert count(academie, Mission) == 2
    assert count(academie, Convocation) == 4
    assert count(academie, Statement) == 4
    assert count(academie, AuditEntry) == 4  # one ISSUE entry per statement
    # Élodie and Paul take both needs (two days): one letter each, listing their two missions.
    letters = {letter["person_name"]: letter for letter in issued["letters"]}
    assert sorted(letters) == ["Paul Martin", "Élodie Dupont"]
    text = academie.letter_text(letters["Paul Martin"]["id"])
    assert "Vous êtes convoqué(e) pour les 2 missions suivantes" in text
    assert "45 copies, à rendre au plus tard le lundi 14/09/2026" in text
    assert "Remise des copies le mercredi 09/09/2026, de 8h à 12h" in text
    result = academie.result()
    assert result["issued"] == 4
    oral_people = assignees(result, need["id"])
    assert {a["status"] for a in oral_people} == {"ISSUED"}
    assert all(a["locked"] and a["convocation_id"] for a in oral_people)
    [mission] = academie.world.db.scalars(select(Mission).where(Mission.type == "CORRECTION")).all()
    assert (mission.start_date.isoformat(), mission.end_date.isoformat(), mission.lot_size) == (
        "2026-09-09",
        "2026-09-14",
        50,
    )
    assert lots["tasks"] == 2

    # The intervenant finds the convocation and its statement where they always do.
    headers = log_in(client, oral.local)
    convocations = client.get("/api/v1/convocations", headers=headers).json()
    assert len(convocations) >= 1

    # Issuing again convenes nobody twice.
    assert academie.issue()["issued"] == 0


def test_a_new_externe_gets_a_temporary_password_on_the_letter(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    created = client.post(
        f"{API}/externes",
        json={
            "first_name": "Étienne",
            "last_name": "Lefèvre",
            "administrative_residence": "60057",
            "fiscal_power": 6,
        },
        headers=academie.dec_headers,
    ).json()
    client.post(
        f"{API}/people/{created['id']}/competences",
        json={"paper_id": oral.paper.id},
        headers=academie.dec_headers,
    )
    oral.need(academie, seats=1)
    oral.local.school = oral.centre.name
    academie.world.commit()
    academie.solve()

    issued = academie.issue()

    assert issued["activated_accounts"] == ["elefevre"]
    [letter] = issued["letters"]
    assert (letter["login"], letter["with_password"]) == ("elefevre", True)
    text = academie.letter_text(letter["id"])
    assert "Identifiant IMAG'IN" in text and "elefevre" in text
    assert "Mot de passe temporaire" in text
    assert "Lycée Félix Faure" in text
    assert "mardi 08/09/2026, de 8h à 12h" in text
    assert "https://portail.ac-amiens.fr/acces_imagin" in text
    found = re.search(r"Mot de passe temporaire (\S+) –", text)
    assert found is not None, text
    password = found.group(1)

    login = client.post("/api/v1/auth/login", json={"login": "elefevre", "password": password})
    assert login.status_code == 200, login.text
    assert login.json()["user"]["must_change_password"] is True


def test_an_interne_letter_has_no_password(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie, seats=1)
    academie.solve()

    [letter] = academie.issue()["letters"]

    assert letter["with_password"] is False
    text = academie.letter_text(letter["id"], log_in(client, oral.local))
    assert "Connectez-vous avec les identifiants de votre messagerie académique." in text
    assert "Mot de passe temporaire" not in text
    mine = client.get(f"{API}/me/letters", headers=log_in(client, oral.local)).json()
    assert [m["id"] for m in mine] == [letter["id"]]
    other = client.get(f"{API}/letters/{letter['id']}/pdf", headers=log_in(client, oral.laon))
    assert other.status_code == 404


def test_a_withdrawal_is_replaced_in_one_action(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie)
    compiegne = academie.teacher("Jean", "Bernard", oral.paper, residence=COMPIEGNE)
    academie.solve()
    academie.issue()
    headers = log_in(client, oral.amiens)
    [mine] = client.get(f"{API}/me/assignments", headers=headers).json()
    assert mine["status"] == "ISSUED"

    withdrawn = client.post(
        f"{API}/me/assignments/{mine['id']}/withdraw",
        json={"reason": "Jury de BTS le même jour"},
        headers=headers,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "WITHDRAWN"

    [pending] = client.get(
        f"{API}/sessions/{academie.session_id}/withdrawals", headers=academie.dec_headers
    ).json()
    assert (pending["declared_by"], pending["assignment"]["withdrawal_reason"]) == (
        "WITHDRAWAL",
        "Jury de BTS le même jour",
    )
    ranked = client.get(
        f"{API}/assignments/{mine['id']}/replacements", headers=academie.dec_headers
    ).json()
    # Compiègne (35,52 €) before Laon (71,04 €); Élodie already sits in the commission.
    assert [(c["person_name"], c["expected_cost"]) for c in ranked] == [
        ("Jean Bernard", "35.52"),
        ("Claire Petit", "71.04"),
    ]

    replaced = client.post(
        f"{API}/assignments/{mine['id']}/replace", json={}, headers=academie.dec_headers
    )
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["replaced"]["status"] == "REPLACED"
    assert (body["replacement"]["person_name"], body["replacement"]["status"]) == (
        "Jean Bernard",
        "ISSUED",
    )
    assert body["replacement"]["replaces_id"] == mine["id"]
    assert body["replacement"]["explanation"]["choice"].startswith("Remplace Paul Martin.")
    old_statement = academie.world.db.get(Statement, body["cancelled_statement_id"])
    academie.world.db.refresh(old_statement)
    assert old_statement is not None and old_statement.status == "CANCELLED"
    assert old_statement.user_id == oral.amiens.id
    new_statement = academie.world.db.scalar(
        select(Statement).where(Statement.user_id == compiegne.id)
    )
    assert new_statement is not None and new_statement.status == "OPEN"
    assert "Jean Bernard" in academie.letter_text(body["letter"]["id"])
    assert (
        client.get(
            f"{API}/sessions/{academie.session_id}/withdrawals", headers=academie.dec_headers
        ).json()
        == []
    )


def test_a_replacement_the_rules_forbid_is_refused(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie)
    stranger = academie.teacher("Jean", "Bernard", residence=AMIENS)
    academie.solve()
    academie.issue()
    seat = assignees(academie.result(), oral_need_id(academie))[0]

    response = client.post(
        f"{API}/assignments/{seat['id']}/replace",
        json={"user_id": stranger.id},
        headers=academie.dec_headers,
    )

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Jean Bernard n'a pas de compétence validée pour cette épreuve."
    )


def oral_need_id(academie: Academie) -> int:
    return int(academie.result()["needs"][0]["need"]["id"])


def test_a_statement_declared_not_performed_in_advance_counts_as_a_withdrawal(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie, seats=1)
    academie.solve()
    academie.issue()
    headers = log_in(client, oral.local)
    [convocation] = client.get("/api/v1/convocations", headers=headers).json()
    statement_id = convocation["statement_id"]
    statement = client.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    declared = client.post(
        f"/api/v1/statements/{statement_id}/not-performed",
        json={"reason": "Malade"},
        headers={**headers, "If-Match": f'"{statement["version"]}"'},
    )
    assert declared.status_code == 200, declared.text

    [pending] = client.get(
        f"{API}/sessions/{academie.session_id}/withdrawals", headers=academie.dec_headers
    ).json()

    assert pending["declared_by"] == "NOT_PERFORMED"


def test_withdrawing_on_the_day_is_too_late(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    oral.need(academie, seats=1, day="2026-07-01")  # the tests' today
    academie.solve()
    academie.issue()
    headers = log_in(client, oral.local)
    [mine] = client.get(f"{API}/me/assignments", headers=headers).json()

    response = client.post(f"{API}/me/assignments/{mine['id']}/withdraw", json={}, headers=headers)

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "La mission a commencé : déclarez-la non effectuée depuis votre état de frais."
    )


def test_an_issued_need_can_no_longer_be_changed(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    need = oral.need(academie, seats=1)
    academie.solve()
    academie.issue()

    response = client.patch(
        f"{API}/needs/{need['id']}", json={"seats": 3}, headers=academie.dec_headers
    )

    assert response.status_code == 409


def test_the_password_a_person_chose_is_never_reset(
    academie: Academie, client: TestClient, oral: Oral
) -> None:
    user = academie.world.person(
        "Hugo", "Garnier", academic=False, temporary=False, administrative_residence="60057"
    )
    academie.validated(user, oral.paper)
    oral.local.school = oral.centre.name
    academie.world.commit()
    oral.need(academie, seats=1)
    academie.solve()

    [letter] = academie.issue()["letters"]

    assert (letter["login"], letter["with_password"]) == ("hgarnier", False)
    text = academie.letter_text(letter["id"])
    assert "Votre mot de passe personnel" in text
    assert (
        client.post(
            "/api/v1/auth/login", json={"login": "hgarnier", "password": PASSWORD}
        ).status_code
        == 200
    )
