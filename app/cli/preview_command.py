"""`preview URL`: opens the live preview of any HLS playback URL, no account needed.

For streams made elsewhere, and for support ("does it play on this computer?").
Qt is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import sys

from app.core.errors import InvalidInputError
from app.core.validation import is_safe_http_url, validate_seconds

DEFAULT_CHECK_SECONDS = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="open a window on the live preview of an HLS playback URL (no account needed)",
        description="Opens a window that waits for the broadcast, plays it and reconnects "
        "by itself. Any HLS URL works: https://, or http:// on this computer.",
    )
    parser.add_argument("url", metavar="URL", help="the HLS playback URL (.m3u8)")
    parser.add_argument(
        "--check",
        nargs="?",
        type=float,
        const=DEFAULT_CHECK_SECONDS,
        default=None,
        metavar="SECONDS",
        help="play until the first picture, then quit: exit status 0 if it arrived within "
        f"SECONDS (default {DEFAULT_CHECK_SECONDS:.0f}), 1 otherwise",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    url = args.url.strip()
    if not is_safe_http_url(url):
        error = InvalidInputError(
            "url",
            "The playback URL must start with https:// (plain http:// only for 127.0.0.1 "
            "or localhost).",
        )
        print(f"error: {error.message}", file=sys.stderr)
        return error.exit_code
    if args.check is not None:
        try:
            validate_seconds(args.check, "--check")
        except InvalidInputError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return error.exit_code

    from app.ui.preview.standalone import run_preview  # lazy: Qt only when the window opens

    return run_preview(url, check_timeout=args.check)
