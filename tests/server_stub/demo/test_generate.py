"""The demonstration académie: complete, computed by the rules, reproducible, and usable."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from fastapi.testclient import TestClient
from schwifty import IBAN
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.auth.models import Category, Role, User
from server_stub.demo.accounts import DEMO_PASSWORD, INTERVENANTS, STAFF, listing
from server_stub.demo.generate import generate
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Convocation, ExamSession, Mission
from server_stub.rules.model import MissionType
from server_stub.statements import service
from server_stub.statements.models import AuditEntry, Statement, Status
from tests.server_stub.conftest import TODAY

# A small académie for the tests that do not need the real figures.
SMALL = {"people": 40, "convocations": 150, "centres": 12}
REGION = {"02", "60", "80"}


def _statuses(db: Session) -> Counter[str]:
    rows = db.execute(select(Statement.status, func.count()).group_by(Statement.status))
    return Counter({status: count for status, count in rows})


def test_scale_one_has_every_status_mission_type_and_category(db: Session) -> None:
    summary = generate(db, scale=1, today=TODAY)

    assert summary["sessions"] == 4
    assert 35 <= summary["centres"] <= 45
    assert 300 <= summary["intervenants"] <= 310
    assert 1400 <= summary["convocations"] <= 1600
    assert set(_statuses(db)) == {s.value for s in Status}
    assert set(db.scalars(select(Mission.type).join(Convocation).distinct())) == {
        t.value for t in MissionType
    }
    categories = db.scalars(select(User.category).where(User.role == Role.INTERVENANT))
    assert set(categories) == {c.value for c in Category}
    assert summary["statements"] == db.scalar(select(func.count()).select_from(Statement))


def test_sessions_are_those_of_june_and_one_to_come(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    names = set(db.scalars(select(ExamSession.name)))
    assert {
        "Baccalauréat professionnel, session juin 2026",
        "BTS, session juin 2026",
        "CAP, session juin 2026",
        "CAP, session de décembre 2026",
    } == names
    upcoming = db.scalars(select(Mission).where(Mission.start_date > TODAY)).all()
    assert upcoming and all(m.session.name.endswith("décembre 2026") for m in upcoming)


def test_centres_and_people_are_in_real_communes_of_the_academie(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    directory = communes()
    for centre in db.scalars(select(Centre)):
        assert directory.require(centre.commune_insee).department in REGION
    people = db.scalars(select(User).where(User.role == Role.INTERVENANT)).all()
    assert all(directory.require(p.family_residence or "").department in REGION for p in people)
    assert any(p.family_residence != p.administrative_residence for p in people)
    assert {p.academic for p in people if p.category == Category.LP_TEACHER} == {True}
    assert {p.academic for p in people if p.category != Category.LP_TEACHER} == {False}


def test_externes_have_valid_ibans_or_none(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    externes = db.scalars(select(User).where(User.academic.is_(False), User.role == "INTERVENANT"))
    ibans = [u.iban for u in externes]
    assert None in ibans
    for iban in filter(None, ibans):
        assert IBAN(iban).country_code == "FR"


def test_stored_amounts_are_what_the_rules_compute_again(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    filled = db.scalars(select(Statement).where(Statement.entry != {})).all()
    assert len(filled) > 50
    for statement in filled:
        mission = service.mission_of(db, statement)
        again = service.compute(db, statement, mission, service.stored_entry(statement))
        assert not again.problems
        assert (again.pay_total, again.travel_total, again.total) == (
            statement.pay_total,
            statement.travel_total,
            statement.total,
        )
    assert sum(s.total for s in filled) > Decimal(1000)


def test_every_transition_is_in_the_audit_trail(db: Session) -> None:
    summary = generate(db, today=TODAY, **SMALL)

    assert summary["audit_entries"] == db.scalar(select(func.count()).select_from(AuditEntry))
    paid = db.scalars(select(Statement).where(Statement.status == Status.PAID)).first()
    assert paid is not None
    trail = db.scalars(
        select(AuditEntry.action).where(AuditEntry.statement_id == paid.id).order_by(AuditEntry.at)
    ).all()
    assert trail[0] == "ISSUE" and trail[-1] == "MARK_PAID"
    returned = db.scalars(select(Statement).where(Statement.status == Status.RETURNED)).first()
    assert returned is not None and returned.reason


def test_someone_has_two_missions_the_same_day(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    days = db.execute(
        select(Convocation.user_id, Mission.start_date, func.count())
        .join(Mission)
        .group_by(Convocation.user_id, Mission.start_date)
        .having(func.count() > 1)
    ).all()
    assert days


def test_the_same_seed_gives_the_same_data(db: Session) -> None:
    def totals() -> tuple[Decimal, list[str]]:
        total = db.scalar(select(func.sum(Statement.total))) or Decimal(0)
        return total, list(db.scalars(select(User.login).order_by(User.id)))

    first = generate(db, seed=7, today=TODAY, **SMALL)
    first_totals = totals()
    second = generate(db, seed=7, today=TODAY, **SMALL)

    assert second == first
    assert totals() == first_totals
    assert generate(db, seed=8, today=TODAY, **SMALL) != first


def test_keeping_existing_data_adds_a_second_set_beside_it(db: Session) -> None:
    first = generate(db, today=TODAY, **SMALL)
    generate(db, today=TODAY, reset=False, **SMALL)

    assert db.scalar(select(func.count()).select_from(ExamSession)) == 2 * first["sessions"]


def test_demo_accounts_log_in_with_the_shared_password(client: TestClient, db: Session) -> None:
    generate(db, today=TODAY, **SMALL)
    db.commit()

    logins = [a.login for a in INTERVENANTS] + [s.login for s in STAFF]
    for login in logins:
        response = client.post(
            "/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, (login, response.text)
        user = response.json()["user"]
        temporary = next((a.temporary_password for a in INTERVENANTS if a.login == login), False)
        assert user["must_change_password"] is temporary


def test_each_demo_intervenant_has_its_missions(db: Session) -> None:
    generate(db, today=TODAY, **SMALL)

    for account in INTERVENANTS:
        user = db.scalar(select(User).where(User.login == account.login))
        assert user is not None
        convocations = db.scalar(
            select(func.count()).select_from(Convocation).where(Convocation.user_id == user.id)
        )
        assert convocations is not None and convocations >= len(account.wishes)


def test_the_accounts_listing_is_what_the_log_in_screen_shows() -> None:
    shown = listing()

    assert [a["login"] for a in shown] == [a.login for a in INTERVENANTS] + [s.login for s in STAFF]
    assert {a["password"] for a in shown} == {DEMO_PASSWORD}
    assert all(a["role"] and a["description"] for a in shown)


def test_every_assignment_screen_has_content(client: TestClient, db: Session) -> None:
    summary = generate(db, today=TODAY, **SMALL)
    db.commit()
    assert summary["assignment.placed"] > 0 and summary["assignment.withdrawn"] == 1
    response = client.post(
        "/api/v1/auth/login", json={"login": "nathalie.caron", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    api = "/api/v1/assignment"

    statuses = {
        status: client.get(f"{api}/competences?status={status}", headers=headers).json()
        for status in ("VALIDATED", "PENDING", "REFUSED")
    }
    assert len(statuses["VALIDATED"]) > len(statuses["PENDING"]) > 0
    assert statuses["REFUSED"]
    competences = [c for found in statuses.values() for c in found]

    sessions = {s.name: s.id for s in db.scalars(select(ExamSession))}
    future = sessions["CAP, session de décembre 2026"]
    needs = client.get(f"{api}/sessions/{future}/needs", headers=headers).json()
    assert len({n["day"] for n in needs}) >= 3 and {n["kind"] for n in needs} >= {
        "CORRECTION",
        "ORAL",
    }
    other = sessions["Baccalauréat professionnel, session juin 2026"]
    assert client.get(f"{api}/sessions/{other}/needs", headers=headers).json()

    result = client.get(f"{api}/sessions/{future}/result", headers=headers).json()
    assert result["run"] is not None and result["run"]["placed"] > 0
    assignments = [a for need in result["needs"] for t in need["tasks"] for a in t["assignments"]]
    assert any(a["locked"] for a in assignments)
    assert {a["status"] for a in assignments} >= {"PROPOSED", "ISSUED"}

    [withdrawal] = client.get(f"{api}/sessions/{future}/withdrawals", headers=headers).json()
    assert withdrawal["declared_by"] == "WITHDRAWAL"
    replacements = client.get(
        f"{api}/assignments/{withdrawal['assignment']['id']}/replacements", headers=headers
    )
    assert replacements.status_code == 200 and replacements.json()

    unavailable = [
        c["user_id"]
        for c in competences
        if client.get(f"{api}/people/{c['user_id']}/declarations", headers=headers).json()[
            "unavailabilities"
        ]
    ]
    assert unavailable
