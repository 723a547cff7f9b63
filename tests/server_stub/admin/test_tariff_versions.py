"""The administrator's tariffs through the API: every version of every file, a new version
previewed then added from a day, refused in French when wrong, applied to what is computed
next, in every server process; validated statements keep their amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server_stub.audit.models import AuditEvent
from server_stub.auth.models import Role
from server_stub.core.errors import TransitionRefused
from server_stub.core.settings import Settings
from server_stub.main import create_app
from server_stub.rules.tariffs import packaged_tariffs
from server_stub.statements import service as statements
from server_stub.statements.models import Statement, Status
from tests.server_stub.dec.helpers import copies, intervenant, submitted
from tests.server_stub.factories import World, log_in

API = "/api/v1/admin/tariffs"


@pytest.fixture
def admin(world: World, client: TestClient) -> dict[str, str]:
    user = world.person("Adèle", "Admin", role=Role.ADMIN)
    world.commit()
    return log_in(client, user)


def _vacations(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    files = client.get(API, headers=admin).json()
    vacations: dict[str, Any] = next(f for f in files if f["file"] == "vacations")
    return vacations


def _new_vacations(copy_rate_5: Any = "6.00", **changes: Any) -> dict[str, Any]:
    """The version in force (arrêté du 13 avril 2012) with another rate per copy of taux 5."""
    values = {
        "unpaid_groups": ["NR"],
        "optional_oral_factor": "0.75",
        "copy_rates": {"1": "0.75", "2": "1.10", "3": "1.73", "4": "2.47", "5": copy_rate_5},
        "hourly_rates": {"1": "4.11", "2": "5.49", "3": "9.60", "4": "13.72"},
    }
    values.update(changes)
    return {
        "valid_from": "2026-06-01",
        "source": "Arrêté du 2 mai 2026, art. 2",
        "values": values,
    }


def test_every_file_lists_its_versions_with_their_source_and_days(
    client: TestClient, admin: dict[str, str]
) -> None:
    files = {f["file"]: f for f in client.get(API, headers=admin).json()}
    assert list(files) == [
        "vacations", "pay_groups", "meetings", "meals", "nights", "lodging_zones",
        "kilometric", "road_distance", "anomalies",
    ]  # fmt: skip
    meals = files["meals"]
    assert (meals["title"], meals["editable"]) == ("Repas", True)
    assert [(v["version"], v["valid_from"], v["valid_to"]) for v in meals["versions"]] == [
        ("repas-2019-03-01", "2019-03-01", "2019-12-31"),
        ("repas-2020-01-01", "2020-01-01", "2023-09-21"),
        ("repas-2023-09-22", "2023-09-22", None),
    ]
    last = meals["versions"][-1]
    assert last["source"].startswith("Arrêté du 3 juillet 2006 modifié par l'arrêté du 20 sept")
    assert last["values"]["rate"] == "20.00"
    assert last["values"]["windows"]["LUNCH"] == {"start": "11:00", "end": "14:00"}
    assert meals["labels"]["rate"] == "Taux du repas (€)"
    assert files["anomalies"]["editable"] is False
    assert files["anomalies"]["note"].startswith("Les seuils d'anomalies se règlent")


def test_only_an_administrator_reads_or_adds_tariffs(world: World, client: TestClient) -> None:
    user = world.gestionnaire()
    world.commit()
    dec = log_in(client, user)
    assert client.get(API, headers=dec).status_code == 403
    refused = client.post(f"{API}/vacations/versions", json=_new_vacations(), headers=dec)
    assert refused.status_code == 403
    assert client.get(API).status_code == 401


def test_the_preview_lists_the_statements_not_yet_validated_it_would_change(
    world: World, client: TestClient, admin: dict[str, str], db: Session
) -> None:
    # 40 copies of taux 5 on 15 June 2026: 40 × 5,00 € = 200,00 €, then 40 × 6,00 € = 240,00 €.
    waiting = submitted(world, entry=copies(40))
    returned = submitted(world, entry=copies(40), status=Status.RETURNED)
    approved = submitted(world, entry=copies(40), status=Status.APPROVED)
    paid = submitted(world, entry=copies(40), status=Status.PAID)
    world.commit()
    response = client.post(f"{API}/vacations/preview", json=_new_vacations(), headers=admin)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["version"] == "vacations-2026-06-01"
    changed = {c["statement_id"]: c for c in preview["changed"]}
    assert set(changed) == {waiting.id, returned.id}
    assert (changed[waiting.id]["old_total"], changed[waiting.id]["new_total"]) == (
        "200.00", "240.00"
    )  # fmt: skip
    assert changed[waiting.id]["status"] == "À valider"
    assert preview["validated_kept"] == 2
    # Nothing stored by a preview.
    assert _vacations(client, admin)["versions"][-1]["version"] == "vacations-2012-05-03"
    assert {s.total for s in db.scalars(select(Statement))} == {Decimal("200.00")}
    assert approved.id and paid.id


def test_adding_a_version_recomputes_what_is_not_validated_and_keeps_what_is(
    world: World, client: TestClient, admin: dict[str, str], db: Session
) -> None:
    waiting = submitted(world, entry=copies(40))
    approved = submitted(world, entry=copies(40), status=Status.APPROVED)
    before = dict(approved.computation)
    world.commit()
    response = client.post(f"{API}/vacations/versions", json=_new_vacations(), headers=admin)
    assert response.status_code == 201, response.text
    added = response.json()
    assert (added["recomputed"], added["validated_kept"]) == (1, 1)
    assert added["version"]["added"] is True
    assert added["version"]["added_by"] == "Adèle Admin"
    versions = _vacations(client, admin)["versions"]
    assert [(v["version"], v["valid_to"]) for v in versions[-2:]] == [
        ("vacations-2012-05-03", "2026-05-31"),
        ("vacations-2026-06-01", None),
    ]
    assert versions[-1]["values"]["copy_rates"]["5"] == "6.00"
    db.expire_all()
    assert db.get(Statement, waiting.id).total == Decimal("240.00")  # type: ignore[union-attr]
    kept = db.get(Statement, approved.id)
    assert kept is not None
    assert (kept.total, kept.computation) == (Decimal("200.00"), before)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "TARIFF_VERSION_ADDED")).one()
    assert event.summary == (
        "Vacations des jurys : nouvelle version vacations-2026-06-01 en vigueur à partir du "
        "01/06/2026 (Arrêté du 2 mai 2026, art. 2) ; 1 état de frais recalculé, "
        "1 état de frais validé inchangé."
    )
    assert event.details is not None
    assert event.details["recomputed"] == [
        {"statement_id": waiting.id, "old_total": "200.00", "new_total": "240.00"}
    ]


def test_a_new_statement_is_computed_with_the_new_version_in_every_server_process(
    world: World,
    client: TestClient,
    admin: dict[str, str],
    engine: Engine,
    settings: Settings,
) -> None:
    person = intervenant(world)
    statement = world.statement(person)
    world.commit()
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as other:
        owner = log_in(other, person)

        def save() -> Any:
            path = f"/api/v1/statements/{statement.id}"
            version = other.get(path, headers=owner).json()["version"]
            return other.put(
                path, json=copies(40), headers={**owner, "If-Match": f'"{version}"'}
            ).json()

        assert save()["computation"]["total"] == "200.00"  # read and cached by the other process
        added = client.post(f"{API}/vacations/versions", json=_new_vacations(), headers=admin)
        assert added.status_code == 201, added.text
        assert save()["computation"]["total"] == "240.00"
        snapshot = other.get("/api/v1/tariffs", params={"date": "2026-06-15"}, headers=owner)
        assert snapshot.json()["vacations"]["copy_rates"]["5"] == "6.00"


@pytest.mark.parametrize(
    ("file", "body", "field", "message"),
    [
        ("bareme", _new_vacations(), None, "Aucun fichier de tarifs ne s'appelle « bareme »."),
        (
            "vacations",
            {**_new_vacations(), "valid_from": "2012-05-03"},
            "valid_from",
            "La nouvelle version doit prendre effet après le 03/05/2012, premier jour de la "
            "version en vigueur (vacations-2012-05-03).",
        ),
        (
            "vacations",
            _new_vacations("-1"),
            "copy_rates.5",
            "Taux par copie (€) › 5 : le montant ne peut pas être négatif.",
        ),
        (
            "vacations",
            _new_vacations("six euros"),
            "copy_rates.5",
            "Taux par copie (€) › 5 : « six euros » n'est pas un nombre.",
        ),
        (
            "vacations",
            _new_vacations(optional_oral_factor="1.5"),
            "optional_oral_factor",
            "Coefficient des oraux facultatifs : le coefficient doit être supérieur à 0 et au "
            "plus égal à 1.",
        ),
        (
            "meetings",
            {"valid_from": "2026-09-01", "source": "Délibération", "values": {}},
            "hourly_rate",
            "Taux horaire (€) : valeur manquante.",
        ),
        (
            "meals",
            {
                "valid_from": "2026-09-01",
                "source": "Arrêté",
                "values": {
                    "rate": 21,
                    "administrative_restaurant_factor": 0.5,
                    "windows_configurable": True,
                    "windows": {
                        "LUNCH": {"start": "14:00", "end": "11:00"},
                        "DINNER": {"start": "18:00", "end": "21:00"},
                    },
                },
            },
            "windows.LUNCH",
            "Plages horaires › déjeuner : le début doit précéder la fin.",
        ),
        (
            "nights",
            {
                "valid_from": "2026-09-01",
                "source": "Arrêté",
                "values": {"window": {"start": "midi", "end": "05:00"}, "caps": {}},
            },
            "window.start",
            "Plage de la nuit › début : une heure HH:MM est attendue.",
        ),
        (
            "anomalies",
            {"valid_from": "2026-09-01", "source": "Académie", "values": {"km_ratio": 2}},
            None,
            "Les seuils d'anomalies se règlent avec les données de référence de l'académie.",
        ),
    ],
)
def test_a_wrong_version_is_refused_in_french_beside_its_field(
    client: TestClient,
    admin: dict[str, str],
    file: str,
    body: dict[str, Any],
    field: str | None,
    message: str,
) -> None:
    for route in ("preview", "versions"):
        response = client.post(f"{API}/{file}/{route}", json=body, headers=admin)
        assert response.status_code in (404, 422), response.text
        assert response.json()["detail"] == message
        if field is not None:
            assert response.json()["fields"] == {field: message}
    assert _vacations(client, admin)["versions"][-1]["version"] == "vacations-2012-05-03"


def test_a_body_without_source_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    body = {**_new_vacations(), "source": ""}
    response = client.post(f"{API}/vacations/versions", json=body, headers=admin)
    assert response.status_code == 422
    assert "source" in response.json()["fields"]


def test_a_validated_statement_is_never_stored_again_under_a_new_version(
    world: World, db: Session
) -> None:
    for status in (Status.APPROVED, Status.DEC_ENTERED, Status.IN_PAYMENT, Status.PAID):
        statement = submitted(world, entry=copies(40), status=status)
        mission = statements.mission_of(db, statement)
        computation = statements.recomputed(db, statement, mission, packaged_tariffs())
        with pytest.raises(TransitionRefused):
            statements.store_recomputed(statement, computation)
