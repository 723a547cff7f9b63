"""E-mail through the outbox, end to end: a change made over HTTP writes its message in the
same transaction, the worker sends it over SMTP with STARTTLS to a real server on 127.0.0.1,
and what arrived is read back. Nothing is lost while the server is down, nothing is sent twice,
even by several workers at once."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server_stub.core.database import make_session_factory
from server_stub.core.errors import Conflict
from server_stub.dec import actions
from server_stub.notifications.kinds import Kind
from server_stub.notifications.models import Delivery, OutboxMessage
from server_stub.notifications.worker import OutboxWorker
from server_stub.rules.money import format_euros
from server_stub.statements.models import Statement
from tests.server_stub.dec.helpers import copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in
from tests.server_stub.notifications.conftest import Inbox, MailServer

API = "/api/v1"


def outbox(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def bulk(
    client: TestClient, headers: dict[str, str], action: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(
        f"{API}/dec/statements/{action}",
        json=body,
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refs(*statements: Statement) -> list[dict[str, int]]:
    return [{"id": s.id, "version": s.version} for s in statements]


@pytest.fixture
def dec(world: World, client: TestClient) -> dict[str, str]:
    return log_in(client, gestionnaire(world))


def test_a_validated_statement_is_announced_in_french_text_and_html(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    person = intervenant(world, email="camille.personne@example.fr")
    statement = submitted(world, person, entry=copies(40))

    assert bulk(client, dec, "approve", {"statements": refs(statement)})["done"] == 1

    [row] = outbox(db)
    assert (row.kind, row.status, row.recipient) == (
        "STATEMENT_APPROVED",
        Delivery.PENDING,
        "camille.personne@example.fr",
    )
    assert inbox.messages == []  # written with the change, sent by the worker

    done = worker.run_once()

    assert done.sent == 1
    [message] = inbox.to("camille.personne@example.fr")
    assert inbox.starttls_seen
    assert message["Subject"] == "Votre état de frais a été validé"
    assert message["From"] == "IMAG'IN <ne-pas-repondre@ac-amiens.fr>"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert plain.startswith(f"Bonjour {person.full_name},")
    assert "Correction, Épreuve de mathématiques, Lycée professionnel" in plain
    assert "le 15/06/2026" in plain
    assert f"Montant : {format_euros(statement.total)}" in plain
    assert "<p>Bonjour Camille" in html.get_content()
    assert "Mon profil" in plain  # not statutory: the person may decline it
    [row] = outbox(db)
    assert (row.status, row.attempts) == (Delivery.SENT, 1)
    assert row.sent_at is not None
    assert worker.run_once().sent == 0  # never twice


def test_a_returned_statement_carries_its_reason(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    person = intervenant(world, email="retour@example.fr")
    statement = submitted(world, person)
    reason = "Le nombre de copies ne correspond pas au bordereau du centre"

    bulk(client, dec, "return", {"statements": refs(statement), "reason": reason})
    worker.run_once()

    [message] = inbox.to("retour@example.fr")
    assert message["Subject"] == "Votre état de frais vous est renvoyé"
    body = message.get_body(("plain",))
    assert body is not None
    assert f"Motif du renvoi : {reason}" in body.get_content()
    assert "Mon profil" not in body.get_content()  # statutory


def test_a_correction_by_the_dec_is_told_with_its_comment(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    person = intervenant(world, email="corrige@example.fr")
    statement = submitted(world, person, entry=copies(40))

    response = client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": copies(35), "comment": "Lot de 35 copies selon le centre"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert response.status_code == 200, response.text
    worker.run_once()

    [message] = inbox.to("corrige@example.fr")
    assert message["Subject"] == "Votre état de frais a été corrigé par la DEC"
    body = message.get_body(("plain",))
    assert body is not None
    assert "Lot de 35 copies selon le centre" in body.get_content()


def test_a_change_rolled_back_takes_its_message_with_it(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = intervenant(world, email="rien@example.fr")
    statement = submitted(world, person, entry=copies(40))

    def fails_after_the_message(*args: Any, **kwargs: Any) -> None:
        raise Conflict("Échec simulé après l'écriture du message.")

    # The correction writes its message, then fails before its end: everything is undone.
    monkeypatch.setattr(actions.anomalies, "refresh", fails_after_the_message)
    response = client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": copies(35), "comment": "Lot de 35 copies"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )

    assert response.status_code == 409, response.text
    # Only this person's messages are looked for: a long run's other workers may write theirs.
    assert [
        (m.kind, m.subject, m.created_at) for m in outbox(db) if m.recipient == "rien@example.fr"
    ] == []
    monkeypatch.undo()
    response = client.put(
        f"{API}/dec/statements/{statement.id}/entry",
        json={"entry": copies(35), "comment": "Lot de 35 copies"},
        headers={**dec, "If-Match": f'"{statement.version}"'},
    )
    assert response.status_code == 200, response.text
    assert [m.kind for m in outbox(db) if m.recipient == "rien@example.fr"] == [
        Kind.STATEMENT_CORRECTED
    ]


def test_people_without_an_address_or_who_declined_get_nothing(
    world: World, client: TestClient, dec: dict[str, str], db: Session
) -> None:
    no_address = submitted(world, intervenant(world))
    declined_person = intervenant(world, email="non-merci@example.fr")
    declined = submitted(world, declined_person)
    headers = log_in(client, declined_person)
    choice = client.put(
        f"{API}/me/notifications", json={"declined": ["STATEMENT_APPROVED"]}, headers=headers
    )
    assert choice.status_code == 200, choice.text

    bulk(client, dec, "approve", {"statements": refs(no_address, declined)})

    assert outbox(db) == []
    # A statutory message is sent all the same.
    returned = submitted(world, declined_person)
    bulk(client, dec, "return", {"statements": refs(returned), "reason": "Pièce manquante"})
    assert [m.kind for m in outbox(db)] == ["STATEMENT_RETURNED"]


def test_the_profile_shows_the_choices_and_refuses_to_decline_a_statutory_message(
    world: World, client: TestClient
) -> None:
    person = intervenant(world, email="choix@example.fr")
    world.commit()
    headers = log_in(client, person)

    read = client.get(f"{API}/me/notifications", headers=headers).json()
    assert read["email"] == "choix@example.fr"
    kinds = {k["kind"]: k for k in read["kinds"]}
    assert kinds["CONVOCATION"]["statutory"] and kinds["CONVOCATION"]["enabled"]
    assert not kinds["DEADLINE_REMINDER"]["statutory"]

    refused = client.put(
        f"{API}/me/notifications", json={"declined": ["CONVOCATION"]}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "Ce message est obligatoire et ne peut pas être refusé : « Convocation à une mission »."
    )
    unknown = client.put(f"{API}/me/notifications", json={"declined": ["SPAM"]}, headers=headers)
    assert unknown.status_code == 422

    chosen = client.put(
        f"{API}/me/notifications",
        json={"declined": ["DEADLINE_REMINDER", "PAYMENT_SENT"]},
        headers=headers,
    ).json()
    enabled = {k["kind"]: k["enabled"] for k in chosen["kinds"]}
    assert enabled["DEADLINE_REMINDER"] is False and enabled["PAYMENT_SENT"] is False
    assert enabled["STATEMENT_APPROVED"] is True

    address = client.patch(f"{API}/me", json={"email": "pas une adresse"}, headers=headers)
    assert address.status_code == 422
    assert address.json()["fields"]["email"].startswith("Adresse électronique invalide")
    changed = client.patch(f"{API}/me", json={"email": " nouveau@example.fr "}, headers=headers)
    assert changed.json()["email"] == "nouveau@example.fr"


def test_nothing_is_lost_while_the_mail_server_is_down(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    mail_server: MailServer,
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    person = intervenant(world, email="patience@example.fr")
    statement = submitted(world, person)
    bulk(client, dec, "approve", {"statements": refs(statement)})
    mail_server.stop()

    down = worker.run_once()

    assert (down.sent, down.retried) == (0, 1)
    [row] = outbox(db)
    assert (row.status, row.attempts) == (Delivery.PENDING, 1)
    assert row.last_error is not None and "injoignable" in row.last_error

    mail_server.start()
    inbox.refuse_with = "451 4.3.0 Réessayez plus tard"
    assert worker.run_once().retried == 1
    inbox.refuse_with = None
    assert worker.run_once().sent == 1
    assert len(inbox.to("patience@example.fr")) == 1
    [row] = outbox(db)
    assert (row.status, row.attempts) == (Delivery.SENT, 3)


def test_retries_wait_longer_each_time_then_give_up(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    engine: Engine,
    mail_server: MailServer,
) -> None:
    person = intervenant(world, email="jamais@example.fr")
    bulk(client, dec, "approve", {"statements": refs(submitted(world, person))})
    mail_server.stop()
    worker = OutboxWorker(
        make_session_factory(engine),
        mail_server.settings(mail_retry_seconds=60, mail_max_attempts=2),
    )

    worker.run_once()
    [row] = outbox(db)
    first_wait = row.next_attempt_at - row.created_at
    assert 55 <= first_wait.total_seconds() <= 120
    assert worker.run_once().retried == 0  # not due yet

    row.next_attempt_at = row.created_at
    db.commit()
    assert worker.run_once().given_up == 1
    [row] = outbox(db)
    assert (row.status, row.attempts) == (Delivery.FAILED, 2)


def test_a_recipient_refused_for_good_is_not_tried_again(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    worker: OutboxWorker,
    inbox: Inbox,
) -> None:
    inbox.refuse_recipients.add("inconnu@example.fr")
    people = [
        intervenant(world, email="inconnu@example.fr"),
        intervenant(world, email="connu@example.fr"),
    ]
    statements = [submitted(world, p) for p in people]
    bulk(client, dec, "approve", {"statements": refs(*statements)})

    done = worker.run_once()

    assert (done.sent, done.given_up) == (1, 1)
    assert {m.recipient: m.status for m in outbox(db)} == {
        "inconnu@example.fr": Delivery.FAILED,
        "connu@example.fr": Delivery.SENT,
    }


def test_several_workers_sharing_the_database_send_each_message_once(
    world: World,
    client: TestClient,
    dec: dict[str, str],
    db: Session,
    engine: Engine,
    mail_server: MailServer,
    inbox: Inbox,
) -> None:
    people = [intervenant(world, email=f"p{n}@example.fr") for n in range(40)]
    statements = [submitted(world, p) for p in people]
    bulk(client, dec, "approve", {"statements": refs(*statements)})
    # Four processes' workers, each taking small batches, all at once.
    workers = [
        OutboxWorker(make_session_factory(engine), mail_server.settings(mail_batch=3))
        for _ in range(4)
    ]
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(worker: OutboxWorker) -> None:
        start.wait()
        try:
            worker.run_once()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    received = Counter(m["To"] for m in inbox.messages)
    assert received == Counter({f"p{n}@example.fr": 1 for n in range(40)})
    assert len({m["Message-ID"] for m in inbox.messages}) == 40
    assert {m.status for m in outbox(db)} == {Delivery.SENT}
    assert {m.attempts for m in outbox(db)} == {1}
