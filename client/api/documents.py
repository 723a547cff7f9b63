"""Supporting documents over HTTP: attach a file to a statement's document or to the financial
file, list, read and remove them. An upload is sent under an id chosen here: when the
connection drops, it is sent again under the same id, and the server answers the file it may
already have kept instead of attaching it twice."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

from pydantic import TypeAdapter

from client.api import errors
from client.api.client import ImaginClient
from client.api.models import DocumentFile

# Tries of one upload before its failure is shown (the same upload id each time).
TRIES = 3


_LIST = TypeAdapter(list[DocumentFile])
CHUNK = 256 * 1024


class _Chunks:
    """The file's bytes in chunks, telling `progress` as the connection takes each one; read
    again from the start on each iteration (a retry sends it whole again)."""

    def __init__(self, content: bytes, progress: Callable[[int, int], None] | None) -> None:
        self.content = content
        self.progress = progress

    def __iter__(self) -> Iterator[bytes]:
        total = len(self.content)
        for start in range(0, total, CHUNK):
            chunk = self.content[start : start + CHUNK]
            yield chunk
            if self.progress is not None:
                self.progress(min(start + CHUNK, total), total)


def new_upload_id() -> str:
    return uuid.uuid4().hex


class DocumentsApi:
    def __init__(self, client: ImaginClient) -> None:
        self.client = client

    def of_statement(self, statement_id: int) -> list[DocumentFile]:
        return self.client._parse_list(
            _LIST, self.client._call("GET", f"/statements/{statement_id}/documents")
        )

    def of_profile(self) -> list[DocumentFile]:
        return self.client._parse_list(_LIST, self.client._call("GET", "/me/documents"))

    def upload(
        self,
        statement_id: int | None,
        label: str,
        name: str,
        content: bytes,
        upload_id: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> DocumentFile:
        """Attaches `content` (None `statement_id`: to the financial file), retrying a dropped
        connection under the same `upload_id`."""
        path = (
            f"/statements/{statement_id}/documents/{upload_id}"
            if statement_id is not None
            else f"/me/documents/{upload_id}"
        )
        if progress is not None:
            progress(0, len(content))
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(content)),
        }
        for attempt in range(1, TRIES + 1):
            try:
                response = self.client._call(
                    "PUT",
                    path,
                    params={"label": label, "name": name},
                    headers=headers,
                    content=_Chunks(content, progress),
                )
                break
            except errors.ServerUnreachable:
                if attempt == TRIES:
                    raise
        return self.client._parse(DocumentFile, response)

    def content(self, document_id: int) -> bytes:
        return self.client._call("GET", f"/documents/{document_id}/content").content

    def remove(self, document_id: int) -> None:
        self.client._call("DELETE", f"/documents/{document_id}")
