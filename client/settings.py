"""The desktop client's settings: typed, versioned, one JSON file in the platform's config folder.

No secret is ever stored here: the refresh token of "rester connecté" lives in the keyring
(`client.api.tokens`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

log = logging.getLogger(__name__)

APP = "imagin"
CURRENT_VERSION = 1

# version n -> the function that turns a version n file into a version n + 1 one.
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Settings(BaseModel):
    """What the client remembers between runs."""

    # Unknown keys (written by a newer version) are ignored, not fatal.
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    version: int = CURRENT_VERSION
    server_url: str | None = None
    last_login: str | None = None
    remember: bool = False
    # QWidget.saveGeometry(), base64-encoded.
    window_geometry: str | None = None
    help_visible: bool = True
    # A PEM file of the certificate authorities to trust instead of the system's store (an
    # académie's own authority); `IMAGIN_CA_BUNDLE` does the same for every account.
    ca_bundle: str | None = None

    @field_validator("server_url")
    @classmethod
    def _tidy_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip().rstrip("/") or None


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def log_dir() -> Path:
    """Where the client writes its log files (created if missing)."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False, ensure_exists=True))


def data_dir() -> Path:
    """Where the client keeps its local data, drafts included (created if missing)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False, ensure_exists=True))


def _upgraded(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", CURRENT_VERSION)
    if not isinstance(version, int):
        version = CURRENT_VERSION
    while version < CURRENT_VERSION:
        migrate = _MIGRATIONS.get(version)
        if migrate is not None:
            data = migrate(data)
        version += 1
    if version > CURRENT_VERSION:
        log.info("settings written by a newer version (%s); reading what is known", version)
    data["version"] = CURRENT_VERSION
    return data


def load(path: Path | None = None) -> Settings:
    """The saved settings; defaults for a missing or unreadable file, never an exception.

    A field with a bad value falls back to its default alone: the others are kept.
    """
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError:
        log.warning("cannot read the settings %s; using the defaults", path, exc_info=True)
        return Settings()
    try:
        data = json.loads(raw)
    except ValueError:
        log.warning("settings %s are not valid JSON; using the defaults", path)
        return Settings()
    if not isinstance(data, dict):
        log.warning("settings %s are not a JSON object; using the defaults", path)
        return Settings()
    data = _upgraded(data)
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        log.warning("settings %s: invalid %s reset to default", path, ", ".join(sorted(bad)))
        return Settings.model_validate({k: v for k, v in data.items() if k not in bad})


def save(settings: Settings, path: Path | None = None) -> None:
    """Writes the settings atomically: a crash leaves the old file or the new, never half."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = settings.model_dump_json(indent=2)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
