"""Two gestionnaires approve overlapping selections at the same time: each statement is
approved exactly once, and the one who came second is told who came first."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.main import create_app
from server_stub.statements.models import AuditEntry, Statement, Status
from tests.server_stub.dec.helpers import gestionnaire, many_submitted
from tests.server_stub.factories import World, log_in


def test_overlapping_approvals_change_each_statement_once(
    client: TestClient, world: World, db: Session
) -> None:
    ids = many_submitted(world, 90)
    alice, bruno = gestionnaire(world, name="Alice"), gestionnaire(world, name="Bruno")
    selections = {"Alice": ids[:60], "Bruno": ids[30:]}
    headers = {"Alice": log_in(client, alice), "Bruno": log_in(client, bruno)}
    # Small chunks, so that the two requests interleave chunk by chunk.
    settings = client.app.state.settings.model_copy(update={"bulk_chunk": 7})  # type: ignore[attr-defined]
    app = create_app(settings, client.app.state.engine)  # type: ignore[attr-defined]
    barrier = threading.Barrier(2)
    answers: dict[str, dict[str, Any]] = {}

    def approve(who: str) -> None:
        with TestClient(app) as own:
            barrier.wait()
            response = own.post(
                "/api/v1/dec/statements/approve",
                json={"statements": [{"id": i} for i in selections[who]]},
                headers={**headers[who], "Idempotency-Key": uuid.uuid4().hex},
            )
            assert response.status_code == 200, response.text
            answers[who] = response.json()

    threads = [threading.Thread(target=approve, args=(who,)) for who in selections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(answers) == {"Alice", "Bruno"}
    done = Counter(r["id"] for a in answers.values() for r in a["results"] if r["ok"])
    assert sorted(done) == sorted(ids) and set(done.values()) == {1}
    assert answers["Alice"]["done"] + answers["Bruno"]["done"] == len(ids)
    for who, other in (("Alice", "Bruno"), ("Bruno", "Alice")):
        for result in answers[who]["results"]:
            if not result["ok"]:
                assert result["outcome"] == "already_done"
                assert result["reason"].startswith(f"Déjà validé par Gérard {other} le ")

    db.expire_all()
    assert set(db.scalars(select(Statement.status).where(Statement.id.in_(ids)))) == {
        Status.APPROVED
    }
    audits = Counter(
        db.scalars(select(AuditEntry.statement_id).where(AuditEntry.action == "APPROVE")).all()
    )
    assert audits == Counter({i: 1 for i in ids})
    versions = set(db.scalars(select(Statement.version).where(Statement.id.in_(ids))))
    assert versions == {2}
