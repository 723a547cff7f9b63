"""The client's settings file: typed, versioned, never a reason not to start."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from client import settings
from client.settings import Settings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_a_first_start_has_the_defaults(path: Path) -> None:
    loaded = settings.load(path)
    assert loaded == Settings()
    assert (loaded.version, loaded.server_url, loaded.remember, loaded.help_visible) == (
        1,
        None,
        False,
        True,
    )


def test_settings_read_back_as_saved(path: Path) -> None:
    saved = Settings(
        server_url="https://imagin.ac-amiens.fr/",
        last_login="edupontm",
        remember=True,
        window_geometry="AdnQywADAAAAAAB",
        help_visible=False,
    )
    settings.save(saved, path)
    assert settings.load(path) == saved
    assert saved.server_url == "https://imagin.ac-amiens.fr"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_a_corrupt_file_gives_the_defaults_and_a_warning(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"server_url": "https://imag', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="client.settings"):
        assert settings.load(path) == Settings()
    assert "not valid JSON" in caplog.text


def test_a_file_that_is_not_an_object_gives_the_defaults(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2]", encoding="utf-8")
    assert settings.load(path) == Settings()


def test_one_bad_value_resets_only_that_setting(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    data = {"version": 1, "server_url": "https://imagin.ac-amiens.fr", "help_visible": "peut-être"}
    path.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="client.settings"):
        loaded = settings.load(path)
    assert loaded.server_url == "https://imagin.ac-amiens.fr"
    assert loaded.help_visible is True
    assert "help_visible" in caplog.text


def test_an_older_file_gains_the_new_settings_with_their_defaults(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"server_url": "http://127.0.0.1:8000"}), encoding="utf-8")
    loaded = settings.load(path)
    assert loaded.server_url == "http://127.0.0.1:8000"
    assert loaded.help_visible is True
    assert loaded.version == settings.CURRENT_VERSION


def test_a_newer_file_keeps_what_this_version_knows(path: Path) -> None:
    path.parent.mkdir(parents=True)
    data = {"version": 7, "last_login": "edupontm", "theme": "sombre"}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert settings.load(path).last_login == "edupontm"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
def test_the_folders_follow_the_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert settings.settings_path() == tmp_path / "config" / "imagin" / "settings.json"
    assert settings.data_dir() == tmp_path / "data" / "imagin"
    assert settings.data_dir().is_dir()
    assert settings.log_dir().is_dir()
    assert settings.log_dir().is_relative_to(tmp_path)
