"""The window tells one story: every place agrees on a livestream's state, errors go away with
their cause, a failed refresh keeps the list, and an outage ends without a click."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from app.core.livestream_state import StreamState
from app.core.preview_phase import Phase
from app.core.validation import NAME_MAX_LENGTH
from app.emulator import FaultKind
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN

pytestmark = pytest.mark.integration

WAIT_MS = 30_000  # generous: media tests share a loaded machine
AGREE_MS = 1_000  # every place says the same within a second


def click_create(window, qtbot) -> None:
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)


def create_and_wait(window, qtbot):
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)
    livestream = window.result.livestream
    qtbot.waitUntil(lambda: livestream.id in [ls.id for ls in window.recent.livestreams()])
    return livestream


def row_text(window, livestream_id: str) -> str:
    for i in range(window.recent.list.count()):
        item = window.recent.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole).id == livestream_id:
            return item.text()
    return ""


def places(window, livestream_id: str) -> tuple[str, str, str]:
    """What the card's badge, the Recent row and the preview's headline say."""
    return window.result.badge.text(), row_text(window, livestream_id), window.preview.badge.text()


def all_say(window, livestream_id: str, headline: str) -> bool:
    badge, row, preview = places(window, livestream_id)
    return badge == preview == headline and f"\u00b7  {headline}  \u00b7" in row


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_place_says_live_within_a_second_of_the_first_frame(make_window, qtbot):
    window = make_window(watch_interval_s=60.0)  # the API is not asked again meanwhile
    livestream = create_and_wait(window, qtbot)
    assert all_say(window, livestream.id, "Waiting"), places(window, livestream.id)
    qtbot.waitUntil(lambda: window.preview.phase is Phase.LIVE, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: all_say(window, livestream.id, "Live"), timeout=AGREE_MS)
    assert window.states.shown_view().state is StreamState.LIVE


def test_server_killed_says_unknown_then_recovers_by_itself(make_emulator, make_window, qtbot):
    emulator = make_emulator(port=free_port())
    window = make_window(base_url=emulator.base_url, watch_interval_s=0.3)
    livestream = create_and_wait(window, qtbot)
    qtbot.waitUntil(lambda: all_say(window, livestream.id, "Live"), timeout=WAIT_MS)

    emulator.stop()
    # No stale "Live": once the picture is gone and the API cannot be asked, it is unknown.
    qtbot.waitUntil(lambda: window.result.badge.state is StreamState.UNKNOWN, timeout=60_000)
    assert window.result.badge.text() == "Status unknown"
    assert "Last known: " in window.result.badge.toolTip()
    assert "Live" not in places(window, livestream.id)
    qtbot.waitUntil(lambda: window.preview.phase is Phase.ERROR, timeout=WAIT_MS)
    window.recent.refresh_button.click()
    placeholder = window.recent.placeholder
    qtbot.waitUntil(lambda: placeholder.text().startswith("Could not refresh"), timeout=WAIT_MS)

    emulator.start()
    # Back without a click: the preview's checks back off to at most 30 s, and the next
    # status answer refreshes the list.
    qtbot.waitUntil(lambda: window.preview.phase is Phase.LIVE, timeout=60_000)
    qtbot.waitUntil(lambda: all_say(window, livestream.id, "Live"), timeout=AGREE_MS)
    qtbot.waitUntil(lambda: not placeholder.isVisible(), timeout=WAIT_MS)


def test_token_banner_clears_once_the_token_is_retyped(make_window, qtbot):
    window = make_window()
    form = window.form
    form.token_edit.setText("wrong-token-0123456789abcdefghij")
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=WAIT_MS)
    assert window.error_banner.kind == "invalid_token"
    form.token_edit.clear()
    qtbot.keyClicks(form.token_edit, DEMO_TOKEN)
    assert not window.error_banner.isVisible()


def test_a_token_banner_stays_while_the_shown_livestream_is_followed(make_window, qtbot):
    """The shown livestream's status checks keep the token it was created with: their
    answers say nothing about the token now typed in the form."""
    window = make_window(watch_interval_s=0.3)
    livestream = create_and_wait(window, qtbot)
    qtbot.waitUntil(lambda: all_say(window, livestream.id, "Live"), timeout=WAIT_MS)
    window.form.token_edit.setText("wrong-token-0123456789abcdefghij")
    assert "Demo mode" in window.form.token_place_label.text()
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.error_banner.kind == "invalid_token", timeout=WAIT_MS)
    answers = window.status.livestream_updated
    for _ in range(3):  # the status check answers, with the token it was made with
        with qtbot.waitSignal(answers, timeout=WAIT_MS):
            pass
    assert window.error_banner.isVisible() and window.error_banner.kind == "invalid_token"
    assert window.result.badge.text() == "Live"


def test_connection_banner_clears_when_a_later_request_succeeds(make_window, emulator, qtbot):
    window = make_window()
    emulator.faults.inject("apps", FaultKind.SERVER_ERROR_HTML, times=None, status=503)
    window.form.load_apps_button.click()
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=WAIT_MS)
    assert window.error_banner.subject == "connection"
    emulator.faults.clear()
    window.recent.refresh_button.click()
    qtbot.waitUntil(lambda: not window.error_banner.isVisible(), timeout=WAIT_MS)


def test_a_failed_refresh_keeps_the_list_and_says_since_when(make_window, emulator, qtbot):
    window = make_window()
    livestream = create_and_wait(window, qtbot)
    emulator.faults.inject("list", FaultKind.SERVER_ERROR_HTML, times=None, status=503)
    window.recent.refresh_button.click()
    placeholder = window.recent.placeholder
    qtbot.waitUntil(lambda: placeholder.text().startswith("Could not refresh at "), timeout=WAIT_MS)
    assert [ls.id for ls in window.recent.livestreams()] == [livestream.id]
    emulator.faults.clear()
    window.recent.refresh_button.click()
    qtbot.waitUntil(lambda: not placeholder.isVisible(), timeout=WAIT_MS)
    assert [ls.id for ls in window.recent.livestreams()] == [livestream.id]


def test_an_unknown_account_banner_clears_when_the_account_is_retyped(make_window, qtbot):
    window = make_window()
    form = window.form
    form.account_edit.clear()
    qtbot.keyClicks(form.account_edit, "0" * 32)  # well formed, unknown to the API
    click_create(window, qtbot)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=WAIT_MS)
    assert window.error_banner.subject in ("input", "token")
    form.account_edit.clear()
    qtbot.keyClicks(form.account_edit, DEMO_ACCOUNT_ID)
    assert not window.error_banner.isVisible()


def test_an_empty_name_creates_and_an_over_long_one_sends_nothing(make_window, emulator, qtbot):
    window = make_window()
    form = window.form
    form.name_edit.clear()
    qtbot.keyClicks(form.name_edit, "x" * (NAME_MAX_LENGTH + 1))
    assert "too long" in form.errors["name"].text()
    click_create(window, qtbot)
    qtbot.wait(300)
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []
    assert form.name_edit.hasFocus() or window.focusWidget() is form.name_edit
    form.name_edit.clear()
    livestream = create_and_wait(window, qtbot)
    assert livestream.name is None
    assert window.states.shown_view().name == livestream.id
