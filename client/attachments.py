"""What the person chose for the supporting documents of a statement (or of their financial
file) that the server does not hold yet: files picked but not uploaded (their path and the
upload id they are sent under, so that a retry, even after a restart, is the same upload), and
the documents they will send by post instead. Qt-free.

One JSON file per statement beside the drafts (`attachments-<id>.json`, `attachments-profile`
for the financial file), written atomically; an unreadable file is ignored (nothing is lost but
the choices, which the person sees are gone).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)


class Pending(BaseModel):
    """A file chosen for a document, to be uploaded under `upload_id`."""

    upload_id: str
    label: str
    path: str
    name: str


class Choices(BaseModel):
    pending: list[Pending] = []
    by_post: list[str] = []  # labels of the documents sent by post


class AttachmentNotes:
    """The choices of one statement (`key` its id) or of the profile (`key` "profile")."""

    def __init__(self, folder: Path, key: int | str) -> None:
        self.path = folder / f"attachments-{key}.json"

    def load(self) -> Choices:
        try:
            return Choices.model_validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return Choices()
        except (OSError, ValidationError):
            log.warning("unreadable attachment choices %s", self.path, exc_info=True)
            return Choices()

    def save(self, choices: Choices) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".attachments-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(choices.model_dump_json().encode())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def add_pending(self, pending: Pending) -> None:
        choices = self.load()
        choices.pending = [p for p in choices.pending if p.upload_id != pending.upload_id]
        choices.pending.append(pending)
        self.save(choices)

    def remove_pending(self, upload_id: str) -> None:
        choices = self.load()
        choices.pending = [p for p in choices.pending if p.upload_id != upload_id]
        self.save(choices)

    def set_by_post(self, label: str, by_post: bool) -> None:
        choices = self.load()
        labels = [x for x in choices.by_post if x != label]
        if by_post:
            labels.append(label)
        choices.by_post = labels
        self.save(choices)
