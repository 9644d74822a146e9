"""Twenty fresh processes open the preview on a live stream, play, and quit: none may crash.

With an audio output and no audio device, Qt's player used to crash at interpreter exit
unless it was torn down in order; each process here has exactly that setup.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

RUNS = 20
RUN_TIMEOUT = 45
PARALLEL = 2
ROOT = Path(__file__).resolve().parents[3]
# The command a streamer runs: window, panel, player (with an audio output), exit.
PREVIEW_ONCE = [sys.executable, "-m", "app", "preview", "--check", "20"]


def _preview_once(url: str) -> tuple[int, str]:
    """Exit status and the interesting part of stderr; a hung run is aborted with its stacks."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["QT_LOGGING_RULES"] = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"
    env["PYTHONFAULTHANDLER"] = "1"
    process = subprocess.Popen(
        [*PREVIEW_ONCE, url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        _, err = process.communicate(timeout=10)
        err = f"hung for {RUN_TIMEOUT} s\n{err}"
    # FFmpeg's per-request lines drown the rest.
    lines = [line for line in err.splitlines() if "Opening '" not in line]
    return process.returncode, "\n".join(lines[-150:])


def test_twenty_processes_play_and_quit_without_a_crash(live_hls) -> None:
    live_hls.start()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(_preview_once, [live_hls.url] * RUNS))
    failures = [
        f"run {n}: exit {code}\n{err}" for n, (code, err) in enumerate(results) if code != 0
    ]
    assert not failures, f"{len(failures)} of {RUNS} runs failed:\n" + "\n".join(failures)
