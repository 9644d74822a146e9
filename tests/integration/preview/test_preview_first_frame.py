"""The first frame of a broadcast that has just begun, through a real RTMP ingest.

The preview waits and looks for the playlist often (as when OBS says it started streaming);
then ffmpeg starts pushing to nginx-rtmp, so the preview starts on a playlist of one or two
1 s segments. A loose bound here; the tight number comes from
tests/benchmarks/obs/bench_obs_first_frame.py.
"""

from __future__ import annotations

import threading
import time

import pytest

from app.core.preview_phase import Phase
from tests.fixtures.media import PATTERN_RATE, NginxRtmp
from tests.integration.preview.helpers import (
    assert_test_pattern,
    current_image,
    shown_panel,
    wait_phase,
)

pytestmark = pytest.mark.integration

STREAM_KEY = "first-frame"
# Seconds after nginx publishes the playlist: its first segment, plus room for a loaded machine.
FIRST_FRAME_BOUND = 3.0


def test_a_new_broadcast_shows_its_first_frame_soon_after_its_playlist(
    qtbot, qloop, nginx_rtmp: NginxRtmp
):
    with shown_panel(qtbot) as panel:
        first_frame: list[float] = []
        panel.player.frame_arrived.connect(
            lambda _w, _h: first_frame.append(time.monotonic()) if not first_frame else None
        )
        panel.show_url(nginx_rtmp.playback_url(STREAM_KEY))
        wait_phase(qtbot, panel, Phase.WAITING, 5)
        panel.expect_broadcast()

        playlist_at: list[float] = []
        watcher = threading.Thread(
            target=lambda: playlist_at.append(nginx_rtmp.wait_for_playlist(STREAM_KEY, 30)),
            daemon=True,
        )
        watcher.start()
        encoder = nginx_rtmp.publish(nginx_rtmp.ingest_server + STREAM_KEY)
        qtbot.waitUntil(lambda: bool(playlist_at), timeout=30_000)
        qtbot.waitUntil(lambda: bool(first_frame), timeout=30_000)
        after = first_frame[0] - playlist_at[0]
        print(f"first frame {after:.2f} s after nginx published the playlist")
        assert after <= FIRST_FRAME_BOUND, f"first frame {after:.2f} s after the playlist"

        # It plays on from there: the pattern, and new frames past the first segments.
        wait_phase(qtbot, panel, Phase.LIVE, 5)
        frames = panel.player.frames
        qtbot.waitUntil(lambda: panel.player.frames >= frames + 2 * PATTERN_RATE, timeout=5000)
        assert_test_pattern(current_image(panel))
        encoder.stop()
