"""Benchmark: what the client adds to a create, against a bare httpx POST to the same emulator.

Run: .venv/bin/python tests/benchmarks/bench_client.py [--rounds N]
Prints the median and p90 of each, and the difference (target: the client adds under 5 ms
besides the one listing it makes before each create, measured on its own as a bare GET).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from app.core.client import RealtimeKitClient, make_http_client
from app.emulator import Emulator
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN


async def measure(rounds: int, base_url: str) -> tuple[list[float], list[float], list[float]]:
    url = f"{base_url}/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/{DEMO_APP_ID}/livestreams"
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    listing = {"per_page": 50, "page_no": 1, "sort_order": "DSC"}
    bare, bare_list, client_times = [], [], []
    async with make_http_client() as http:
        client = RealtimeKitClient(http, DEMO_TOKEN, base_url=base_url)
        for i in range(rounds + 5):  # the first 5 of each warm up connections and imports
            start = time.perf_counter()
            response = await http.post(url, json={"name": f"bare-{i}"}, headers=headers)
            response.raise_for_status()
            response.json()
            elapsed_bare = time.perf_counter() - start

            # What the client asks before each create: the newest livestreams' ids.
            start = time.perf_counter()
            response = await http.get(url, params=listing, headers=headers)
            response.raise_for_status()
            response.json()
            elapsed_list = time.perf_counter() - start

            start = time.perf_counter()
            await client.create_livestream(DEMO_ACCOUNT_ID, DEMO_APP_ID, f"client-{i}")
            elapsed_client = time.perf_counter() - start
            if i >= 5:
                bare.append(elapsed_bare * 1000)
                bare_list.append(elapsed_list * 1000)
                client_times.append(elapsed_client * 1000)
    return bare, bare_list, client_times


def describe(samples: list[float]) -> str:
    p90 = statistics.quantiles(samples, n=10)[-1]
    return f"median {statistics.median(samples):6.2f} ms   p90 {p90:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with Emulator() as emulator:
        bare, bare_list, client = asyncio.run(measure(args.rounds, emulator.base_url))
    print(f"create, {args.rounds} rounds against the local emulator")
    print(f"  bare httpx POST  : {describe(bare)}")
    print(f"  bare list (50)   : {describe(bare_list)}   (asked before each create)")
    print(f"  RealtimeKitClient: {describe(client)}")
    added = statistics.median(client) - statistics.median(bare)
    overhead = added - statistics.median(bare_list)
    print(f"  client adds      : {added:+.2f} ms at the median, of which the listing before")
    print(
        f"                     sending is {statistics.median(bare_list):.2f} ms; the rest "
        f"{overhead:+.2f} ms (target < 5 ms)"
    )


if __name__ == "__main__":
    main()
