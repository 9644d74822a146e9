"""Times Send to OBS against a real OBS Studio: launch to the first identified session, then
full send round trips (connect, identify, status, set, read back, close).

    .venv/bin/python tests/benchmarks/obs/bench_obs_send.py [ROUNDS]

It re-runs itself inside a network namespace holding only loopback, like the tests.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT))

from app.core.models import Livestream  # noqa: E402
from app.core.obs_client import ObsClient  # noqa: E402
from app.core.obs_errors import ObsError  # noqa: E402
from app.core.obs_send import send_to_obs  # noqa: E402
from app.core.obs_settings import ObsSettings  # noqa: E402
from tests.fixtures.obs import RealObs, only_loopback, run_in_private_network  # noqa: E402


async def first_session(settings: ObsSettings, password: str, timeout: float = 30.0) -> float:
    started = time.monotonic()
    while True:
        try:
            async with ObsClient(settings, password, timeout=2.0):
                return time.monotonic() - started
        except ObsError:
            if time.monotonic() - started > timeout:
                raise
            await asyncio.sleep(0.05)


async def rounds(settings: ObsSettings, password: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        target = Livestream(
            id="bench",
            name=None,
            ingest_server="rtmps://live.cloudflare.example:443/live/",
            stream_key=f"key-{secrets.token_hex(16)}",
            playback_url="https://example.invalid/x.m3u8",
            status="IDLE",
        )
        started = time.perf_counter()
        await send_to_obs(settings, password, target)
        times.append(time.perf_counter() - started)
    return times


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        obs = RealObs(Path(workdir), password=f"pw-{secrets.token_hex(8)}")
        launched = time.monotonic()
        obs.start()
        port_open = time.monotonic() - launched
        try:
            settings = ObsSettings(port=obs.port)
            identified = asyncio.run(first_session(settings, obs.password)) + port_open
            times = asyncio.run(rounds(settings, obs.password, count))
        finally:
            obs.stop()
    ms = sorted(t * 1000 for t in times)
    print(f"Xvfb + OBS launch -> websocket port open: {port_open:.2f} s")
    print(f"Xvfb + OBS launch -> first identified session: {identified:.2f} s")
    print(
        f"send_to_obs round trip over {count} rounds: median {statistics.median(ms):.1f} ms, "
        f"p95 {ms[max(0, int(len(ms) * 0.95) - 1)]:.1f} ms, max {ms[-1]:.1f} ms"
    )


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    if only_loopback():
        measure(count)
        return 0
    completed = run_in_private_network(
        [sys.executable, __file__, str(count)], timeout=300, cwd=REPO_ROOT
    )
    print(completed.stdout, end="")
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
