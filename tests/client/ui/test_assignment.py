"""The assignment screens against the real server, in-process: the intervenant's declarations,
the DEC's validation, needs, solving and review, issuing and replacement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QDate
from sqlalchemy import select
from sqlalchemy.orm import Session

from client.api.assignment import AssignmentApi
from client.api.assignment_models import AssignmentStatus, CompetenceStatus, NeedIn, NeedKind
from client.api.client import ImaginClient
from client.api.models import HalfDay
from client.api.tokens import TokenStore
from client.ui.assignment.declarations import DeclarationsPage
from client.ui.assignment.load_chart import Measure
from client.ui.assignment.workspace import AssignmentWorkspace
from client.ui.context import AppContext
from server_stub.assignment.models import Competence
from server_stub.assignment.models import CompetenceStatus as StoredStatus
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.reference.models import Centre, Paper
from server_stub.rules.model import PaperKind
from server_stub.statements.models import Statement
from tests.client.ui.conftest import log_in_as
from tests.fixtures import Opened
from tests.server_stub.factories import AMIENS, BEAUVAIS, LAON, PASSWORD, World

TUESDAY = dt.date(2026, 9, 8)  # after the tests' today (01/07/2026): one may still withdraw
WAIT = 10_000


class Academie:
    """A DEC, a paper, a centre at Beauvais and teachers with validated competences."""

    def __init__(self, world: World, http: TestClient) -> None:
        self.world = world
        self.http = http
        self.dec = world.gestionnaire()
        self.paper = self._paper()
        self.centre: Centre = world.centre(BEAUVAIS)
        self.centre.name = "Lycée Félix Faure"
        world.commit()

    def _paper(self) -> Paper:
        paper = self.world.paper(kind=PaperKind.WRITTEN)
        paper.code, paper.name = "E21", "Mathématiques"
        return paper

    def teacher(self, first: str, last: str, residence: str = AMIENS) -> User:
        user = self.world.person(
            first, last, administrative_residence=residence, family_residence=residence
        )
        self.world.db.add(
            Competence(
                user_id=user.id,
                paper_id=self.paper.id,
                status=StoredStatus.VALIDATED,
                declared_at=clock.now(),
                decided_at=clock.now(),
                decided_by_id=self.dec.id,
            )
        )
        self.world.commit()
        return user

    def api(self, user: User) -> AssignmentApi:
        client = ImaginClient(self.http, TokenStore())
        client.log_in(user.login, PASSWORD, remember=False)
        return AssignmentApi(client)

    def correction(self, copies: int = 100) -> int:
        need = self.api(self.dec).create_need(
            self.world.session.id,
            NeedIn(
                kind=NeedKind.CORRECTION,
                paper_id=self.paper.id,
                centre_id=self.centre.id,
                day=TUESDAY,
                half_day=HalfDay.MORNING,
                copies=copies,
                lot_size=50,
            ),
        )
        return need.id


@pytest.fixture
def academie(world: World, http: TestClient) -> Academie:
    return Academie(world, http)


@pytest.fixture
def workspace(qtbot: Any, ctx: AppContext, academie: Academie) -> AssignmentWorkspace:
    ctx.identity = log_in_as(ctx.raw_api, academie.dec).user
    page = AssignmentWorkspace(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    with qtbot.waitSignal(page.sessions_loaded, timeout=WAIT):
        page.start()
    return page


def show_tab(qtbot: Any, workspace: AssignmentWorkspace, tab: Any) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        workspace.tabs.setCurrentWidget(tab)


# --- the intervenant ----------------------------------------------------------------------------


@pytest.fixture
def declarations(qtbot: Any, ctx: AppContext, academie: Academie) -> tuple[DeclarationsPage, User]:
    teacher = academie.world.person("Élodie", "Dupont-Martin")
    academie.world.commit()
    ctx.identity = log_in_as(ctx.raw_api, teacher).user
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.start()
    return page, teacher


def test_an_intervenant_declares_a_competence_and_sees_it_pending(
    qtbot: Any, qtmodeltester: Any, declarations: tuple[DeclarationsPage, User], academie: Academie
) -> None:
    page, teacher = declarations
    qtmodeltester.check(page.papers.model)
    page.search.setText("mathé")  # accents and case ignored
    assert page.papers.proxy.rowCount() == 1
    page.papers.select_row(0)
    page.subject.setText("Mathématiques en lycée professionnel")
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.declare_button.click()

    competences = page.competences.model
    assert competences.rowCount() == 1
    assert competences.index(0, 2).data() == "En attente"
    assert page.papers.model.rowCount() == 0  # a declared paper is no longer offered
    qtmodeltester.check(competences)
    [stored] = academie.api(teacher).my_competences()
    assert stored.paper_code == "E21" and stored.subject == "Mathématiques en lycée professionnel"


def test_an_intervenant_declares_an_unavailability_and_deletes_it(
    qtbot: Any, qtmodeltester: Any, declarations: tuple[DeclarationsPage, User], academie: Academie
) -> None:
    page, teacher = declarations
    page.tabs.setCurrentIndex(1)
    page.set_period(TUESDAY, HalfDay.AFTERNOON, TUESDAY + dt.timedelta(1), HalfDay.MORNING)
    page.reason.setText("Conseil de classe")
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.add_period_button.click()

    model = page.unavailabilities.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert "après-midi" in model.index(0, 0).data() and "matin" in model.index(0, 0).data()
    assert [u.reason for u in academie.api(teacher).my_unavailabilities()] == ["Conseil de classe"]

    page.unavailabilities.select_row(0)
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.remove_period_button.click()
    assert model.rowCount() == 0
    assert academie.api(teacher).my_unavailabilities() == []


def test_an_unavailability_ending_before_it_starts_is_refused_beside_the_field(
    declarations: tuple[DeclarationsPage, User],
) -> None:
    page, _ = declarations
    page.tabs.setCurrentIndex(1)
    page.set_period(TUESDAY, HalfDay.AFTERNOON, TUESDAY, HalfDay.AFTERNOON)
    page.end_half.setCurrentIndex(0)  # matin, the same day: before the start
    page.add_period_button.click()
    assert page.period_error.isVisible()
    assert "précède" in page.period_error.text()
    assert page.unavailabilities.model.rowCount() == 0


# --- the DEC ------------------------------------------------------------------------------------


def test_the_dec_validates_declared_competences_in_bulk(
    qtbot: Any, qtmodeltester: Any, ctx: AppContext, academie: Academie, qapp: Any
) -> None:
    people = [
        academie.world.person(first, last)
        for first, last in (("Jean", "Lefebvre"), ("Sophie", "Moreau"))
    ]
    academie.world.commit()
    for person in people:
        academie.api(person).declare_competence(academie.paper.id, "Mathématiques")
    ctx.identity = log_in_as(ctx.raw_api, academie.dec).user
    workspace = AssignmentWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    tab = workspace.competences
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        workspace.start()
    assert tab.table.model.rowCount() == 2
    qtmodeltester.check(tab.table.model)

    tab.table.view.selectAll()
    assert tab.validate_button.isEnabled()
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.validate_button.click()

    assert tab.table.model.rowCount() == 0  # nothing pending any more
    assert "2 compétence(s) validée(s)" in workspace.bar.text
    decided = academie.api(academie.dec).competences(CompetenceStatus.VALIDATED)
    assert sorted(c.person_name for c in decided) == ["Jean Lefebvre", "Sophie Moreau"]


def test_the_dec_creates_a_need(
    qtbot: Any, qtmodeltester: Any, workspace: AssignmentWorkspace, academie: Academie
) -> None:
    tab = workspace.needs
    show_tab(qtbot, workspace, tab)
    dialog = tab.new_need()
    assert dialog is not None
    dialog.kind.setCurrentIndex(dialog.kind.findData(NeedKind.CORRECTION))
    dialog.day.setDate(QDate(TUESDAY))
    dialog.half_day.setCurrentIndex(dialog.half_day.findData(HalfDay.AFTERNOON))
    dialog.copies.setValue(1234)
    dialog.lot_size.setValue(50)
    with qtbot.waitSignal(tab.changed, timeout=WAIT):
        dialog.save_button.click()

    model = tab.table.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 5).data() == "1\u202f234 copies en 25 lots de 50"
    [need] = academie.api(academie.dec).needs(academie.world.session.id)
    assert (need.copies, need.tasks, need.half_day) == (1234, 25, HalfDay.AFTERNOON)


def test_solving_shows_the_proposal_and_a_lock_survives_a_new_run(
    qtbot: Any, qtmodeltester: Any, workspace: AssignmentWorkspace, academie: Academie
) -> None:
    for first, last in (("Alice", "Martin"), ("Bruno", "Petit"), ("Chloé", "Roux")):
        academie.teacher(first, last)
    academie.correction(copies=100)  # two lots of 50
    tab = workspace.affectation
    show_tab(qtbot, workspace, tab)
    assert "Aucune affectation calculée" in tab.summary.text()

    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.solve_button.click()
        assert tab.solving and tab.progress.isVisible() and not tab.solve_button.isEnabled()
    assert not tab.solving
    model = tab.table.model
    qtmodeltester.check(model)
    qtmodeltester.check(tab.loads_table.model)
    rows = model.rows()
    assert len(rows) == 2 and all(r.assignment is not None for r in rows)
    assert "Compétence validée" in model.index(0, 5).data()
    assert model.index(0, 6).data().endswith("km")
    assert tab.uncovered.model.rowCount() == 0
    assert [value for _, value in tab.chart.values()] == [1, 1]
    tab.chart.set_measure(Measure.COPIES)
    assert [value for _, value in tab.chart.values()] == [50, 50]

    tab.table.select_row(0)
    chosen = tab.table.current()
    assert chosen is not None and chosen.assignment is not None
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.lock_button.click()
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.solve(dry_run=False)

    kept = [r.assignment for r in tab.table.model.rows() if r.assignment is not None]
    locked = [a for a in kept if a.locked]
    assert [(a.id, a.user_id) for a in locked] == [
        (chosen.assignment.id, chosen.assignment.user_id)
    ]


def test_the_limits_shown_are_the_servers_and_follow_the_last_run(
    qtbot: Any, workspace: AssignmentWorkspace, academie: Academie
) -> None:
    academie.teacher("Alice", "Martin")
    academie.correction(copies=100)
    tab = workspace.affectation
    show_tab(qtbot, workspace, tab)
    assert (tab.max_half_days.value(), tab.max_copies.value()) == (8, 200)  # estimation.toml
    assert tab.max_half_days.isEnabled()

    tab.max_half_days.setValue(5)
    tab.max_copies.setValue(120)
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.solve()
    tab.max_half_days.setValue(7)  # typed, never sent
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.set_session(tab.session_id)  # the tab opened again on the session
    assert (tab.max_half_days.value(), tab.max_copies.value()) == (5, 120)


def test_a_simulation_changes_nothing_stored(
    qtbot: Any, workspace: AssignmentWorkspace, academie: Academie
) -> None:
    academie.teacher("Alice", "Martin")
    academie.correction(copies=100)  # two lots, one person: one lot stays uncovered
    tab = workspace.affectation
    show_tab(qtbot, workspace, tab)
    with qtbot.waitSignal(tab.solved, timeout=WAIT) as solved:
        tab.simulate_button.click()
    assert solved.args[0].dry_run
    assert workspace.bar.text.startswith("Simulation, rien n'est enregistré")
    assert academie.api(academie.dec).result(academie.world.session.id).run is None

    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.solve()
    [short] = tab.uncovered.model.rows()
    assert short.missing == 1 and short.message  # the server's French reason
    assert tab.uncovered.model.index(0, 3).data() == short.message
    assert sum(r.assignment is None for r in tab.table.model.rows()) == 1


def test_reassigning_a_seat_picks_from_the_ranked_candidates(
    qtbot: Any, workspace: AssignmentWorkspace, academie: Academie
) -> None:
    academie.teacher("Alice", "Martin")
    academie.teacher("Bruno", "Petit", residence=LAON)  # farther: not chosen by the solver
    academie.correction(copies=50)
    tab = workspace.affectation
    show_tab(qtbot, workspace, tab)
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.solve()
    tab.table.select_row(0)
    dialog = tab.reassign_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.model.rowCount() > 0, timeout=WAIT)
    [bruno] = dialog.table.model.rows()
    assert bruno.candidate.person_name == "Bruno Petit" and bruno.rank == 1
    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        dialog.pick()
    [row] = tab.table.model.rows()
    assert row.assignment is not None
    assert (row.assignment.person_name, row.assignment.locked) == ("Bruno Petit", True)


def test_issuing_convenes_everyone_and_offers_the_letters(
    qtbot: Any,
    qtmodeltester: Any,
    workspace: AssignmentWorkspace,
    academie: Academie,
    db: Session,
    opened: Opened,
) -> None:
    people = [academie.teacher("Alice", "Martin"), academie.teacher("Bruno", "Petit")]
    academie.correction(copies=100)
    academie.api(academie.dec).solve(academie.world.session.id)
    tab = workspace.convocations
    show_tab(qtbot, workspace, tab)
    assert tab.to_issue == 2 and tab.issue_button.isEnabled()

    with qtbot.waitSignal(tab.loaded, timeout=WAIT):
        tab.issue(confirmed=True)

    assert "2 convocation(s) et 2 état(s) de frais" in workspace.bar.text
    assert tab.to_issue == 0 and not tab.issue_button.isEnabled()
    db.expire_all()
    owners = db.scalars(select(Statement.user_id)).all()
    assert sorted(owners) == sorted(p.id for p in people)
    result = academie.api(academie.dec).result(academie.world.session.id)
    assert result.issued == 2
    qtmodeltester.check(tab.letters.model)
    assert tab.letters.model.rowCount() == 2

    tab.letters.select_row(0)
    tab.download_button.click()
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT)
    saved = Path(opened.urls[0].toLocalFile())
    assert saved.read_bytes().startswith(b"%PDF")


def test_a_withdrawal_is_replaced_and_the_replacement_convened(
    qtbot: Any,
    qtmodeltester: Any,
    ctx: AppContext,
    workspace: AssignmentWorkspace,
    academie: Academie,
) -> None:
    alice = academie.teacher("Alice", "Martin")
    academie.teacher("Bruno", "Petit", residence=LAON)
    academie.correction(copies=50)
    dec = academie.api(academie.dec)
    session_id = academie.world.session.id
    dec.solve(session_id)
    dec.issue(session_id)
    mine = academie.api(alice)
    [mission] = mine.my_assignments()
    mine.withdraw(mission.id, "Jury de concours le même jour")

    tab = workspace.withdrawals
    with qtbot.waitSignal(tab.candidates_loaded, timeout=WAIT):
        workspace.tabs.setCurrentWidget(tab)
    qtmodeltester.check(tab.table.model)
    qtmodeltester.check(tab.candidates.model)
    assert tab.table.model.index(0, 0).data() == "Alice Martin"
    assert tab.table.model.index(0, 6).data() == "Jury de concours le même jour"
    assert tab.candidates.model.row(0).candidate.person_name == "Bruno Petit"

    with qtbot.waitSignal(tab.replaced, timeout=WAIT) as replaced:
        tab.replace(confirmed=True)
    outcome = replaced.args[0]
    assert outcome.replacement.person_name == "Bruno Petit"
    assert outcome.replaced.status is AssignmentStatus.REPLACED
    assert outcome.cancelled_statement_id is not None
    qtbot.waitUntil(lambda: tab.table.model.rowCount() == 0, timeout=WAIT)
    assert "Bruno Petit est convoqué(e) à la place de Alice Martin" in workspace.bar.text
    assert dec.withdrawals(session_id) == []
    assert [a.person_name for a in dec.loads(session_id)] == ["Bruno Petit"]


def test_a_letter_no_application_could_open_offers_its_folder(
    qtbot: Any, ctx: AppContext, academie: Academie, opened: Opened
) -> None:
    alice = academie.teacher("Alice", "Martin")
    academie.correction(copies=50)
    dec = academie.api(academie.dec)
    dec.solve(academie.world.session.id)
    dec.issue(academie.world.session.id)
    ctx.identity = log_in_as(ctx.raw_api, alice).user
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.start()
    opened.viewer = False
    page.tabs.setCurrentIndex(2)
    page.letters.select_row(0)
    page.download_button.click()
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT)
    saved = Path(opened.urls[0].toLocalFile())
    assert f"Convocation enregistrée dans {saved}" in page.bar.text
    assert page.bar._action.text() == "Afficher le dossier"
    page.bar._action.click()
    assert Path(opened.urls[-1].toLocalFile()) == saved.parent


def test_an_intervenant_withdraws_from_a_mission_and_downloads_the_letter(
    qtbot: Any, ctx: AppContext, academie: Academie, opened: Opened
) -> None:
    alice = academie.teacher("Alice", "Martin")
    academie.correction(copies=50)
    dec = academie.api(academie.dec)
    dec.solve(academie.world.session.id)
    dec.issue(academie.world.session.id)
    ctx.identity = log_in_as(ctx.raw_api, alice).user
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.start()
    page.tabs.setCurrentIndex(2)
    page.assignments.select_row(0)
    assert page.withdraw_button.isEnabled()
    mission = page.assignments.current()
    assert mission is not None
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.withdraw(mission, "Malade")
    assert page.assignments.model.index(0, 2).data() == "Désistement"
    assert not page.withdraw_button.isEnabled()

    page.letters.select_row(0)
    page.download_button.click()
    qtbot.waitUntil(lambda: len(opened.urls) == 1, timeout=WAIT)
    assert Path(opened.urls[0].toLocalFile()).read_bytes().startswith(b"%PDF")
