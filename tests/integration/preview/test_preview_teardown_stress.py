"""Twenty fresh processes open the preview on a live stream, play, and quit: none may crash.

With an audio output and no audio device, Qt's player used to crash at interpreter exit
unless it was torn down in order; each process here has exactly that setup.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

RUNS = 20
PARALLEL = 2
ROOT = Path(__file__).resolve().parents[3]
# The command a streamer runs: window, panel, player (with an audio output), exit.
PREVIEW_ONCE = [sys.executable, "-m", "app", "preview", "--check", "20"]


def _preview_once(url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["QT_LOGGING_RULES"] = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"
    return subprocess.run(
        [*PREVIEW_ONCE, url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_twenty_processes_play_and_quit_without_a_crash(live_hls) -> None:
    live_hls.start()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(_preview_once, [live_hls.url] * RUNS))
    failures = [
        f"run {n}: exit {r.returncode}\n{r.stderr[-1500:]}"
        for n, r in enumerate(results)
        if r.returncode != 0
    ]
    assert not failures, f"{len(failures)} of {RUNS} runs failed:\n" + "\n".join(failures)
