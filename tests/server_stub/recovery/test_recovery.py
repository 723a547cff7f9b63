"""Password recovery through the API: the DEC issues a new temporary password (a letter and an
e-mail); an externe asks for a single-use code by e-mail, the same answer whether the account
exists or not, limited; the code sets a new password once."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.audit.models import AuditEvent
from server_stub.notifications.models import OutboxMessage
from server_stub.notifications.worker import OutboxWorker
from server_stub.recovery.models import PasswordReset
from tests.server_stub.dec.helpers import gestionnaire, intervenant, submitted
from tests.server_stub.factories import PASSWORD, World, log_in
from tests.server_stub.notifications.conftest import Inbox

NEW_PASSWORD = "Un-Nouveau-Secret-2026"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _mail_text(inbox: Inbox, address: str) -> str:
    [message] = inbox.to(address)
    body = message.get_body(("plain",))
    assert body is not None
    text: str = body.get_content()
    return text


def _code(text: str) -> str:
    found = re.search(r"Code de réinitialisation : (\S+)", text)
    assert found is not None, text
    return found.group(1)


def test_the_dec_issues_a_temporary_password_by_letter_and_email(
    world: World, client: TestClient, db: Session, worker: OutboxWorker, inbox: Inbox
) -> None:
    person = intervenant(world, academic=False, email="oubli@example.fr")
    submitted(world, person)  # a statement of the DEC's office: the person is within its reach
    dec = log_in(client, gestionnaire(world))
    old_session = log_in(client, person)

    response = client.post(f"/api/v1/dec/people/{person.id}/temporary-password", headers=dec)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-imagin-emailed"] == "true"
    letter = _text(response.content)
    assert "Nouveau mot de passe temporaire" in letter
    assert person.login in letter
    assert "Le même mot de passe vous a été envoyé par courriel à oubli@example.fr." in letter
    password = re.search(r"Mot de passe temporaire (\S+)", letter)
    assert password is not None
    # The old password and the old session end; the new one works and must be replaced.
    assert client.get("/api/v1/me", headers=old_session).status_code == 401
    refused = client.post("/api/v1/auth/login", json={"login": person.login, "password": PASSWORD})
    assert refused.status_code == 401
    login = client.post(
        "/api/v1/auth/login", json={"login": person.login, "password": password.group(1)}
    )
    assert login.status_code == 200 and login.json()["user"]["must_change_password"] is True
    worker.run_once()
    mail = _mail_text(inbox, "oubli@example.fr")
    assert f"Mot de passe temporaire : {password.group(1)}" in mail
    db.expire_all()
    [event] = db.scalars(select(AuditEvent)).all()
    assert event.action == "TEMPORARY_PASSWORD" and event.target_id == str(person.id)
    assert password.group(1) not in event.summary


def test_a_person_outside_the_offices_of_the_dec_is_introuvable(
    world: World, client: TestClient
) -> None:
    person = intervenant(world, academic=False)
    submitted(world, person)
    other = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))

    response = client.post(f"/api/v1/dec/people/{person.id}/temporary-password", headers=other)

    assert response.status_code == 404
    assert response.json()["detail"] == "Cet intervenant n'existe pas."


def test_an_externe_resets_their_password_with_a_code_sent_by_email(
    world: World, client: TestClient, worker: OutboxWorker, inbox: Inbox
) -> None:
    person = intervenant(world, academic=False, email="Externe@Example.fr")
    world.commit()
    old_session = log_in(client, person)

    asked = client.post("/api/v1/auth/reset/request", json={"login": "externe@example.fr"})

    assert asked.status_code == 202, asked.text
    worker.run_once()
    text = _mail_text(inbox, "Externe@Example.fr")
    assert "dans les 30 minutes" in text
    code = _code(text)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    weak = client.post(
        "/api/v1/auth/reset/confirm",
        json={"login": person.login, "code": code, "new_password": "court"},
    )
    assert weak.status_code == 422
    assert "au moins 12 caractères" in weak.json()["fields"]["new_password"]
    done = client.post(
        "/api/v1/auth/reset/confirm",
        json={"login": person.login, "code": code.lower(), "new_password": NEW_PASSWORD},
    )
    assert done.status_code == 204, done.text
    assert client.get("/api/v1/me", headers=old_session).status_code == 401
    login = client.post(
        "/api/v1/auth/login", json={"login": person.login, "password": NEW_PASSWORD}
    )
    assert login.status_code == 200 and login.json()["user"]["must_change_password"] is False
    again = client.post(
        "/api/v1/auth/reset/confirm",
        json={"login": person.login, "code": code, "new_password": "Encore-Un-Autre-2026"},
    )
    assert again.status_code == 422
    assert again.json()["fields"]["code"].startswith("Ce code est incorrect, a déjà servi")


def test_the_answer_is_the_same_whether_the_account_exists_or_not(
    world: World, client: TestClient, db: Session
) -> None:
    externe = intervenant(world, academic=False, email="existe@example.fr")
    interne = intervenant(world, academic=True, email="interne@ac-amiens.fr")
    world.commit()

    answers = [
        client.post("/api/v1/auth/reset/request", json={"login": name})
        for name in (externe.login, "personne-inconnue", interne.login)
    ]

    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1
    # Only the externe's address gets a code; the interne goes through the DEC.
    db.expire_all()
    sent = db.scalars(select(OutboxMessage.recipient)).all()
    assert sent == ["existe@example.fr"]


def test_an_expired_code_is_refused(
    world: World, client: TestClient, db: Session, worker: OutboxWorker, inbox: Inbox
) -> None:
    person = intervenant(world, academic=False, email="lent@example.fr")
    world.commit()
    client.post("/api/v1/auth/reset/request", json={"login": person.login})
    worker.run_once()
    code = _code(_mail_text(inbox, "lent@example.fr"))
    db.expire_all()
    [reset] = db.scalars(select(PasswordReset)).all()
    reset.expires_at = reset.created_at
    db.commit()

    late = client.post(
        "/api/v1/auth/reset/confirm",
        json={"login": person.login, "code": code, "new_password": NEW_PASSWORD},
    )

    assert late.status_code == 422


def test_requests_for_one_identifier_are_limited(world: World, client: TestClient) -> None:
    person = intervenant(world, academic=False, email="flood@example.fr")
    world.commit()

    answers = [
        client.post("/api/v1/auth/reset/request", json={"login": person.login}).status_code
        for _ in range(4)
    ]

    assert answers == [202, 202, 202, 429]
    other = client.post("/api/v1/auth/reset/request", json={"login": "quelquun-dautre"})
    assert other.status_code == 202
