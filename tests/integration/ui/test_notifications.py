"""Desktop notifications reach a real notification daemon (dunst on a private session bus).

The window runs in demo mode against the emulator, whose test pattern goes live by itself and
can be stalled and resumed; the preview plays it with Qt's real media backend. What dunst
received is read back with `dunstctl history`.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.core.livestream_state import StreamState
from app.core.preview_phase import Phase
from app.core.stream_notices import NoticeKind
from app.ui.notify.stay_informed import StayInformed
from app.ui.settings import AppSettings
from tests.integration.preview.helpers import wait_phase
from tests.integration.ui.test_tray_and_qr import TitleBarClose

pytestmark = pytest.mark.integration

LIVE_TIMEOUT_S = 20
# The demo's 2 s segments: a stall shows after 3 of them, then the notice settles.
STALL_TIMEOUT_S = 20
NOTICE_TIMEOUT_MS = 15_000


def another_window_active(qtbot) -> QWidget:
    other = QWidget()
    other.setWindowTitle("Another program")
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow, timeout=5000)
    return other


def create_and_wait_live(window, qtbot, *, then=None) -> None:
    """Clicks Create (which makes the window active), does `then`, waits for the picture."""
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=10_000)
    if then is not None:
        then()
    wait_phase(qtbot, window.preview, Phase.LIVE, LIVE_TIMEOUT_S)


@pytest.fixture
def informed_window(make_window, settings_path):
    settings = AppSettings.at_path(settings_path)
    window = make_window(settings=settings)
    stay = StayInformed(window, settings, tray_available=False)
    return window, stay


def test_live_stall_and_recovery_are_each_told_once_while_minimised(
    informed_window, emulator, notification_daemon, qtbot
):
    window, stay = informed_window

    def minimise() -> None:
        window.showMinimized()
        qtbot.waitUntil(window.isMinimized, timeout=5000)

    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + LIVE_TIMEOUT_S * 1000):
        create_and_wait_live(window, qtbot, then=minimise)
    livestream = window.result.livestream
    broadcast = emulator.broadcast(livestream.id)

    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + STALL_TIMEOUT_S * 1000):
        broadcast.stall()
        wait_phase(qtbot, window.preview, Phase.STALLED, STALL_TIMEOUT_S)
    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + LIVE_TIMEOUT_S * 1000):
        broadcast.resume()
        wait_phase(qtbot, window.preview, Phase.LIVE, LIVE_TIMEOUT_S)

    received = notification_daemon.received()
    summaries = [note["summary"] for note in received]
    assert summaries == [
        "test-stream is live",
        "test-stream stalled",
        "test-stream is live again",
    ]
    assert {note["appname"] for note in received} == {"Livestream Companion"}
    for note in received:
        assert livestream.stream_key not in note["summary"] + note["body"]


def test_nothing_is_told_while_the_window_is_active(
    informed_window, emulator, notification_daemon, qtbot
):
    window, stay = informed_window
    told: list = []
    stay.notified.connect(told.append)

    def activate() -> None:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)

    create_and_wait_live(window, qtbot, then=activate)
    assert window.isActiveWindow()
    emulator.broadcast(window.result.livestream.id).stall()
    wait_phase(qtbot, window.preview, Phase.STALLED, STALL_TIMEOUT_S)
    # Past the moment the stall would have been told.
    qtbot.waitUntil(lambda: stay.pending_deadline() is None, timeout=NOTICE_TIMEOUT_MS)
    assert told == []
    assert notification_daemon.received() == []


def test_another_window_active_is_told_and_the_option_turns_it_off(
    informed_window, emulator, notification_daemon, qtbot, settings_path
):
    window, stay = informed_window
    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + LIVE_TIMEOUT_S * 1000):
        create_and_wait_live(window, qtbot)
        # Only now: Qt's offscreen platform hands the focus to the video's own surface when
        # the picture appears (a window manager would not).
        another_window_active(qtbot)
    assert not window.isActiveWindow()

    stay.notify_action.trigger()  # off
    assert AppSettings.at_path(settings_path).notify is False
    told: list = []
    stay.notified.connect(told.append)
    emulator.broadcast(window.result.livestream.id).stall()
    wait_phase(qtbot, window.preview, Phase.STALLED, STALL_TIMEOUT_S)
    qtbot.waitUntil(lambda: stay.pending_deadline() is None, timeout=NOTICE_TIMEOUT_MS)
    assert told == []
    assert [note["summary"] for note in notification_daemon.received()] == ["test-stream is live"]


def test_hidden_in_the_tray_while_live_the_preview_keeps_watching(
    make_window, settings_path, emulator, notification_daemon, qtbot
):
    settings = AppSettings.at_path(settings_path)
    settings.keep_in_tray = True
    window = make_window(settings=settings)
    stay = StayInformed(window, settings, tray_available=True)
    create_and_wait_live(window, qtbot)
    # Watched in the window until it is live (so "live" is not told), then closed to the tray.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.waitUntil(lambda: stay.pending_deadline() is None, timeout=NOTICE_TIMEOUT_MS)
    assert stay.keeps_running_on_close()

    assert stay.eventFilter(window, TitleBarClose()) is True
    assert not window.isVisible()
    broadcast = emulator.broadcast(window.result.livestream.id)
    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + STALL_TIMEOUT_S * 1000):
        broadcast.stall()
    with qtbot.waitSignal(stay.notified, timeout=NOTICE_TIMEOUT_MS + LIVE_TIMEOUT_S * 1000):
        broadcast.resume()
    assert not window.isVisible()
    assert [note["summary"] for note in notification_daemon.received()] == [
        "test-stream stalled",
        "test-stream is live again",
    ]
    # Back from the tray: the fixture closes visible windows only, and a hidden one would
    # leave its preview's connections open for a later test to trip over.
    stay.show_window()
    qtbot.waitUntil(window.isVisible, timeout=5000)


def test_an_errored_stream_says_cloudflare_s_reason_on_the_badge_and_in_the_notice(
    make_window, settings_path, emulator, notification_daemon, qtbot
):
    settings = AppSettings.at_path(settings_path)
    window = make_window(settings=settings, watch_interval_s=0.5)  # status checks bring sessions
    stay = StayInformed(window, settings, tray_available=False)
    told: list = []
    stay.notified.connect(told.append)
    create_and_wait_live(window, qtbot)
    another_window_active(qtbot)
    key = window.result.livestream.stream_key
    # Cloudflare's words echo the key back: it is redacted everywhere they are shown.
    emulator.broadcast(window.result.livestream.id).fail(f"Unsupported codec HEVC for {key}")

    badge = window.result.badge
    qtbot.waitUntil(lambda: badge.state is StreamState.ERRORED, timeout=NOTICE_TIMEOUT_MS)
    reason = "Cloudflare says: \u201cUnsupported codec HEVC for [redacted]\u201d."
    qtbot.waitUntil(lambda: badge.toolTip().startswith(reason), timeout=NOTICE_TIMEOUT_MS)
    assert badge.accessibleDescription() == badge.toolTip()
    assert "H.264 video with AAC audio" in badge.toolTip()

    def errored_notes() -> list[dict[str, str]]:
        return [n for n in notification_daemon.received() if "error" in n["summary"]]

    qtbot.waitUntil(lambda: len(errored_notes()) == 1, timeout=NOTICE_TIMEOUT_MS)
    [note] = errored_notes()
    assert note["summary"] == "test-stream: Cloudflare reports an error"
    assert note["body"] == badge.toolTip()
    # The app says it notified once the daemon has answered, which may come a moment later.
    qtbot.waitUntil(lambda: any(n.kind is NoticeKind.ERRORED for n in told), timeout=5000)
    assert [n.body for n in told if n.kind is NoticeKind.ERRORED] == [note["body"]]
    for seen in notification_daemon.received():
        assert key not in seen["summary"] + seen["body"]
