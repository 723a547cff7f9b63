"""The other events that write to the outbox: a convocation (with the access of a new externe),
a payment sent, a reminder before the entry deadline."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from server_stub.core.database import make_session_factory
from server_stub.core.settings import Settings
from server_stub.notifications.models import OutboxMessage
from server_stub.notifications.worker import OutboxWorker
from server_stub.reference.models import ExamSession
from server_stub.rules.money import format_euros
from server_stub.statements.models import Status
from tests.server_stub.assignment.conftest import Academie, academie  # noqa: F401
from tests.server_stub.assignment.test_api_planning import Oral
from tests.server_stub.conftest import TODAY
from tests.server_stub.dec.helpers import copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import PASSWORD, World, log_in
from tests.server_stub.notifications.conftest import Inbox, MailServer


def kinds(db: Session) -> list[str]:
    db.expire_all()
    return [m.kind for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def text_of(inbox: Inbox, address: str) -> str:
    [message] = inbox.to(address)
    body = message.get_body(("plain",))
    assert body is not None
    content: str = body.get_content()
    return content


def test_a_new_externe_receives_the_convocation_with_a_password_that_works(
    academie: Academie,  # noqa: F811
    client: TestClient,
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    oral = Oral(academie)
    created = client.post(
        "/api/v1/assignment/externes",
        json={
            "first_name": "Étienne",
            "last_name": "Lefèvre",
            "email": "etienne.lefevre@example.fr",
            "administrative_residence": "60057",
            "fiscal_power": 6,
        },
        headers=academie.dec_headers,
    )
    assert created.status_code == 201, created.text
    client.post(
        f"/api/v1/assignment/people/{created.json()['id']}/competences",
        json={"paper_id": oral.paper.id},
        headers=academie.dec_headers,
    )
    for teacher in (oral.local, oral.amiens, oral.laon):
        teacher.email = f"{teacher.login}@ac-amiens.fr"
    oral.local.school = oral.centre.name
    academie.world.commit()
    oral.need(academie, seats=2)
    academie.solve()

    issued = academie.issue()
    assert issued["activated_accounts"] == ["elefevre"]
    worker.run_once()

    message = inbox.to("etienne.lefevre@example.fr")[0]
    assert message["Subject"] == ("Convocation : Baccalauréat professionnel, session juin 2026")
    text = text_of(inbox, "etienne.lefevre@example.fr")
    assert "Vous êtes convoqué(e) par la DEC de l'Académie d'Amiens" in text
    assert "Interrogation, Oral de langue, Lycée Félix Faure, le 08/09/2026" in text
    assert "Identifiant             : elefevre" in text
    password = text.split("Mot de passe temporaire : ")[1].split()[0]
    login = client.post("/api/v1/auth/login", json={"login": "elefevre", "password": password})
    assert login.status_code == 200, login.text
    # An interne keeps their password: no password in their message.
    [interne] = [letter["login"] for letter in issued["letters"] if letter["login"] != "elefevre"]
    text = text_of(inbox, f"{interne}@ac-amiens.fr")
    assert "Mot de passe" not in text and PASSWORD not in text
    assert len(inbox.messages) == 2


def test_a_batch_paid_tells_each_person_their_total_once(
    world: World, client: TestClient, db: Session, worker: OutboxWorker, inbox: Inbox
) -> None:
    dec = log_in(client, gestionnaire(world))
    person = intervenant(world, email="paye@example.fr")
    first = submitted(world, person, entry=copies(20), status=Status.APPROVED)
    second = submitted(world, person, entry=copies(30), status=Status.APPROVED)
    batch = client.post("/api/v1/dec/payment-batches", json={}, headers=dec)
    assert batch.status_code == 201, batch.text

    paid = client.post(
        f"/api/v1/dec/payment-batches/{batch.json()['batch']['id']}/paid",
        json={"paid_on": str(dt.date.today())},
        headers=dec,
    )

    assert paid.status_code == 200, paid.text
    assert kinds(db) == ["PAYMENT_SENT"]
    worker.run_once()
    text = text_of(inbox, "paye@example.fr")
    total = format_euros(first.total + second.total)
    assert re.search(rf"Montant +: {re.escape(total)}\r?\n", text), text


def _deadline_in(db: Session, days: int) -> None:
    db.execute(update(ExamSession).values(entry_deadline=TODAY + dt.timedelta(days=days)))
    db.commit()


def test_a_reminder_goes_once_to_each_statement_not_sent_before_the_deadline(
    world: World,
    db: Session,
    engine: Engine,
    mail_server: MailServer,
    inbox: Inbox,
) -> None:
    late = intervenant(world, email="retard@example.fr")
    on_time = intervenant(world, email="alheure@example.fr")
    world.statement(late)
    submitted(world, on_time)
    settings: dict[str, Any] = {"reminder_days_before_deadline": 5}
    _deadline_in(db, 6)
    factory = make_session_factory(engine)

    assert OutboxWorker(factory, mail_server.settings(**settings)).run_once().reminders == 0

    _deadline_in(db, 5)
    first = OutboxWorker(factory, mail_server.settings(**settings))
    second = OutboxWorker(factory, mail_server.settings(**settings))  # another process
    first.run_once()
    second.run_once()
    first.run_once()

    assert kinds(db) == ["DEADLINE_REMINDER"]
    text = text_of(inbox, "retard@example.fr")
    deadline = (TODAY + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    assert f"La date limite de saisie de la session est le {deadline}." in text
    assert inbox.to("alheure@example.fr") == []


def test_a_transfer_the_bank_rejected_is_told_with_its_reason(
    world: World,
    client: TestClient,
    db: Session,
    settings: Settings,
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    from server_stub.payment import repository as payment_repository
    from server_stub.payment import settling
    from server_stub.payment.models import PaymentBatch

    manager = gestionnaire(world)
    dec = log_in(client, manager)
    person = intervenant(
        world,
        academic=False,
        email="rejet@example.fr",
        iban="FR7630006000011234567890189",
        account_holder="Camille Personne",
        financial_file_updated=dt.datetime.now(dt.UTC),
    )
    submitted(world, person, entry=copies(20), status=Status.APPROVED)
    batch = client.post("/api/v1/dec/payment-batches", json={}, headers=dec)
    assert batch.status_code == 201, batch.text
    db.expire_all()
    row = db.get(PaymentBatch, batch.json()["batch"]["id"])
    assert row is not None
    parts = payment_repository.open_parts(db, row.id)
    answers = [
        settling.Answer(part_id=p["id"], paid=False, on=TODAY, code="AC04", reason="Compte clôturé")
        for p in parts
        if p["user_id"] == person.id
    ]
    assert answers

    settling.settle(db, settings, manager, row, parts, answers, source="test")
    db.commit()

    assert kinds(db) == ["PAYMENT_REJECTED"]
    worker.run_once()
    text = text_of(inbox, "rejet@example.fr")
    assert re.search(r"Motif +: Compte clôturé", text), text
    rejected = sum((p["amount"] for p in parts if p["user_id"] == person.id), start=0)
    assert format_euros(rejected) in text
    assert "Mon profil" in text  # where to correct the account
