"""A gestionnaire may serve several offices and a chef de centre several centres: the accounts
say so (memberships), `create-user` records them, and migration 0005 keeps what the accounts
held before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from server_stub.auth.models import CentreMembership, OfficeMembership, Role, User
from server_stub.cli import main
from server_stub.core.migrate import alembic_config, upgrade
from server_stub.core.settings import get_settings
from server_stub.reference.models import ExamSession, Mission
from tests.server_stub.dec.helpers import intervenant, many_submitted
from tests.server_stub.dec.test_migration import empty  # noqa: F401 (a fixture)
from tests.server_stub.factories import World, log_in

API = "/api/v1"


def _other_office_mission(world: World, office: str) -> int:
    other = ExamSession(
        code=f"S-{office}", name=f"Session {office}", entry_deadline=dt.date(2026, 8, 31)
    )
    other.office = office
    world.db.add(other)
    world.db.flush()
    mission = world.mission()
    mission.session = other
    world.db.flush()
    return mission.id


def test_a_gestionnaire_of_two_offices_works_on_both_and_no_third(
    client: TestClient, world: World
) -> None:
    dec = many_submitted(world, 1)
    lille = world.db.get(Mission, _other_office_mission(world, "DEC-LILLE"))
    arras = world.db.get(Mission, _other_office_mission(world, "DEC-ARRAS"))
    in_lille = many_submitted(world, 1, lille)
    many_submitted(world, 1, arras)
    both = world.person(
        "Inès", "Deux-Services", role=Role.GESTIONNAIRE, offices=["DEC", "DEC-LILLE"]
    )
    world.commit()
    headers = log_in(client, both)
    listed = client.get(f"{API}/dec/statements", headers=headers).json()["items"]
    assert sorted(r["id"] for r in listed) == sorted(dec + in_lille)
    sessions = client.get(f"{API}/dec/sessions", headers=headers).json()
    assert sorted(s["office"] for s in sessions) == ["DEC", "DEC-LILLE"]


def test_a_chef_of_two_centres_records_the_service_of_both(
    client: TestClient, world: World
) -> None:
    first, second, third = world.centre(), world.centre(), world.centre()
    missions = [world.mission(centre=c, start=dt.date(2026, 6, 15)) for c in (first, second, third)]
    for mission in missions:
        world.statement(intervenant(world), mission)
    chef = world.person(
        "Paul", "Deux-Centres", role=Role.CHEF_CENTRE, centres=[first.id, second.id]
    )
    world.commit()
    response = client.post(
        f"{API}/dec/missions/service-done",
        json={"mission_ids": [m.id for m in missions]},
        headers=log_in(client, chef),
    )
    outcomes = {r["mission_id"]: r["outcome"] for r in response.json()["results"]}
    assert outcomes == {missions[0].id: "ok", missions[1].id: "ok", missions[2].id: "not_found"}


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("IMAGIN_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _accounts(url: str) -> list[tuple[str, str, list[str], list[str]]]:
    engine = create_engine(url)
    with Session(engine) as session:
        found = []
        for user in session.scalars(select(User).order_by(User.id)):
            offices = session.scalars(
                select(OfficeMembership.office).where(OfficeMembership.user_id == user.id)
            ).all()
            centres = session.execute(
                text(
                    "SELECT c.code FROM centre_members m JOIN centres c ON c.id = m.centre_id "
                    "WHERE m.user_id = :id ORDER BY c.code"
                ),
                {"id": user.id},
            ).scalars()
            found.append((user.login, user.role, sorted(offices), list(centres)))
    engine.dispose()
    return found


def test_create_user_records_the_offices_and_centres_it_is_given(database_file: str) -> None:
    assert main(["init-db"]) == 0
    engine = create_engine(database_file)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO centres (code, name, address, commune_insee) VALUES "
                "('0800001A', 'Lycée Branly', 'rue', '80021'), "
                "('0600002B', 'Lycée Cassini', 'rue', '60057')"
            )
        )
    engine.dispose()
    gestionnaire = [
        "create-user", "Nathalie", "Caron", "--role", "GESTIONNAIRE",
        "--office", "DEC", "--office", "DEC-LILLE",
    ]  # fmt: skip
    chef = [
        "create-user", "Philippe", "Lambert", "--role", "CHEF_CENTRE",
        "--centre", "0800001A", "--centre", "0600002B",
    ]  # fmt: skip
    assert main(gestionnaire) == 0
    assert main(chef) == 0
    assert _accounts(database_file) == [
        ("ncaron", "GESTIONNAIRE", ["DEC", "DEC-LILLE"], []),
        ("plambert", "CHEF_CENTRE", [], ["0600002B", "0800001A"]),
    ]


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--role", "GESTIONNAIRE"], "précisez --office"),
        (["--role", "CHEF_CENTRE"], "précisez --centre"),
        (["--role", "INTERVENANT", "--office", "DEC"], "Seul un gestionnaire"),
        (["--role", "GESTIONNAIRE", "--office", "DEC", "--centre", "X"], "Seul un chef"),
        (["--role", "CHEF_CENTRE", "--centre", "INCONNU"], "Centre inconnu : INCONNU."),
    ],
)
def test_create_user_refuses_a_missing_or_misplaced_office_or_centre(
    database_file: str, capsys: pytest.CaptureFixture[str], arguments: list[str], complaint: str
) -> None:
    assert main(["init-db"]) == 0
    assert main(["create-user", "Jean", "Dupont", *arguments]) == 2
    assert complaint in capsys.readouterr().err
    assert _accounts(database_file) == []


def test_migration_0005_moves_each_office_and_centre_into_a_membership(
    empty: Engine,  # noqa: F811
) -> None:
    config = alembic_config(empty.url.render_as_string(hide_password=False))
    with empty.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with empty.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO centres (id, code, name, address, commune_insee) "
                "VALUES (7, 'C', 'Lycée', 'rue', '80021')"
            )
        )
        for user_id, role, office, centre_id in (
            (1, "GESTIONNAIRE", "DEC", None),
            (2, "CHEF_CENTRE", None, 7),
            (3, "INTERVENANT", None, None),
        ):
            connection.execute(
                text(
                    "INSERT INTO users (id, login, first_name, last_name, role, academic, "
                    "password_hash, must_change_password, failed_logins, disability, office, "
                    "centre_id) VALUES (:id, :login, 'A', 'B', :role, true, 'x', false, 0, "
                    "false, :office, :centre)"
                ),
                {"id": user_id, "login": f"u{user_id}", "role": role, "office": office,
                 "centre": centre_id},
            )  # fmt: skip
    upgrade(empty)
    with empty.connect() as connection:
        offices = connection.execute(text("SELECT user_id, office FROM office_members")).all()
        centres = connection.execute(text("SELECT user_id, centre_id FROM centre_members")).all()
        left = connection.execute(
            text("SELECT count(*) FROM users WHERE office IS NOT NULL OR centre_id IS NOT NULL")
        ).scalar()
    assert [tuple(r) for r in offices] == [(1, "DEC")]
    assert [tuple(r) for r in centres] == [(2, 7)]
    assert left == 0
    with empty.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    with empty.connect() as connection:
        back = connection.execute(text("SELECT id, office, centre_id FROM users ORDER BY id"))
        assert [tuple(r) for r in back] == [(1, "DEC", None), (2, None, 7), (3, None, None)]


def test_memberships_go_with_their_account(db: Session, world: World) -> None:
    centre = world.centre()
    chef = world.person("Léa", "Chef", role=Role.CHEF_CENTRE, centres=[centre.id])
    world.commit()
    db.delete(chef)
    db.commit()
    assert db.scalars(select(CentreMembership)).all() == []
