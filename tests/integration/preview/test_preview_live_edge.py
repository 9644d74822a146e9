"""The preview at the live edge: the frame shown is close to the one the encoder makes now.

The encoder burns its frame number into the picture (tests/fixtures/frame_counter.py);
the test decodes the frames the panel presents and compares them with the frame the
encoder is making at that moment. A loose functional bound (two segments); the tight
number comes from tests/benchmarks/bench_glass_to_glass.py.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from app.core.preview_phase import Phase
from app.ui.preview.panel import PreviewPanel
from tests.fixtures.frame_counter import RATE, decode_counter, first_stamp
from tests.fixtures.media import LiveHls
from tests.integration.preview.helpers import shown_panel, wait_phase

pytestmark = pytest.mark.integration

SEGMENT_SECONDS = 1
# A preview usually joins a broadcast that has run for a while: a full playlist.
WARM_UP_SECONDS = 7.0
WATCH_SECONDS = 6.0


@pytest.fixture
def counter_hls(tmp_path: Path):
    stream = LiveHls(tmp_path, segment_seconds=SEGMENT_SECONDS, counter=True)
    try:
        yield stream
    finally:
        stream.close()


@pytest.fixture
def panel(qtbot, qloop):
    with shown_panel(qtbot) as widget:
        yield widget


def join_running_broadcast(qtbot, panel: PreviewPanel, stream: LiveHls) -> float:
    """Starts the encoder, lets its playlist fill, previews it; returns the encoder's t0."""
    stream.start()
    t0 = first_stamp(stream.playlist.read_text())
    assert t0 is not None
    qtbot.wait(int(WARM_UP_SECONDS * 1000))
    panel.show_url(stream.url)
    wait_phase(qtbot, panel, Phase.LIVE, 15)
    return t0


def behind_encoder(panel: PreviewPanel, t0: float, seconds: float, qtbot) -> list[float]:
    """Seconds between the encoder's current frame and the frame shown, per new frame."""
    delays: list[float] = []

    def shown(frame) -> None:
        counter = decode_counter(frame.toImage()) if frame.isValid() else None
        if counter is not None:
            delays.append(time.time() - (t0 + counter / RATE))

    sink = panel.video.videoSink()
    sink.videoFrameChanged.connect(shown)
    try:
        qtbot.wait(int(seconds * 1000))
    finally:
        sink.videoFrameChanged.disconnect(shown)
    return delays


def test_the_preview_shows_frames_within_two_segments_of_the_encoder(qtbot, panel, counter_hls):
    t0 = join_running_broadcast(qtbot, panel, counter_hls)
    delays = behind_encoder(panel, t0, WATCH_SECONDS, qtbot)
    assert len(delays) >= RATE * WATCH_SECONDS / 2, "too few frames decoded"
    median = statistics.median(delays)
    assert 0 < median <= 2 * SEGMENT_SECONDS, f"{median:.2f} s behind the encoder"
    # The health line says how far behind, measured from the playlist's stamps.
    qtbot.waitUntil(lambda: "(measured)" in panel.health_label.text(), timeout=3000)
    print(f"median {median:.2f} s behind the encoder; health: {panel.health_label.text()}")


def test_as_viewers_see_it_starts_further_back(qtbot, panel, counter_hls):
    panel.set_live_edge(False)
    t0 = join_running_broadcast(qtbot, panel, counter_hls)
    delays = behind_encoder(panel, t0, 3.0, qtbot)
    assert delays, "no frame decoded"
    # Players' default start: three segments back.
    assert statistics.median(delays) > 2.5 * SEGMENT_SECONDS
