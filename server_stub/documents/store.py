"""Where the bytes of supporting documents live: a content-addressed store.

A file is named by the SHA-256 of its content, so the same photo sent twice is stored once, and
a name never stands for two contents. `BlobStore` is what the rest of the server uses; the
default is `DirectoryStore` (a directory set by `IMAGIN_DOCUMENTS_DIR`); an object store
(S3-like) for several servers implements the same five methods.

`put` refreshes the time of a content it already holds: the collector (service.collect) deletes
only what no row refers to *and* nobody has written for a while, so a file being attached while
another of the same content is removed is never lost.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from platformdirs import user_data_dir

from server_stub.core.settings import Settings


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore(Protocol):
    def put(self, data: bytes) -> str:
        """Stores `data` (or refreshes it when already there); returns its key."""

    def get(self, key: str) -> bytes:
        """The content of `key`; FileNotFoundError when it is not stored."""

    def delete(self, key: str) -> None:
        """Removes `key`, if present."""

    def contents(self) -> Iterator[str]:
        """Every stored key."""

    def age(self, key: str) -> float:
        """Seconds since `key` was last written."""


def _checked(key: str) -> str:
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError(f"not a content key: {key!r}")
    return key


class DirectoryStore:
    """Files under `root`, as `ab/cd/abcd…` (two levels keep directories small); each written to
    a temporary file of the same directory, flushed to disk, then renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        _checked(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> str:
        key = content_key(data)
        path = self._path(key)
        if path.exists():
            os.utime(path)
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def contents(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if not path.name.startswith(".") and len(path.name) == 64:
                yield path.name

    def age(self, key: str) -> float:
        return time.time() - self._path(key).stat().st_mtime


def default_directory() -> Path:
    return Path(user_data_dir("imagin", appauthor=False)) / "documents"


@lru_cache(maxsize=8)
def _directory_store(root: str) -> DirectoryStore:
    return DirectoryStore(Path(root))


def store_for(settings: Settings) -> BlobStore:
    """The store the settings name: a directory (IMAGIN_DOCUMENTS_DIR, or the platform's data
    directory)."""
    return _directory_store(str(settings.documents_dir or default_directory()))
