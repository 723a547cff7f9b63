"""An académie ready for assignment: a DEC, centres, papers, teachers with validated competences."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from server_stub.assignment.models import Competence, CompetenceStatus
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.reference.models import Centre, Paper
from server_stub.rules.model import PaperKind
from tests.server_stub.factories import AMIENS, BEAUVAIS, World, log_in

# After the tests' "today" (01/07/2026): a September session, so people can still withdraw.
TUESDAY = dt.date(2026, 9, 8)
WEDNESDAY = dt.date(2026, 9, 9)


class Academie:
    def __init__(self, world: World, client: TestClient) -> None:
        self.world = world
        self.client = client
        self.dec = world.gestionnaire()
        world.commit()
        self.dec_headers = log_in(client, self.dec)
        self.session_id = world.session.id

    def teacher(
        self,
        first: str,
        last: str,
        *papers: Paper,
        residence: str = AMIENS,
        school: str | None = None,
        fiscal_power: int = 5,
    ) -> User:
        user = self.world.person(
            first,
            last,
            administrative_residence=residence,
            family_residence=residence,
            fiscal_power=fiscal_power,
            school=school,
        )
        for paper in papers:
            self.validated(user, paper)
        self.world.commit()
        return user

    def validated(self, user: User, paper: Paper) -> Competence:
        competence = Competence(
            user_id=user.id,
            paper_id=paper.id,
            status=CompetenceStatus.VALIDATED,
            declared_at=clock.now(),
            decided_at=clock.now(),
            decided_by_id=self.dec.id,
        )
        self.world.db.add(competence)
        self.world.db.flush()
        return competence

    def paper(self, code: str = "E21", name: str = "Mathématiques", oral: bool = False) -> Paper:
        paper = self.world.paper(
            kind=PaperKind.ORAL if oral else PaperKind.WRITTEN,
            pay_group="3" if oral else "5",
            minutes_per_candidate=20 if oral else None,
        )
        paper.code, paper.name = code, name
        self.world.commit()
        return paper

    def centre(self, name: str, commune: str = BEAUVAIS) -> Centre:
        centre = self.world.centre(commune)
        centre.name = name
        self.world.commit()
        return centre

    def need(self, **body: Any) -> dict[str, Any]:
        body.setdefault("day", TUESDAY.isoformat())
        body.setdefault("half_day", "AM")
        response = self.client.post(
            f"/api/v1/assignment/sessions/{self.session_id}/needs",
            json=body,
            headers=self.dec_headers,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def solve(self, **options: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1/assignment/sessions/{self.session_id}/solve",
            json=options,
            headers=self.dec_headers,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def result(self) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1/assignment/sessions/{self.session_id}/result", headers=self.dec_headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def issue(self, **body: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1/assignment/sessions/{self.session_id}/issue",
            json=body,
            headers=self.dec_headers,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def letter_text(self, letter_id: int, headers: dict[str, str] | None = None) -> str:
        response = self.client.get(
            f"/api/v1/assignment/letters/{letter_id}/pdf", headers=headers or self.dec_headers
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        # Table cells wrap: words are compared with single spaces between them.
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assignees(result: dict[str, Any], need_id: int) -> list[dict[str, Any]]:
    [coverage] = [n for n in result["needs"] if n["need"]["id"] == need_id]
    return [a for task in coverage["tasks"] for a in task["assignments"]]


@pytest.fixture
def academie(world: World, client: TestClient) -> Academie:
    return Academie(world, client)
