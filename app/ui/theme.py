"""Colours that read well on both the light and the dark system palette.

Widgets take colours from the palette; only the status badge and the banners
need accents of their own, chosen here per scheme for contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget


@dataclass(frozen=True)
class Accent:
    background: str
    foreground: str
    border: str


# Foreground/background pairs keep at least 4.5:1 contrast (WCAG AA).
_LIGHT = {
    "error": Accent("#fde8e8", "#8a1111", "#e5a3a3"),
    "warning": Accent("#fff4d6", "#6b4a00", "#e3c46f"),
    "info": Accent("#e6f0fb", "#0f3d73", "#9dbde4"),
    "success": Accent("#e3f5e7", "#135e27", "#93cfa2"),
    "neutral": Accent("#ececec", "#333333", "#c4c4c4"),
}
_DARK = {
    "error": Accent("#4a1717", "#ffc9c9", "#8f3a3a"),
    "warning": Accent("#47380f", "#ffe4a3", "#8a6d1f"),
    "info": Accent("#15304f", "#cfe3ff", "#3b6391"),
    "success": Accent("#173d22", "#c4f0cf", "#3d7a4d"),
    "neutral": Accent("#3a3a3a", "#e6e6e6", "#5a5a5a"),
}


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def accent(kind: str, widget: QWidget | None = None) -> Accent:
    table = _DARK if is_dark(widget) else _LIGHT
    return table.get(kind, table["neutral"])


def error_text_colour(widget: QWidget | None = None) -> str:
    return accent("error", widget).foreground
