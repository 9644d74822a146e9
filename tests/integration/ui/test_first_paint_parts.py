"""What the window leaves out of its first paint, and adds right after without a visible jump."""

from __future__ import annotations

import pytest

from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.settings import AppSettings
from tests.integration.ui.conftest import close_window

pytestmark = pytest.mark.integration


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_the_view_menu_is_there_before_its_items_and_they_come_once(qtbot, qloop, settings_path):
    def no_requests(token: str):
        raise AssertionError("nothing is asked of the API before start()")

    window = MainWindow(
        AppContext(client_factory=no_requests, settings=AppSettings.at_path(settings_path))
    )
    try:
        window.show()
        titles = menu_titles(window)
        assert titles == ["&File", "&Options", "&View"]
        view = window.menuBar().actions()[2].menu()
        assert window.sessions is None and view.actions() == []

        window.finish_building()
        window.finish_building()  # launch and start() may both call it

        assert menu_titles(window) == titles  # the menu bar did not change
        assert [a.text() for a in view.actions()] == [
            window.sessions.usage_action.text(),
            window.sessions.history_action.text(),
        ]
        assert not window.sessions.summary.isVisible()  # until a livestream is on the card
    finally:
        close_window(window, qtbot)
        window.deleteLater()
