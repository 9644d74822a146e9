"""Does Qt keep playing the emulator's test pattern across a loop wrap? Frames per second, printed.

Plays the pattern in a real QMediaPlayer (offscreen) starting just before a wrap, once as served
(timestamps shifted per pass) and once as a naive loop (the same bytes every pass), and prints
the frames decoded in each second of playback plus the segments fetched.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_emulator_loop.py [seconds]
"""

from __future__ import annotations

import sys
import time

import httpx
from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

from app.emulator import Emulator
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from app.emulator.ts_timeline import TsLoop


def run_events(app: QGuiApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def play(app: QGuiApplication, emulator: Emulator, seconds: float) -> tuple[list[int], list[str]]:
    livestream = httpx.post(
        f"{emulator.base_url}/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/{DEMO_APP_ID}/livestreams",
        json={},
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ).json()["data"]
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    broadcast.advance(14)  # live edge at segment 10: the player starts near the 7 -> 8 wrap
    player = QMediaPlayer()
    sink = QVideoSink()
    player.setVideoSink(sink)
    stamps: list[float] = []
    sink.videoFrameChanged.connect(lambda frame: stamps.append(time.monotonic()))
    started = time.monotonic()
    player.setSource(QUrl(livestream["playback_url"]))
    player.play()
    run_events(app, seconds)
    player.stop()
    player.setSource(QUrl())
    run_events(app, 0.3)
    del player
    per_second = [0] * int(seconds)
    for stamp in stamps:
        second = int(stamp - started)
        if second < len(per_second):
            per_second[second] += 1
    fetched = [r.path.rsplit("/", 1)[1] for r in emulator.requests if r.endpoint == "segment"]
    return per_second, fetched


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    with Emulator(live_after=None) as emulator:
        frames, fetched = play(app, emulator, seconds)
    print(f"served (shifted per pass): frames per second {frames}; fetched {fetched}")
    naive = TsLoop.segment
    TsLoop.segment = lambda self, index: self.segments[index % len(self.segments)].data
    try:
        with Emulator(live_after=None) as emulator:
            frames, fetched = play(app, emulator, seconds)
    finally:
        TsLoop.segment = naive
    print(f"naive loop (same bytes):   frames per second {frames}; fetched {fetched}")


if __name__ == "__main__":
    main()
