"""Benchmark: process start to the first painted main window, against a bare PySide6 window.

Run: .venv/bin/python tests/benchmarks/bench_ui_startup.py [--rounds N] [--platform offscreen|xcb]
Both are fresh processes timed from just before spawning to their first paint event (the
system-wide monotonic clock). Prints medians and the ratio (target: the app within 1.5x).
With --platform xcb, set DISPLAY to a running X server (e.g. Xvfb :44).

The app's hook: with LIVESTREAM_COMPANION_EXIT_AFTER_FIRST_PAINT set, `livestream-companion`
prints `first-paint <time.monotonic()>` once its main window has painted, then closes the
window as the close button would. Bytecode is cached in a scratch folder (even where
PYTHONDONTWRITEBYTECODE is set), as an installed app has it; the warm-up round writes it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PAINT_ENV = "LIVESTREAM_COMPANION_EXIT_AFTER_FIRST_PAINT"

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("A bare window"))
window.resize(1120, 760)
class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"first-paint {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""


def time_to_first_paint(command: list[str], env: dict[str, str]) -> float:
    start = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    for line in done.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no first paint reported (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=args.platform,
            XDG_CONFIG_HOME=str(Path(home) / "config"),  # no saved settings, none written
            **{FIRST_PAINT_ENV: "1"},
        )
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # no keyring: not part of painting
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
        python = sys.executable
        app = [python, "-m", "app", "--api-base-url", "http://127.0.0.1:9/client/v4"]
        bare = [python, "-c", BARE_WINDOW]
        for command in (bare, app):  # warm the OS file cache once each
            time_to_first_paint(command, env)
        bare_times, app_times = [], []
        for _ in range(args.rounds):  # interleaved, so machine load hits both alike
            bare_times.append(time_to_first_paint(bare, env))
            app_times.append(time_to_first_paint(app, env))
    bare_median = statistics.median(bare_times)
    app_median = statistics.median(app_times)
    print(f"platform {args.platform}, {args.rounds} rounds each")
    for label, times in (("bare PySide6 window", bare_times), ("Livestream Companion", app_times)):
        median, fastest = statistics.median(times) * 1000, min(times) * 1000
        print(f"{label:>20}: median {median:6.0f} ms  min {fastest:6.0f} ms")
    print(f"ratio (medians): {app_median / bare_median:.2f}x  (target: under 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
