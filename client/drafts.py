"""Local autosave of statement edits not yet saved on the server: nothing typed is ever lost.

One JSON file per statement, written atomically (temporary file + `os.replace`) on every edit,
discarded once the server has the entry. A file that cannot be read is moved aside with a
`.corrupt` suffix and ignored: a draft never stops the application.

Statement ids are only unique on one server, so each account on each server has its own folder
(`DraftStore.for_account`): a demo server's draft never surfaces on the real one.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from client.api.models import Entry
from client.settings import data_dir

log = logging.getLogger(__name__)

FORMAT = 1
_NAME = re.compile(r"statement-(\d+)\.json")


class Draft(BaseModel):
    """What was typed on a statement, over which server version, on which page, and when."""

    model_config = ConfigDict(frozen=True)

    format: int = FORMAT
    statement_id: int
    base_version: int
    saved_at: dt.datetime
    page: int
    entry: Entry


def account_folder(server: str, login: str) -> Path:
    """The drafts folder of one account on one server, under the client's data folder."""
    key = f"{server.strip().rstrip('/')}|{login.strip().lower()}"
    return data_dir() / "drafts" / hashlib.sha256(key.encode()).hexdigest()[:16]


class DraftStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else data_dir() / "drafts"

    @classmethod
    def for_account(cls, server: str, login: str) -> DraftStore:
        return cls(account_folder(server, login))

    def path(self, statement_id: int) -> Path:
        return self.folder / f"statement-{statement_id}.json"

    def save(self, statement_id: int, base_version: int, entry: Entry, page: int) -> Draft:
        """Keeps the entry as typed so far. Fast enough to call on every edit."""
        draft = Draft(
            statement_id=statement_id,
            base_version=base_version,
            saved_at=dt.datetime.now(dt.UTC),
            page=page,
            entry=entry,
        )
        data = draft.model_dump_json(by_alias=True).encode()
        target = self.path(statement_id)
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
        except FileNotFoundError:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
        try:
            # No fsync: it would cost milliseconds on every keystroke; the rename protects
            # against the application crashing, which is what happens in practice.
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return draft

    def load(self, statement_id: int) -> Draft | None:
        """The draft of a statement, or None if there is none or it was unreadable."""
        return self._read(self.path(statement_id), statement_id)

    def discard(self, statement_id: int) -> None:
        """Forgets the draft, once the server holds the entry (or the person chose its
        version)."""
        self.path(statement_id).unlink(missing_ok=True)

    def list(self) -> builtins.list[Draft]:
        """Every readable draft, oldest first."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        drafts = []
        for name in names:
            match = _NAME.fullmatch(name)
            if match is None:
                continue
            draft = self._read(self.folder / name, int(match.group(1)))
            if draft is not None:
                drafts.append(draft)
        return sorted(drafts, key=lambda d: d.saved_at)

    def _read(self, path: Path, statement_id: int) -> Draft | None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            log.warning("cannot read draft %s", path, exc_info=True)
            return None
        try:
            draft = Draft.model_validate_json(data)
        except ValidationError as error:
            self._set_aside(path, f"{error.error_count()} problem(s)")
            return None
        if draft.statement_id != statement_id:
            self._set_aside(path, f"it holds statement {draft.statement_id}")
            return None
        return draft

    def _set_aside(self, path: Path, why: str) -> None:
        aside = path.with_name(path.name + ".corrupt")
        if aside.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            aside = path.with_name(f"{path.name}.{stamp}.corrupt")
        try:
            os.replace(path, aside)
        except OSError:
            log.warning("cannot move the unreadable draft %s aside", path, exc_info=True)
            return
        log.warning("unreadable draft %s moved to %s: %s", path, aside.name, why)
