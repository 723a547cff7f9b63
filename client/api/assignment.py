"""The assignment API as typed calls: declarations, their validation, needs, solving, review,
issuing and replacements (`/api/v1/assignment`).

Blocking and Qt-free, like `ImaginClient`, whose session renewal and error mapping every call
goes through: the interface runs these on its worker pool.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from client.api.assignment_models import (
    Assignment,
    BulkResult,
    Candidate,
    CentreRef,
    Competence,
    CompetenceStatus,
    Declarations,
    ExamSessionRef,
    ExterneIn,
    IssueResult,
    Letter,
    LetterPdf,
    MyAssignment,
    Need,
    NeedIn,
    NeedPatch,
    PaperChoice,
    Person,
    PersonLoad,
    Replacement,
    SessionResult,
    SolveDefaults,
    SolveOptions,
    SolveResult,
    Unavailability,
    UnavailabilityIn,
    Withdrawal,
)
from client.api.client import ImaginClient

PREFIX = "/assignment"
M = TypeVar("M", bound=BaseModel)

_FILENAME = re.compile(r'filename="?([^";]+)"?')


def _body(model: BaseModel, *, unset: bool = False) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=unset, exclude_none=not unset)


def _params(**values: object) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value is not None}


class AssignmentApi:
    """Typed calls of the assignment, over one `ImaginClient` (its session and errors)."""

    def __init__(self, client: ImaginClient) -> None:
        self.client = client

    # --- plumbing ---------------------------------------------------------------------------

    def _one(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        response = self.client._call(method, PREFIX + path, **kwargs)
        return self.client._parse(model, response)

    def _many(self, model: type[M], method: str, path: str, **kwargs: Any) -> list[M]:
        response = self.client._call(method, PREFIX + path, **kwargs)
        return self.client._parse_list(TypeAdapter(list[model]), response)  # type: ignore[valid-type]

    def _none(self, method: str, path: str, **kwargs: Any) -> None:
        self.client._call(method, PREFIX + path, **kwargs)

    # --- reference, for the DEC's choices ----------------------------------------------------

    def sessions(self) -> list[ExamSessionRef]:
        """The exam sessions (from the DEC's reference)."""
        response = self.client._call("GET", "/dec/sessions")
        return self.client._parse_list(TypeAdapter(list[ExamSessionRef]), response)

    def centres(self) -> list[CentreRef]:
        """The exam centres (from the DEC's reference)."""
        response = self.client._call("GET", "/dec/centres")
        return self.client._parse_list(TypeAdapter(list[CentreRef]), response)

    # --- the intervenant ----------------------------------------------------------------------

    def papers(self, session_id: int | None = None, q: str | None = None) -> list[PaperChoice]:
        """Papers one may declare a competence for (those of a session, matching `q`)."""
        query = q.strip() if q else None
        params = _params(session_id=session_id, q=query or None)
        return self._many(PaperChoice, "GET", "/papers", params=params)

    def my_competences(self) -> list[Competence]:
        return self._many(Competence, "GET", "/me/competences")

    def declare_competence(self, paper_id: int, subject: str | None = None) -> Competence:
        body = {"paper_id": paper_id, "subject": subject or None}
        return self._one(Competence, "POST", "/me/competences", json=body)

    def withdraw_competence(self, competence_id: int) -> None:
        self._none("DELETE", f"/me/competences/{competence_id}")

    def my_unavailabilities(self) -> list[Unavailability]:
        return self._many(Unavailability, "GET", "/me/unavailabilities")

    def declare_unavailability(self, period: UnavailabilityIn) -> Unavailability:
        return self._one(Unavailability, "POST", "/me/unavailabilities", json=_body(period))

    def remove_unavailability(self, unavailability_id: int) -> None:
        self._none("DELETE", f"/me/unavailabilities/{unavailability_id}")

    def my_assignments(self) -> list[MyAssignment]:
        return self._many(MyAssignment, "GET", "/me/assignments")

    def withdraw(self, assignment_id: int, reason: str | None = None) -> MyAssignment:
        """Says, before the day, that one cannot come (the DEC is offered replacements)."""
        body = {"reason": reason or None}
        return self._one(
            MyAssignment, "POST", f"/me/assignments/{assignment_id}/withdraw", json=body
        )

    def my_letters(self) -> list[Letter]:
        return self._many(Letter, "GET", "/me/letters")

    def letter_pdf(self, letter_id: int) -> LetterPdf:
        response = self.client._call("GET", f"{PREFIX}/letters/{letter_id}/pdf")
        found = _FILENAME.search(response.headers.get("content-disposition", ""))
        filename = found.group(1) if found else f"convocation-{letter_id}.pdf"
        return LetterPdf(filename=filename, content=response.content)

    # --- validation of competences -----------------------------------------------------------

    def competences(
        self,
        status: CompetenceStatus | None = CompetenceStatus.PENDING,
        session_id: int | None = None,
        paper_id: int | None = None,
    ) -> list[Competence]:
        """Declared competences to decide; `status=None` lists them all."""
        params = _params(status=status, session_id=session_id, paper_id=paper_id)
        if status is None:
            # The server defaults to the pending ones; each status asked in turn.
            rows: list[Competence] = []
            for each in CompetenceStatus:
                rows += self.competences(each, session_id, paper_id)
            return sorted(rows, key=lambda c: c.declared_at)
        return self._many(Competence, "GET", "/competences", params=params)

    def validate_competence(self, competence_id: int) -> Competence:
        return self._one(Competence, "POST", f"/competences/{competence_id}/validate")

    def refuse_competence(self, competence_id: int, reason: str) -> Competence:
        body = {"reason": reason}
        return self._one(Competence, "POST", f"/competences/{competence_id}/refuse", json=body)

    def validate_competences(self, ids: Sequence[int]) -> BulkResult:
        """Validates many at once: what succeeded and what failed, and why."""
        return self._one(BulkResult, "POST", "/competences/validate", json={"ids": list(ids)})

    # --- people -------------------------------------------------------------------------------

    def register_externe(self, person: ExterneIn) -> Person:
        return self._one(Person, "POST", "/externes", json=_body(person))

    def declarations(self, user_id: int) -> Declarations:
        return self._one(Declarations, "GET", f"/people/{user_id}/declarations")

    # --- needs --------------------------------------------------------------------------------

    def needs(self, session_id: int) -> list[Need]:
        return self._many(Need, "GET", f"/sessions/{session_id}/needs")

    def create_need(self, session_id: int, need: NeedIn) -> Need:
        return self._one(Need, "POST", f"/sessions/{session_id}/needs", json=_body(need))

    def need(self, need_id: int) -> Need:
        return self._one(Need, "GET", f"/needs/{need_id}")

    def update_need(self, need_id: int, changes: NeedPatch) -> Need:
        """Sends only the fields set on `changes`; unlocked proposals of the need are dropped."""
        return self._one(Need, "PATCH", f"/needs/{need_id}", json=_body(changes, unset=True))

    def delete_need(self, need_id: int) -> None:
        self._none("DELETE", f"/needs/{need_id}")

    def candidates(self, need_id: int, limit: int = 20) -> list[Candidate]:
        """Who could still take a seat of the need, cheapest first."""
        return self._many(
            Candidate, "GET", f"/needs/{need_id}/candidates", params=_params(limit=limit)
        )

    def fill_seat(
        self, need_id: int, task_index: int, user_id: int, force: bool = False
    ) -> Assignment:
        body = {"task_index": task_index, "user_id": user_id, "force": force}
        return self._one(Assignment, "POST", f"/needs/{need_id}/assignments", json=body)

    # --- solving, review, edits ---------------------------------------------------------------

    def solve_defaults(self, session_id: int) -> SolveDefaults:
        return self._one(SolveDefaults, "GET", f"/sessions/{session_id}/solve-defaults")

    def solve(self, session_id: int, options: SolveOptions | None = None) -> SolveResult:
        body = _body(options or SolveOptions())
        return self._one(SolveResult, "POST", f"/sessions/{session_id}/solve", json=body)

    def result(
        self,
        session_id: int,
        *,
        paper_id: int | None = None,
        centre_id: int | None = None,
        short_only: bool = False,
    ) -> SessionResult:
        params = _params(
            paper_id=paper_id, centre_id=centre_id, short_only="true" if short_only else None
        )
        return self._one(SessionResult, "GET", f"/sessions/{session_id}/result", params=params)

    def loads(self, session_id: int) -> list[PersonLoad]:
        return self._many(PersonLoad, "GET", f"/sessions/{session_id}/loads")

    def set_locked(self, assignment_id: int, locked: bool) -> Assignment:
        body = {"locked": locked}
        return self._one(Assignment, "PATCH", f"/assignments/{assignment_id}", json=body)

    def reassign(self, assignment_id: int, user_id: int, force: bool = False) -> Assignment:
        body = {"user_id": user_id, "force": force}
        return self._one(Assignment, "POST", f"/assignments/{assignment_id}/reassign", json=body)

    def remove_assignment(self, assignment_id: int) -> None:
        self._none("DELETE", f"/assignments/{assignment_id}")

    # --- issuing, replacements ----------------------------------------------------------------

    def issue(self, session_id: int, need_ids: Iterable[int] | None = None) -> IssueResult:
        """Convenes the proposed people (all, or those of `need_ids`)."""
        body = {"need_ids": None if need_ids is None else list(need_ids)}
        return self._one(IssueResult, "POST", f"/sessions/{session_id}/issue", json=body)

    def session_letters(self, session_id: int) -> list[Letter]:
        return self._many(Letter, "GET", f"/sessions/{session_id}/letters")

    def withdrawals(self, session_id: int) -> list[Withdrawal]:
        return self._many(Withdrawal, "GET", f"/sessions/{session_id}/withdrawals")

    def replacements(self, assignment_id: int, limit: int = 10) -> list[Candidate]:
        """Ranked replacements: competent, available, cheapest first, then least loaded."""
        params = _params(limit=limit)
        return self._many(
            Candidate, "GET", f"/assignments/{assignment_id}/replacements", params=params
        )

    def replace(self, assignment_id: int, user_id: int | None = None) -> Replacement:
        """Convenes a replacement (the best-ranked when `user_id` is None) and cancels the old
        statement."""
        body = {"user_id": user_id}
        return self._one(Replacement, "POST", f"/assignments/{assignment_id}/replace", json=body)
