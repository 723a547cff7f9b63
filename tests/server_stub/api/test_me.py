"""The caller's profile: residences, vehicle, financial file."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server_stub.factories import World, log_in

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def test_profile_shows_residences_with_their_names(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    body = client.get("/api/v1/me", headers=log_in(client, user)).json()
    assert body["administrative_residence"]["name"] == "Amiens"
    assert "80000" in body["administrative_residence"]["postal_codes"]
    assert body["financial_file_needed"] is False  # an interne is paid through payroll


def test_an_externe_without_payment_needs_a_financial_file(
    client: TestClient, world: World
) -> None:
    user = world.person("Paul", "Girard", academic=False)
    world.commit()
    body = client.get("/api/v1/me", headers=log_in(client, user)).json()
    assert body["financial_file_needed"] is True


def test_updating_residences_vehicle_and_bank_details(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    response = client.patch(
        "/api/v1/me",
        json={
            "family_residence": "02691",
            "fiscal_power": 7,
            "disability": True,
            "iban": VALID_IBAN,
            "bic": "BNPAFRPP",
            "account_holder": "Mme Élodie DUPONT-MARTIN",
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["family_residence"]["name"] == "Saint-Quentin"
    assert body["iban"] == "FR7630006000011234567890189"
    assert body["fiscal_power"] == 7 and body["disability"] is True
    assert body["financial_file_updated"] is not None


def test_bad_iban_unknown_commune_and_other_holder_are_refused_together(
    client: TestClient, world: World
) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    response = client.patch(
        "/api/v1/me",
        json={
            "administrative_residence": "99999",
            "iban": "FR76 3000 6000 0112 3456 7890 188",
            "account_holder": "Jean Valjean",
        },
        headers=headers,
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["administrative_residence"].startswith("Commune inconnue")
    assert fields["iban"].startswith("IBAN invalide")
    assert fields["account_holder"] == "Le titulaire du compte doit être vous-même."
    assert client.get("/api/v1/me", headers=headers).json()["iban"] is None


def test_unknown_profile_fields_are_refused(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    response = client.patch("/api/v1/me", json={"role": "ADMIN"}, headers=log_in(client, user))
    assert response.status_code == 422
    assert response.json()["fields"] == {"role": "Ce champ n'est pas reconnu."}


def test_commune_search_by_name_or_postal_code(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    by_name = client.get("/api/v1/communes", params={"q": "chateau thierry"}, headers=headers)
    assert by_name.json()[0]["name"] == "Château-Thierry"
    by_code = client.get("/api/v1/communes", params={"q": "80000"}, headers=headers)
    assert by_code.json()[0]["name"] == "Amiens"


def test_tariffs_in_force_on_a_date(client: TestClient, world: World) -> None:
    user = world.person()
    world.commit()
    headers = log_in(client, user)
    response = client.get("/api/v1/tariffs", params={"date": "2026-06-15"}, headers=headers)
    assert response.status_code == 200
    text = response.text
    assert "20.00" in text and "Arrêté du 13 avril 2012" in text


def test_health_answers_without_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_unknown_address_is_a_french_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["type"] == "route_not_found"
    assert response.json()["detail"] == "Cette adresse n'existe pas sur le serveur IMAG'IN."
