"""The social security number (NIR) of the financial file: checked, encrypted at rest, shown
whole to its owner only, never logged; the financial file's renewal period as data."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth.models import Role, User
from server_stub.people import service as people_service
from server_stub.rules import nir
from server_stub.rules.anomalies import packaged_thresholds
from server_stub.rules.model import MissionType
from tests.server_stub.conftest import NIR_KEY
from tests.server_stub.factories import World, log_in

# A man born in December 1984 in the Somme (80), commune 021 (Amiens), order 451: key 60.
NIR = "1 84 12 80 021 451 60"
NIR_COMPACT = "184128002145160"


def test_the_control_key_is_97_minus_the_number_modulo_97() -> None:
    assert nir.control_key("1841280021451") == 60
    assert nir.problem(NIR) is None
    # Corsica: 2A counts as 19, 2B as 18.
    assert nir.control_key("280052A123456") == 97 - 2800519123456 % 97
    assert nir.problem("280052A123456" + f"{nir.control_key('280052A123456'):02d}") is None
    assert nir.masked(NIR) == "• •• •• •• ••• ••• 60"
    assert nir.spaced(NIR_COMPACT) == NIR


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1 84 12 80 021 451", "Le numéro compte 15 chiffres, clé comprise : 13 saisis."),
        (
            "5 84 12 80 021 451 60",
            "Numéro invalide : il commence par 1 ou 2, puis des chiffres (ou 2A, 2B).",
        ),
        (
            "1 84 13 80 021 451 60",
            "Numéro invalide : le mois de naissance (4e et 5e chiffres) n'existe pas.",
        ),
        (
            "1 84 12 80 021 451 61",
            "La clé (2 derniers chiffres) ne correspond pas : vérifiez la carte Vitale.",
        ),
    ],
)
def test_a_wrong_number_is_refused_on_its_field_without_repeating_it(
    client: TestClient, world: World, typed: str, message: str
) -> None:
    user = world.person("Paul", "Girard", academic=False)
    world.commit()
    response = client.patch("/api/v1/me", json={"nir": typed}, headers=log_in(client, user))
    assert response.status_code == 422
    assert response.json()["fields"] == {"nir": message}
    assert typed.replace(" ", "")[:13] not in response.text


def test_the_number_is_stored_encrypted_shown_to_its_owner_and_masked_to_the_dec(
    client: TestClient,
    world: World,
    db: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = world.person("Paul", "Girard", academic=False)
    statement = world.statement(user, world.mission(MissionType.SURVEILLANCE))
    dec = world.person("Gérard", "Lemaire", role=Role.GESTIONNAIRE, fiscal_power=None)
    world.commit()
    headers = log_in(client, user)
    with caplog.at_level(logging.DEBUG):
        response = client.patch("/api/v1/me", json={"nir": NIR}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["nir"], body["nir_on_file"]) == (NIR_COMPACT, True)
    assert body["financial_file_updated"] is not None
    assert NIR_COMPACT not in caplog.text and NIR not in caplog.text

    # At rest: a Fernet token that the server's key opens, never the number.
    stored = db.scalar(select(User.nir_encrypted).where(User.id == user.id))
    assert stored is not None and NIR_COMPACT not in stored
    assert Fernet(NIR_KEY.encode()).decrypt(stored.encode()).decode() == NIR_COMPACT

    assert client.get("/api/v1/me", headers=headers).json()["nir"] == NIR_COMPACT
    detail = client.get(f"/api/v1/dec/statements/{statement.id}", headers=log_in(client, dec))
    assert detail.status_code == 200, detail.text
    person = detail.json()["intervenant"]
    assert (person["has_nir"], person["nir_masked"]) == (True, "• •• •• •• ••• ••• 60")
    assert NIR_COMPACT[:13] not in detail.text

    cleared = client.patch("/api/v1/me", json={"nir": None}, headers=headers).json()
    assert (cleared["nir"], cleared["nir_on_file"]) == (None, False)


def test_without_a_key_the_server_refuses_to_keep_a_number(
    client: TestClient, world: World, settings: object
) -> None:
    user = world.person("Paul", "Girard", academic=False)
    world.commit()
    headers = log_in(client, user)
    settings.nir_key = None  # type: ignore[attr-defined]
    response = client.patch("/api/v1/me", json={"nir": NIR}, headers=headers)
    assert response.status_code == 409
    assert "clé de chiffrement absente" in response.json()["detail"]
    assert client.get("/api/v1/me", headers=headers).json()["nir"] is None


def test_the_renewal_period_of_the_financial_file_is_data(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert packaged_thresholds().financial_file_validity_days == 365
    paid = dt.datetime.now(dt.UTC) - dt.timedelta(days=300)
    user = world.person("Paul", "Girard", academic=False, last_paid=paid)
    world.commit()
    headers = log_in(client, user)
    assert client.get("/api/v1/me", headers=headers).json()["financial_file_needed"] is False
    shorter = packaged_thresholds().__class__(
        **{**vars(packaged_thresholds()), "financial_file_validity_days": 180}
    )
    monkeypatch.setattr(people_service, "packaged_thresholds", lambda: shorter)
    assert client.get("/api/v1/me", headers=headers).json()["financial_file_needed"] is True
