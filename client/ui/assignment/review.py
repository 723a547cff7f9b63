"""The DEC's assignment workspace: competences to validate, needs, the solver's proposal and its
review (explanations, loads, locks, reassignments), convocations, withdrawals.

Every call runs on the worker pool; the solve shows a busy state while the server computes.
A « Simuler » run answers what the proposal would become without changing anything stored.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    AssignmentStatus,
    Candidate,
    Competence,
    CompetenceStatus,
    ExamSessionRef,
    IssueResult,
    Letter,
    NeedCoverage,
    PersonLoad,
    SessionResult,
    SolveOptions,
    SolveResult,
)
from client.formatting import euros, number
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api, download_letter, show_failure
from client.ui.assignment.load_chart import LoadChart, Measure
from client.ui.assignment.needs import NeedsTab
from client.ui.errors import message_for
from client.ui.login.session import AppContext
from client.ui.models.assignment_tables import (
    RankedCandidate,
    ResultRow,
    Uncovered,
    candidate_columns,
    competence_queue_columns,
    letter_columns,
    load_columns,
    result_columns,
    uncovered_columns,
)
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)

DEFAULT_MAX_HALF_DAYS = 8  # the server's defaults (estimation.toml), shown as starting values
DEFAULT_MAX_COPIES = 200
_ACTIVE = (AssignmentStatus.PROPOSED, AssignmentStatus.ISSUED)


# --- competences --------------------------------------------------------------------------------


class CompetencesTab(QWidget):
    """Signals:
    loaded(): the competences were read.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        status_label = QLabel(self.tr("&Afficher :"))
        self.status = QComboBox()
        self.status.addItem(self.tr("En attente"), CompetenceStatus.PENDING)
        self.status.addItem(self.tr("Validées"), CompetenceStatus.VALIDATED)
        self.status.addItem(self.tr("Refusées"), CompetenceStatus.REFUSED)
        self.status.addItem(self.tr("Toutes"), None)
        self.status.setAccessibleName(self.tr("État des compétences affichées"))
        status_label.setBuddy(self.status)
        self.status.currentIndexChanged.connect(lambda _: self.reload())
        search_label = QLabel(self.tr("Rec&hercher :"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Nom, établissement, épreuve…"))
        self.search.setAccessibleName(self.tr("Rechercher une compétence"))
        search_label.setBuddy(self.search)
        top.addWidget(status_label)
        top.addWidget(self.status)
        top.addSpacing(16)
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        layout.addLayout(top)
        self.table = Table(
            competence_queue_columns(), name=self.tr("Compétences déclarées"), multi=True, stretch=2
        )
        self.search.textChanged.connect(self.table.proxy.set_search)
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table.view, 1)
        row = QHBoxLayout()
        self.summary = app_style.hint()
        row.addWidget(self.summary, 1)
        self.select_all_button = QPushButton(self.tr("&Tout sélectionner"))
        self.select_all_button.clicked.connect(self.table.view.selectAll)
        self.validate_button = QPushButton(self.tr("&Valider la sélection"))
        self.validate_button.clicked.connect(self.validate_selected)
        self.refuse_button = QPushButton(self.tr("&Refuser la sélection…"))
        self.refuse_button.clicked.connect(lambda: self.refuse_selected())
        for button in (self.select_all_button, self.validate_button, self.refuse_button):
            row.addWidget(button)
        layout.addLayout(row)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        api, session_id = self.api, self.session_id
        data = self.status.currentData()
        status = CompetenceStatus(data) if data is not None else None
        self.ctx.runner.run(
            lambda: api.competences(status, session_id),
            on_success=self._on_loaded,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="competence-queue",
        )

    def _on_loaded(self, rows: list[Competence]) -> None:
        self.table.set_rows(rows)
        self.summary.setText(self.tr("{0} compétence(s) affichée(s).").format(len(rows)))
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self) -> None:
        chosen = self.table.selected()
        pending = [c for c in chosen if c.status is CompetenceStatus.PENDING]
        self.validate_button.setEnabled(bool(pending))
        self.refuse_button.setEnabled(bool(pending))
        self.select_all_button.setEnabled(self.table.proxy.rowCount() > 0)

    def validate_selected(self) -> None:
        ids = [c.id for c in self.table.selected() if c.status is CompetenceStatus.PENDING]
        if not ids:
            return
        api = self.api
        self._busy(True)

        def done(result: Any) -> None:
            self._busy(False)
            failed = "\n".join(f.detail for f in result.failed)
            if result.failed:
                self.bar.warning(
                    self.tr("{ok} compétence(s) validée(s), {ko} refus du serveur :\n{why}").format(
                        ok=len(result.succeeded), ko=len(result.failed), why=failed
                    )
                )
            else:
                self.bar.success(
                    self.tr("{0} compétence(s) validée(s).").format(len(result.succeeded))
                )
            self.reload()

        self.ctx.runner.run(
            lambda: api.validate_competences(ids),
            on_success=done,
            on_failure=self._failed,
            key="validate-competences",
        )

    def refuse_selected(self, reason: str | None = None) -> None:
        chosen = [c for c in self.table.selected() if c.status is CompetenceStatus.PENDING]
        if not chosen:
            return
        if reason is None:
            text, ok = QInputDialog.getText(
                self,
                self.tr("Refuser des compétences"),
                self.tr("Motif du refus, communiqué à {0} intervenant(s) :").format(len(chosen)),
            )
            if not ok or not text.strip():
                return
            reason = text.strip()
        api, why = self.api, reason
        self._busy(True)

        def work() -> tuple[int, list[str]]:
            # One request per competence: the server has no bulk refusal; failures are kept.
            refused, failures = 0, []
            for competence in chosen:
                try:
                    api.refuse_competence(competence.id, why)
                    refused += 1
                except Exception as error:
                    failures.append(f"{competence.person_name} : {message_for(error)}")
            return refused, failures

        def done(outcome: tuple[int, list[str]]) -> None:
            self._busy(False)
            refused, failures = outcome
            if failures:
                self.bar.warning(
                    self.tr("{ok} compétence(s) refusée(s), {ko} échec(s) :\n{why}").format(
                        ok=refused, ko=len(failures), why="\n".join(failures)
                    )
                )
            else:
                self.bar.success(self.tr("{0} compétence(s) refusée(s).").format(refused))
            self.reload()

        self.ctx.runner.run(work, on_success=done, on_failure=self._failed, key="refuse")

    def _busy(self, busy: bool) -> None:
        self.validate_button.setEnabled(not busy)
        self.refuse_button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        show_failure(self.ctx, self.bar, error)


