"""An académie of two offices, with someone of every kind, for the tests that try every operation
as every caller (the access matrix, schemathesis).

Office Alpha (DEC-ALPHA) holds the things the operations are tried on: its session, exam,
papers and missions, an intervenant's statements, competences, unavailability, assignments and
convocation letter, a need, a payment batch. Office Beta (DEC-BETA) holds the same kind of things
of other people. Everything of Alpha carries "Alpha" in its name: a caller who must not reach
Alpha must never read that word.

The app's sessions join one connection's transaction (`Sandbox`): each request's changes are
rolled back after it, so every operation meets the same world, and nothing outlives the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker

from server_stub.assignment.models import (
    Competence,
    CompetenceStatus,
    ConvocationLetter,
    Unavailability,
)
from server_stub.auth import repository as auth_repository
from server_stub.auth.accounts import create_account
from server_stub.auth.models import Category, Role, TokenKind, User
from server_stub.auth.service import new_family
from server_stub.core import clock
from server_stub.core.security import new_token, token_digest
from server_stub.core.settings import Settings
from server_stub.main import create_app
from server_stub.models import Base
from server_stub.payment.models import BatchStatus, PaymentBatch
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import EvaluationMode, MissionType, PaperKind
from server_stub.statements import repository as statements_repository
from server_stub.statements import service as statements_service
from server_stub.statements.issuing import issue
from server_stub.statements.lifecycle import Action
from server_stub.statements.models import Statement
from server_stub.statements.schemas import EntryIn
from tests.server_stub.conftest import TODAY
from tests.server_stub.factories import AMIENS, BEAUVAIS, password_hash

API = "/api/v1"
ALPHA, BETA = "DEC-ALPHA", "DEC-BETA"
MARK = "Alpha"  # in the name of everything of office Alpha
JUNE_15 = dt.date(2026, 6, 15)  # a mission already started on the tests' today (01/07/2026)
SEPT_8, SEPT_9 = dt.date(2026, 9, 8), dt.date(2026, 9, 9)  # needs still to come

# The kinds of caller every operation is tried as, in the order of the matrix's columns.
CALLERS = (
    "anonymous",
    "bad_token",
    "revoked_token",
    "owner",
    "other_intervenant",
    "chef_here",
    "chef_elsewhere",
    "gestionnaire_here",
    "gestionnaire_elsewhere",
    "administrator",
)
OUTSIDERS = frozenset({"other_intervenant", "chef_elsewhere", "gestionnaire_elsewhere"})
"""Callers who reach nothing of office Alpha, nor the owner's things."""


@dataclass
class TwoOffices:
    """The ids the operations are tried on, and each caller's bearer token."""

    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    owner_login: str = ""
    refresh_token: str = ""

    def headers(self, caller: str) -> dict[str, str]:
        token = self.tokens[caller]
        return {} if token is None else {"Authorization": f"Bearer {token}"}


