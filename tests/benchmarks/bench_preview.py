"""Preview numbers, printed side by side with their references and targets.

    .venv/bin/python tests/benchmarks/bench_preview.py [--runs N]

1. Playlist live -> first preview frame, vs `ffmpeg -i URL -frames:v 1 -f null -` on the same
   stream (net of ffmpeg's own start-up). Target 1.5x.
2. Encoder first publish -> first preview frame through nginx-rtmp, vs when nginx itself
   publishes the playlist. Target: within one segment + one probe interval of nginx.
3. RSS while previewing vs a bare script playing the same URL in a QVideoWidget. Target 1.3x.

Each measurement runs in a fresh process (offscreen Qt); time.monotonic() is the system-wide
monotonic clock on Linux, so timestamps compare across processes.

--python runs those processes with another interpreter, such as a user's install made by
`scripts/install.sh` (no test or dev extras). The test venv's RSS is about 2.5 MB higher: it
also holds mutmut's click and textual's rich, and httpx imports them for its own command line
whenever they are installed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


# The preview has settled into waiting by then; each run publishes at another point of the
# probe's cycle, so the median covers the wait for the next probe fairly.
WAIT_BEFORE_PUBLISH = 6.0
FFMPEG_QUIET = ["ffmpeg", "-v", "error"]
FIRST_FRAME_TO_NULL = ["-frames:v", "1", "-f", "null", "-"]


def publish_delay(run: int, runs: int) -> float:
    from app.core.preview_session import ProbeCadence

    return WAIT_BEFORE_PUBLISH + ProbeCadence().waiting * run / runs


RSS_PLAY_SECONDS = 8.0


# --- children: only the app is imported, so --python may name a user's install ---------


def child_preview(url: str, play_seconds: float) -> dict:
    import asyncio

    from app.core.http import make_http_client
    from app.ui import bootstrap
    from tests.benchmarks.timed_panel import timed_panel

    app = bootstrap.create_application()
    loop = bootstrap.create_event_loop(app)

    async def main() -> dict:
        http = make_http_client()
        panel, marks, _frames = timed_panel(http, 640, 480)
        panel.show_url(url)
        deadline = time.monotonic() + 60
        while "first_frame" not in marks and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(play_seconds)
        marks["rss_mb"] = rss_mb()
        marks["frames"] = panel.player.frames
        await panel.shutdown()
        await http.aclose()
        return marks

    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(main())


def child_bare(url: str, play_seconds: float) -> dict:
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    video = QVideoWidget()
    video.resize(640, 360)
    video.show()
    player, audio = QMediaPlayer(), QAudioOutput()
    audio.setMuted(True)
    player.setAudioOutput(audio)
    player.setVideoOutput(video)
    marks: dict = {"frames": 0}

    def on_frame(frame) -> None:
        if frame.isValid():
            marks["frames"] += 1
            if "first_frame" not in marks:
                marks["first_frame"] = time.monotonic()
                QTimer.singleShot(int(play_seconds * 1000), app.quit)

    video.videoSink().videoFrameChanged.connect(on_frame)
    marks["play"] = time.monotonic()
    player.setSource(QUrl(url))
    player.play()
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    marks["rss_mb"] = rss_mb()
    player.stop()
    player.setSource(QUrl())
    player.setAudioOutput(None)
    return marks


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- parent -----------------------------------------------------------------------------


CHILD_PYTHON = [sys.executable]


def spawn(mode: str, url: str, play_seconds: float) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["QT_LOGGING_RULES"] = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"
    return subprocess.Popen(
        [CHILD_PYTHON[0], __file__, "--child", mode, url, str(play_seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def collect(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(timeout=120)
    return json.loads(out.strip().splitlines()[-1])


def poll_until_200(url: str, timeout: float = 30.0) -> float:
    from tests.fixtures.media import http_status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http_status(url, timeout=1) == 200:
            return time.monotonic()
        time.sleep(0.01)
    raise RuntimeError(f"{url} never appeared")


def timed(args: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(args, capture_output=True, check=True, timeout=60)
    return time.monotonic() - start


def bench_first_frame(work: Path, runs: int) -> None:
    from tests.fixtures.media import LiveHls

    preview_delays, player_delays, ffmpeg_net = [], [], []
    for n in range(runs):
        hls = LiveHls(work / f"hls{n}")
        try:
            child = spawn("preview", hls.url, 0.5)
            time.sleep(publish_delay(n, runs))
            hls.start(wait=False)
            appeared = poll_until_200(hls.url)
            marks = collect(child)
            preview_delays.append(marks["first_frame"] - appeared)
            player_delays.append(marks["first_frame"] - marks["play"])
            startup = timed(
                [*FFMPEG_QUIET, "-f", "lavfi", "-i", "nullsrc=s=16x16", *FIRST_FRAME_TO_NULL]
            )
            whole = timed([*FFMPEG_QUIET, "-i", hls.url, *FIRST_FRAME_TO_NULL])
            ffmpeg_net.append(max(0.0, whole - startup))
        finally:
            hls.close()
    ref = statistics.median(ffmpeg_net)
    total = statistics.median(preview_delays)
    player = statistics.median(player_delays)
    print(f"1. playlist live -> first frame (median of {runs})")
    print(f"   preview, playlist appears -> first frame : {total * 1000:8.0f} ms")
    print(f"     of which play() -> first frame         : {player * 1000:8.0f} ms")
    print(f"   ffmpeg -frames:v 1, net of start-up      : {ref * 1000:8.0f} ms")
    if ref < 0.001:  # ffmpeg's first frame is lost in the noise of its own start-up
        print("   ratio preview/ffmpeg: n/a (ffmpeg's net time is under 1 ms)")
        return
    print(
        f"   ratio preview/ffmpeg: {total / ref:.1f}x overall, {player / ref:.1f}x player only"
        "   (target 1.5x)"
    )


def bench_rtmp(work: Path, runs: int) -> None:
    from app.core.preview_session import ProbeCadence
    from tests.fixtures.media import NginxRtmp

    to_playlist, to_frame = [], []
    for n in range(runs):
        nginx = NginxRtmp(work / f"nginx{n}").start()
        try:
            key = f"bench{n}"
            child = spawn("preview", nginx.playback_url(key), 0.5)
            time.sleep(publish_delay(n, runs))
            publish = nginx.publish(nginx.ingest_server + key)
            published_at = publish.started_at or time.monotonic()
            playlist_at = nginx.wait_for_playlist(key, timeout=30)
            marks = collect(child)
            to_playlist.append(playlist_at - published_at)
            to_frame.append(marks["first_frame"] - published_at)
        finally:
            nginx.close()
    nginx_s = statistics.median(to_playlist)
    frame_s = statistics.median(to_frame)
    budget = nginx_s + 1.0 + ProbeCadence().waiting
    print(f"2. encoder first publish -> first frame through nginx-rtmp (median of {runs})")
    print(f"   nginx publishes the playlist             : {nginx_s * 1000:8.0f} ms")
    print(f"   first preview frame                      : {frame_s * 1000:8.0f} ms")
    print(
        f"   target: under nginx + 1 segment (1 s) + 1 probe interval "
        f"({ProbeCadence().waiting:.1f} s) = {budget * 1000:.0f} ms -> "
        + ("met" if frame_s <= budget else "MISSED")
    )


def bench_rss(work: Path) -> None:
    from tests.fixtures.media import LiveHls

    hls = LiveHls(work / "rss")
    try:
        hls.start()
        preview = collect(spawn("preview", hls.url, RSS_PLAY_SECONDS))
        bare = collect(spawn("bare", hls.url, RSS_PLAY_SECONDS))
    finally:
        hls.close()
    ratio = preview["rss_mb"] / bare["rss_mb"]
    print(f"3. RSS after {RSS_PLAY_SECONDS:.0f} s of playing")
    print(f"   preview panel (whole process)            : {preview['rss_mb']:8.1f} MB")
    print(f"   bare QVideoWidget script                 : {bare['rss_mb']:8.1f} MB")
    print(f"   ratio {ratio:.2f}x (target 1.3x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "SECONDS"))
    parser.add_argument("--python", help="the interpreter of the measured processes")
    args = parser.parse_args()
    if args.python:
        CHILD_PYTHON[0] = args.python
    if args.child:
        mode, url, seconds = args.child
        fn = child_preview if mode == "preview" else child_bare
        print(json.dumps(fn(url, float(seconds))), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        work = Path(tmp)
        bench_first_frame(work, args.runs)
        bench_rtmp(work, args.runs)
        bench_rss(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
