"""The reference data the académie owns, through the API: adjacent communes, return reasons,
anomaly thresholds and the debtor account. Each is read with its packaged (or settings)
default, changed by an administrator only, refused in French when wrong, audited, and in force
at once in the rule it feeds, for every server process on the same database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import Engine

from server_stub.auth.models import Role
from server_stub.core.settings import Settings
from server_stub.main import create_app
from tests.server_stub.dec.helpers import car_trip, gestionnaire, intervenant, submitted
from tests.server_stub.factories import AMIENS, BEAUVAIS, World, log_in

API = "/api/v1/admin/reference"
AUDIT = "/api/v1/admin/audit"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
ACCOUNT = "FR7630004000031234567890143"  # a valid French IBAN (BNP Paribas)
SETTINGS_ACCOUNT = "FR7610071800000000000012364"  # tests/data/debtor.toml


@pytest.fixture
def admin(world: World, client: TestClient) -> dict[str, str]:
    user = world.person("Adèle", "Admin", role=Role.ADMIN)
    world.commit()
    return log_in(client, user)


@pytest.fixture
def other_process(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A second server on the same database, as a second process behind the load balancer."""
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as other:
        yield other


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _audit(client: TestClient, admin: dict[str, str], action: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _ok(client.get(AUDIT, params={"action": action}, headers=admin))
    return found


# --- who may --------------------------------------------------------------------------------


def test_only_an_administrator_reads_or_changes_the_reference_data(
    world: World, client: TestClient
) -> None:
    dec = log_in(client, gestionnaire(world))
    for method, path, body in (
        ("GET", "/adjacent-communes", None),
        ("PUT", "/adjacent-communes", {"insee_a": AMIENS, "insee_b": BEAUVAIS, "adjacent": True}),
        ("GET", "/return-reasons", None),
        ("POST", "/return-reasons", {"code": "SIGNATURE", "label": "Signez."}),
        ("GET", "/anomaly-thresholds", None),
        ("PUT", "/anomaly-thresholds", {"km_ratio": "2"}),
        ("GET", "/debtor-account", None),
        ("DELETE", "/debtor-account", None),
    ):
        response = client.request(method, f"{API}{path}", json=body, headers=dec)
        assert response.status_code == 403, (method, path)
        assert (
            response.json()["detail"] == "Cette action est réservée aux administrateurs d'IMAG'IN."
        )


# --- adjacent communes ----------------------------------------------------------------------


def test_adjacent_communes_start_as_the_packaged_list(
    client: TestClient, admin: dict[str, str]
) -> None:
    listed = _ok(client.get(f"{API}/adjacent-communes", headers=admin))
    assert listed["packaged_count"] == listed["count"] == 5929  # the packaged file's header
    assert listed["changes"] == []
    pair = _ok(
        client.get(
            f"{API}/adjacent-communes/pair",
            params={"insee_a": BEAUVAIS, "insee_b": AMIENS},
            headers=admin,
        )
    )
    assert (pair["insee_a"], pair["name_a"], pair["name_b"]) == (BEAUVAIS, "Beauvais", "Amiens")
    assert (pair["adjacent"], pair["packaged"], pair["changed"]) == (False, False, False)


def test_communes_declared_adjacent_end_the_travel_costs_between_them(
    world: World, client: TestClient, admin: dict[str, str], other_process: TestClient
) -> None:
    # An interne of Amiens corrects in Beauvais (about 56 km): travel is reimbursed…
    user = world.person()
    statement = world.statement(user, world.mission())
    world.commit()
    headers = log_in(client, user)

    def computed(server: TestClient) -> dict[str, Any]:
        preview = server.post(
            f"/api/v1/statements/{statement.id}/preview", json=car_trip(), headers=headers
        )
        body: dict[str, Any] = _ok(preview)["computation"]
        return body

    assert computed(client)["travel_eligible"] is True

    # …until the académie declares the two communes adjacent (DOMAIN §5).
    body = {"insee_a": BEAUVAIS, "insee_b": AMIENS, "adjacent": True}
    pair = _ok(client.put(f"{API}/adjacent-communes", json=body, headers=admin))
    assert (pair["insee_a"], pair["insee_b"]) == (BEAUVAIS, AMIENS)  # "60057" < "80021"
    assert (pair["adjacent"], pair["packaged"], pair["changed"]) == (True, False, True)
    assert pair["changed_by"] == "Adèle Admin"
    # Seen at once by the other server process, without any restart.
    now = computed(other_process)
    assert now["travel_eligible"] is False and now["travel_total"] == "0.00"
    listed = _ok(other_process.get(f"{API}/adjacent-communes", headers=admin))
    assert listed["count"] == 5930 and [c["insee_b"] for c in listed["changes"]] == [AMIENS]

    [event] = _audit(client, admin, "ADJACENT_COMMUNES")
    assert event["summary"] == (
        "Communes Beauvais (60057) et Amiens (80021) : désormais limitrophes."
    )
    assert event["actor"] == "Adèle Admin"

    # Back to the packaged list: travel reimbursed again.
    back = {"insee_a": AMIENS, "insee_b": BEAUVAIS, "adjacent": None}
    assert _ok(client.put(f"{API}/adjacent-communes", json=back, headers=admin))["changed"] is False
    assert computed(other_process)["travel_eligible"] is True
    assert _ok(client.get(f"{API}/adjacent-communes", headers=admin))["changes"] == []


def test_a_packaged_pair_can_be_declared_not_adjacent(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = {"insee_a": "02001", "insee_b": "02086", "adjacent": False}  # the file's first pair
    pair = _ok(client.put(f"{API}/adjacent-communes", json=body, headers=admin))
    assert (pair["adjacent"], pair["packaged"], pair["changed"]) == (False, True, True)
    assert _ok(client.get(f"{API}/adjacent-communes", headers=admin))["count"] == 5928


def test_adjacent_communes_are_known_insee_codes_and_two_of_them(
    client: TestClient, admin: dict[str, str]
) -> None:
    def refused(body: dict[str, Any]) -> dict[str, str]:
        response = client.put(f"{API}/adjacent-communes", json=body, headers=admin)
        assert response.status_code == 422, response.text
        fields: dict[str, str] = response.json()["fields"]
        return fields

    unknown = refused({"insee_a": "99999", "insee_b": "", "adjacent": True})
    assert unknown == {
        "insee_a": "Aucune commune n'a le code INSEE « 99999 ».",
        "insee_b": "Saisissez le code INSEE de la commune (5 caractères, par ex. 80021).",
    }
    same = refused({"insee_a": AMIENS, "insee_b": AMIENS, "adjacent": True})
    assert same == {"insee_b": "Choisissez deux communes différentes."}
    assert "adjacent" in refused({"insee_a": AMIENS, "insee_b": BEAUVAIS, "adjacent": "oui"})
    assert _audit(client, admin, "ADJACENT_COMMUNES") == []


# --- return reasons -------------------------------------------------------------------------


def test_return_reasons_start_as_the_packaged_ones(
    world: World, client: TestClient, admin: dict[str, str]
) -> None:
    reasons = _ok(client.get(f"{API}/return-reasons", headers=admin))
    assert [r["code"] for r in reasons][:2] == ["MISSING_DOCUMENTS", "COUNTS"]
    assert len(reasons) == 8 and all(r["active"] and r["uses"] == 0 for r in reasons)
    assert all(r["label"] == r["packaged_label"] for r in reasons)
    dec = log_in(client, gestionnaire(world))
    offered = _ok(client.get("/api/v1/dec/return-reasons", headers=dec))
    assert [r["code"] for r in offered] == [r["code"] for r in reasons]


def test_a_reason_added_is_offered_to_the_dec_and_kept_once_used(
    world: World, client: TestClient, admin: dict[str, str], other_process: TestClient
) -> None:
    dec = log_in(client, gestionnaire(world))
    label = "La signature de l'état de frais manque : signez-le et renvoyez-le."
    added = client.post(
        f"{API}/return-reasons", json={"code": "SIGNATURE", "label": label}, headers=admin
    )
    assert _ok(added, 201) == {
        "code": "SIGNATURE", "label": label, "active": True, "packaged_label": None, "uses": 0
    }  # fmt: skip
    # Offered by the other process at once, in the DEC's reference lists too.
    lists = _ok(other_process.get("/api/v1/dec/reference-lists", headers=dec))
    assert lists["return_reasons"][-1] == {"code": "SIGNATURE", "label": label}

    # The DEC returns a statement with it: the reason is now in use.
    statement = submitted(world)
    returned = other_process.post(
        "/api/v1/dec/statements/return",
        json={
            "statements": [{"id": statement.id}],
            "reason": label,
            "reason_code": "SIGNATURE",
        },
        headers={**dec, "Idempotency-Key": "return-with-signature"},
    )
    assert _ok(returned)["done"] == 1
    [reason] = [
        r
        for r in _ok(client.get(f"{API}/return-reasons", headers=admin))
        if r["code"] == "SIGNATURE"
    ]
    assert reason["uses"] == 1
    refused = client.delete(f"{API}/return-reasons/SIGNATURE", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Le motif SIGNATURE a servi au retour de 1 état(s) de frais : il ne peut pas être "
        "supprimé. Désactivez-le pour qu'il ne soit plus proposé à la DEC."
    )
    # Deactivated instead: no longer offered, nor accepted.
    off = client.put(
        f"{API}/return-reasons/SIGNATURE", json={"label": label, "active": False}, headers=admin
    )
    assert _ok(off)["active"] is False
    offered = _ok(other_process.get("/api/v1/dec/return-reasons", headers=dec))
    assert "SIGNATURE" not in [r["code"] for r in offered]
    again = client.post(
        "/api/v1/dec/statements/return",
        json={
            "statements": [{"id": submitted(world).id}],
            "reason": label,
            "reason_code": "SIGNATURE",
        },
        headers={**dec, "Idempotency-Key": "return-with-signature-2"},
    )
    assert again.status_code == 422
    assert again.json()["fields"]["reason_code"] == (
        "Ce motif de retour n'existe pas ou n'est plus proposé : choisissez-en un autre."
    )
    summaries = [e["summary"] for e in _audit(client, admin, "RETURN_REASON_CHANGED")]
    assert summaries == ["Motif de retour SIGNATURE : désactivé (il n'est plus proposé à la DEC)."]
    [created] = _audit(client, admin, "RETURN_REASON_ADDED")
    assert created["summary"] == f"Motif de retour SIGNATURE ajouté : « {label} »."


def test_a_reason_never_used_is_removed_and_a_packaged_one_only_deactivated(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = {"code": "SIGNATURE", "label": "Signez l'état de frais."}
    _ok(client.post(f"{API}/return-reasons", json=body, headers=admin), 201)
    _ok(client.delete(f"{API}/return-reasons/SIGNATURE", headers=admin), 204)
    assert "SIGNATURE" not in [
        r["code"] for r in _ok(client.get(f"{API}/return-reasons", headers=admin))
    ]
    [removed] = _audit(client, admin, "RETURN_REASON_REMOVED")
    assert removed["summary"] == "Motif de retour SIGNATURE supprimé : « Signez l'état de frais. »."

    packaged = client.delete(f"{API}/return-reasons/COUNTS", headers=admin)
    assert packaged.status_code == 409
    assert "est fourni avec IMAG'IN" in packaged.json()["detail"]
    # Its text is the académie's to change.
    changed = client.put(
        f"{API}/return-reasons/COUNTS",
        json={"label": "Vérifiez le nombre de copies.", "active": True},
        headers=admin,
    )
    assert _ok(changed)["label"] == "Vérifiez le nombre de copies."
    assert _ok(changed)["packaged_label"].startswith("Le nombre de copies")
    assert client.delete(f"{API}/return-reasons/NOPE", headers=admin).status_code == 404


def test_a_return_reason_code_is_unique_and_well_formed(
    client: TestClient, admin: dict[str, str]
) -> None:
    taken = client.post(
        f"{API}/return-reasons", json={"code": "COUNTS", "label": "Autre texte."}, headers=admin
    )
    assert taken.status_code == 409
    assert taken.json()["fields"]["code"] == (
        "Le code COUNTS est déjà celui d'un motif : choisissez-en un autre."
    )
    bad = client.post(f"{API}/return-reasons", json={"code": "é", "label": "  "}, headers=admin)
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"code", "label"}
    assert bad.json()["fields"]["label"] == (
        "Saisissez le texte du motif, tel que l'intervenant le lira."
    )
    unknown = client.put(
        f"{API}/return-reasons/NOPE", json={"label": "x", "active": True}, headers=admin
    )
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Ce motif de retour n'existe pas."


# --- anomaly thresholds ---------------------------------------------------------------------


def _thresholds(client: TestClient, admin: dict[str, str]) -> dict[str, dict[str, Any]]:
    found = _ok(client.get(f"{API}/anomaly-thresholds", headers=admin))["thresholds"]
    return {t["name"]: t for t in found}


def test_thresholds_start_as_the_packaged_ones(client: TestClient, admin: dict[str, str]) -> None:
    found = _thresholds(client, admin)
    assert list(found) == ["half_day_minutes", "km_ratio", "km_excess", "night_near_home_km"]
    assert {n: (t["value"], t["changed"]) for n, t in found.items()} == {
        "half_day_minutes": ("240", False),  # rules/tariffs/anomalies.toml
        "km_ratio": ("1.6", False),
        "km_excess": ("20", False),
        "night_near_home_km": ("30", False),
    }


def test_a_lower_kilometre_ratio_flags_a_statement_it_let_pass(
    world: World, client: TestClient, admin: dict[str, str], other_process: TestClient
) -> None:
    # Amiens–Beauvais there and back is 2 × 55.9 = 111.8 km as the crow flies: 168 km is
    # 1.5 times that, under the packaged 1.6, and 56.2 km more, above the 20 km of excess.
    statement = submitted(world, intervenant(world, iban=ACCOUNT), entry=car_trip("168"))
    dec = log_in(client, gestionnaire(world))

    def codes(server: TestClient) -> list[str]:
        row = _ok(server.get(f"/api/v1/dec/statements/{statement.id}", headers=dec))
        return [a["code"] for a in row["anomalies"]]

    assert codes(client) == []
    changed = client.put(f"{API}/anomaly-thresholds", json={"km_ratio": "1.4"}, headers=admin)
    body = _ok(changed)
    assert body["refreshed"] == 1
    ratio = {t["name"]: t for t in body["thresholds"]}["km_ratio"]
    assert (ratio["value"], ratio["packaged"], ratio["changed"]) == ("1.4", "1.6", True)
    assert ratio["changed_by"] == "Adèle Admin"
    assert codes(other_process) == ["KM_EXCESSIVE"]
    [event] = _audit(client, admin, "ANOMALY_THRESHOLDS")
    assert event["summary"] == (
        "Seuils des anomalies modifiés : Kilométrage : rapport à l'aller-retour à vol "
        "d'oiseau : 1,6 → 1,4 fois."
    )
    # Back to the packaged value (null): the anomaly goes.
    back = _ok(client.put(f"{API}/anomaly-thresholds", json={"km_ratio": None}, headers=admin))
    assert {t["name"]: t for t in back["thresholds"]}["km_ratio"]["changed"] is False
    assert codes(client) == []


def test_thresholds_are_positive_numbers_within_bounds(
    client: TestClient, admin: dict[str, str]
) -> None:
    response = client.put(
        f"{API}/anomaly-thresholds",
        json={
            "half_day_minutes": "90.5",
            "km_ratio": "0",
            "km_excess": "5000",
            "night_near_home_km": "x",
        },
        headers=admin,
    )
    assert response.status_code == 422
    assert "night_near_home_km" in response.json()["fields"]
    response = client.put(
        f"{API}/anomaly-thresholds",
        json={"half_day_minutes": "90.5", "km_ratio": "0", "km_excess": "5000"},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "half_day_minutes": "Saisissez un nombre entier de minutes.",
        "km_ratio": "Un seuil est un nombre strictement positif.",
        "km_excess": "Saisissez une valeur entre 0,01 et 1\u202f000 (km).",
    }
    assert _audit(client, admin, "ANOMALY_THRESHOLDS") == []
    assert not any(t["changed"] for t in _thresholds(client, admin).values())


# --- the debtor account ---------------------------------------------------------------------


def test_the_debtor_account_defaults_to_the_settings_one(
    client: TestClient, admin: dict[str, str]
) -> None:
    account = _ok(client.get(f"{API}/debtor-account", headers=admin))
    assert (account["iban"], account["academie"], account["example"]) == (
        SETTINGS_ACCOUNT, False, False
    )  # fmt: skip
    assert account["schemas"] == ["pain.001.001.09", "pain.001.001.03"]
    missing = client.delete(f"{API}/debtor-account", headers=admin)
    assert missing.status_code == 404


def test_the_next_sepa_file_is_paid_from_the_account_the_academie_sets(
    world: World, client: TestClient, admin: dict[str, str], other_process: TestClient
) -> None:
    body = {
        "name": "Agent comptable du rectorat d'Amiens",
        "iban": "fr76 3000 4000 0312 3456 7890 143",
        "bic": "bnpafrpp",
        "initiating_party": "",
        "sepa_schema": "pain.001.001.09",
    }
    account = _ok(client.put(f"{API}/debtor-account", json=body, headers=admin))
    assert (account["iban"], account["bic"], account["academie"]) == (ACCOUNT, "BNPAFRPP", True)
    assert account["initiating_party"] == "Agent comptable du rectorat d'Amiens"
    [event] = _audit(client, admin, "DEBTOR_ACCOUNT")
    assert event["summary"] == (
        "Compte payeur des fichiers de paiement : Rectorat de l'académie d'Amiens "
        "(FR76 … 2364) → Agent comptable du rectorat d'Amiens (FR76 … 0143), BIC BNPAFRPP, "
        "fichier pain.001.001.09."
    )

    submitted(world, intervenant(world, iban="FR7630001007941234567890185"), entry=car_trip())
    from sqlalchemy import update

    from server_stub.statements.models import Statement, Status

    world.db.execute(update(Statement).values(status=Status.APPROVED))
    world.commit()
    dec = log_in(client, gestionnaire(world, name="Payeur"))
    batch = _ok(other_process.post("/api/v1/dec/payment-batches", json={}, headers=dec), 201)
    sepa = other_process.get(
        f"/api/v1/dec/payment-batches/{batch['batch']['id']}/sepa.xml", headers=dec
    )
    root = etree.fromstring(sepa.content)
    assert root.xpath("//p:DbtrAcct/p:Id/p:IBAN/text()", namespaces=NS) == [ACCOUNT]
    assert root.xpath("//p:Dbtr/p:Nm/text()", namespaces=NS) == [
        "Agent comptable du rectorat d'Amiens"
    ]

    # Back to the settings' account.
    back = _ok(client.delete(f"{API}/debtor-account", headers=admin))
    assert (back["iban"], back["academie"]) == (SETTINGS_ACCOUNT, False)


def test_a_debtor_account_is_checked_before_it_is_kept(
    client: TestClient, admin: dict[str, str]
) -> None:
    response = client.put(
        f"{API}/debtor-account",
        json={
            "name": " ",
            "iban": "FR7630004000031234567890144",  # wrong check digits
            "bic": "BNPA",
            "sepa_schema": "pain.001.001.02",
        },
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "name": "Saisissez le nom du titulaire du compte (le comptable de l'académie).",
        "iban": (
            "Cet IBAN n'est pas valide : vérifiez-le (27 caractères pour un compte français, "
            "commençant par FR76, clé de contrôle comprise)."
        ),
        "bic": "Ce BIC n'est pas valide : 8 ou 11 caractères (par ex. BDFEFRPPCCT).",
        "sepa_schema": "Choisissez une version de fichier SEPA : pain.001.001.09, pain.001.001.03.",
    }
    example = client.put(
        f"{API}/debtor-account",
        json={
            "name": "Rectorat",
            "iban": "FR7630001007941234567890185",  # the shipped example
            "sepa_schema": "pain.001.001.09",
        },
        headers=admin,
    )
    assert example.status_code == 422
    assert example.json()["fields"]["iban"].startswith("C'est le compte d'exemple")
    assert _audit(client, admin, "DEBTOR_ACCOUNT") == []
