"""Benchmark: the longest event-loop stall while the window creates livestreams.

Run: .venv/bin/python tests/benchmarks/bench_ui_stall.py [--rounds N]
A real MainWindow (offscreen) on the qasync loop creates N livestreams against the
in-process emulator over loopback: click, wait for the result, the recent list and
the preview's start. A 5 ms precise Qt timer runs throughout; a stall is how much
later than due a tick arrives. Prints the longest stall and the 99th percentile of
tick delays during the creates (target: longest under 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TICK_MS = 5


class StallMeter:
    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.delays: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self.recording = False

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_tick(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.delays.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


async def run(rounds: int) -> StallMeter:
    from app.core.client import RealtimeKitClient, make_http_client
    from app.emulator import Emulator
    from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
    from app.ui.context import AppContext, DemoDefaults
    from app.ui.main_window import MainWindow
    from app.ui.settings import AppSettings

    meter = StallMeter()
    with tempfile.TemporaryDirectory() as tmp, Emulator(port=0, live_after=1.0) as emulator:
        async with make_http_client() as http:
            context = AppContext(
                client_factory=lambda token: RealtimeKitClient(
                    http, token, base_url=emulator.base_url
                ),
                token_store_factory=None,
                settings=AppSettings.at_path(Path(tmp) / "settings.ini"),
                demo=DemoDefaults(DEMO_ACCOUNT_ID, DEMO_APP_ID, "bench", DEMO_TOKEN),
                http_factory=lambda: http,
            )
            window = MainWindow(context)
            closed = asyncio.Event()
            window.closed.connect(closed.set)
            window.show()
            window.start()
            meter.start()
            await asyncio.sleep(1.0)  # start-up work (preview, recent list) is not measured
            for i in range(rounds):
                window.form.name_edit.setText(f"bench-{i}")
                before = window.result.livestream
                meter.recording = True
                window.form.create_button.click()
                while window.result.livestream is before:
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.5)  # the recent list refresh and the preview's start
                meter.recording = False
            meter.stop()
            window.close()
            await closed.wait()
    return meter


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from app.ui.bootstrap import create_application, create_event_loop

    app = create_application()
    loop = create_event_loop(app)
    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        meter = runner.run(run(args.rounds))
    delays = sorted(meter.delays)
    p99 = delays[int(len(delays) * 0.99) - 1]
    print(f"{args.rounds} creates, {len(delays)} ticks of {TICK_MS} ms observed")
    print(f"longest stall: {delays[-1]:.1f} ms  (target: under 50 ms)")
    print(f"p99 tick delay: {p99:.1f} ms   median: {statistics.median(delays):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
