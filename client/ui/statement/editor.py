"""The guided expense-statement editor: Service fait, Déplacement, Repas et nuitées,
Récapitulatif, and the only three buttons the users know: Retour, Enregistrer, Valider.

The server computes every amount: each edit asks it for a preview (debounced, stale answers
dropped) and the totals strip, the problems and the recap show its answer as it is.

Nothing typed is ever lost: the editing session (`client.ui.statement.session`) writes each
edit to a local draft, a failed save keeps the draft and the unsaved state, and a draft the
server does not have is offered again when the statement is reopened. The editor holds the
layout, the pages, the questions to the person and what is shown; the session holds the state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from client.api import errors
from client.api.documents import DocumentsApi
from client.api.models import (
    Computation,
    Entry,
    Pledge,
    Preview,
    Proposals,
    Statement,
    Status,
    Warning,
)
from client.attachments import AttachmentNotes
from client.drafts import Draft, DraftStore
from client.formatting import date_fr, deadline_fr, euros, period, plural
from client.pdf.recap import Attachments
from client.recaps import write_recap
from client.ui import app_style
from client.ui.documents.panel import DocumentsPanel
from client.ui.errors import field_messages, message_for
from client.ui.ops import Op
from client.ui.statement import dialogs
from client.ui.statement.fields import Slot, find_slot, set_topic, typed_problems
from client.ui.statement.meals import MealsNightsPage
from client.ui.statement.page import StepPage
from client.ui.statement.recap import RecapPage
from client.ui.statement.service import ServicePage
from client.ui.statement.session import EditingSession
from client.ui.statement.steps import Step, StepHeader
from client.ui.statement.travel import TravelPage
from client.ui.tasks import TaskRunner
from client.ui.widgets import Level, MessageBar

log = logging.getLogger(__name__)

PAGES: dict[Step, type[StepPage]] = {
    Step.SERVICE: ServicePage,
    Step.TRAVEL: TravelPage,
    Step.MEALS_NIGHTS: MealsNightsPage,
    Step.RECAP: RecapPage,
}


def open_with_system(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


def steps_of(statement: Statement) -> list[Step]:
    """The steps that concern the mission: no travel pages when travel is not reimbursed."""
    steps = [Step.SERVICE]
    if statement.mission.travel_reimbursable:
        steps += [Step.TRAVEL, Step.MEALS_NIGHTS]
    return [*steps, Step.RECAP]


class StatementEditor(QWidget):
    """Signals:
    closed(): the person left the editor (Retour on the first page, or after « Enregistrer »
        in the closing question). The host removes the editor.
    statement_changed(object): the server's `Statement` after a save or a validation.
    """

    closed = Signal()
    statement_changed = Signal(object)

    def __init__(
        self,
        api: Any,
        runner: TaskRunner,
        drafts: DraftStore,
        statement_id: int,
        parent: QWidget | None = None,
        *,
        recaps_folder: Path | None = None,
        open_url: Callable[[QUrl], bool] | None = None,
        statement: Statement | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.runner = runner
        self.drafts = drafts
        self.statement_id = statement_id
        self.recaps_folder = recaps_folder or drafts.folder.parent / "recaps"
        self.open_url = open_url or open_with_system
        # The statement the previous screen holds is shown without reading it again.
        self.session = EditingSession(api, runner, drafts, statement_id, self, given=statement)
        self._computation: Computation | None = None
        self._proposals: Proposals | None = None
        # The boxes ticked in the validation dialog, sent with "Valider".
        self._ticked: dict[str, bool] = {}
        self._pages: dict[Step, StepPage] = {}
        self._steps: list[Step] = []
        # The pages are made one per turn of the event loop once the first shows; until the
        # last is made, the statement and entry they are to show, and whether the first
        # preview waits for them.
        self._statement_shown: Statement | None = None
        self._entry_shown: Entry | None = None
        self._preview_waits = False
        self._current = Step.SERVICE
        self._slots: dict[str, Slot] = {}
        self._problems: dict[str, str] = {}
        self._marked: list[Slot] = []
        self._read_only = True
        self._filling = False
        # What to do again once the person chose their version after a stale save/validation.
        self._again: Callable[[], None] | None = None
        # Where to go and what to do once the save on its way is through: (advance, then).
        self._after_save: tuple[bool, Callable[[], None] | None] = (False, None)
        self._retry: Callable[[], None] | None = None
        # The files given for each required document (on the recap step), once loaded.
        self._documents: DocumentsPanel | None = None

        set_topic(self, "statement")
        self.setObjectName("statementEditor")
        self._build()
        self._connect_session()
        self.session.load()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = app_style.page_title(self.tr("État de frais"))
        self.subtitle = app_style.page_subtitle("")
        self.status = QLabel()
        self.status.setObjectName("statusChip")
        self.status.setStyleSheet(
            "#statusChip { border: 1px solid #c9d1da; border-radius: 10px; padding: 3px 10px;"
            " background: palette(base); }"
        )
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline = app_style.hint()
        self.deadline.setObjectName("deadline")
        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        titles.addWidget(self.deadline)
        heading.addLayout(titles, 1)
        heading.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)

        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "#readOnlyBanner { background: #e8f0fe; color: #1a4d8f; border: 1px solid #1a4d8f;"
            " border-radius: 4px; padding: 8px; }"
        )
        self.banner.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.banner.hide()

        self.steps = StepHeader()
        self.steps.step_chosen.connect(self._on_step_chosen)
        self.messages = MessageBar()
        self.messages.action_triggered.connect(self._on_retry)

        self.summary = QLabel()
        self.summary.setObjectName("problemSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.summary.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.summary.setStyleSheet(
            f"#problemSummary {{ color: {app_style.ERROR_COLOUR}; background: #fdecea;"
            f" border: 1px solid {app_style.ERROR_COLOUR}; border-radius: 4px; padding: 6px; }}"
        )
        self.summary.linkActivated.connect(self._on_problem_link)
        self.summary.hide()
        # What the DEC will check once validated (the server's anomaly rules on this entry).
        self.warnings_box = QLabel()
        self.warnings_box.setObjectName("warningSummary")
        self.warnings_box.setWordWrap(True)
        self.warnings_box.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_box.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.warnings_box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.warnings_box.setStyleSheet(dialogs.WARNING_STYLE)
        self.warnings_box.linkActivated.connect(self._on_problem_link)
        self.warnings_box.hide()
        self._warnings: list[Warning] = []

        self.stack = QStackedWidget()
        self.loading = QLabel(self.tr("Chargement de l'état de frais…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)

        self.totals = QLabel()
        self.totals.setObjectName("totalsStrip")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals_state = app_style.hint()
        strip = QFrame()
        strip.setObjectName("card")
        set_topic(strip, "statement.recap")
        strip_layout = QHBoxLayout(strip)
        strip_layout.addWidget(self.totals_state, 1)
        strip_layout.addWidget(self.totals)
        font = self.totals.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.totals.setFont(font)

        self.back = QPushButton(self.tr("&Retour"))
        self.save_button = QPushButton(self.tr("&Enregistrer"))
        self.validate_button = QPushButton(self.tr("&Valider"))
        self.back.setAccessibleName(self.tr("Retour"))
        self.back.setAccessibleDescription(self.tr("Revenir à l'étape précédente."))
        self.save_button.setAccessibleName(self.tr("Enregistrer"))
        self.save_button.setAccessibleDescription(
            self.tr("Enregistrer la saisie sur le serveur et passer à l'étape suivante.")
        )
        self.validate_button.setAccessibleName(self.tr("Valider"))
        self.validate_button.setAccessibleDescription(
            self.tr("Valider définitivement l'état de frais et le transmettre au service.")
        )
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.back.clicked.connect(self._on_back)
        self.save_button.clicked.connect(lambda: self.save(advance=True))
        self.validate_button.clicked.connect(self._on_validate)
        buttons = QWidget()
        set_topic(buttons, "statement.buttons")
        for button in (self.back, self.save_button, self.validate_button):
            set_topic(button, "statement.buttons")
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(self.validate_button)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(lambda: self.save(advance=False))

        column = QVBoxLayout(self)
        column.addLayout(heading)
        column.addWidget(self.banner)
        column.addWidget(self.steps)
        column.addWidget(self.messages)
        column.addWidget(self.summary)
        column.addWidget(self.warnings_box)
        column.addWidget(self.stack, 1)
        column.addWidget(strip)
        column.addWidget(buttons)
        self._update_buttons()

    # --- public ---------------------------------------------------------------------------

    @property
    def statement(self) -> Statement | None:
        """The statement as the server last answered it."""
        return self.session.statement

    @property
    def current_step(self) -> Step:
        return self._current

    @property
    def read_only(self) -> bool:
        return self._read_only

    def page(self, step: Step) -> StepPage:
        self._make_every_page()
        return self._pages[step]

    @property
    def documents(self) -> DocumentsPanel | None:
        """The files given for each required document (on the recap step), once loaded."""
        self._make_every_page()
        return self._documents

    def has_unsaved_changes(self) -> bool:
        return self.session.dirty

    def entry(self) -> Entry:
        """What the pages show, as it would be sent."""
        return self._collect()[0]

    def maybe_close(self) -> bool:
        """Whether the editor may close now. With unsaved changes it asks; « Enregistrer »
        saves and then emits `closed` (so this returns False). The local draft stays unless
        the person chose to discard it."""
        if not self.session.dirty or self._read_only:
            return True
        choice = dialogs.ask_close(self)
        if choice is dialogs.CloseChoice.SAVE:
            self.save(advance=False, then=self.closed.emit)
            return False
        if choice is dialogs.CloseChoice.DISCARD:
            self.session.stop_previews()
            return True
        return False

    def go_to(self, step: Step, focus: bool = True) -> None:
        if step not in self._steps:
            return
        self._make_every_page()
        self._current = step
        self.session.page = int(step)
        page = self._pages[step]
        self.stack.setCurrentWidget(page)
        self.steps.set_current(step)
        self._update_buttons()
        if focus:
            target = page.first_field()
            if target is not None and target.isEnabled():
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- loading --------------------------------------------------------------------------

    def _connect_session(self) -> None:
        session = self.session
        session.loaded.connect(self._on_loaded)
        session.load_failed.connect(self._on_load_failed)
        session.previewing.connect(self._on_previewing)
        session.preview_blocked.connect(self._on_preview_blocked)
        session.previewed.connect(self._on_preview)
        session.preview_failed.connect(self._on_preview_failed)
        session.saved.connect(self._on_saved)
        session.save_failed.connect(self._on_save_failed)
        session.stale.connect(self._on_stale)
        session.validated.connect(self._on_validated)
        session.validate_failed.connect(self._on_validate_failed)
        session.refreshed.connect(self._show_header)
        session.replaced.connect(self._on_replaced)
        session.draft_failed.connect(self._on_draft_failed)

    def _on_load_failed(self, error: BaseException) -> None:
        self.loading.setText(self.tr("L'état de frais n'a pas pu être chargé."))
        self._retry = self.session.load
        self.messages.error(message_for(error), self.tr("Réessayer"))

    def _on_loaded(self, statement: Statement, draft: Draft | None) -> None:
        self.messages.hide()
        self._show_statement(statement, statement.entry)
        if draft is None or self._read_only:
            return
        if dialogs.ask_resume(self, draft.saved_at):
            # Saved over the version it was typed on: if the server moved on since, the save
            # says so and the person chooses.
            self._fill(draft.entry)
            try:
                page = Step(draft.page)
            except ValueError:
                page = self._steps[0]
            self.go_to(page if page in self._steps else self._steps[0])
            self.messages.info(
                self.tr("Votre saisie non enregistrée a été reprise : pensez à l'enregistrer.")
            )
            entry, slots = self._collect()
            self.session.resume(draft, entry, computable=not typed_problems(slots))
        else:
            self.session.discard_draft()

    def _show_statement(self, statement: Statement, entry: Entry) -> None:
        """Shows a statement read from the server, with `entry` in the pages."""
        first = not self._pages
        if first:
            self._build_pages(statement)
        else:
            self._make_every_page()
        self._fill(entry)
        self._computation = statement.computation
        self._proposals = statement.proposals
        self._show_header(statement)
        self._set_read_only(not statement.permissions.edit)
        self._show_computation()
        if first:
            self.go_to_made(Step.RECAP if self._read_only else self._steps[0])
        else:
            self.go_to(self._current, focus=False)
        if first and not self._read_only:
            # What the DEC will check, before any change (once every page is made).
            self._preview_waits = True
        if first:
            QTimer.singleShot(0, self, self._make_next_page)

    def go_to_made(self, step: Step) -> None:
        """Shows the page of `step`, already made, without waiting for the others."""
        self._current = step
        self.session.page = int(step)
        self.stack.setCurrentWidget(self._pages[step])
        self.steps.set_current(step)
        self._update_buttons()

    def _build_pages(self, statement: Statement) -> None:
        """Makes the page shown first; the others follow, one per turn of the event loop
        (all of them at once froze the window for 40 to 90 ms, `bench/dec_gui_probe.py`)."""
        self._steps = steps_of(statement)
        self._statement_shown = statement
        self.steps.set_steps(self._steps)
        self._make_page(Step.RECAP if not statement.permissions.edit else self._steps[0])

    def _make_page(self, step: Step) -> StepPage:
        """Makes the page of `step`, showing what the pages made before it show."""
        statement = self._statement_shown
        assert statement is not None
        page = PAGES[step](statement)
        page.edited.connect(self._on_edited)
        self._pages[step] = page
        # In the order of the steps, whatever the order they are made in.
        self.stack.insertWidget(1 + sum(1 for s in self._pages if s < step), page)
        travel = self._pages.get(Step.TRAVEL)
        meals = self._pages.get(Step.MEALS_NIGHTS)
        if (
            step in (Step.TRAVEL, Step.MEALS_NIGHTS)
            and isinstance(travel, TravelPage)
            and isinstance(meals, MealsNightsPage)
        ):
            travel.claimed_changed.connect(meals.set_travel_claimed)
        if isinstance(page, RecapPage):
            page.print_requested.connect(self._on_print)
            documents = self._documents = DocumentsPanel(
                DocumentsApi(self.api),
                self.runner,
                AttachmentNotes(self.drafts.folder, statement.id),
                statement.id,
                page,
            )
            page.attach_documents(documents)
            documents.set_required(statement.computation.documents)
            documents.refresh()  # in the background: the editor shows without waiting
        if self._entry_shown is not None:
            self._filling = True
            try:
                page.fill(self._entry_shown)
            finally:
                self._filling = False
            page.set_read_only(self._read_only)
            if self._computation is not None and self._proposals is not None:
                page.show_computation(self._computation, self._proposals)
        return page

    def _missing_pages(self) -> list[Step]:
        return [step for step in self._steps if step not in self._pages]

    def _make_next_page(self) -> None:
        missing = self._missing_pages()
        if not missing:
            return
        self._make_page(missing[0])
        if len(missing) > 1:
            QTimer.singleShot(0, self, self._make_next_page)
        else:
            self._every_page_made()

    def _make_every_page(self) -> None:
        """Makes at once the pages not made yet: what follows needs them all."""
        missing = self._missing_pages()
        if not missing or not self._pages:
            return
        for step in missing:
            self._make_page(step)
        self._every_page_made()

    def _every_page_made(self) -> None:
        """The problems beside their fields on every page, then the first preview."""
        computation = self._computation
        if computation is not None:
            self._show_problems({p.field: p.message for p in computation.problems})
        if self._preview_waits:
            self._preview_waits = False
            if not self._read_only:
                entry, slots = self._collect()
                self.session.preview_later(entry, computable=not typed_problems(slots))

    def _fill(self, entry: Entry) -> None:
        self._entry_shown = entry
        self._filling = True
        try:
            for page in self._pages.values():
                page.fill(entry)
        finally:
            self._filling = False

    def _show_header(self, statement: Statement) -> None:
        mission = statement.mission
        what = mission.paper or mission.exam or ""
        self.title.setText(
            self.tr("État de frais : {0}").format(
                f"{mission.type_label} — {what}" if what else mission.type_label
            )
        )
        self.title.setAccessibleName(self.title.text())
        # The exam names the mission when there is no paper: not twice, then.
        exam = (mission.exam or "") if mission.paper else ""
        details = [exam, f"{mission.centre}, {mission.commune}"]
        details.append(period(mission.start_date, mission.end_date))
        self.subtitle.setText(" · ".join(d for d in details if d))
        deadline = self._deadline_text(statement)
        self.deadline.setText(deadline)
        self.deadline.setAccessibleName(deadline)
        self.deadline.setVisible(bool(deadline))
        label = statement.labels.intervenant
        self.status.setText(self.tr("Statut : {0}").format(label))
        self.status.setAccessibleName(self.status.text())
        banner = self._banner_text(statement)
        self.banner.setText(banner)
        self.banner.setAccessibleName(banner)
        self.banner.setVisible(bool(banner))

    def _deadline_text(self, statement: Statement) -> str:
        """The entry deadline and the days left, while the statement can still be validated."""
        mission = statement.mission
        if mission.entry_deadline is None or mission.days_left is None:
            return ""
        if not (statement.permissions.edit or statement.permissions.validate_):
            return ""
        return self.tr("Date limite de saisie : {0}").format(
            deadline_fr(mission.entry_deadline, mission.days_left)
        )

    def _banner_text(self, statement: Statement) -> str:
        label = statement.labels.intervenant
        status = statement.status
        reason = statement.reason
        if statement.permissions.edit:
            if status is Status.RETURNED:
                text = self.tr(
                    "Le service gestionnaire vous a renvoyé cet état de frais : corrigez-le puis "
                    "validez-le à nouveau."
                )
                if reason:
                    text += " " + self.tr("Motif du renvoi : {0}").format(reason)
                return text
            return ""
        if status is Status.SUBMITTED:
            text = self.tr(
                "Statut « {0} » : vous avez validé cet état de frais, il ne peut plus être "
                "modifié. Le service gestionnaire le vérifie avant de le mettre en paiement."
            ).format(label)
        elif status is Status.NOT_PERFORMED:
            text = self.tr(
                "Statut « {0} » : vous avez déclaré ne pas avoir effectué cette mission."
            ).format(label)
        elif status is Status.CANCELLED:
            text = self.tr("Statut « {0} » : cet état de frais ne peut plus être modifié.").format(
                label
            )
        elif status is Status.OPEN:
            text = self.tr(
                "Statut « {0} » : la mission commence le {1}. Vous pourrez saisir votre état "
                "de frais à partir de cette date."
            ).format(label, date_fr(statement.mission.start_date))
        else:
            text = self.tr(
                "Statut « {0} » : cet état de frais est traité par le service gestionnaire, il "
                "ne peut plus être modifié."
            ).format(label)
        if reason:
            text += " " + self.tr("Motif : {0}").format(reason)
        return text

    def _set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for page in self._pages.values():
            page.set_read_only(read_only)
        self._update_buttons()

    # --- editing and previews -------------------------------------------------------------

    def _collect(self, made_only: bool = False) -> tuple[Entry, dict[str, Slot]]:
        """The entry the pages show and the slot of each field; `made_only`, of the pages
        made so far (the others are then still to come, and show their problems when made)."""
        if not made_only:
            self._make_every_page()
        entry = self.session.base_entry.model_copy(deep=True)
        slots: dict[str, Slot] = {}
        for step in self._steps:
            page = self._pages.get(step)
            if page is not None:
                page.write(entry, slots)
        return entry, slots

    def _on_edited(self) -> None:
        if self._filling or self._read_only or self.statement is None:
            return
        entry, slots = self._collect()
        self.messages.withdraw(Level.SUCCESS)  # "Enregistré" is no longer true
        self.totals_state.setText(self.tr("Calcul en cours…"))
        self.session.edited(entry, computable=not typed_problems(slots))

    def _on_draft_failed(self, error: BaseException) -> None:
        self.messages.warning(
            self.tr(
                "La copie locale de votre saisie n'a pas pu être écrite ({0}). Enregistrez "
                "votre saisie sur le serveur dès que possible."
            ).format(message_for(error))
        )

    def _on_previewing(self) -> None:
        self.totals_state.setText(self.tr("Calcul en cours…"))

    def _on_preview_blocked(self) -> None:
        # A value kept as typed but out of range: said beside its field, not computed.
        self._warnings = []
        self._show_problems({})
        self.totals_state.setText(
            self.tr("Montants non actualisés : corrigez les champs signalés.")
        )

    def _on_preview(self, preview: Preview) -> None:
        self._computation = preview.computation
        self._proposals = preview.proposals
        self._warnings = list(preview.warnings)
        self._show_computation()

    def _on_preview_failed(self, error: BaseException) -> None:
        if isinstance(error, errors.InvalidInput):
            self._show_problems(field_messages(error) or {"": error.detail})
            self.totals_state.setText(
                self.tr("Montants non actualisés : corrigez les champs signalés.")
            )
        else:
            self.totals_state.setText(
                self.tr("Montants non actualisés : {0}").format(message_for(error))
            )
        self._update_buttons()

    def _show_computation(self) -> None:
        computation, proposals = self._computation, self._proposals
        if computation is None or proposals is None:
            return
        for page in self._pages.values():
            page.show_computation(computation, proposals)
        self.totals.setText(
            self.tr("Indemnités {0} · Déplacement {1} · Total {2}").format(
                euros(computation.pay_total),
                euros(computation.travel_total),
                euros(computation.total),
            )
        )
        self.totals.setAccessibleName(self.tr("Montants calculés : {0}").format(self.totals.text()))
        self.totals_state.setText(
            self.tr("Montants calculés par le serveur IMAG'IN.")
            if not self.session.dirty
            else self.tr("Montants calculés par le serveur pour votre saisie (non enregistrée).")
        )
        self._show_problems({p.field: p.message for p in computation.problems})

    # --- problems -------------------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        """Writes each problem beside its field, and all of them in the summary."""
        _, self._slots = self._collect(made_only=True)
        problems = {**typed_problems(self._slots), **problems}
        self._problems = dict(problems)
        by_slot: dict[int, list[str]] = {}
        by_label: dict[int, list[str]] = {}
        # Fields marked last time, even those no longer in the entry (a day emptied since).
        for old in self._marked:
            if isValid(old.widget) and isValid(old.error):
                old.show(None)
        slots_seen: dict[int, Slot] = {}
        for known in self._slots.values():
            slots_seen[id(known.widget)] = known
        placed: list[tuple[str, Slot | None, str]] = []
        for path, message in problems.items():
            found = find_slot(self._slots, path) if path else None
            placed.append((path, found, message))
            if found is not None:
                by_slot.setdefault(id(found.widget), []).append(message)
                by_label.setdefault(id(found.error), []).append(message)
        self._marked = []
        for key, known in slots_seen.items():
            messages = by_slot.get(key)
            known.show(" ".join(messages) if messages else None)
            if messages:
                self._marked.append(known)
        warned: dict[int, list[str]] = {}
        for warning in self._warnings:
            found = find_slot(self._slots, warning.field) if warning.field else None
            if found is not None:
                warned.setdefault(id(found.error), []).append(warning.advice)
        for known in slots_seen.values():
            messages = by_label.get(id(known.error))
            if messages:
                app_style.show_field_error(known.error, "\n".join(messages))
            else:
                advice = warned.get(id(known.error))
                app_style.show_field_error(
                    known.error, " ".join(dict.fromkeys(advice)) if advice else None, warning=True
                )
        self._show_warnings()
        if not problems:
            self.summary.hide()
            self._update_buttons()
            return
        items = []
        for path, found, message in placed:
            if found is not None:
                where = escape(found.where)
                items.append(f'<li><a href="{escape(path)}">{where}</a> : {escape(message)}</li>')
            else:
                items.append(f"<li>{escape(message)}</li>")
        count = len(problems)
        heading = self.tr("{0} à corriger :").format(plural(count, "point", "points"))
        self.summary.setText(f"<b>{escape(heading)}</b><ul>{''.join(items)}</ul>")
        spoken = " ; ".join(message for _, _, message in placed)
        self.summary.setAccessibleName(f"{heading} {spoken}")
        self.summary.show()
        self._update_buttons()

    def _show_warnings(self) -> None:
        editable = self.statement is not None and not self._read_only
        warnings = self._warnings if editable else []
        self.warnings_box.setText(dialogs.warnings_html(warnings, links=True))
        self.warnings_box.setAccessibleName(
            " ".join(f"{w.label} : {w.advice} {w.message}" for w in warnings)
        )
        self.warnings_box.setVisible(bool(warnings))

    def problem_text(self, path: str) -> str:
        """The text written beside the field of `path` (tests and the help read it)."""
        self._make_every_page()
        slot = find_slot(self._slots, path)
        return slot.error.text() if slot is not None and slot.error.isVisible() else ""

    def slot(self, path: str) -> Slot | None:
        self._make_every_page()
        return find_slot(self._slots, path)

    def _on_problem_link(self, path: str) -> None:
        slot = find_slot(self._slots, path)
        if slot is None:
            return
        self.go_to(Step(slot.step), focus=False)
        page = self._pages[Step(slot.step)]
        page.ensureWidgetVisible(slot.widget)
        slot.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- navigation -----------------------------------------------------------------------

    def _on_step_chosen(self, step: int) -> None:
        self.go_to(Step(step))

    def _neighbour(self, offset: int) -> Step | None:
        if self._current not in self._steps:
            return None
        index = self._steps.index(self._current) + offset
        return self._steps[index] if 0 <= index < len(self._steps) else None

    def _on_back(self) -> None:
        previous = self._neighbour(-1)
        if previous is not None:
            self.go_to(previous)
        elif self.maybe_close():
            self.closed.emit()

    def _update_buttons(self) -> None:
        loaded = self.statement is not None
        editable = loaded and not self._read_only
        self.back.setEnabled(loaded)
        self.save_button.setEnabled(editable and not self.session.busy)
        self.validate_button.setEnabled(self._can_validate())
        if self._current is not Step.RECAP and editable:
            self.validate_button.setToolTip(
                self.tr("Vérifiez le récapitulatif avant de valider votre état de frais.")
            )
        elif self._problems and editable:
            self.validate_button.setToolTip(
                self.tr("Corrigez les points signalés avant de valider.")
            )
        else:
            self.validate_button.setToolTip("")

    def _can_validate(self) -> bool:
        statement = self.statement
        return (
            statement is not None
            and not self._read_only
            and statement.permissions.validate_
            and self._current is Step.RECAP
            and not self._problems
            and not self.session.busy
        )

    # --- saving ---------------------------------------------------------------------------

    def save(self, advance: bool = False, then: Callable[[], None] | None = None) -> None:
        """Saves on the server over the version read; then moves to the next step if
        `advance`, and calls `then` once saved."""
        if self._read_only or self.statement is None or self.session.busy:
            return
        if not self.session.dirty:
            if advance:
                self._advance()
            if then is not None:
                then()
            return
        self.session.stop_previews()
        entry, slots = self._collect()
        if typed_problems(slots):
            self._show_problems({})
            self.messages.warning(self.tr("Corrigez les champs signalés avant d'enregistrer."))
            return
        self._after_save = (advance, then)
        self._again = lambda: self.save(advance, then)
        self.session.save(entry)
        self._update_buttons()
        self.messages.info(self.tr("Enregistrement en cours…"))

    def _advance(self) -> None:
        following = self._neighbour(+1)
        if following is not None:
            self.go_to(following)

    def _on_saved(self, statement: Statement) -> None:
        advance, then = self._after_save
        if not self.session.dirty:
            self._computation = statement.computation
            self._proposals = statement.proposals
            self._show_computation()
        self._show_header(statement)
        self._set_read_only(not statement.permissions.edit)
        self.messages.success(self.tr("Enregistré"))
        self.statement_changed.emit(statement)
        if advance:
            self._advance()
        self._update_buttons()
        if then is not None:
            then()

    def _on_save_failed(self, error: BaseException) -> None:
        advance, then = self._after_save
        self._update_buttons()
        if isinstance(error, errors.InvalidInput):
            self._show_problems(field_messages(error) or {"": error.detail})
            self.messages.error(error.detail)
        elif isinstance(error, errors.TransitionRefused):
            self.messages.error(error.detail)  # the session reads the statement again
        elif isinstance(error, errors.NotAuthenticated):
            self.messages.error(
                self.tr("{0} Votre saisie est conservée sur ce poste.").format(message_for(error))
            )
        else:
            self._retry = lambda: self.save(advance, then)
            self.messages.error(message_for(error), self.tr("Réessayer"))

    def _on_stale(self, error: errors.StaleVersion) -> None:
        """The save or the validation went over an old version: the person chooses."""
        self._update_buttons()
        current = error.current
        if current is None:
            self.messages.error(error.detail, self.tr("Réessayer"))
            self._retry = self.session.reload
            return
        choice = dialogs.ask_stale(self, error.detail)
        if choice is dialogs.StaleChoice.KEEP_MINE:
            self.session.keep_mine(current)
            self._show_header(current)
            if not current.permissions.edit:
                self.messages.error(
                    self.tr("Cet état de frais ne peut plus être modifié : {0}").format(
                        current.labels.intervenant
                    )
                )
                self._set_read_only(True)
                return
            if self._again is not None:
                self._again()
        else:
            self.session.take_theirs(current)
            self.messages.info(self.tr("La version enregistrée a été rechargée."))

    def _on_replaced(self, statement: Statement) -> None:
        """The server's version is shown; what was typed here leaves the screen."""
        self._show_statement(statement, statement.entry)
        self.statement_changed.emit(statement)

    def _on_retry(self) -> None:
        retry, self._retry = self._retry, None
        if retry is not None:
            self.messages.hide()
            retry()

    # --- validation -----------------------------------------------------------------------

    def _on_validate(self) -> None:
        if not self._can_validate():
            return
        deadline = self._deadline_text(self.statement) if self.statement else ""
        ticked = dialogs.confirm_validation(self, self._pledges(), self._warnings, deadline)
        if ticked is None:
            return
        self._ticked = ticked
        self._submit()

    def _pledges(self) -> list[Pledge]:
        """The sentences to certify: the no-overtime one only for paid work, read on the
        computation shown (the server's own, as it will check it)."""
        statement, computation = self.statement, self._computation
        paid = computation is not None and computation.pay_total > 0
        pledges = statement.pledges if statement is not None else []
        return [p for p in pledges if paid or not p.paid_work_only]

    def _submit(self) -> None:
        """Validates; unsaved changes travel with the validation (one request)."""
        if self._problems:
            return  # the preview found problems: they are shown, nothing is submitted
        entry = self._collect()[0] if self.session.dirty else self.session.base_entry
        self._again = self._submit
        self.session.validate(entry, self._ticked)
        self._update_buttons()
        self.messages.info(self.tr("Validation en cours…"))

    def _on_validated(self, statement: Statement) -> None:
        self._show_statement(statement, statement.entry)
        self.go_to(Step.RECAP, focus=False)
        self.messages.success(
            self.tr(
                "État de frais validé : il est transmis au service gestionnaire. Imprimez le "
                "récapitulatif et joignez-y les pièces justificatives demandées."
            )
        )
        self.statement_changed.emit(statement)

    def _on_validate_failed(self, error: BaseException) -> None:
        self._update_buttons()
        if isinstance(error, errors.InvalidInput):
            self._show_problems(field_messages(error) or {"": error.detail})
            self.messages.error(error.detail)
        elif isinstance(error, errors.TransitionRefused):
            self.messages.error(error.detail)  # the session reads the statement again
        elif isinstance(error, errors.NotAuthenticated):
            self.messages.error(message_for(error))
        else:
            self._retry = self._submit
            self.messages.error(message_for(error), self.tr("Réessayer"))

    # --- recap ----------------------------------------------------------------------------

    def _on_print(self) -> None:
        if self.session.dirty and not self._read_only:
            self.save(advance=False, then=self._print_saved)
        else:
            self._print_saved()

    def _print_saved(self) -> None:
        statement = self.statement
        if statement is None:
            return
        folder = self.recaps_folder
        panel = self.documents
        order = {label: n for n, label in enumerate(statement.computation.documents)}
        files = sorted(
            (f for f in (panel.files if panel else []) if f.label in order),
            key=lambda f: (order[f.label], f.id),
        )
        attachments = Attachments(
            files={
                label: [f.name for f in files if f.label == label]
                for label in statement.computation.documents
            },
            by_post=[] if panel is None else panel.by_post(),
        )
        recap = self._pages.get(Step.RECAP)
        whole = isinstance(recap, RecapPage) and recap.dossier.isChecked() and bool(files)
        documents = DocumentsApi(self.api)

        def appended() -> list[tuple[str, bytes]]:
            return [(f.media_type, documents.content(f.id)) for f in files]

        self.messages.info(self.tr("Préparation du récapitulatif…"))
        Op(
            self,
            lambda: write_recap(
                statement, folder, attachments=attachments, appended=appended if whole else None
            ),
            latest="recap",
        ).on_success(self._on_printed).on_failure(self._on_print_failed).run(self.runner)

    def _on_printed(self, path: Path) -> None:
        if self.open_url(QUrl.fromLocalFile(str(path))):
            self.messages.success(self.tr("Récapitulatif enregistré et ouvert : {0}").format(path))
        else:
            folder = QUrl.fromLocalFile(str(path.parent))
            self._retry = lambda: self._show_folder(folder)
            self.messages.warning(
                self.tr(
                    "Le récapitulatif est enregistré dans {0}, mais aucun lecteur de PDF n'a pu "
                    "l'ouvrir."
                ).format(path),
                self.tr("Afficher le dossier"),
            )

    def _show_folder(self, folder: QUrl) -> None:
        self.open_url(folder)

    def _on_print_failed(self, error: BaseException) -> None:
        log.warning("recap of statement %s not written", self.statement_id, exc_info=error)
        self._retry = self._print_saved
        self.messages.error(message_for(error), self.tr("Réessayer"))