# --- candidates (reassign, fill a seat) ---------------------------------------------------------


class CandidatesDialog(QDialog):
    """The ranked candidates of a need; the DEC picks one.

    Signals:
        chosen(int, bool): the user id picked, and whether to overrule the rules.
    """

    chosen = Signal(int, bool)
    loaded = Signal()

    def __init__(
        self, ctx: AppContext, need_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(
            app_style.hint(
                self.tr(
                    "Intervenants compétents et disponibles, les moins coûteux d'abord puis les "
                    "moins chargés. Le choix manuel est verrouillé."
                )
            )
        )
        self.bar = MessageBar()
        layout.addWidget(self.bar)
        self.table = Table(candidate_columns(), name=self.tr("Candidats classés"), stretch=6)
        self.table.view.doubleClicked.connect(lambda _: self.pick())
        layout.addWidget(self.table.view, 1)
        self.force = QCheckBox(
            self.tr("&Passer outre une règle enfreinte (l'avertissement restera visible)")
        )
        layout.addWidget(self.force)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pick_button = buttons.addButton(
            self.tr("&Affecter ce candidat"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.pick)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 420)
        api = assignment_api(ctx)
        ctx.runner.run(
            lambda: api.candidates(need_id),
            on_success=self._on_loaded,
            on_failure=lambda error: show_failure(ctx, self.bar, error),
            key="candidates",
        )

    def _on_loaded(self, candidates: list[Candidate]) -> None:
        self.table.set_rows([RankedCandidate(n, c) for n, c in enumerate(candidates, 1)])
        if candidates:
            self.table.select_row(0)
        else:
            self.bar.warning(self.tr("Aucun intervenant ne peut prendre cette place."))
        self.loaded.emit()

    def pick(self) -> None:
        row = self.table.current()
        if row is None:
            return
        self.chosen.emit(row.candidate.user_id, self.force.isChecked())
        self.accept()


# --- solving and review -------------------------------------------------------------------------


def _duration(milliseconds: int) -> str:
    if milliseconds < 1000:
        return QCoreApplication.translate("assignment", "{0} ms").format(milliseconds)
    seconds = (Decimal(milliseconds) / 1000).quantize(Decimal("0.1"))
    return QCoreApplication.translate("assignment", "{0} s").format(number(seconds, 1))


def result_rows(result: SessionResult) -> list[ResultRow]:
    """One row per seat: the people on it, then its empty places."""
    rows: list[ResultRow] = []
    for coverage in result.needs:
        for task in coverage.tasks:
            active = 0
            for assignment in task.assignments:
                rows.append(ResultRow(coverage.need, task, assignment))
                active += assignment.status in _ACTIVE
            for _ in range(max(0, task.seats - active)):
                rows.append(ResultRow(coverage.need, task, None, coverage.shortfall))
    return rows


def uncovered(result: SessionResult) -> list[Uncovered]:
    return [
        Uncovered(c.need, c.required - c.placed, c.shortfall or "")
        for c in result.needs
        if c.placed < c.required
    ]


class AffectationTab(QWidget):
    """Signals:
    loaded(): the result and the loads were read.
    solved(object): a run finished (the `SolveResult`; `dry_run` says whether it was kept).
    """

    loaded = Signal()
    solved = Signal(object)

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self.result: SessionResult | None = None
        self.loads: list[PersonLoad] = []
        self.solving = False
        layout = QVBoxLayout(self)

        options = QHBoxLayout()
        half_label = QLabel(self.tr("Demi-journées &max. par personne :"))
        self.max_half_days = QSpinBox()
        self.max_half_days.setRange(1, 40)
        self.max_half_days.setValue(DEFAULT_MAX_HALF_DAYS)
        self.max_half_days.setAccessibleName(self.tr("Demi-journées au plus par personne"))
        half_label.setBuddy(self.max_half_days)
        copies_label = QLabel(self.tr("&Copies max. :"))
        self.max_copies = QSpinBox()
        self.max_copies.setRange(1, 5000)
        self.max_copies.setValue(DEFAULT_MAX_COPIES)
        self.max_copies.setGroupSeparatorShown(True)
        self.max_copies.setAccessibleName(self.tr("Copies au plus par personne"))
        copies_label.setBuddy(self.max_copies)
        self.solve_button = QPushButton(self.tr("&Lancer l'affectation"))
        self.solve_button.setToolTip(
            self.tr(
                "Calcule l'affectation la moins coûteuse puis la plus équilibrée, autour des "
                "affectations verrouillées et convoquées."
            )
        )
        self.solve_button.clicked.connect(lambda: self.solve(dry_run=False))
        self.simulate_button = QPushButton(self.tr("Si&muler"))
        self.simulate_button.setToolTip(
            self.tr("Calcule ce que donneraient ces réglages, sans rien enregistrer.")
        )
        self.simulate_button.clicked.connect(lambda: self.solve(dry_run=True))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Calcul de l'affectation en cours"))
        self.progress.hide()
        self.progress_label = QLabel(self.tr("Calcul en cours…"))
        self.progress_label.hide()
        for widget in (half_label, self.max_half_days, copies_label, self.max_copies):
            options.addWidget(widget)
        options.addSpacing(12)
        options.addWidget(self.solve_button)
        options.addWidget(self.simulate_button)
        options.addWidget(self.progress)
        options.addWidget(self.progress_label)
        options.addStretch(1)
        self.short_only = QCheckBox(self.tr("Besoins &incomplets seulement"))
        self.short_only.toggled.connect(lambda _: self.reload())
        options.addWidget(self.short_only)
        layout.addLayout(options)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.table = Table(result_columns(), name=self.tr("Proposition par besoin"), max_width=280)
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.view.doubleClicked.connect(lambda _: self.reassign_selected())
        top_layout.addWidget(self.table.view, 1)
        actions = QHBoxLayout()
        self.detail = app_style.hint()
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions.addWidget(self.detail, 1)
        self.lock_button = QPushButton(self.tr("&Verrouiller"))
        self.lock_button.clicked.connect(self.toggle_lock)
        self.reassign_button = QPushButton(self.tr("&Réaffecter…"))
        self.reassign_button.clicked.connect(self.reassign_selected)
        self.remove_button = QPushButton(self.tr("Retirer la pr&oposition"))
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.lock_button, self.reassign_button, self.remove_button):
            actions.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        top_layout.addLayout(actions)
        splitter.addWidget(top)

        self.bottom_tabs = QTabWidget()
        self.uncovered = Table(uncovered_columns(), name=self.tr("Besoins non couverts"), stretch=3)
        self.bottom_tabs.addTab(self.uncovered.view, self.tr("Besoins non couverts"))
        loads_page = QWidget()
        loads_layout = QHBoxLayout(loads_page)
        self.loads_table = Table(load_columns(), name=self.tr("Charge par intervenant"), stretch=0)
        loads_layout.addWidget(self.loads_table.view, 1)
        chart_side = QVBoxLayout()
        measure_row = QHBoxLayout()
        measure_label = QLabel(self.tr("&Graphique :"))
        self.measure = QComboBox()
        self.measure.addItem(self.tr("Demi-journées par intervenant"), Measure.HALF_DAYS)
        self.measure.addItem(self.tr("Copies par intervenant"), Measure.COPIES)
        self.measure.setAccessibleName(self.tr("Mesure du graphique des charges"))
        measure_label.setBuddy(self.measure)
        measure_row.addWidget(measure_label)
        measure_row.addWidget(self.measure)
        measure_row.addStretch(1)
        chart_side.addLayout(measure_row)
        self.chart = LoadChart()
        self.measure.currentIndexChanged.connect(
            lambda _: self.chart.set_measure(self.measure.currentData())
        )
        chart_side.addWidget(self.chart, 1)
        loads_layout.addLayout(chart_side, 1)
        self.bottom_tabs.addTab(loads_page, self.tr("Charge par intervenant"))
        splitter.addWidget(self.bottom_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 260])
        layout.addWidget(splitter, 1)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        api, short_only = self.api, self.short_only.isChecked()

        def work() -> tuple[SessionResult, list[PersonLoad]]:
            return api.result(session_id, short_only=short_only), api.loads(session_id)

        self.ctx.runner.run(
            work,
            on_success=self._on_loaded,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="assignment-result",
        )

    def _on_loaded(self, loaded: tuple[SessionResult, list[PersonLoad]]) -> None:
        chosen = self.table.current()
        self.result, self.loads = loaded
        self.table.set_rows(result_rows(self.result))
        if chosen is not None and chosen.assignment is not None:
            chosen_id = chosen.assignment.id
            self.table.select_where(
                lambda r: r.assignment is not None and r.assignment.id == chosen_id
            )
        missing = uncovered(self.result)
        self.uncovered.set_rows(missing)
        self.bottom_tabs.setTabText(0, self.tr("Besoins non couverts ({0})").format(len(missing)))
        self.loads_table.set_rows(self.loads)
        self.chart.set_limits(self.max_half_days.value(), self.max_copies.value())
        self.chart.set_loads(self.loads)
        self.summary.setText(self._summary(self.result))
        self._update_buttons()
        self.loaded.emit()

    def _summary(self, result: SessionResult) -> str:
        if result.run is None:
            return self.tr(
                "Aucune affectation calculée pour cette session : {required} place(s) à pourvoir."
            ).format(required=result.required)
        run = result.run
        text = self.tr(
            "{placed} place(s) pourvue(s) sur {required}, dont {issued} convoquée(s) ; coût "
            "estimé des déplacements {cost} ; {people} intervenant(s) affecté(s). Dernier "
            "calcul en {seconds}."
        ).format(
            placed=result.placed,
            required=result.required,
            issued=result.issued,
            cost=euros(result.expected_cost),
            people=len(self.loads),
            seconds=_duration(run.milliseconds),
        )
        if run.warnings:
            text += "\n" + "\n".join(f"⚠ {w}" for w in run.warnings)
        return text

    # --- solving --------------------------------------------------------------------------

    def options(self, dry_run: bool) -> SolveOptions:
        return SolveOptions(
            max_half_days=self.max_half_days.value(),
            max_copies=self.max_copies.value(),
            dry_run=dry_run,
        )

    def solve(self, dry_run: bool = False) -> None:
        session_id = self.session_id
        if session_id is None or self.solving:
            return
        api, options = self.api, self.options(dry_run)
        self._set_solving(True, dry_run)
        self.ctx.runner.run(
            lambda: api.solve(session_id, options),
            on_success=self._on_solved,
            on_failure=self._on_solve_failed,
            key="solve",
        )

    def _set_solving(self, solving: bool, dry_run: bool = False) -> None:
        self.solving = solving
        self.progress.setVisible(solving)
        self.progress_label.setText(
            self.tr("Simulation en cours…") if dry_run else self.tr("Calcul de l'affectation…")
        )
        self.progress_label.setVisible(solving)
        for widget in (
            self.solve_button,
            self.simulate_button,
            self.max_half_days,
            self.max_copies,
        ):
            widget.setEnabled(not solving)
        self._update_buttons()

    def _on_solved(self, outcome: SolveResult) -> None:
        self._set_solving(False)
        run = outcome.run
        previous = (
            euros(outcome.previous_expected_cost)
            if outcome.previous_expected_cost is not None
            else self.tr("aucun calcul précédent")
        )
        figures = self.tr(
            "{placed} place(s) pourvue(s), {uncovered} non pourvue(s), coût estimé {cost} "
            "(précédent : {previous}), calculé en {seconds}."
        ).format(
            placed=run.placed,
            uncovered=run.uncovered,
            cost=euros(run.expected_cost),
            previous=previous,
            seconds=_duration(run.milliseconds),
        )
        if outcome.dry_run:
            self.bar.info(self.tr("Simulation, rien n'est enregistré : {0}").format(figures))
        elif run.uncovered:
            self.bar.warning(
                self.tr("Affectation calculée : {0} Voir les besoins non couverts.").format(figures)
            )
            self.bottom_tabs.setCurrentIndex(0)
        else:
            self.bar.success(self.tr("Affectation calculée : {0}").format(figures))
        if not outcome.dry_run:
            self.reload()
        self.solved.emit(outcome)

    def _on_solve_failed(self, error: BaseException) -> None:
        self._set_solving(False)
        show_failure(self.ctx, self.bar, error)

    # --- edits ----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        row = self.table.current()
        assignment = row.assignment if row is not None else None
        editable = assignment is not None and assignment.status is AssignmentStatus.PROPOSED
        idle = not self.solving
        self.lock_button.setEnabled(idle and editable)
        self.lock_button.setText(
            self.tr("Dé&verrouiller")
            if assignment and assignment.locked
            else self.tr("&Verrouiller")
        )
        self.reassign_button.setEnabled(
            idle and row is not None and (assignment is None or editable)
        )
        self.reassign_button.setText(
            self.tr("&Pourvoir la place…")
            if row is not None and assignment is None
            else self.tr("&Réaffecter…")
        )
        self.remove_button.setEnabled(idle and editable)
        if row is None:
            self.detail.setText(
                self.tr("Choisissez une ligne pour voir pourquoi cette personne a été retenue.")
            )
        elif assignment is None:
            self.detail.setText(row.shortfall or self.tr("Place non pourvue."))
        else:
            explanation = assignment.explanation
            parts = [explanation.choice, explanation.travel, *explanation.warnings]
            self.detail.setText(" ".join(p for p in parts if p))

    def toggle_lock(self) -> None:
        row = self.table.current()
        if row is None or row.assignment is None:
            return
        assignment, api = row.assignment, self.api
        locked = not assignment.locked

        def done(_: object) -> None:
            self.bar.success(
                (
                    self.tr("Affectation de {0} verrouillée : les prochains calculs la garderont.")
                    if locked
                    else self.tr("Affectation de {0} déverrouillée.")
                ).format(assignment.person_name)
            )
            self.reload()

        self.ctx.runner.run(
            lambda: api.set_locked(assignment.id, locked),
            on_success=done,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="lock",
        )

    def reassign_selected(self) -> CandidatesDialog | None:
        row = self.table.current()
        if row is None or self.solving:
            return None
        assignment = row.assignment
        if assignment is not None and assignment.status is not AssignmentStatus.PROPOSED:
            return None
        title = (
            self.tr("Réaffecter : {0}").format(row.task.label)
            if assignment is not None
            else self.tr("Pourvoir la place : {0}").format(row.task.label)
        )
        dialog = CandidatesDialog(self.ctx, row.need.id, title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda user_id, force: self.give_seat(row, user_id, force))
        dialog.open()
        return dialog

    def give_seat(self, row: ResultRow, user_id: int, force: bool = False) -> None:
        api, assignment = self.api, row.assignment

        def work() -> Any:
            if assignment is None:
                return api.fill_seat(row.need.id, row.task.index, user_id, force)
            return api.reassign(assignment.id, user_id, force)

        def done(placed: Any) -> None:
            self.bar.success(
                self.tr("{person} affecté(e) à « {task} » et verrouillé(e).").format(
                    person=placed.person_name, task=row.task.label
                )
            )
            self.reload()

        self.ctx.runner.run(
            work,
            on_success=done,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="reassign",
        )

    def remove_selected(self) -> None:
        row = self.table.current()
        if row is None or row.assignment is None:
            return
        assignment, api = row.assignment, self.api

        def done(_: object) -> None:
            self.bar.success(
                self.tr("Proposition retirée : {0} n'est plus sur « {1} ».").format(
                    assignment.person_name, row.task.label
                )
            )
            self.reload()

        self.ctx.runner.run(
            lambda: api.remove_assignment(assignment.id),
            on_success=done,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="remove-assignment",
        )


