"""The demo académie's assignment: what the DEC plans for the session still to come.

Built through the assignment services themselves, as a gestionnaire and the intervenants would
through the API: competences declared (most validated, some awaiting validation, one refused),
unavailabilities, needs at several centres and days of the session to come (and a meeting of
another session), one solved run with a few placements locked, one need convened, and one of
its people withdrawn and awaiting a replacement. Every assignment screen has content.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from server_stub.assignment import convening, repository, service
from server_stub.assignment.models import AssignmentStatus, Competence, NeedKind
from server_stub.assignment.planning import edits, solving
from server_stub.assignment.schemas import (
    CompetenceIn,
    IssueIn,
    LockIn,
    NeedIn,
    SolveIn,
    UnavailabilityIn,
    WithdrawIn,
)
from server_stub.auth.models import User
from server_stub.core.settings import Settings
from server_stub.reference.models import Centre, ExamSession, Paper
from server_stub.rules.model import HalfDay, PaperKind

SUBJECTS = {
    PaperKind.WRITTEN: "Enseignement de la discipline en lycée professionnel",
    PaperKind.ORAL: "Jurys d'oral de la spécialité",
    PaperKind.PRACTICAL: "Encadrement des épreuves pratiques en atelier",
}


@dataclass(frozen=True)
class Planning:
    """The future session and what the generator knows of the académie."""

    session: ExamSession
    papers: Sequence[Paper]  # the future session's paid papers
    other_session: ExamSession
    other_paper: Paper
    centres: Sequence[Centre]
    people: Sequence[User]  # intervenants, the demo accounts first
    gestionnaire: User
    first_day: dt.date  # the future session's first day (a Monday)


def build(
    db: Session, rng: random.Random, settings: Settings, planning: Planning
) -> dict[str, int]:
    """Fills the assignment tables; returns what it made, for the generator's summary."""
    competences = _competences(db, rng, planning)
    unavailable = _unavailabilities(db, rng, planning)
    needs = _needs(db, planning)
    solved = solving.solve_session(db, planning.gestionnaire, planning.session.id, SolveIn())
    placed = list(
        repository.assignments_of_session(db, planning.session.id, (AssignmentStatus.PROPOSED,))
    )
    placed.sort(key=lambda a: (a.need_id, a.task_index, a.id))
    # The DEC keeps a few placements whatever the next solve finds.
    locked = placed[1::5][:4]
    for assignment in locked:
        edits.set_locked(db, assignment.id, LockIn(locked=True))
    # One need convened: its people have a convocation, and one of them then withdraws.
    first_need = placed[0].need_id if placed else None
    withdrawn = convened = 0
    if first_need is not None:
        convening.issue_session(
            db, settings, planning.gestionnaire, planning.session.id, IssueIn(need_ids=[first_need])
        )
        issued = [
            a
            for a in repository.assignments_of_session(
                db, planning.session.id, (AssignmentStatus.ISSUED,)
            )
            if a.need_id == first_need
        ]
        issued.sort(key=lambda a: a.id)
        convened = len(issued)
        if issued:
            leaving = issued[-1]
            convening.withdraw(
                db,
                settings,
                leaving.user,
                leaving.id,
                WithdrawIn(reason="Convoqué le même jour à un jury d'une autre académie."),
            )
            withdrawn = 1
    db.flush()
    return {
        "assignment.competences": competences,
        "assignment.unavailabilities": unavailable,
        "assignment.needs": needs,
        "assignment.placed": solved.run.placed,
        "assignment.locked": len(locked),
        "assignment.withdrawn": withdrawn,
        "assignment.convened": convened,  # each with its convocation and open statement
    }


def _competences(db: Session, rng: random.Random, planning: Planning) -> int:
    papers, people = list(planning.papers), list(planning.people)
    dec = planning.gestionnaire
    count = 0
    for index, person in enumerate(people):
        chosen = rng.sample(papers, k=min(len(papers), 1 + index % 3))
        for number, paper in enumerate(chosen):
            subject = SUBJECTS.get(PaperKind(paper.kind))
            out = service.declare_competence(
                db, person, CompetenceIn(paper_id=paper.id, subject=subject)
            )
            competence = db.get(Competence, out.id)
            assert competence is not None
            count += 1
            # Most were validated; the last declarations of some still await the DEC.
            if index % 7 == 3 and number == len(chosen) - 1:
                continue
            if index % 23 == 11:
                service.refuse(
                    db, dec, competence, "Aucun enseignement de cette spécialité déclaré."
                )
                continue
            service.validate(db, dec, competence)
    return count


def _unavailabilities(db: Session, rng: random.Random, planning: Planning) -> int:
    days = sorted({n.day for n in _need_specs(planning)})
    count = 0
    for index, person in enumerate(planning.people):
        if index % 6 != 2:
            continue
        day = rng.choice(days)
        half = HalfDay.MORNING if index % 4 else HalfDay.AFTERNOON
        service.declare_unavailability(
            db,
            person,
            UnavailabilityIn(
                start_date=day,
                start_half_day=half,
                end_date=day,
                end_half_day=half,
                reason="Conseil de classe" if index % 2 else "Formation",
            ),
        )
        count += 1
    return count


def _need_specs(planning: Planning) -> list[NeedIn]:
    """Corrections, orals and a meeting over the future session's days and centres."""
    specs = []
    centres = list(planning.centres)
    for number, paper in enumerate(planning.papers):
        centre = centres[number % len(centres)]
        day = _first_day(planning, number)
        if paper.kind == PaperKind.WRITTEN:
            specs.append(
                NeedIn(
                    kind=NeedKind.CORRECTION,
                    paper_id=paper.id,
                    centre_id=centre.id,
                    day=day,
                    half_day=HalfDay.MORNING,
                    end_date=day + dt.timedelta(days=4),
                    copies=60 + 20 * (number % 3),
                    lot_size=40,
                )
            )
        else:
            specs.append(
                NeedIn(
                    kind=NeedKind.ORAL,
                    paper_id=paper.id,
                    centre_id=centre.id,
                    day=day,
                    half_day=HalfDay.AFTERNOON if number % 2 else HalfDay.MORNING,
                    commissions=1 + number % 2,
                    seats=2,
                )
            )
    return specs


def _first_day(planning: Planning, number: int) -> dt.date:
    """The session's working days from its first Monday, a paper a day."""
    return planning.first_day + dt.timedelta(days=number % 5)


def _needs(db: Session, planning: Planning) -> int:
    specs = _need_specs(planning)
    for spec in specs:
        service.create_need(db, planning.session.id, spec)
    # A meeting of another session: the needs screen lists each session's own.
    other = planning.other_paper
    service.create_need(
        db,
        planning.other_session.id,
        NeedIn(
            kind=NeedKind.MEETING,
            paper_id=other.id,
            centre_id=planning.centres[0].id,
            day=_first_day(planning, 0) - dt.timedelta(days=3),
            half_day=HalfDay.AFTERNOON,
            seats=6,
            meeting_type="REUNION",
            label="Réunion de bilan de la session",
        ),
    )
    return len(specs) + 1
