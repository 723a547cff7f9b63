"""The solver's proposal and its review: running the solver (or a dry run), the needs'
coverage, each person's load, the uncovered seats, explanations, locks and changes by hand.

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
    QHBoxLayout,
    QLabel,
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
    PersonLoad,
    SessionResult,
    SolveDefaults,
    SolveOptions,
    SolveResult,
)
from client.formatting import euros, number
from client.ui import app_style
from client.ui.assignment.candidates import CandidatesDialog
from client.ui.assignment.common import Table, assignment_api
from client.ui.assignment.load_chart import LoadChart, Measure
from client.ui.context import AppContext
from client.ui.errors import message_for
from client.ui.models.assignment_tables import (
    ResultRow,
    Uncovered,
    load_columns,
    result_columns,
    uncovered_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)

_ACTIVE = (AssignmentStatus.PROPOSED, AssignmentStatus.ISSUED)


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
        self.setProperty("helpTopic", "assignment.affectation")
        self.ctx = ctx
        self.bar = bar
        self.api = assignment_api(ctx)
        self.session_id: int | None = None
        self._limits_of: int | None = None  # the session whose limits are shown
        self.result: SessionResult | None = None
        self.loads: list[PersonLoad] = []
        self.solving = False
        layout = QVBoxLayout(self)

        options = QHBoxLayout()
        half_label = QLabel(self.tr("Demi-journées &max. par personne :"))
        self.max_half_days = QSpinBox()
        self.max_half_days.setRange(1, 40)
        # Empty until the server says what the next solve takes (the last run's limits).
        self.max_half_days.setEnabled(False)
        self.max_half_days.setAccessibleName(self.tr("Demi-journées au plus par personne"))
        half_label.setBuddy(self.max_half_days)
        copies_label = QLabel(self.tr("&Copies max. :"))
        self.max_copies = QSpinBox()
        self.max_copies.setRange(1, 5000)
        self.max_copies.setEnabled(False)
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
        self._limits_of = None
        self.reload()

    def reload(self) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        api, short_only = self.api, self.short_only.isChecked()
        # The limits shown are the server's for the session, read once: what the person then
        # types stays until another session is chosen.
        want_limits = self._limits_of != session_id

        def work() -> tuple[SessionResult, list[PersonLoad], SolveDefaults | None]:
            limits = api.solve_defaults(session_id) if want_limits else None
            return api.result(session_id, short_only=short_only), api.loads(session_id), limits

        Op(self, work, bar=self.bar, latest="assignment-result").on_success(self._on_loaded).run(
            self.ctx.runner
        )

    def _on_loaded(
        self, loaded: tuple[SessionResult, list[PersonLoad], SolveDefaults | None]
    ) -> None:
        chosen = self.table.current()
        self.result, self.loads, limits = loaded
        if limits is not None:
            self._limits_of = self.result.session_id
            self.max_half_days.setValue(limits.max_half_days)
            self.max_copies.setValue(limits.max_copies)
            self.max_half_days.setEnabled(True)
            self.max_copies.setEnabled(True)
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
        known = self._limits_of is not None  # else the server takes the last run's
        return SolveOptions(
            max_half_days=self.max_half_days.value() if known else None,
            max_copies=self.max_copies.value() if known else None,
            dry_run=dry_run,
        )

    def solve(self, dry_run: bool = False) -> None:
        session_id = self.session_id
        if session_id is None or self.solving:
            return
        api, options = self.api, self.options(dry_run)
        self._set_solving(True, dry_run)
        Op(self, lambda: api.solve(session_id, options), latest="solve").on_success(
            self._on_solved
        ).on_failure(self._on_solve_failed).run(self.ctx.runner)

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
        self.bar.error(message_for(error))

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

        Op(
            self, lambda: api.set_locked(assignment.id, locked), bar=self.bar, latest="lock"
        ).on_success(done).run(self.ctx.runner)

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

        Op(self, work, bar=self.bar, latest="reassign").on_success(done).run(self.ctx.runner)

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

        Op(
            self,
            lambda: api.remove_assignment(assignment.id),
            bar=self.bar,
            latest="remove-assignment",
        ).on_success(done).run(self.ctx.runner)
