"""The intervenant's declarations for the assignment: the papers they can examine, the periods
they are unavailable, the missions they were assigned (and can withdraw from before the day),
and their convocation letters.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.api.assignment_models import (
    AssignmentStatus,
    Competence,
    CompetenceStatus,
    MyAssignment,
    PaperChoice,
    Unavailability,
    UnavailabilityIn,
)
from client.api.models import HalfDay
from client.ui import app_style
from client.ui.assignment.common import Table, assignment_api, download_letter
from client.ui.context import AppContext
from client.ui.errors import field_messages, message_for
from client.ui.models.assignment_tables import (
    my_assignment_columns,
    my_competence_columns,
    my_letter_columns,
    paper_columns,
    unavailability_columns,
)
from client.ui.ops import Op
from client.ui.widgets import MessageBar

log = logging.getLogger(__name__)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _half_day_box(default: HalfDay, name: str) -> QComboBox:
    box = QComboBox()
    box.addItem(box.tr("matin"), HalfDay.MORNING)
    box.addItem(box.tr("après-midi"), HalfDay.AFTERNOON)
    box.setCurrentIndex(0 if default is HalfDay.MORNING else 1)
    box.setAccessibleName(name)
    return box


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate.currentDate())
    edit.setAccessibleName(name)
    return edit


class WithdrawDialog(QDialog):
    """Asks for the reason of a withdrawal and confirms it."""

    def __init__(self, mission: MyAssignment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Je ne pourrai pas assurer cette mission"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "Vous allez signaler à la DEC que vous ne pourrez pas assurer la mission "
                "« {title} », {slot}. La DEC convoquera une autre personne ; cette déclaration "
                "ne peut pas être annulée depuis IMAG'IN."
            ).format(title=mission.title, slot=mission.slot)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        label = QLabel(self.tr("&Motif (facultatif, transmis à la DEC) :"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Motif du désistement"))
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        confirm = buttons.addButton(
            self.tr("&Confirmer le désistement"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        confirm.setDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class DeclarationsPage(QWidget):
    """Signals:
    loaded(): every list was read from the server.
    changed(): a declaration was added, removed or a withdrawal sent.
    """

    loaded = Signal()
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("helpTopic", "declarations")
        self.ctx = ctx
        self.api = assignment_api(ctx)
        self._papers: list[PaperChoice] = []
        self._pending_loads = 0
        self.setObjectName("assignmentDeclarations")

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(app_style.page_title(self.tr("Mes déclarations pour les jurys")))
        layout.addWidget(
            app_style.page_subtitle(
                self.tr(
                    "Déclarez les épreuves que vous pouvez corriger ou interroger et vos périodes "
                    "d'indisponibilité : la DEC en tient compte pour vous convoquer."
                )
            )
        )
        self.bar = MessageBar()
        self.bar.action_triggered.connect(self.refresh)
        layout.addWidget(self.bar)
        self.tabs = QTabWidget()
        for tab, title, topic in (
            (self._competences_tab(), self.tr("&Compétences"), "declarations.competences"),
            (
                self._unavailability_tab(),
                self.tr("&Indisponibilités"),
                "declarations.unavailability",
            ),
            (
                self._missions_tab(),
                self.tr("&Missions et convocations"),
                "declarations.missions",
            ),
        ):
            tab.setProperty("helpTopic", topic)
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    # --- construction ---------------------------------------------------------------------

    def _competences_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(app_style.section_title(self.tr("Épreuves proposées")))
        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("&Rechercher :"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Code, intitulé, examen…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Rechercher une épreuve"))
        search_label.setBuddy(self.search)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.papers = Table(paper_columns(), name=self.tr("Épreuves proposées"), stretch=1)
        self.search.textChanged.connect(self.papers.proxy.set_search)
        layout.addWidget(self.papers.view, 3)
        declare_row = QHBoxLayout()
        subject_label = QLabel(self.tr("&Enseignement assuré (facultatif) :"))
        self.subject = QLineEdit()
        self.subject.setMaxLength(200)
        self.subject.setPlaceholderText(self.tr("par exemple : mathématiques en LP"))
        self.subject.setAccessibleName(self.tr("Enseignement assuré"))
        subject_label.setBuddy(self.subject)
        self.declare_button = QPushButton(self.tr("&Déclarer cette compétence"))
        self.declare_button.clicked.connect(self.declare_selected)
        declare_row.addWidget(subject_label)
        declare_row.addWidget(self.subject, 1)
        declare_row.addWidget(self.declare_button)
        layout.addLayout(declare_row)

        layout.addWidget(app_style.section_title(self.tr("Mes compétences déclarées")))
        self.competences = Table(
            my_competence_columns(), name=self.tr("Mes compétences déclarées"), stretch=0
        )
        layout.addWidget(self.competences.view, 2)
        row = QHBoxLayout()
        self.competence_hint = app_style.hint()
        self.withdraw_competence_button = QPushButton(self.tr("Re&tirer la déclaration"))
        self.withdraw_competence_button.clicked.connect(self.withdraw_selected_competence)
        row.addWidget(self.competence_hint, 1)
        row.addWidget(self.withdraw_competence_button)
        layout.addLayout(row)
        self.papers.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.papers.view.doubleClicked.connect(lambda _: self.declare_selected())
        self.competences.view.selectionModel().selectionChanged.connect(self._update_buttons)
        return tab

    def _unavailability_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(app_style.section_title(self.tr("Déclarer une indisponibilité")))
        form = QGridLayout()
        self.start_date = _date_edit(self.tr("Début de l'indisponibilité"))
        self.start_half = _half_day_box(HalfDay.MORNING, self.tr("Demi-journée de début"))
        self.end_date = _date_edit(self.tr("Fin de l'indisponibilité"))
        self.end_half = _half_day_box(HalfDay.AFTERNOON, self.tr("Demi-journée de fin"))
        self.start_date.dateChanged.connect(self._follow_start)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("par exemple : conseil de classe"))
        self.reason.setAccessibleName(self.tr("Motif de l'indisponibilité"))
        start_label = QLabel(self.tr("D&u :"))
        start_label.setBuddy(self.start_date)
        end_label = QLabel(self.tr("&Au :"))
        end_label.setBuddy(self.end_date)
        reason_label = QLabel(self.tr("M&otif (facultatif) :"))
        reason_label.setBuddy(self.reason)
        form.addWidget(start_label, 0, 0)
        form.addWidget(self.start_date, 0, 1)
        form.addWidget(self.start_half, 0, 2)
        form.addWidget(end_label, 0, 3)
        form.addWidget(self.end_date, 0, 4)
        form.addWidget(self.end_half, 0, 5)
        form.addWidget(reason_label, 1, 0)
        form.addWidget(self.reason, 1, 1, 1, 5)
        form.setColumnStretch(6, 1)
        layout.addLayout(form)
        self.period_error = app_style.field_error()
        layout.addWidget(self.period_error)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        self.add_period_button = QPushButton(self.tr("Ajouter l'indis&ponibilité"))
        self.add_period_button.clicked.connect(self.add_unavailability)
        add_row.addWidget(self.add_period_button)
        layout.addLayout(add_row)
        layout.addWidget(app_style.section_title(self.tr("Mes indisponibilités")))
        self.unavailabilities = Table(
            unavailability_columns(),
            name=self.tr("Mes indisponibilités"),
            stretch=1,
            max_width=640,
        )
        self.unavailabilities.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.unavailabilities.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.remove_period_button = QPushButton(self.tr("&Supprimer l'indisponibilité"))
        self.remove_period_button.clicked.connect(self.remove_selected_unavailability)
        row.addWidget(self.remove_period_button)
        layout.addLayout(row)
        return tab

    def _missions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            app_style.section_title(self.tr("Missions auxquelles vous êtes affecté(e)"))
        )
        self.assignments = Table(
            my_assignment_columns(), name=self.tr("Mes missions affectées"), stretch=0
        )
        self.assignments.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.assignments.view, 1)
        row = QHBoxLayout()
        row.addWidget(
            app_style.hint(
                self.tr(
                    "Si vous ne pouvez pas assurer une mission, dites-le avant le jour : "
                    "la DEC convoquera quelqu'un d'autre."
                )
            ),
            1,
        )
        self.withdraw_button = QPushButton(self.tr("&Je ne pourrai pas assurer cette mission…"))
        self.withdraw_button.clicked.connect(self.ask_withdrawal)
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        layout.addWidget(app_style.section_title(self.tr("Mes lettres de convocation")))
        self.letters = Table(
            my_letter_columns(), name=self.tr("Mes lettres de convocation"), stretch=0
        )
        self.letters.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.letters.view.doubleClicked.connect(lambda _: self.download_selected_letter())
        layout.addWidget(self.letters.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.download_button = QPushButton(self.tr("&Télécharger la convocation (PDF)"))
        self.download_button.clicked.connect(self.download_selected_letter)
        row.addWidget(self.download_button)
        layout.addLayout(row)
        return tab

    # --- workspace protocol -----------------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def maybe_close(self) -> bool:
        return True

    def refresh(self) -> None:
        api = self.api
        self._pending_loads = 5
        self._load(api.papers, self._on_papers, "papers")
        self._load(api.my_competences, self._on_competences, "competences")
        self._load(api.my_unavailabilities, self.unavailabilities.set_rows, "unavailabilities")
        self._load(api.my_assignments, self.assignments.set_rows, "assignments")
        self._load(api.my_letters, self.letters.set_rows, "letters")

    def _load(self, fn: Any, on_rows: Any, key: str) -> None:
        def done(rows: Any) -> None:
            on_rows(rows)
            self._update_buttons()
            self._pending_loads -= 1
            if self._pending_loads == 0:
                self.loaded.emit()

        def failed(error: BaseException) -> None:
            self._pending_loads -= 1
            self.bar.error(message_for(error), action=self.tr("&Réessayer"))

        Op(self, fn, latest=f"declarations-{key}").on_success(done).on_failure(failed).run(
            self.ctx.runner
        )

    # --- competences ----------------------------------------------------------------------

    def _on_papers(self, papers: list[PaperChoice]) -> None:
        self._papers = papers
        self._show_offered()

    def _on_competences(self, competences: list[Competence]) -> None:
        self.competences.set_rows(competences)
        self._show_offered()
        pending = sum(c.status is CompetenceStatus.PENDING for c in competences)
        self.competence_hint.setText(
            self.tr("{0} déclaration(s) en attente de validation.").format(pending)
            if pending
            else ""
        )

    def _show_offered(self) -> None:
        declared = {c.paper_id for c in self.competences.model.rows()}
        self.papers.set_rows([p for p in self._papers if p.id not in declared])

    def declare_selected(self) -> None:
        paper = self.papers.current()
        if paper is None:
            self.bar.info(self.tr("Choisissez d'abord une épreuve dans la liste."))
            return
        subject = self.subject.text().strip() or None
        self.declare_button.setEnabled(False)

        def done(competence: Competence) -> None:
            self.competences.set_rows([*self.competences.model.rows(), competence])
            self._on_competences(self.competences.model.rows())
            self.subject.clear()
            self.bar.success(
                self.tr(
                    "Compétence déclarée pour l'épreuve {code} : elle est en attente de validation."
                ).format(code=competence.paper_code)
            )
            self._update_buttons()
            self.changed.emit()

        Op(
            self,
            lambda: self.api.declare_competence(paper.id, subject),
            latest="declare-competence",
        ).on_success(done).on_failure(self._failed).run(self.ctx.runner)

    def withdraw_selected_competence(self) -> None:
        competence = self.competences.current()
        if competence is None:
            return

        def done(_: object) -> None:
            rows = [c for c in self.competences.model.rows() if c.id != competence.id]
            self._on_competences(rows)
            self.bar.success(
                self.tr("Déclaration retirée pour l'épreuve {code}.").format(
                    code=competence.paper_code
                )
            )
            self._update_buttons()
            self.changed.emit()

        Op(
            self, lambda: self.api.withdraw_competence(competence.id), latest="withdraw-competence"
        ).on_success(done).on_failure(self._failed).run(self.ctx.runner)

    # --- unavailability -------------------------------------------------------------------

    def _follow_start(self, start: QDate) -> None:
        if self.end_date.date() < start:
            self.end_date.setDate(start)

    def period(self) -> UnavailabilityIn:
        return UnavailabilityIn(
            start_date=self.start_date.date().toPython(),
            start_half_day=HalfDay(self.start_half.currentData()),
            end_date=self.end_date.date().toPython(),
            end_half_day=HalfDay(self.end_half.currentData()),
            reason=self.reason.text().strip() or None,
        )

    def set_period(
        self,
        start: dt.date,
        start_half: HalfDay,
        end: dt.date,
        end_half: HalfDay,
        reason: str = "",
    ) -> None:
        self.start_date.setDate(_qdate(start))
        self.start_half.setCurrentIndex(self.start_half.findData(start_half))
        self.end_date.setDate(_qdate(end))
        self.end_half.setCurrentIndex(self.end_half.findData(end_half))
        self.reason.setText(reason)

    def add_unavailability(self) -> None:
        period = self.period()
        if (period.end_date, period.end_half_day) < (period.start_date, period.start_half_day):
            app_style.show_field_error(
                self.period_error, self.tr("La fin de l'indisponibilité précède son début.")
            )
            self.end_date.setFocus()
            return
        app_style.show_field_error(self.period_error, None)
        self.add_period_button.setEnabled(False)

        def done(row: Unavailability) -> None:
            self.unavailabilities.set_rows([*self.unavailabilities.model.rows(), row])
            self.reason.clear()
            self.bar.success(self.tr("Indisponibilité enregistrée : {0}.").format(row.label))
            self._update_buttons()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            fields = field_messages(error)
            if fields:
                app_style.show_field_error(self.period_error, " ".join(fields.values()))
            self._failed(error)

        Op(
            self, lambda: self.api.declare_unavailability(period), latest="declare-unavailability"
        ).on_success(done).on_failure(failed).run(self.ctx.runner)

    def remove_selected_unavailability(self) -> None:
        row = self.unavailabilities.current()
        if row is None:
            return

        def done(_: object) -> None:
            rest = [u for u in self.unavailabilities.model.rows() if u.id != row.id]
            self.unavailabilities.set_rows(rest)
            self.bar.success(self.tr("Indisponibilité supprimée : {0}.").format(row.label))
            self._update_buttons()
            self.changed.emit()

        Op(
            self, lambda: self.api.remove_unavailability(row.id), latest="remove-unavailability"
        ).on_success(done).on_failure(self._failed).run(self.ctx.runner)

    # --- missions and letters -------------------------------------------------------------

    def ask_withdrawal(self) -> None:
        mission = self.assignments.current()
        if mission is None or mission.status is not AssignmentStatus.ISSUED:
            return
        dialog = WithdrawDialog(mission, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.withdraw(mission, dialog.reason_text()))
        dialog.open()

    def withdraw(self, mission: MyAssignment, reason: str | None) -> None:
        self.withdraw_button.setEnabled(False)

        def done(updated: MyAssignment) -> None:
            rows = [updated if a.id == updated.id else a for a in self.assignments.model.rows()]
            self.assignments.set_rows(rows)
            self.bar.success(
                self.tr("Votre désistement est transmis à la DEC pour « {title} », {slot}.").format(
                    title=updated.title, slot=updated.slot
                )
            )
            self._update_buttons()
            self.changed.emit()

        Op(
            self, lambda: self.api.withdraw(mission.id, reason or None), latest="withdraw"
        ).on_success(done).on_failure(self._failed).run(self.ctx.runner)

    def download_selected_letter(self) -> None:
        letter = self.letters.current()
        if letter is not None:
            download_letter(self.ctx, self.bar, letter.id)

    # --- state ----------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        self.bar.error(message_for(error))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.declare_button.setEnabled(self.papers.current() is not None)
        self.withdraw_competence_button.setEnabled(self.competences.current() is not None)
        self.add_period_button.setEnabled(True)
        self.remove_period_button.setEnabled(self.unavailabilities.current() is not None)
        mission = self.assignments.current()
        self.withdraw_button.setEnabled(
            mission is not None and mission.status is AssignmentStatus.ISSUED
        )
        self.download_button.setEnabled(self.letters.current() is not None)


__all__ = ["DeclarationsPage", "WithdrawDialog"]
