"""The preview panel against real live HLS on loopback: ffmpeg's, and the emulator's pattern."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from app.core.client import RealtimeKitClient
from app.core.http import make_http_client
from app.core.preview_phase import Phase
from app.core.preview_session import ProbeCadence
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.media import http_status
from tests.integration.preview.helpers import (
    assert_test_pattern,
    current_image,
    run_async,
    shown_panel,
    wait_phase,
)

pytestmark = pytest.mark.integration

PROBE_INTERVAL = ProbeCadence().waiting


@pytest.fixture
def panel(qtbot, qloop):
    with shown_panel(qtbot) as widget:
        yield widget


def test_waiting_then_live_within_one_probe_interval_of_the_playlist(qtbot, panel, live_hls):
    panel.show_url(live_hls.url, ingest_server="rtmp://127.0.0.1:1935/live/")
    wait_phase(qtbot, panel, Phase.WAITING, 2)
    assert "Start streaming to rtmp://127.0.0.1:1935/live/ in OBS" in panel.detail_label.text()
    # A few probes see no playlist first: the panel must keep waiting.
    qtbot.wait(int(PROBE_INTERVAL * 2 * 1000))
    assert panel.phase is Phase.WAITING

    live_hls.start(wait=False)
    qtbot.waitUntil(lambda: http_status(live_hls.url) == 200, timeout=15000)
    appeared = time.monotonic()
    connecting = wait_phase(qtbot, panel, Phase.CONNECTING, PROBE_INTERVAL + 1)
    live = wait_phase(qtbot, panel, Phase.LIVE, 10)
    assert connecting - appeared <= PROBE_INTERVAL + 0.3
    assert panel.state_text() == "Live"
    assert_test_pattern(current_image(panel))
    # The health line has what the viewer side sees.
    qtbot.waitUntil(lambda: "fps" in panel.health_label.text(), timeout=3000)
    health = panel.health_label.text()
    assert "320\u00d7180" in health and "segments 1.0 s" in health and "behind live" in health
    # 1 s segments are outside Cloudflare's keyframe advice.
    assert panel.warning_label.isVisible()
    assert "keyframe interval" in panel.warning_label.text()
    print(
        f"playlist live -> connecting {connecting - appeared:.2f} s, live {live - appeared:.2f} s"
    )


def test_killed_encoder_stalls_then_reconnects_and_a_clean_stop_ends(qtbot, panel, live_hls):
    live_hls.start()
    panel.show_url(live_hls.url)
    wait_phase(qtbot, panel, Phase.LIVE, 10)
    frames_before = panel.player.frames

    live_hls.kill()  # stale playlist: Qt's player would freeze silently
    wait_phase(qtbot, panel, Phase.STALLED, 10)
    assert panel.state_text() == "Stalled: reconnecting"
    assert panel.player.frames > frames_before

    live_hls.start()
    wait_phase(qtbot, panel, Phase.LIVE, 15)
    frames = panel.player.frames
    qtbot.waitUntil(lambda: panel.player.frames > frames + 10, timeout=5000)
    assert_test_pattern(current_image(panel))

    live_hls.stop()  # ffmpeg writes #EXT-X-ENDLIST
    wait_phase(qtbot, panel, Phase.ENDED, 15)
    assert panel.state_text() == "The broadcast ended"
    wait_phase(qtbot, panel, Phase.WAITING, 10)
    assert panel.detail_label.text().startswith("The last broadcast ended.")


def test_emulator_pattern_live_stall_resume_end(qtbot, panel, make_emulator):
    emulator = make_emulator(live_after=None)
    http = make_http_client()
    try:
        client = RealtimeKitClient(http, DEMO_TOKEN, base_url=emulator.base_url)
        livestream = run_async(
            qtbot, client.create_livestream(DEMO_ACCOUNT_ID, DEMO_APP_ID, "preview-test")
        )
        panel.show_livestream(livestream)
        wait_phase(qtbot, panel, Phase.WAITING, 2)
        assert livestream.ingest_server in panel.detail_label.text()
        qtbot.wait(int(PROBE_INTERVAL * 2 * 1000))
        assert panel.phase is Phase.WAITING

        broadcast = emulator.broadcast(livestream.id)
        started = time.monotonic()
        broadcast.start()
        wait_phase(qtbot, panel, Phase.CONNECTING, PROBE_INTERVAL + 1)
        live = wait_phase(qtbot, panel, Phase.LIVE, 10)
        assert_test_pattern(current_image(panel))
        print(f"emulator broadcast start -> live {live - started:.2f} s")

        broadcast.stall()
        wait_phase(qtbot, panel, Phase.STALLED, 15)
        broadcast.resume()
        wait_phase(qtbot, panel, Phase.LIVE, 15)

        broadcast.end(grace=2.0)
        wait_phase(qtbot, panel, Phase.ENDED, 15)
        wait_phase(qtbot, panel, Phase.WAITING, 10)
    finally:
        run_async(qtbot, http.aclose())


def test_unsafe_url_is_never_given_to_the_player(qtbot, panel):
    panel.show_url("http://203.0.113.7/live.m3u8")
    assert panel.phase is Phase.IDLE
    assert panel.state_text() == "Preview error"
    assert panel.player.player.source().isEmpty()


def test_muted_by_default_detach_and_bring_back_keep_playing(qtbot, panel, live_hls):
    assert panel.player.is_muted()
    assert panel.mute_button.isChecked()
    live_hls.start()
    panel.show_url(live_hls.url)
    wait_phase(qtbot, panel, Phase.LIVE, 10)

    qtbot.mouseClick(panel.detach_button, Qt.MouseButton.LeftButton)
    assert panel.video.window() is not panel.window()
    assert panel.detach_button.text() == "Bring back"
    frames = panel.player.frames
    qtbot.waitUntil(lambda: panel.player.frames > frames + 10, timeout=5000)
    assert_test_pattern(current_image(panel))

    panel.video.window().close()  # closing the detached window brings the video back
    assert panel.video.window() is panel.window()
    assert panel.detach_button.text() == "Detach"
    frames = panel.player.frames
    qtbot.waitUntil(lambda: panel.player.frames > frames + 10, timeout=5000)
    assert panel.phase is Phase.LIVE

    panel.volume_slider.setValue(30)
    assert not panel.player.is_muted()
    assert panel.player.volume() == pytest.approx(0.3)
