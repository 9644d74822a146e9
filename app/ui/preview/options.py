"""The preview's entries in the window's Options menu, kept in QSettings."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.settings import AppSettings

VIEWERS_START_TEXT = "Show the stream as viewers see it"
VIEWERS_START_TIP = (
    "Start the preview where viewers' players start, about three segments behind live. "
    "Off: the preview starts at the newest segment, so a scene change shows up sooner. "
    "Applies when the preview next loads the stream."
)


class LiveEdgeTarget(Protocol):
    def set_live_edge(self, at_edge: bool) -> None: ...


def add_preview_options(menu: QMenu, settings: AppSettings, target: LiveEdgeTarget) -> QAction:
    """Adds the checkable "as viewers see it" entry; applies the saved choice now."""
    action = QAction(VIEWERS_START_TEXT, menu)
    action.setCheckable(True)
    action.setChecked(settings.preview_as_viewers)
    action.setToolTip(VIEWERS_START_TIP)
    action.setStatusTip(VIEWERS_START_TIP)
    target.set_live_edge(not settings.preview_as_viewers)

    def chosen(as_viewers: bool) -> None:
        settings.preview_as_viewers = as_viewers
        target.set_live_edge(not as_viewers)

    action.toggled.connect(chosen)
    menu.addAction(action)
    return action