class _Joined:
    """Stands for the engine the rate limits count through (auth/throttle.py): its
    transactions are savepoints of the sandbox's connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self.connection.begin_nested():
            yield self.connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self.connection


class Sandbox:
    """One connection whose transaction every session of the app joins, with a savepoint
    around each request, rolled back after it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection = engine.connect()
        if engine.dialect.name == "sqlite":
            # pysqlite begins a transaction only before a write, and a SAVEPOINT outside one
            # would commit on release: take control of BEGIN (SQLAlchemy's recipe).
            driver = self.connection.connection.driver_connection
            driver.isolation_level = None  # type: ignore[union-attr]

            @event.listens_for(self.connection, "begin")
            def _begin(connection: Connection) -> None:
                connection.exec_driver_sql("BEGIN")

        self.outer = self.connection.begin()
        self.factory = sessionmaker(
            bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    def install(self, app: FastAPI) -> None:
        app.state.session_factory = self.factory
        # The log-in limits count on a connection of their own: here, on the sandbox's.
        app.state.throttle.storage.engine = _Joined(self.connection)
        app.state.reset_throttle.storage.engine = _Joined(self.connection)

    @contextmanager
    def undone(self) -> Iterator[None]:
        """Whatever happens inside is rolled back afterwards."""
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            if savepoint.is_active:
                savepoint.rollback()

    def close(self) -> None:
        self.outer.rollback()
        self.connection.close()
        if self.engine.dialect.name == "postgresql":
            # Thousands of rolled-back rows leave dead pages behind; analysed like that, a table
            # reads as "many pages, no row" and PostgreSQL plans the next test's queries for
            # empty tables (nested loops over what it then fills). Vacuumed, it is empty again.
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql(f"VACUUM (ANALYZE) {tables}")


def _token(
    db: Session, user: User, *, revoked: bool = False, kind: TokenKind = TokenKind.ACCESS
) -> str:
    """A bearer token, as logging in would have issued it."""
    token = new_token()
    auth_repository.add_token(
        db, user, kind, token_digest(token), clock.now() + dt.timedelta(hours=2), new_family()
    )
    db.flush()
    if revoked:
        auth_repository.revoke_tokens(db, user.id, clock.now())
    return token


class _Builder:
    def __init__(self, db: Session) -> None:
        self.db = db

    def person(self, first: str, last: str, role: Role = Role.INTERVENANT, **more: Any) -> User:
        return create_account(
            self.db,
            first_name=first,
            last_name=last,
            role=role,
            password_hash=password_hash(),
            academic=True,
            temporary=False,
            category=Category.LP_TEACHER if role is Role.INTERVENANT else None,
            **more,
        )

    def office(self, office: str, name: str) -> tuple[ExamSession, Paper, Paper]:
        session = ExamSession(
            code=f"BP-{name.upper()}",
            name=f"Baccalauréat professionnel {name}",
            entry_deadline=dt.date(2026, 10, 31),
            office=office,
        )
        exam = Exam(
            session=session,
            code=f"BP-MELEC-{name.upper()}",
            diploma="BAC_PRO",
            name=f"Examen {name}",
            speciality="Métiers de l'électricité",
        )
        written = Paper(
            exam=exam,
            code="E2",
            name=f"Épreuve écrite {name}",
            kind=PaperKind.WRITTEN,
            evaluation_mode=EvaluationMode.PONCTUEL,
            pay_group="5",
        )
        oral = Paper(
            exam=exam,
            code="E3",
            name=f"Épreuve orale {name}",
            kind=PaperKind.ORAL,
            evaluation_mode=EvaluationMode.PONCTUEL,
            pay_group="3",
            minutes_per_candidate=20,
        )
        self.db.add_all([session, exam, written, oral])
        self.db.flush()
        return session, written, oral

    def centre(self, code: str, name: str, commune: str) -> Centre:
        centre = Centre(code=code, name=name, address="1 rue du Lycée", commune_insee=commune)
        self.db.add(centre)
        self.db.flush()
        return centre

    def mission(
        self,
        session: ExamSession,
        centre: Centre,
        label: str,
        paper: Paper | None = None,
        type: MissionType = MissionType.CORRECTION,
    ) -> Mission:
        mission = Mission(
            session=session,
            type=type,
            paper=paper,
            centre=centre,
            start_date=JUNE_15,
            end_date=JUNE_15,
            start_time=dt.time(8),
            end_time=dt.time(17),
            lot_size=80 if type is MissionType.CORRECTION else None,
            label=label,
        )
        self.db.add(mission)
        self.db.flush()
        return mission

    def statement(self, user: User, mission: Mission, *, submitted: bool = False) -> Statement:
        [(_, issued, _)] = issue(self.db, mission, [user], None, clock.now())
        statement = statements_repository.get(self.db, issued.id)
        assert statement is not None
        if submitted:
            entry = EntryIn.model_validate({"days": [{"date": JUNE_15.isoformat(), "copies": 40}]})
            if mission.type is not MissionType.CORRECTION:
                entry = EntryIn()
            statements_service.apply_entry(
                self.db, statement, statements_service.mission_of(self.db, statement), entry
            )
            statement.submitted_at = clock.now()
            statements_service.move(self.db, statement, user, Action.SUBMIT, clock.now())
        self.db.flush()
        return statement

    def competence(self, user: User, paper: Paper, status: CompetenceStatus) -> Competence:
        competence = Competence(
            user_id=user.id, paper_id=paper.id, status=status, declared_at=clock.now()
        )
        self.db.add(competence)
        self.db.flush()
        return competence

    def unavailability(self, user: User) -> Unavailability:
        row = Unavailability(
            user_id=user.id,
            start_date=dt.date(2026, 9, 21),
            start_half_day="AM",
            end_date=dt.date(2026, 9, 21),
            end_half_day="PM",
            created_at=clock.now(),
        )
        self.db.add(row)
        self.db.flush()
        return row


# A white PNG of two by two pixels.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001649444154789c63"
    "fcffff3f030303130303030303030024060301fc35de9b0000000049454e44ae426082"
)


