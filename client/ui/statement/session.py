"""The editing session of one expense statement, without a widget: the version read, the unsaved
state, the local draft, the debounced preview, saving, validating and reloading.

The editor (`client.ui.statement.editor`) collects what its pages show into an `Entry`, hands
it to the session's methods and shows what the session's signals bring back; the questions to
the person (resume a draft, which version to keep, the validation pledges) stay with the editor.

Nothing typed is ever lost: each edit is written to a local draft (off the GUI thread, in
order), a save covering every edit discards it, and a draft the server does not have is handed
to the editor when the statement is loaded.

Signals:
    loaded(Statement, Draft | None): the statement is read; the draft is the local one worth
        offering (editable statement, entry different from the server's), else None.
    load_failed(BaseException): the statement could not be read (load or reload).
    previewing(): a preview request leaves for the server.
    preview_blocked(): the debounced preview is due but a field holds a value the server cannot
        take (out of range, kept as typed): nothing is sent.
    previewed(Preview): the server's answer for the latest entry (an answer overtaken by a newer
        edit is dropped).
    preview_failed(BaseException): the preview could not be computed.
    saved(Statement): the save went through; `dirty` says whether edits were made meanwhile.
    save_failed(BaseException): the save failed (a stale version is `stale` instead).
    stale(StaleVersion): the server holds a newer version than the one the save or the
        validation was made over; answer with `keep_mine` (then try again) or `take_theirs`.
    validated(Statement): the statement is validated (with the unsaved entry, if any).
    validate_failed(BaseException): the validation failed (a stale version is `stale`).
    refreshed(Statement): a reload found the statement still editable: its version is the new
        one, what is typed stays.
    replaced(Statement): the server's version replaces what was typed (reload, `take_theirs`).
    draft_failed(BaseException): the local draft could not be written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from client.api import errors
from client.api.models import Entry, Preview, Statement
from client.drafts import Draft, DraftStore
from client.ui.ops import Op
from client.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class DraftWriter:
    """Writes the drafts of one statement in order: tasks may finish in any order on the
    worker pool, but an older write never overwrites a newer one (nor a discard)."""

    def __init__(self, drafts: DraftStore, statement_id: int) -> None:
        self.drafts = drafts
        self.statement_id = statement_id
        self._lock = threading.Lock()
        self._issued = 0
        self._done = 0

    def ticket(self) -> int:
        self._issued += 1
        return self._issued

    def save(self, ticket: int, base_version: int, entry: Entry, page: int) -> None:
        with self._lock:
            if ticket < self._done:
                return
            self._done = ticket
            self.drafts.save(self.statement_id, base_version, entry, page)

    def discard(self, ticket: int) -> None:
        with self._lock:
            if ticket < self._done:
                return
            self._done = ticket
            self.drafts.discard(self.statement_id)


class EditingSession(QObject):
    """The state machine of one statement being edited; see the module's docstring."""

    loaded = Signal(object, object)
    load_failed = Signal(object)
    previewing = Signal()
    preview_blocked = Signal()
    previewed = Signal(object)
    preview_failed = Signal(object)
    saved = Signal(object)
    save_failed = Signal(object)
    stale = Signal(object)
    validated = Signal(object)
    validate_failed = Signal(object)
    refreshed = Signal(object)
    replaced = Signal(object)
    draft_failed = Signal(object)

    PREVIEW_DELAY_MS = 400

    def __init__(
        self,
        api: Any,
        runner: TaskRunner,
        drafts: DraftStore,
        statement_id: int,
        parent: QObject | None = None,
        *,
        given: Statement | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.runner = runner
        self.drafts = drafts
        self.statement_id = statement_id
        # The statement the previous screen holds, used once without reading it again.
        self._given = given if given is not None and given.id == statement_id else None
        self._writer = DraftWriter(drafts, statement_id)
        self._statement: Statement | None = None
        self._version = 0
        self._base_entry = Entry()
        # The entry as the editor last handed it, and whether the server can take it.
        self._entry = Entry()
        self._computable = True
        self._dirty = False
        self._edits = 0
        self._busy = False
        # The step the person is on, written with the draft (the editor keeps it current).
        self.page = 0
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(self.PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._preview)

    # --- state ----------------------------------------------------------------------------

    @property
    def statement(self) -> Statement | None:
        """The statement as the server last answered it."""
        return self._statement

    @property
    def version(self) -> int:
        """The version the next save or validation is made over."""
        return self._version

    @property
    def base_entry(self) -> Entry:
        """The entry the server holds, under what the pages show."""
        return self._base_entry

    @property
    def dirty(self) -> bool:
        """Whether something typed is not on the server yet."""
        return self._dirty

    @property
    def busy(self) -> bool:
        """Whether a save or a validation is on its way."""
        return self._busy

    @property
    def editable(self) -> bool:
        return self._statement is not None and self._statement.permissions.edit

    @property
    def preview_pending(self) -> bool:
        """Whether a debounced preview is waiting for the typing to stop."""
        return self._preview_timer.isActive()

    def _take(self, statement: Statement) -> None:
        self._statement = statement
        self._version = statement.version
        self._base_entry = statement.entry.model_copy(deep=True)

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Reads the statement (the one given, the first time) and its local draft."""
        statement_id, given, api, drafts = self.statement_id, self._given, self.api, self.drafts

        def read() -> tuple[Statement, Draft | None]:
            statement = given if given is not None else api.statement(statement_id)
            return statement, drafts.load(statement_id)

        Op(self, read, latest="load").on_success(self._on_loaded).on_failure(
            self.load_failed.emit
        ).run(self.runner)

    def _on_loaded(self, result: tuple[Statement, Draft | None]) -> None:
        statement, draft = result
        self._given = None  # read from the server from now on
        self._take(statement)
        self._entry = statement.entry.model_copy(deep=True)
        self._computable = True
        if draft is not None and self.editable and draft.entry == statement.entry:
            self.discard_draft()  # nothing the server does not have
            draft = None
        self.loaded.emit(statement, draft if self.editable else None)

    def resume(self, draft: Draft, entry: Entry, computable: bool = True) -> None:
        """Takes up a local draft the editor now shows as `entry`: it is saved over the version
        it was typed on (if the server moved on since, the save says so), and previewed now."""
        self._version = draft.base_version
        self._dirty = True
        self._edits += 1
        self.preview_now(entry, computable)

    def reload(self) -> None:
        """Reads the statement again: still editable with something typed, the typing stays
        over the version stored now (`refreshed`); otherwise the server's version replaces it
        (`replaced`), the local draft staying on this computer."""
        statement_id, api = self.statement_id, self.api
        Op(self, lambda: api.statement(statement_id), latest="load").on_success(
            self._on_reloaded
        ).on_failure(self.load_failed.emit).run(self.runner)

    def _on_reloaded(self, statement: Statement) -> None:
        if statement.permissions.edit and self._dirty:
            self._statement = statement
            self._version = statement.version
            self.refreshed.emit(statement)
            return
        self._replace(statement, discard_draft=False)

    def _replace(self, statement: Statement, discard_draft: bool = True) -> None:
        self._preview_timer.stop()
        self._dirty = False
        self._edits += 1
        if discard_draft:
            self.discard_draft()
        self._take(statement)
        self._entry = statement.entry.model_copy(deep=True)
        self._computable = True
        self.replaced.emit(statement)

    # --- editing and previews -------------------------------------------------------------

    def edited(self, entry: Entry, computable: bool = True) -> None:
        """The person changed `entry`: unsaved now, written to the draft, previewed once the
        typing stops. `computable` is False when a field holds a value the server cannot take."""
        self._dirty = True
        self._edits += 1
        self.preview_later(entry, computable)
        self._write_draft()

    def preview_later(self, entry: Entry, computable: bool = True) -> None:
        """Previews `entry` once no edit came for `PREVIEW_DELAY_MS`."""
        self._entry, self._computable = entry, computable
        self._preview_timer.start()

    def preview_now(self, entry: Entry, computable: bool = True) -> None:
        self._entry, self._computable = entry, computable
        self._preview()

    def stop_previews(self) -> None:
        self._preview_timer.stop()

    def _preview(self) -> None:
        self._preview_timer.stop()
        if not self.editable:
            return
        if not self._computable:
            self.preview_blocked.emit()
            return
        statement_id, entry, api = self.statement_id, self._entry, self.api
        self.previewing.emit()
        Op(self, lambda: api.preview(statement_id, entry), latest="preview").on_success(
            self._on_preview
        ).on_failure(self.preview_failed.emit).run(self.runner)

    def _on_preview(self, preview: Preview) -> None:
        if self._preview_timer.isActive():
            return  # typed again since: the next preview is on its way
        self.previewed.emit(preview)

    # --- the local draft ------------------------------------------------------------------

    def _write_draft(self) -> None:
        ticket = self._writer.ticket()
        version, entry, page, writer = self._version, self._entry, self.page, self._writer
        Op(self, lambda: writer.save(ticket, version, entry, page), latest="draft").on_failure(
            self._on_draft_failed
        ).run(self.runner)

    def _on_draft_failed(self, error: BaseException) -> None:
        log.warning("draft of statement %s not written: %r", self.statement_id, error)
        self.draft_failed.emit(error)

    def discard_draft(self) -> None:
        ticket = self._writer.ticket()
        writer = self._writer
        Op(self, lambda: writer.discard(ticket), latest="draft").on_failure(
            lambda error: log.warning("draft not discarded: %r", error)
        ).run(self.runner)

    # --- saving ---------------------------------------------------------------------------

    def save(self, entry: Entry) -> None:
        """Saves `entry` on the server over the version read (the caller checks there is
        something to save and nothing on its way)."""
        self._preview_timer.stop()
        self._entry = entry
        edits, version, statement_id, api = self._edits, self._version, self.statement_id, self.api
        self._busy = True
        Op(
            self, lambda: api.save_statement(statement_id, version, entry), latest="save"
        ).on_success(lambda saved: self._on_saved(saved, edits)).on_failure(
            self._on_save_failed
        ).run(self.runner)

    def _on_saved(self, statement: Statement, edits: int) -> None:
        self._busy = False
        self._take(statement)
        if self._edits == edits:
            self._dirty = False
            self.discard_draft()
        else:
            # Typed during the save: still unsaved, and the draft now sits on the new version.
            self._write_draft()
            self._preview_timer.start()
        self.saved.emit(statement)

    def _on_save_failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, errors.StaleVersion):
            self.stale.emit(error)
            return
        self.save_failed.emit(error)
        if isinstance(error, errors.TransitionRefused):
            self.reload()

    def keep_mine(self, current: Statement) -> None:
        """After `stale`: what is typed stays, to be saved over the server's `current` version."""
        self._take(current)

    def take_theirs(self, current: Statement) -> None:
        """After `stale`: the server's `current` version replaces what was typed, and the draft."""
        self._replace(current)

    # --- validation -----------------------------------------------------------------------

    def validate(self, entry: Entry, ticked: Mapping[str, bool]) -> None:
        """Validates with the boxes `ticked` in the validation dialog; unsaved changes travel
        with the validation (one request that stores `entry` over the version read, then
        validates)."""
        statement_id, version, api = self.statement_id, self._version, self.api
        accurate = ticked.get("accurate", False)
        no_overtime = ticked.get("no_overtime", False)
        if self._dirty:
            self._preview_timer.stop()

            def work() -> Statement:
                saved: Statement = api.save_and_validate(
                    statement_id, version, entry, accurate=accurate, no_overtime=no_overtime
                )
                return saved
        else:

            def work() -> Statement:
                validated: Statement = api.validate_statement(
                    statement_id, version, accurate=accurate, no_overtime=no_overtime
                )
                return validated

        self._busy = True
        Op(self, work, latest="validate").on_success(self._on_validated).on_failure(
            self._on_validate_failed
        ).run(self.runner)

    def _on_validated(self, statement: Statement) -> None:
        self._busy = False
        self._dirty = False
        self.discard_draft()
        self._take(statement)
        self._entry = statement.entry.model_copy(deep=True)
        self.validated.emit(statement)

    def _on_validate_failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, errors.StaleVersion):
            self.stale.emit(error)
            return
        self.validate_failed.emit(error)
        if isinstance(error, errors.TransitionRefused):
            self.reload()
