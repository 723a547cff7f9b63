"""What the log-in window needs before it shows, read without Qt and without pydantic.

The typed, validated `Settings` (`client.settings`) are loaded in the background once the window
is on screen: importing pydantic alone costs as much as the rest of the start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from client.settings import Settings

# The application's folder name, as `client.settings.APP` names it (a test keeps them equal):
# `client.settings` imports pydantic, which would double the time to the log-in window.
APP_FOLDER = "imagin"


class StartupSettings(NamedTuple):
    """What the log-in window needs from the settings to show itself.

    The application reads these few values straight from the settings file
    (`peek_settings`) and loads the typed, validated `Settings` in the background
    once the window is on screen: importing pydantic alone costs as much as the rest of the
    start-up.
    """

    server_url: str | None = None
    last_login: str | None = None
    remember: bool = False
    window_geometry: str | None = None
    help_visible: bool = True

    @classmethod
    def of(cls, settings: Settings) -> StartupSettings:
        return cls(
            server_url=settings.server_url,
            last_login=settings.last_login,
            remember=settings.remember,
            window_geometry=settings.window_geometry,
            help_visible=settings.help_visible,
        )


def settings_file() -> Path:
    """Where `client.settings` keeps the settings (its `settings_path()`)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_FOLDER, appauthor=False)) / "settings.json"


def default_log_folder() -> Path:
    """`client.settings.log_dir()`, without importing pydantic."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_FOLDER, appauthor=False, ensure_exists=True))


def peek_settings(path: Path | None = None) -> StartupSettings:
    """The few values the log-in window needs, read straight from the settings file.

    Anything missing or of the wrong type gives the default, as `client.settings.load` does;
    the typed settings are loaded in the background once the window shows.
    """
    import json

    try:
        data = json.loads((path or settings_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StartupSettings()
    if not isinstance(data, dict):
        return StartupSettings()

    def text(name: str) -> str | None:
        value = data.get(name)
        return value.strip() or None if isinstance(value, str) else None

    def flag(name: str, default: bool) -> bool:
        value = data.get(name)
        return value if isinstance(value, bool) else default

    server = text("server_url")
    return StartupSettings(
        server_url=server.rstrip("/") or None if server else None,
        last_login=text("last_login"),
        remember=flag("remember", False),
        window_geometry=text("window_geometry"),
        help_visible=flag("help_visible", True),
    )
