"""The look's colours read well: every text colour at least 4.5:1 against its background
(WCAG AA) on the usual light window and, with the lighter tones, on a dark or high-contrast
one, which the application follows."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtGui import QColor, QPalette

from client.ui import app_style
from client.ui.widgets import Level


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    r, g, b = (channel(x) for x in (q.redF(), q.greenF(), q.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colours(tones: app_style.Tones) -> dict[str, str]:
    return {f.name: getattr(tones, f.name) for f in dataclasses.fields(tones) if f.name != "border"}


@pytest.mark.parametrize("window", ["#ffffff", "#efefef", "#f3f6fa"])
def test_the_light_tones_read_on_a_light_window(window: str) -> None:
    low = {
        name: round(contrast(colour, window), 2)
        for name, colour in text_colours(app_style.LIGHT).items()
        if contrast(colour, window) < 4.5
    }
    assert not low


@pytest.mark.parametrize("window", ["#000000", "#1e1e1e", "#353535"])
def test_the_dark_tones_read_on_a_dark_or_high_contrast_window(window: str) -> None:
    low = {
        name: round(contrast(colour, window), 2)
        for name, colour in text_colours(app_style.DARK).items()
        if contrast(colour, window) < 4.5
    }
    assert not low


@pytest.mark.parametrize("level", list(Level))
def test_every_message_bar_reads_on_its_own_background(level: Level) -> None:
    background, foreground = level.value
    assert contrast(foreground, background) >= 4.5


def test_the_tones_follow_the_palette() -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    assert app_style.tones(dark) is app_style.DARK
    assert app_style.tones(light) is app_style.LIGHT
    assert app_style.DARK.error in app_style.stylesheet(app_style.tones(dark))


def test_a_list_cell_coloured_with_a_light_tone_is_written_lighter_on_a_dark_window() -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    assert app_style.readable(app_style.ERROR_COLOUR, dark) == app_style.DARK.error
    assert app_style.readable("#1E6B34", dark) == app_style.DARK.success
    assert app_style.readable("#123456", dark) == "#123456"  # not a tone: left as chosen
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    assert app_style.readable(app_style.ERROR_COLOUR, light) == app_style.ERROR_COLOUR