# --- convocations -------------------------------------------------------------------------------


class ConvocationsTab(QWidget):
    """Signals:
    loaded(): the letters and the count of proposals to convene were read.
    issued(object): the `IssueResult` of an issue.
    """

    loaded = Signal()
    issued = Signal(object)

    def __init__(self, ctx: AppContext, bar: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self.to_issue = 0
        self.needs_to_issue = 0
        layout = QVBoxLayout(self)
        layout.addWidget(app_style.section_title(self.tr("Convoquer")))
        row = QHBoxLayout()
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        row.addWidget(self.pending, 1)
        self.issue_button = QPushButton(self.tr("&Convoquer les intervenants proposés…"))
        self.issue_button.clicked.connect(lambda: self.issue())
        row.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(
            app_style.hint(
                self.tr(
                    "Chaque personne convoquée reçoit une convocation, un état de frais préparé "
                    "et une lettre PDF (avec un mot de passe temporaire pour un externe qui ne "
                    "s'est jamais connecté)."
                )
            )
        )
        layout.addWidget(app_style.section_title(self.tr("Lettres de convocation")))
        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("Rec&hercher :"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Rechercher une lettre"))
        search_label.setBuddy(self.search)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.letters = Table(letter_columns(), name=self.tr("Lettres de convocation"), stretch=0)
        self.search.textChanged.connect(self.letters.proxy.set_search)
        self.letters.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.letters.view.doubleClicked.connect(lambda _: self.download_selected())
        layout.addWidget(self.letters.view, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.download_button = QPushButton(self.tr("&Télécharger la lettre (PDF)"))
        self.download_button.clicked.connect(self.download_selected)
        bottom.addWidget(self.download_button)
        layout.addLayout(bottom)
        self._update_buttons()

    def set_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        api = self.api

        def work() -> tuple[SessionResult, list[Letter]]:
            return api.result(session_id), api.session_letters(session_id)

        self.ctx.runner.run(
            work,
            on_success=self._on_loaded,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="convocations",
        )

    def _on_loaded(self, loaded: tuple[SessionResult, list[Letter]]) -> None:
        result, letters = loaded
        self.to_issue = sum(
            1
            for need in result.needs
            for task in need.tasks
            for a in task.assignments
            if a.status is AssignmentStatus.PROPOSED
        )
        self.needs_to_issue = sum(1 for need in result.needs if _has_proposals(need))
        if self.to_issue:
            self.pending.setText(
                self.tr(
                    "{people} proposition(s) à convoquer sur {needs} besoin(s) ; {issued} "
                    "place(s) déjà convoquée(s)."
                ).format(people=self.to_issue, needs=self.needs_to_issue, issued=result.issued)
            )
        else:
            self.pending.setText(
                self.tr("Aucune proposition à convoquer ; {issued} place(s) convoquée(s).").format(
                    issued=result.issued
                )
            )
        self.letters.set_rows(sorted(letters, key=lambda letter: letter.created_at, reverse=True))
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self) -> None:
        self.issue_button.setEnabled(self.to_issue > 0)
        self.download_button.setEnabled(self.letters.current() is not None)

    def issue(self, confirmed: bool = False) -> None:
        session_id = self.session_id
        if session_id is None or not self.to_issue:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                self.tr("Convoquer"),
                self.tr(
                    "Convoquer maintenant {people} intervenant(s) sur {needs} besoin(s) ? Les "
                    "convocations, les états de frais et les lettres seront créés ; une "
                    "convocation émise ne se retire que par un remplacement."
                ).format(people=self.to_issue, needs=self.needs_to_issue),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        api = self.api
        self.issue_button.setEnabled(False)
        self.ctx.runner.run(
            lambda: api.issue(session_id),
            on_success=self._on_issued,
            on_failure=self._on_issue_failed,
            key="issue",
        )

    def _on_issued(self, outcome: IssueResult) -> None:
        text = self.tr(
            "Convocations émises : {issued} affectation(s), {missions} mission(s) créée(s), "
            "{convocations} convocation(s) et {statements} état(s) de frais, {letters} "
            "lettre(s)."
        ).format(
            issued=outcome.issued,
            missions=outcome.missions_created,
            convocations=outcome.convocations_created,
            statements=outcome.statements_created,
            letters=len(outcome.letters),
        )
        if outcome.activated_accounts:
            text += " " + self.tr("Mot de passe temporaire imprimé sur la lettre de : {0}.").format(
                ", ".join(outcome.activated_accounts)
            )
        self.bar.success(text)
        self.issued.emit(outcome)
        self.reload()

    def _on_issue_failed(self, error: BaseException) -> None:
        show_failure(self.ctx, self.bar, error)
        self._update_buttons()

    def download_selected(self) -> None:
        letter = self.letters.current()
        if letter is not None:
            download_letter(self.ctx, self.bar, letter.id)


def _has_proposals(need: NeedCoverage) -> bool:
    return any(a.status is AssignmentStatus.PROPOSED for t in need.tasks for a in t.assignments)


# --- the workspace ------------------------------------------------------------------------------


class AssignmentWorkspace(QWidget):
    """The DEC's assignment of a session, tab by tab.

    Signals:
        sessions_loaded(): the sessions were read and the first one chosen.
        page_changed(): another tab is shown (the help pane follows).
    """

    sessions_loaded = Signal()
    page_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        from client.ui.assignment.replacements import WithdrawalsTab

        super().__init__(parent)
        self.ctx = ctx
        self.api = assignment_api(ctx)
        self.setObjectName("assignmentWorkspace")
        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        header = QHBoxLayout()
        header.addWidget(app_style.page_title(self.tr("Affectation des intervenants")), 1)
        session_label = QLabel(self.tr("&Session :"))
        self.session = QComboBox()
        self.session.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.session.setAccessibleName(self.tr("Session d'examen"))
        session_label.setBuddy(self.session)
        self.session.currentIndexChanged.connect(lambda _: self._on_session_changed())
        header.addWidget(session_label)
        header.addWidget(self.session)
        layout.addLayout(header)
        self.bar = MessageBar()
        layout.addWidget(self.bar)
        self.tabs = QTabWidget()
        self.competences = CompetencesTab(ctx, self.bar)
        self.needs = NeedsTab(ctx, self.bar)
        self.affectation = AffectationTab(ctx, self.bar)
        self.convocations = ConvocationsTab(ctx, self.bar)
        self.withdrawals = WithdrawalsTab(ctx, self.bar)
        self.tabs.addTab(self.competences, self.tr("Compétences à valider"))
        self.tabs.addTab(self.needs, self.tr("Besoins"))
        self.tabs.addTab(self.affectation, self.tr("Affectation"))
        self.tabs.addTab(self.convocations, self.tr("Convocations"))
        self.tabs.addTab(self.withdrawals, self.tr("Désistements"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)
        # Whatever changes the proposal shows in the tabs read after it.
        self.needs.changed.connect(self.affectation.reload)
        self.convocations.issued.connect(lambda _: self.affectation.reload())
        self.withdrawals.replaced.connect(lambda _: self.convocations.reload())

    # --- workspace protocol ---------------------------------------------------------------

    def start(self) -> None:
        api = self.api
        self.ctx.runner.run(
            api.sessions,
            on_success=self._on_sessions,
            on_failure=lambda error: show_failure(self.ctx, self.bar, error),
            key="assignment-sessions",
        )

    def refresh(self) -> None:
        tab = self.tabs.currentWidget()
        reload = getattr(tab, "reload", None)
        if reload is not None:
            reload()

    def maybe_close(self) -> bool:
        return True

    @property
    def session_id(self) -> int | None:
        value = self.session.currentData()
        return int(value) if value is not None else None

    def _on_sessions(self, sessions: list[ExamSessionRef]) -> None:
        self.session.blockSignals(True)
        self.session.clear()
        for each in sessions:
            self.session.addItem(f"{each.name} ({each.code})", each.id)
        self.session.blockSignals(False)
        if not sessions:
            self.bar.info(self.tr("Aucune session d'examen n'est définie."))
        self._on_session_changed()
        self.sessions_loaded.emit()

    def _on_session_changed(self) -> None:
        session_id = self.session_id
        for tab in (
            self.competences,
            self.needs,
            self.affectation,
            self.convocations,
            self.withdrawals,
        ):
            tab.session_id = session_id
        self.refresh()

    def _on_tab_changed(self, _: int) -> None:
        self.refresh()
        self.page_changed.emit()
