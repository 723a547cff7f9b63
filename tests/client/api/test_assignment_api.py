"""The assignment calls against the real server, in-process: declarations, validation, needs,
solving, review, issuing, withdrawal and replacement."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from client.api.assignment import AssignmentApi
from client.api.assignment_models import (
    AssignmentStatus,
    CompetenceStatus,
    NeedIn,
    NeedKind,
    NeedPatch,
    SolveOptions,
    UnavailabilityIn,
)
from client.api.client import ImaginClient
from client.api.errors import ApiError, Forbidden
from client.api.models import HalfDay
from client.api.tokens import TokenStore
from server_stub.auth.models import User
from server_stub.reference.models import Centre, Paper
from server_stub.rules.model import PaperKind
from server_stub.statements.models import Statement
from tests.fixtures import MemoryKeyring
from tests.server_stub.factories import AMIENS, BEAUVAIS, PASSWORD, World

TUESDAY = dt.date(2026, 9, 8)


def connect(http: TestClient, user: User) -> AssignmentApi:
    client = ImaginClient(http, TokenStore())
    client.log_in(user.login, PASSWORD, remember=False)
    return AssignmentApi(client)


def written_paper(world: World) -> Paper:
    paper = world.paper(kind=PaperKind.WRITTEN)
    paper.code, paper.name = "E21", "Mathématiques"
    world.commit()
    return paper


def correction(paper: Paper, centre: Centre, copies: int = 100) -> NeedIn:
    return NeedIn(
        kind=NeedKind.CORRECTION,
        paper_id=paper.id,
        centre_id=centre.id,
        day=TUESDAY,
        half_day=HalfDay.MORNING,
        copies=copies,
        lot_size=50,
    )


def test_an_intervenant_declares_a_competence_and_an_unavailability(
    http: TestClient, world: World, memory_keyring: MemoryKeyring
) -> None:
    paper = written_paper(world)
    teacher = world.person()
    world.commit()
    api = connect(http, teacher)

    [offered] = api.papers(q="mathé")
    assert offered.id == paper.id and offered.code == "E21"
    declared = api.declare_competence(paper.id, "Mathématiques en LP")
    period = api.declare_unavailability(
        UnavailabilityIn(
            start_date=TUESDAY,
            start_half_day=HalfDay.AFTERNOON,
            end_date=TUESDAY + dt.timedelta(days=1),
            end_half_day=HalfDay.MORNING,
            reason="Conseil de classe",
        )
    )

    assert declared.status is CompetenceStatus.PENDING
    assert [c.id for c in api.my_competences()] == [declared.id]
    assert [u.id for u in api.my_unavailabilities()] == [period.id]
    assert "après-midi" in period.label
    api.remove_unavailability(period.id)
    assert api.my_unavailabilities() == []


def test_an_intervenant_may_not_read_the_dec_queue(
    http: TestClient, world: World, memory_keyring: MemoryKeyring
) -> None:
    teacher = world.person()
    world.commit()
    with pytest.raises(Forbidden):
        connect(http, teacher).competences()


def test_the_dec_validates_needs_solves_issues_and_replaces(
    http: TestClient, world: World, db: Session, memory_keyring: MemoryKeyring
) -> None:
    paper = written_paper(world)
    centre = world.centre(BEAUVAIS)
    dec_user = world.gestionnaire()
    alice = world.person("Alice", "Martin", administrative_residence=AMIENS)
    bruno = world.person("Bruno", "Petit", administrative_residence=AMIENS)
    world.commit()
    for person in (alice, bruno):
        connect(http, person).declare_competence(paper.id)
    dec = connect(http, dec_user)
    session_id = world.session.id

    pending = dec.competences(session_id=session_id)
    bulk = dec.validate_competences([c.id for c in pending])
    assert sorted(bulk.succeeded) == sorted(c.id for c in pending) and bulk.failed == []
    assert {c.status for c in dec.competences(None, session_id)} == {CompetenceStatus.VALIDATED}

    need = dec.create_need(session_id, correction(paper, centre, copies=50))
    assert need.tasks == 1 and need.required == 1
    need = dec.update_need(need.id, NeedPatch(label="Copies du centre"))
    assert need.label == "Copies du centre" and need.copies == 50
    assert [s.id for s in dec.sessions()] == [session_id]
    assert centre.id in [c.id for c in dec.centres()]

    what_if = dec.solve(session_id, SolveOptions(dry_run=True))
    assert what_if.dry_run and len(what_if.placements) == 1
    assert dec.result(session_id).run is None  # nothing stored by a what-if
    dec.solve(session_id)
    result = dec.result(session_id)
    [placed] = result.needs[0].tasks[0].assignments
    assert placed.explanation.competence and placed.round_trip_km > 0
    assert [load.half_days for load in dec.loads(session_id)] == [1]
    assert dec.set_locked(placed.id, True).locked
    ranked = dec.candidates(need.id)
    assert ranked  # the other teacher could still take it

    issued = dec.issue(session_id)
    assert (issued.issued, issued.statements_created) == (1, 1)
    [letter] = dec.session_letters(session_id)
    pdf = dec.letter_pdf(letter.id)
    assert pdf.content.startswith(b"%PDF") and pdf.filename.endswith(".pdf")

    holder = alice if placed.user_id == alice.id else bruno
    mine = connect(http, holder)
    [my_assignment] = mine.my_assignments()
    assert mine.withdraw(my_assignment.id, "Malade").status is AssignmentStatus.WITHDRAWN
    assert [letter.id for letter in mine.my_letters()] == [letter.id]

    [withdrawal] = dec.withdrawals(session_id)
    [best, *_] = dec.replacements(withdrawal.assignment.id)
    replaced = dec.replace(withdrawal.assignment.id)
    assert replaced.replacement.user_id == best.user_id != holder.id
    assert dec.withdrawals(session_id) == []
    statements = db.scalars(select(Statement).where(Statement.user_id == best.user_id)).all()
    assert len(statements) == 1


def test_a_refused_need_carries_the_servers_field_messages(
    http: TestClient, world: World, memory_keyring: MemoryKeyring
) -> None:
    paper = written_paper(world)
    centre = world.centre(BEAUVAIS)
    dec_user = world.gestionnaire()
    world.commit()
    dec = connect(http, dec_user)
    body = correction(paper, centre).model_copy(update={"end_date": TUESDAY - dt.timedelta(1)})
    with pytest.raises(ApiError) as refused:
        dec.create_need(world.session.id, body)
    assert "retour des copies" in refused.value.detail + " ".join(refused.value.fields.values())
