"""Realistic rows for tests, built through the same code paths the server uses."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server_stub.auth.accounts import create_account
from server_stub.auth.models import Category, Role, User
from server_stub.core import clock
from server_stub.core.security import hash_password
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import EvaluationMode, MissionType, PaperKind
from server_stub.statements.issuing import issue
from server_stub.statements.models import Statement

PASSWORD = "Jury-Amiens-2026!"

AMIENS = "80021"
BEAUVAIS = "60057"
LAON = "02408"
ABBEVILLE = "80001"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


class World:
    """An académie in miniature: one session, and whatever a test asks for on top."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self._serial = 0
        self.session = ExamSession(
            code="BACPRO-2026",
            name="Baccalauréat professionnel, session juin 2026",
            entry_deadline=dt.date(2026, 8, 31),
            office="DEC",
        )
        db.add(self.session)
        self.exam = Exam(
            session=self.session,
            code="BP-MELEC",
            diploma="BAC_PRO",
            name="Baccalauréat professionnel",
            speciality="Métiers de l'électricité",
        )
        db.add(self.exam)
        db.flush()

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    def person(
        self,
        first_name: str = "Élodie",
        last_name: str = "Dupont-Martin",
        *,
        role: Role = Role.INTERVENANT,
        academic: bool = True,
        temporary: bool = False,
        administrative_residence: str | None = AMIENS,
        family_residence: str | None = AMIENS,
        fiscal_power: int | None = 5,
        **profile: Any,
    ) -> User:
        user = create_account(
            self.db,
            first_name=first_name,
            last_name=last_name,
            role=role,
            password_hash=password_hash(),
            academic=academic,
            temporary=temporary,
            category=Category.LP_TEACHER if role is Role.INTERVENANT else None,
            administrative_residence=administrative_residence,
            family_residence=family_residence,
            fiscal_power=fiscal_power,
            **({"offices": ["DEC"]} if role is Role.GESTIONNAIRE else {}) | profile,
        )
        return user

    def gestionnaire(self) -> User:
        return self.person("Gérard", "Lemaire", role=Role.GESTIONNAIRE, fiscal_power=None)

    def paper(
        self,
        *,
        kind: PaperKind = PaperKind.WRITTEN,
        pay_group: str = "5",
        minutes_per_candidate: int | None = None,
        evaluation_mode: EvaluationMode = EvaluationMode.PONCTUEL,
        optional_oral: bool = False,
    ) -> Paper:
        paper = Paper(
            exam=self.exam,
            code=f"E{self._next()}",
            name="Épreuve de mathématiques",
            kind=kind,
            evaluation_mode=evaluation_mode,
            pay_group=pay_group,
            minutes_per_candidate=minutes_per_candidate,
            optional_oral=optional_oral,
        )
        self.db.add(paper)
        self.db.flush()
        return paper

    def centre(self, commune: str = BEAUVAIS) -> Centre:
        n = self._next()
        centre = Centre(
            code=f"C{n}",
            name=f"Lycée professionnel n° {n}",
            address="12 rue de la République",
            commune_insee=commune,
        )
        self.db.add(centre)
        self.db.flush()
        return centre

    def mission(
        self,
        type: MissionType = MissionType.CORRECTION,
        *,
        paper: Paper | None = None,
        centre: Centre | None = None,
        start: dt.date = dt.date(2026, 6, 15),
        end: dt.date | None = None,
        start_time: dt.time = dt.time(8, 0),
        end_time: dt.time = dt.time(17, 0),
        travel_reimbursable: bool = True,
        lot_size: int | None = 80,
    ) -> Mission:
        if paper is None and type in (MissionType.CORRECTION, MissionType.INTERROGATION):
            paper = self.paper(
                kind=PaperKind.WRITTEN if type is MissionType.CORRECTION else PaperKind.ORAL,
                pay_group="5" if type is MissionType.CORRECTION else "3",
                minutes_per_candidate=None if type is MissionType.CORRECTION else 20,
            )
        mission = Mission(
            session=self.session,
            type=type,
            paper=paper,
            centre=centre or self.centre(),
            start_date=start,
            end_date=end or start,
            start_time=start_time,
            end_time=end_time,
            lot_size=lot_size if type is MissionType.CORRECTION else None,
            travel_reimbursable=travel_reimbursable,
        )
        self.db.add(mission)
        self.db.flush()
        return mission

    def statement(self, user: User, mission: Mission | None = None) -> Statement:
        [(_, statement, _)] = issue(self.db, mission or self.mission(), [user], None, clock.now())
        self.db.commit()
        return statement

    def commit(self) -> None:
        self.db.commit()


def log_in(client: TestClient, user: User, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"login": user.login, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
