"""`livestream-companion emulator`: the local RealtimeKit emulator in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

DEFAULT_LIVE_AFTER = 5.0
MAX_LIVE_AFTER = 24 * 3600.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "emulator",
        help="run the local RealtimeKit emulator (demo and tests; nothing reaches Cloudflare)",
        description="Serves Cloudflare's RealtimeKit livestream API and a live HLS test pattern "
        "on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: a free one)"
    )
    parser.add_argument(
        "--live-after",
        type=float,
        default=DEFAULT_LIVE_AFTER,
        metavar="SECONDS",
        help="how long a new livestream waits before it goes live "
        f"(default: {DEFAULT_LIVE_AFTER:g})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app.emulator import Emulator
    from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return 2
    if not 0 <= args.live_after <= MAX_LIVE_AFTER:  # also refuses nan
        print(
            f"error: --live-after is a number of seconds from 0 to {MAX_LIVE_AFTER:g}",
            file=sys.stderr,
        )
        return 2

    stop = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        emulator = Emulator(port=args.port, live_after=args.live_after)
        try:
            emulator.start()
        except OSError as error:
            print(
                f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}",
                file=sys.stderr,
            )
            return 1
        try:
            print(
                f"RealtimeKit emulator listening on {emulator.base_url}\n"
                f"  demo account ID: {DEMO_ACCOUNT_ID}\n"
                f"  demo app ID:     {DEMO_APP_ID}\n"
                f"  new livestreams go live {args.live_after:g} s after creation\n"
                "\n"
                "Point the command line at it (the demo token only opens this emulator; "
                "it is not a secret):\n"
                f"  export CLOUDFLARE_API_BASE_URL={emulator.base_url}\n"
                f"  export CLOUDFLARE_API_TOKEN={DEMO_TOKEN}\n"
                f"  livestream-companion create --account-id {DEMO_ACCOUNT_ID} "
                f"--app-id {DEMO_APP_ID} --name demo\n"
                "\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
            while not stop.wait(0.5):
                pass
        finally:
            emulator.stop()
        print("Emulator stopped.", flush=True)
        return 0
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
