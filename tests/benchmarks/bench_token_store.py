"""How long the token store's keyring calls take: status, set, get, delete.

Run inside a D-Bus session with a Secret Service (as scripts/test.sh sets up),
for example:
    dbus-run-session -- sh -c 'echo "" | gnome-keyring-daemon --unlock \
        --components=secrets >/dev/null; .venv/bin/python tests/benchmarks/bench_token_store.py'
Prints the median and worst time per operation, in milliseconds.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.token_store import TokenStore

ROUNDS = 50


async def main() -> None:
    timings: dict[str, list[float]] = {"status (first)": [], "set": [], "get": [], "delete": []}
    for _ in range(ROUNDS):
        store = TokenStore()
        try:
            await _one_round(store, timings)
        finally:
            store.close()
    status = await _status()
    print(f"backend: {status.backend_name} ({status.state.value}), {ROUNDS} rounds")
    for name, values in timings.items():
        print(f"{name:<15} median {statistics.median(values):7.2f} ms   max {max(values):7.2f} ms")


async def _one_round(store: TokenStore, timings: dict[str, list[float]]) -> None:
    account_id = secrets.token_hex(16)
    token = secrets.token_urlsafe(30)
    calls = {
        "status (first)": store.status,
        "set": functools.partial(store.set, account_id, token),
        "get": functools.partial(store.get, account_id),
        "delete": functools.partial(store.delete, account_id),
    }
    for name, call in calls.items():
        start = time.perf_counter()
        await call()
        timings[name].append((time.perf_counter() - start) * 1000)


async def _status():
    store = TokenStore()
    try:
        return await store.status()
    finally:
        store.close()


if __name__ == "__main__":
    asyncio.run(main())
