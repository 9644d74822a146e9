"""OBS starts streaming -> first preview frame, through a real OBS and nginx-rtmp, with the app
watching OBS (fast look for the playlist on StreamStateChanged) and without (the usual cadence),
against when nginx itself publishes the playlist.

    .venv/bin/python tests/benchmarks/obs/bench_obs_first_frame.py [RUNS] [--fps 30]

The stream is started by a separate websocket client, as if by hand in OBS. It re-runs itself
inside a network namespace holding only loopback, like the OBS tests. Each preview runs in a
fresh process (offscreen Qt); time.monotonic() is system-wide, so times compare across processes.
After the first frame it watches 6 s more for gaps between new frames: a start too close to the
newest segment shows as a hitch at each segment boundary.

OBS sends 30 fps here by default, as streamers do. With `--fps 5` (the OBS tests' profile) the
first frame comes about 4 s after the playlist: FFmpeg, inside Qt's player, reads 20 frames to
estimate the frame rate before it plays, and a new broadcast has 5 of them per segment. A
smaller probe size would cut that, but can crash Qt's audio renderer (see preview/player.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures.media import NginxRtmp  # noqa: E402
from tests.fixtures.obs import (  # noqa: E402
    ObsProbe,
    RealObs,
    only_loopback,
    run_in_private_network,
)

# The preview has settled into waiting by then; each run starts at another point of the
# usual probe cycle (0.5 s), so its median covers the wait for the next probe fairly.
SETTLE = 3.0
PHASE_SPREAD = 0.5
PASSWORD_ENV = "BENCH_OBS_PASSWORD"
STREAMER_FPS = 30
# How the start plays on: gaps between new frames in these seconds after the first, stalls
# being those over STALL_GAP (as in bench_glass_to_glass.py).
WATCH_AFTER_FIRST_FRAME = 6.0
STALL_GAP = 0.5


def x264_options(fps: int) -> str:
    """A keyframe every second: 1 s segments, as in the preview benchmarks (OBS's default,
    250 frames, would make the first segment 50 s long at 5 fps)."""
    return f"keyint={fps} min-keyint={fps}"


MODES = ("watching", "not watching")


# --- the child: one preview, optionally watching OBS ---------------------------------------


def child(url: str, port: int, watching: bool) -> dict:
    from app.core.http import make_http_client
    from app.core.obs_events import ObsStreamWatcher, obs_connector
    from app.core.obs_settings import ObsSettings
    from app.ui import bootstrap
    from tests.benchmarks.timed_panel import timed_panel

    app = bootstrap.create_application()
    loop = bootstrap.create_event_loop(app)
    password = os.environ.pop(PASSWORD_ENV)

    async def main() -> dict:
        http = make_http_client()
        panel, marks, frames = timed_panel(http, 320, 240)
        panel.show_url(url)
        watch = None
        if watching:

            async def obs_password() -> str:
                return password

            def started() -> None:
                marks.setdefault("event", time.monotonic())
                panel.expect_broadcast()

            connected = asyncio.Event()
            watcher = ObsStreamWatcher(
                obs_connector(ObsSettings(port=port), obs_password),
                started,
                on_watching=lambda on: connected.set() if on else None,
            )
            watch = asyncio.create_task(watcher.run())
            await asyncio.wait_for(connected.wait(), 30)
        print("ready", flush=True)
        deadline = time.monotonic() + 90
        while "first_frame" not in marks and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(WATCH_AFTER_FIRST_FRAME)
        gaps = [later - earlier for earlier, later in itertools.pairwise(frames)]
        marks["longest_gap"] = max(gaps, default=0.0)
        marks["stalls"] = sum(gap > STALL_GAP for gap in gaps)
        if watch is not None:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        await panel.shutdown()
        await http.aclose()
        return marks

    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        return runner.run(main())


def spawn(url: str, port: int, watching: bool, password: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT))
    env[PASSWORD_ENV] = password  # not on the command line
    env["QT_LOGGING_RULES"] = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"
    mode = "watching" if watching else "plain"
    return subprocess.Popen(
        [sys.executable, __file__, "--child", mode, url, str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


# --- the parent, inside the namespace -------------------------------------------------------


async def one_run(
    obs: RealObs, nginx: NginxRtmp, probe: ObsProbe, key: str, watching: bool, phase: float
) -> dict:
    await probe.data(
        "SetStreamServiceSettings",
        {
            "streamServiceType": "rtmp_custom",
            "streamServiceSettings": {"server": nginx.ingest_server.rstrip("/"), "key": key},
        },
    )
    process = spawn(nginx.playback_url(key), obs.port, watching, obs.password)
    try:
        line = await asyncio.to_thread(process.stdout.readline)
        assert line.strip() == "ready", f"the preview did not start: {line!r}"
        await asyncio.sleep(SETTLE + phase)
        started_at = time.monotonic()
        await probe.data("StartStream")
        playlist_at = await asyncio.to_thread(nginx.wait_for_playlist, key, 60)
        out, _ = await asyncio.to_thread(process.communicate, timeout=120)
        segment = await asyncio.to_thread(first_segment_seconds, nginx.playback_url(key))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        await probe.request("StopStream")
        await probe.wait_stream_active(False)
    marks = json.loads(out.strip().splitlines()[-1])
    result = {
        "playlist": playlist_at - started_at,
        "frame": marks["first_frame"] - started_at,
        "segment": segment,
        "play": marks["play"] - started_at,
        "longest_gap": marks["longest_gap"],
        "stalls": marks["stalls"],
    }
    if "event" in marks:
        result["event"] = marks["event"] - started_at
    return result


async def measure_async(obs: RealObs, nginx: NginxRtmp, runs: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    async with ObsProbe(obs.url, obs.password, timeout=30) as probe:
        for run in range(runs):
            phase = PHASE_SPREAD * run / runs
            for mode in MODES:
                key = f"bench-{run}-{mode[:3]}"
                results[mode].append(
                    await one_run(obs, nginx, probe, key, mode == "watching", phase)
                )
    return results


def first_segment_seconds(url: str) -> float:
    """The first segment's duration in the playlist nginx serves (OBS's keyframe interval)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            return float(line.removeprefix("#EXTINF:").split(",")[0])
    raise RuntimeError("no segment in the playlist")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def measure(runs: int, fps: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        work = Path(workdir)
        obs = RealObs(
            work, password=f"pw-{secrets.token_hex(8)}", x264_options=x264_options(fps), fps=fps
        )
        obs.start()
        nginx = NginxRtmp(work / "nginx").start()
        try:
            results = asyncio.run(measure_async(obs, nginx, runs))
        finally:
            nginx.close()
            obs.stop()
    every = [r for mode in MODES for r in results[mode]]
    nginx_ms = median_ms([r["playlist"] for r in every])
    print(f"OBS StartStream -> ... at {fps} fps (median of {runs} runs per mode, ms)")
    print(f"  nginx publishes the playlist                 : {nginx_ms:8.0f}")
    for mode in MODES:
        frame_ms = median_ms([r["frame"] for r in results[mode]])
        spread = sorted(r["frame"] * 1000 for r in results[mode])
        print(
            f"  first preview frame, {mode:<13}           : {frame_ms:8.0f}"
            f"   (min {spread[0]:.0f}, max {spread[-1]:.0f})"
        )
    for mode in MODES:
        play_ms = median_ms([r["play"] for r in results[mode]])
        print(f"  the preview starts its player, {mode:<13} : {play_ms:8.0f}")
    for mode in MODES:
        gap_ms = median_ms([r["longest_gap"] for r in results[mode]])
        stalls = sum(r["stalls"] for r in results[mode])
        print(
            f"  then {WATCH_AFTER_FIRST_FRAME:.0f} s: longest gap, {mode:<13}  : {gap_ms:8.0f}"
            f"   (stalls over {STALL_GAP} s in all runs: {stalls})"
        )
    events = [r["event"] for r in results["watching"] if "event" in r]
    if events:
        print(f"  StreamStateChanged reaches the watcher       : {median_ms(events):8.0f}")
    segment = statistics.median(r["segment"] for r in every)
    target = nginx_ms + segment * 1000 + 200
    watched = median_ms([r["frame"] for r in results["watching"]])
    print(
        f"  target: nginx + one segment ({segment:.2f} s) + 0.2 s = "
        f"{target:.0f} -> " + ("met" if watched <= target else "MISSED")
    )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, mode, url, port = sys.argv
        print(json.dumps(child(url, int(port), mode == "watching")), flush=True)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, nargs="?", default=5)
    parser.add_argument("--fps", type=int, default=STREAMER_FPS, help="OBS's frame rate")
    args = parser.parse_args()
    if only_loopback():
        measure(args.runs, args.fps)
        return 0
    completed = run_in_private_network(
        [sys.executable, __file__, str(args.runs), "--fps", str(args.fps)],
        timeout=120 + args.runs * 60,
        cwd=REPO_ROOT,
    )
    print(completed.stdout, end="")
    if completed.returncode != 0:
        print(completed.stderr[-4000:], file=sys.stderr)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
