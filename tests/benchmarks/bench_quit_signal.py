"""Benchmark: from SIGINT or SIGTERM to the process's end, through the window's teardown.

Run: .venv/bin/python tests/benchmarks/bench_quit_signal.py [--rounds N] [--command demo|preview]
Starts the real app (offscreen), waits until its signal handlers are in place and the window
has settled, sends the signal and times the exit. Prints the median and the worst per signal
(target: within 2 s) and the exit codes seen.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = "Ctrl-C and SIGTERM close the windows"
COMMANDS = {"demo": ["--demo"], "preview": ["preview", "http://127.0.0.1:9/live.m3u8"]}
SETTLE_S = 3.0


def one_round(args: list[str], signum: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as config:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=config)
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--debug", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready = threading.Event()

        def read() -> None:
            for line in process.stderr:
                if READY in line:
                    ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if not ready.wait(timeout=60):
            process.kill()
            raise RuntimeError("the app did not start")
        time.sleep(SETTLE_S)
        sent = time.monotonic()
        process.send_signal(signum)
        code = process.wait(timeout=60)
        elapsed = time.monotonic() - sent
        reader.join(timeout=10)
        process.stderr.close()
        return elapsed, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--command", choices=sorted(COMMANDS), default="demo")
    options = parser.parse_args()
    for signum in (signal.SIGINT, signal.SIGTERM):
        results = [one_round(COMMANDS[options.command], signum) for _ in range(options.rounds)]
        times = [elapsed for elapsed, _code in results]
        codes = sorted({code for _elapsed, code in results})
        name = signal.Signals(signum).name
        print(
            f"{options.command} {name}: median {statistics.median(times):.2f} s,"
            f" worst {max(times):.2f} s over {options.rounds} rounds; exit codes {codes}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
