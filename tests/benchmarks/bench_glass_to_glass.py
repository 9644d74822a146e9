"""Glass to glass: how long after the encoder made a frame does the preview show it?

    .venv/bin/python tests/benchmarks/bench_glass_to_glass.py [--seconds 30] [--segments 1 2]
        [--players app viewers ffplay]

ffmpeg encodes a frame-counter barcode at real-time pace (tests/fixtures/frame_counter.py)
into live HLS on a loopback server, with 1 s and then 2 s segments. Each player runs in a
fresh process and decodes the counter of every frame it shows:

- app      the preview panel as shipped: through its loopback proxy, at the live edge;
           frames read from the QVideoWidget's videoSink() as they are presented
- viewers  the same panel with "Show the stream as viewers see it" (the previous behaviour)
- ffplay   ffplay with its defaults, in a 320x180 window on Xvfb; the screen is grabbed
           about 30 times a second, so its numbers carry up to ~35 ms of grab delay

Delay of a shown frame N = when it was shown - (t0 + N / 25), t0 being the first segment's
EXT-X-PROGRAM-DATE-TIME. Prints median and 95th percentile, and stalls: gaps of more than
STALL_GAP seconds between new frames once playing (`--seconds 120` for the two-minute count).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fixtures.frame_counter import RATE, SIZE, decode_counter, first_stamp  # noqa: E402
from tests.fixtures.media import LiveHls  # noqa: E402

STALL_GAP = 0.5
# Let the encoder fill its playlist first: a preview usually joins a running broadcast.
WARM_UP_SECONDS = 7.0
GRAB_INTERVAL_MS = 30
QT_QUIET = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"


class Recorder:
    """Decoded counters of the frames shown, and when."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.delays: list[float] = []
        self.stalls = 0
        self.last_counter: int | None = None
        self.last_new_at: float | None = None
        self.first_at: float | None = None

    def shown(self, image) -> None:
        now = time.time()
        counter = decode_counter(image)
        if counter is None or counter == self.last_counter:
            return
        if self.last_new_at is not None and now - self.last_new_at > STALL_GAP:
            self.stalls += 1
        if self.first_at is None:
            self.first_at = now
        self.last_counter, self.last_new_at = counter, now
        self.delays.append(now - (self.t0 + counter / RATE))

    def result(self, **extra) -> dict:
        return {"delays": self.delays, "stalls": self.stalls, **extra}


# --- children ---------------------------------------------------------------------------


def child_app(url: str, t0: float, seconds: float, at_edge: bool) -> dict:
    import asyncio

    from app.core.http import make_http_client
    from app.ui import bootstrap
    from app.ui.preview.panel import PreviewPanel

    app = bootstrap.create_application()
    loop = bootstrap.create_event_loop(app)
    recorder = Recorder(t0)
    health: list[str] = []

    async def main() -> dict:
        http = make_http_client()
        panel = PreviewPanel(http=http)
        panel.set_live_edge(at_edge)
        panel.resize(640, 480)
        panel.show()
        sink = panel.video.videoSink()
        sink.videoFrameChanged.connect(lambda f: f.isValid() and recorder.shown(f.toImage()))
        panel.show_url(url)
        deadline = time.monotonic() + 60
        while recorder.first_at is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(1.0)
            health.append(panel.health_label.text())
        await panel.shutdown()
        await http.aclose()
        return recorder.result(health=health[-1] if health else "")

    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(main())


def child_screen(t0: float, seconds: float) -> dict:
    """Grabs the top-left corner of the X screen, where ffplay shows the picture."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    screen = app.primaryScreen()
    recorder = Recorder(t0)
    width, height = SIZE

    def grab() -> None:
        recorder.shown(screen.grabWindow(0, 0, 0, width, height).toImage())

    timer = QTimer()
    timer.setInterval(GRAB_INTERVAL_MS)
    timer.timeout.connect(grab)
    timer.start()
    QTimer.singleShot(int((seconds + 15) * 1000), app.quit)
    app.exec()
    return recorder.result()


# --- parent -----------------------------------------------------------------------------


def child_env(**extra: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_LOGGING_RULES=QT_QUIET)
    env.update(extra)
    return env


def run_child(args: list[str], env: dict, timeout: float) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_app(url: str, t0: float, seconds: float, at_edge: bool) -> dict:
    mode = "app" if at_edge else "viewers"
    env = child_env(QT_QPA_PLATFORM="offscreen")
    return run_child([mode, url, str(t0), str(seconds)], env, seconds + 90)


def measure_ffplay(url: str, t0: float, seconds: float, work: Path) -> dict:
    display = f":{free_display()}"
    width, height = SIZE
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{width * 2}x{height * 2}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        env = child_env(DISPLAY=display, QT_QPA_PLATFORM="xcb", SDL_AUDIODRIVER="dummy")
        log = (work / "ffplay.log").open("w")
        ffplay = subprocess.Popen(
            ["ffplay", "-hide_banner", "-loglevel", "error", "-noborder", "-left", "0",
             "-top", "0", "-x", str(width), "-y", str(height), "-t", str(seconds + 10), url],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            return run_child(["screen", url, str(t0), str(seconds)], env, seconds + 90)
        finally:
            ffplay.kill()
            ffplay.wait()
            log.close()
    finally:
        xvfb.kill()
        xvfb.wait()


def free_display(first: int = 71) -> int:
    for n in range(first, first + 50):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def summary(name: str, result: dict) -> str:
    delays = sorted(result["delays"])
    if len(delays) < 20:
        return f"   {name:<8} too few frames decoded ({len(delays)})"
    median = statistics.median(delays)
    p95 = delays[int(0.95 * (len(delays) - 1))]
    line = (
        f"   {name:<8} median {median:5.2f} s   p95 {p95:5.2f} s   "
        f"stalls {result['stalls']:2d}   frames {len(delays)}"
    )
    if result.get("health"):
        line += f"\n            health line: {result['health']}"
    return line


def measure(segment: int, players: list[str], seconds: float, work: Path) -> None:
    hls = LiveHls(work / f"seg{segment}", segment_seconds=segment, counter=True)
    try:
        hls.start()
        t0 = first_stamp(hls.playlist.read_text())
        assert t0 is not None, "the playlist carries no EXT-X-PROGRAM-DATE-TIME"
        time.sleep(WARM_UP_SECONDS)
        print(f"{segment} s segments ({seconds:.0f} s each; target app median <= "
              f"{segment + 0.5:.1f} s)", flush=True)  # fmt: skip
        for player in players:
            if player == "ffplay":
                result = measure_ffplay(hls.url, t0, seconds, work)
            else:
                result = measure_app(hls.url, t0, seconds, at_edge=player == "app")
            print(summary(player, result), flush=True)
    finally:
        hls.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--segments", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--players", nargs="+", default=["app", "viewers", "ffplay"])
    parser.add_argument("--child", nargs=4, metavar=("MODE", "URL", "T0", "SECONDS"))
    args = parser.parse_args()
    if args.child:
        mode, url, t0, seconds = args.child
        if mode == "screen":
            result = child_screen(float(t0), float(seconds))
        else:
            result = child_app(url, float(t0), float(seconds), at_edge=mode == "app")
        print(json.dumps(result), flush=True)
        return 0
    if "ffplay" in args.players and not (shutil.which("ffplay") and shutil.which("Xvfb")):
        print("ffplay or Xvfb missing: ffplay left out")
        args.players.remove("ffplay")
    with tempfile.TemporaryDirectory(prefix="bench-g2g-") as tmp:
        for segment in args.segments:
            measure(segment, args.players, args.seconds, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
