"""Benchmark: what sessions and usage cost against the local emulator, in requests and time.

Run: .venv/bin/python tests/benchmarks/bench_sessions.py [--rounds N] [--latency MS]
Prints the median and p90 of: the card's extra request while live (the active session), the Past
sessions table (20 sessions at one per page: 20 requests, 5 at a time) and the 90-day usage
(2 requests, at once). --latency delays every API answer, as a distant server would.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from app.core.client import RealtimeKitClient, make_http_client
from app.emulator import Emulator, FaultKind
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN

PAST_SESSIONS = 30
DAY = 86_400


async def timed(rounds: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    samples = []
    for i in range(rounds + 3):  # the first 3 warm up the connection
        start = time.perf_counter()
        await call()
        if i >= 3:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


async def measure(emulator: Emulator, rounds: int) -> dict[str, tuple[list[float], int]]:
    record = emulator.add_livestream("bench")
    for n in range(PAST_SESSIONS):
        record.broadcast.add_past_session(time.time() - (n + 1) * DAY / 3, 1800.0, 600.0)
    record.broadcast.start()
    ids = (DEMO_ACCOUNT_ID, DEMO_APP_ID)
    results = {}
    async with make_http_client() as http:
        client = RealtimeKitClient(http, DEMO_TOKEN, base_url=emulator.base_url)
        calls = {
            "active session (card, per status check)": lambda: client.get_active_session(
                *ids, record.id
            ),
            "past sessions table (20 newest)": lambda: client.list_sessions(*ids, record.id),
            "usage, 90 days": lambda: client.get_usage(*ids, days=90),
        }
        for name, call in calls.items():
            emulator.clear_requests()
            await call()
            requests = len(emulator.requests)
            results[name] = (await timed(rounds, call), requests)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS")
    args = parser.parse_args()
    with Emulator(live_after=None) as emulator:
        if args.latency > 0:
            for endpoint in ("get", "active_session", "usage_overall", "usage_daywise"):
                emulator.faults.inject(
                    endpoint, FaultKind.DELAY, times=None, delay=args.latency / 1000
                )
        results = asyncio.run(measure(emulator, args.rounds))
    print(
        f"{args.rounds} rounds against the local emulator ({PAST_SESSIONS} past sessions, "
        f"{args.latency:.0f} ms added to each answer)"
    )
    for name, (samples, requests) in results.items():
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(
            f"  {name:<42} {requests:>2} request(s)  median {statistics.median(samples):7.2f} ms"
            f"   p90 {p90:7.2f} ms"
        )


if __name__ == "__main__":
    main()
