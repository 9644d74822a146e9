"""Qt's own player plays the emulator's test pattern on and on, across a loop wrap.

Qt's FFmpeg backend freezes silently when timestamps jump backwards, which is what a naively
looped pattern does at every wrap (tests/benchmarks/bench_emulator_loop.py shows both).
"""

from __future__ import annotations

import re

import httpx
import pytest

from app.emulator import Emulator
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration

LOOP_SEGMENTS = 8
SEGMENT_US = 2_000_000


def distinct_colours(image) -> int:
    """Colours on a coarse grid: a real picture has many, a blank or frozen-grey frame few."""
    width, height = image.width(), image.height()
    return len(
        {
            image.pixelColor(x * width // 16, y * height // 9).rgb()
            for x in range(16)
            for y in range(9)
        }
    )


def test_qmediaplayer_keeps_playing_across_a_loop_wrap(
    emulator: Emulator, emulator_http: httpx.Client, qtbot
) -> None:
    qt_multimedia = pytest.importorskip("PySide6.QtMultimedia")
    from PySide6.QtCore import QUrl

    livestream = emulator_http.post(livestreams_path(), json={}).json()["data"]
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    broadcast.advance(14)  # live edge at segment 10: players start a few segments back

    player = qt_multimedia.QMediaPlayer()
    sink = qt_multimedia.QVideoSink()
    player.setVideoSink(sink)
    starts: list[int] = []  # frame start times, microseconds from the first frame
    images: dict[str, object] = {}

    def on_frame(frame) -> None:
        if not frame.isValid():
            return
        starts.append(frame.startTime())
        wrap = wrap_us()
        if wrap is None:
            return
        if "before" not in images and frame.startTime() >= wrap - 500_000:
            images["before"] = frame.toImage()
        if "after" not in images and frame.startTime() >= wrap + 1_000_000:
            images["after"] = frame.toImage()

    def first_segment() -> int | None:
        for entry in emulator.requests:
            if entry.endpoint == "segment":
                return int(re.search(r"segment-(\d+)\.ts", entry.path).group(1))
        return None

    def wrap_us() -> int | None:
        first = first_segment()
        return None if first is None else (LOOP_SEGMENTS - first) * SEGMENT_US

    sink.videoFrameChanged.connect(on_frame)
    try:
        player.setSource(QUrl(livestream["playback_url"]))
        player.play()
        qtbot.waitUntil(lambda: first_segment() is not None and bool(starts), timeout=10_000)
        assert first_segment() < LOOP_SEGMENTS, "the player must start before the wrap"
        wrap = wrap_us()

        # A whole segment past the wrap: the player did not freeze on it.
        qtbot.waitUntil(lambda: starts[-1] >= wrap + SEGMENT_US, timeout=wrap / 1000 + 8_000)

        after_wrap = [start for start in starts if wrap <= start < wrap + SEGMENT_US]
        assert len(after_wrap) >= 45  # 50 frames in a 2 s segment at 25 fps; a few may drop
        assert starts == sorted(starts)  # the timeline never went back
        before, after = images["before"], images["after"]
        assert (after.width(), after.height()) == (640, 360)
        assert distinct_colours(after) >= 8
        assert before != after  # the pattern moves
    finally:
        sink.videoFrameChanged.disconnect(on_frame)
        player.stop()
        player.setSource(QUrl())
        qtbot.wait(300)  # let the FFmpeg threads wind down before the player goes
        del player, sink
