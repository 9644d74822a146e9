"""The Options menu's "Show the stream as viewers see it": saved in QSettings, applied at once."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from app.ui.preview.options import VIEWERS_START_TEXT, add_preview_options
from app.ui.settings import AppSettings


class Target:
    def __init__(self) -> None:
        self.calls: list[bool] = []

    def set_live_edge(self, at_edge: bool) -> None:
        self.calls.append(at_edge)


def test_the_live_edge_is_the_default_and_the_choice_is_kept(qtbot, tmp_path):
    path = tmp_path / "settings.ini"
    menu = QMenu()
    qtbot.addWidget(menu)
    target = Target()
    action = add_preview_options(menu, AppSettings.at_path(path), target)
    assert action.text() == VIEWERS_START_TEXT and action in menu.actions()
    assert action.isCheckable() and not action.isChecked() and action.toolTip()
    assert target.calls == [True]  # at the edge until the user asks otherwise

    action.trigger()
    assert target.calls == [True, False]
    assert AppSettings.at_path(path).preview_as_viewers  # written through

    again, menu_again = Target(), QMenu()
    qtbot.addWidget(menu_again)
    restored = add_preview_options(menu_again, AppSettings.at_path(path), again)
    assert restored.isChecked() and again.calls == [False]
    restored.trigger()
    assert again.calls == [False, True] and not AppSettings.at_path(path).preview_as_viewers