def build(db: Session, client: TestClient) -> TwoOffices:
    """Both offices, their people, and office Alpha's needs convened through the API."""
    b = _Builder(db)
    alpha, alpha_written, alpha_oral = b.office(ALPHA, MARK)
    beta, beta_written, beta_oral = b.office(BETA, "Beta")
    verne = b.centre("0800001A", "Lycée Jules Verne", AMIENS)
    condorcet = b.centre("0600002B", "Lycée Condorcet", BEAUVAIS)

    owner = b.person(
        "Camille",
        f"{MARK}-Martin",
        school="Lycée Jules Verne",
        administrative_residence=AMIENS,
        family_residence=AMIENS,
        fiscal_power=5,
        iban="FR7630006000011234567890189",
    )
    other = b.person(
        "Dominique",
        "Beta-Durand",
        school="Lycée Condorcet",
        administrative_residence=BEAUVAIS,
        family_residence=BEAUVAIS,
        fiscal_power=4,
    )
    staff = {
        "chef_here": b.person("Hélène", "Chef-Verne", Role.CHEF_CENTRE, centres=[verne.id]),
        "chef_elsewhere": b.person(
            "Hugo", "Chef-Condorcet", Role.CHEF_CENTRE, centres=[condorcet.id]
        ),
        "gestionnaire_here": b.person("Gaëlle", "Gestion-A", Role.GESTIONNAIRE, offices=[ALPHA]),
        "gestionnaire_elsewhere": b.person(
            "Gilles", "Gestion-B", Role.GESTIONNAIRE, offices=[BETA]
        ),
        "administrator": b.person("Adèle", "Admin", Role.ADMIN),
    }

    correction = b.mission(alpha, verne, f"Mission {MARK}", alpha_written)
    surveillance = b.mission(alpha, verne, f"Surveillance {MARK}", type=MissionType.SURVEILLANCE)
    open_statement = b.statement(owner, correction)
    submitted = b.statement(owner, surveillance, submitted=True)
    # Validated by office Alpha: ready to be sent to payment.
    approved = b.statement(
        owner,
        b.mission(alpha, verne, f"Surveillance {MARK} (après-midi)", type=MissionType.SURVEILLANCE),
        submitted=True,
    )
    statements_service.move(db, approved, staff["gestionnaire_here"], Action.APPROVE, clock.now())
    beta_mission = b.mission(beta, condorcet, "Mission Beta", beta_written)
    b.statement(other, beta_mission, submitted=True)

    pending = b.competence(owner, alpha_written, CompetenceStatus.PENDING)
    b.competence(owner, alpha_oral, CompetenceStatus.VALIDATED)
    b.competence(other, beta_written, CompetenceStatus.PENDING)
    unavailable = b.unavailability(owner)
    b.unavailability(other)
    batch = PaymentBatch(
        office=ALPHA,
        session_id=alpha.id,
        status=BatchStatus.IN_PAYMENT,
        created_at=dt.datetime.combine(TODAY, dt.time(8), tzinfo=dt.UTC),
        created_by=staff["gestionnaire_here"].id,
        execution_date=TODAY + dt.timedelta(days=1),
        total=Decimal("0.00"),
    )
    db.add(batch)
    db.flush()

    world = TwoOffices()
    world.tokens = {
        "anonymous": None,
        "bad_token": "pas-un-jeton-valide",
        "revoked_token": _token(db, staff["administrator"], revoked=True),
        "owner": _token(db, owner),
        "other_intervenant": _token(db, other),
        **{kind: _token(db, user) for kind, user in staff.items()},
    }
    world.owner_login = owner.login
    world.refresh_token = _token(db, owner, kind=TokenKind.REFRESH)
    db.commit()

    # Office Alpha convenes the owner through the assignment: one need issued (a letter, an
    # assignment they may withdraw from), one left proposed (for the DEC's edits).
    dec = world.headers("gestionnaire_here")
    needs = [
        client.post(
            f"{API}/assignment/sessions/{alpha.id}/needs",
            json={
                "kind": "ORAL",
                "paper_id": alpha_oral.id,
                # Not at the owner's own school, whose candidates they may not examine.
                "centre_id": condorcet.id,
                "day": day.isoformat(),
                "half_day": "AM",
                "seats": seats,
                "label": f"Oral {MARK}",
            },
            headers=dec,
        )
        for day, seats in ((SEPT_8, 1), (SEPT_9, 2))
    ]
    assert all(r.status_code == 201 for r in needs), [r.text for r in needs]
    issued_need, proposed_need = (r.json()["id"] for r in needs)
    solved = client.post(f"{API}/assignment/sessions/{alpha.id}/solve", json={}, headers=dec)
    assert solved.status_code == 200, solved.text
    convened = client.post(
        f"{API}/assignment/sessions/{alpha.id}/issue",
        json={"need_ids": [issued_need]},
        headers=dec,
    )
    assert convened.status_code == 200, convened.text
    [letter] = convened.json()["letters"]
    db.expire_all()
    result = client.get(f"{API}/assignment/sessions/{alpha.id}/result", headers=dec).json()
    seats = {
        coverage["need"]["id"]: [a for t in coverage["tasks"] for a in t["assignments"]]
        for coverage in result["needs"]
    }
    [issued_assignment] = seats[issued_need]
    [proposed_assignment] = seats[proposed_need]
    # Someone to replace the owner with, competent from now on.
    substitute = b.person(
        "Sacha",
        "Gamma-Petit",
        school="Lycée Delambre",
        administrative_residence=AMIENS,
        family_residence=AMIENS,
        fiscal_power=5,
    )
    b.competence(substitute, alpha_oral, CompetenceStatus.VALIDATED)
    db.commit()
    # A supporting document the owner attached to their open statement.
    attached = client.put(
        f"{API}/statements/{open_statement.id}/documents/piece-du-monde-0001",
        params={"label": "Facture d'hôtel acquittée", "name": f"facture-{MARK}.png"},
        content=PNG,
        headers={**world.headers("owner"), "Content-Type": "application/octet-stream"},
    )
    assert attached.status_code == 201, attached.text
    db.commit()  # the request's savepoint is within this session's: keep both

    world.ids = {
        "session_id": alpha.id,
        "exam_id": alpha_written.exam_id,
        "paper_id": alpha_written.id,
        "oral_paper_id": alpha_oral.id,
        "centre_id": verne.id,
        "mission_id": correction.id,
        "statement_id": open_statement.id,
        "submitted_statement_id": submitted.id,
        "competence_id": pending.id,
        "unavailability_id": unavailable.id,
        "need_id": proposed_need,
        "assignment_id": proposed_assignment["id"],
        "issued_assignment_id": issued_assignment["id"],
        "letter_id": letter["id"],
        "batch_id": batch.id,
        "user_id": owner.id,
        "other_user_id": other.id,
        "beta_session_id": beta.id,
        "beta_paper_id": beta_oral.id,
        "substitute_id": substitute.id,
        "document_id": attached.json()["id"],
    }
    world.versions = {
        "statement_id": open_statement.version,
        "submitted_statement_id": submitted.version,
    }
    assert db.get(ConvocationLetter, letter["id"]) is not None
    return world


@contextmanager
def two_offices(
    engine: Engine, settings: Settings
) -> Iterator[tuple[TestClient, Sandbox, TwoOffices]]:
    """The app on a sandbox holding both offices; every request's changes are undone."""
    app = create_app(settings, engine)
    sandbox = Sandbox(engine)
    sandbox.install(app)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            with sandbox.factory() as db:
                world = build(db, client)
            yield client, sandbox, world
    finally:
        sandbox.close()
