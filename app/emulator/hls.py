"""The live HLS test pattern behind the playback URLs the emulator hands out.

A sliding live playlist over a short committed loop, timestamps kept continuous across wraps
(see ts_timeline), following each livestream's Broadcast: 404 until live, advancing while live,
frozen when stalled, EXT-X-ENDLIST after an end and then 404 again.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from pathlib import Path

from app.emulator.assets import demo_hls_dir
from app.emulator.broadcast import Broadcast, BroadcastState
from app.emulator.store import Store
from app.emulator.ts_timeline import TsLoop
from app.emulator.wire import Response, iso

HLS_PREFIX = "/hls/"
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
SEGMENT_TYPE = "video/mp2t"
PLAYLIST_WINDOW = 6  # segments listed in the live playlist
PREROLL_SEGMENTS = 3  # segments already there the moment a broadcast goes live
SEGMENT_SECONDS = 2.0  # what make-segments.sh produces; checked on load
_PATH_RE = re.compile(
    r"/hls/(?P<livestream_id>[^/]+)/manifest/(?:video\.m3u8|segment-(?P<index>\d{1,12})\.ts)"
)
_EXTINF_RE = re.compile(r"#EXTINF:([0-9.]+)")


class TestPattern:
    """The committed loop: its segment files and their (equal) durations."""

    __test__ = False  # not a pytest class, despite the name

    def __init__(self, folder: Path) -> None:
        playlist = (folder / "loop.m3u8").read_text()
        durations: list[float] = []
        names: list[str] = []
        for line in playlist.splitlines():
            if match := _EXTINF_RE.match(line):
                durations.append(float(match.group(1)))
            elif line and not line.startswith("#"):
                names.append(line.strip())
        if not names or len(names) != len(durations):
            raise ValueError(f"{folder / 'loop.m3u8'} lists no usable segments")
        if any(abs(duration - SEGMENT_SECONDS) > 0.001 for duration in durations):
            raise ValueError(f"demo segments must all last {SEGMENT_SECONDS} s, not {durations}")
        self.segment_seconds = SEGMENT_SECONDS
        self.loop = TsLoop(
            [(folder / name).read_bytes() for name in names],
            round(SEGMENT_SECONDS * len(names) * 90_000),
        )


class HlsPattern:
    """Serves every emulated livestream's playlist and segments from one shared loop."""

    def __init__(self, folder: Callable[[], Path] = demo_hls_dir) -> None:
        self._folder = folder
        self._pattern: TestPattern | None = None
        self._lock = threading.Lock()

    @property
    def preroll_seconds(self) -> float:
        return PREROLL_SEGMENTS * SEGMENT_SECONDS

    def pattern(self) -> TestPattern:
        """Loaded on first use, so the API works even where the segments are missing.

        Raises FileNotFoundError or ValueError when the committed loop is missing or unusable.
        """
        with self._lock:
            if self._pattern is None:
                self._pattern = TestPattern(self._folder())
            return self._pattern

    def route(self, path: str, store: Store) -> tuple[str, Callable[[object], Response], dict]:
        match = _PATH_RE.fullmatch(path)
        if match is None:
            return "", lambda call: _not_found(), {}
        record = store.livestream(match.group("livestream_id"))
        broadcast = record.broadcast if record is not None else None
        index = match.group("index")
        params = {"livestream_id": match.group("livestream_id")}
        if index is None:
            return "hls", lambda call: self._playlist(broadcast), params
        return "segment", lambda call: self._segment(broadcast, int(index)), params

    def _playlist(self, broadcast: Broadcast | None) -> Response:
        if broadcast is None or not broadcast.playlist_visible():
            return _not_found()
        try:
            segment_seconds = self.pattern().segment_seconds
        except (OSError, ValueError) as error:
            return _unavailable(error)
        text = render_playlist(broadcast, segment_seconds)
        return Response(200, text.encode(), PLAYLIST_TYPE, {"Cache-Control": "no-cache"})

    def _segment(self, broadcast: Broadcast | None, index: int) -> Response:
        if broadcast is None or not broadcast.playlist_visible():
            return _not_found()
        try:
            pattern = self.pattern()
        except (OSError, ValueError) as error:
            return _unavailable(error)
        if index >= produced_segments(broadcast, pattern.segment_seconds):
            return _not_found()
        return Response(
            200, pattern.loop.segment(index), SEGMENT_TYPE, {"Cache-Control": "max-age=60"}
        )


def produced_segments(broadcast: Broadcast, segment_seconds: float) -> int:
    """Segments complete so far; segment k covers media [k*d, (k+1)*d)."""
    return math.floor(broadcast.media_seconds() / segment_seconds + 1e-9)


def render_playlist(broadcast: Broadcast, segment_seconds: float) -> str:
    produced = produced_segments(broadcast, segment_seconds)
    first = max(0, produced - PLAYLIST_WINDOW)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{math.ceil(segment_seconds)}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for index in range(first, produced):
        start = broadcast.wall_time_of(index * segment_seconds)
        lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{iso(start)}")
        lines.append(f"#EXTINF:{segment_seconds:.3f},")
        lines.append(f"segment-{index}.ts")
    if broadcast.state is BroadcastState.ENDED:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _not_found() -> Response:
    return Response(404, b"Not found: this stream is not live\n", "text/plain; charset=utf-8")


def _unavailable(error: Exception) -> Response:
    body = f"The demo test pattern is unavailable: {error}\n".encode()
    return Response(503, body, "text/plain; charset=utf-8")
