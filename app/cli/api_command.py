"""What the commands that call the RealtimeKit API share: the client with the account's token,
and typed errors turned into one line and an exit code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.cli.credentials import load_token
from app.core.client import RealtimeKitClient, make_http_client, resolve_api_base_url
from app.core.errors import CompanionError
from app.core.safe_text import safe_text
from app.core.validation import validate_account_id

T = TypeVar("T")


def run_with_client(
    args: argparse.Namespace, operation: Callable[[RealtimeKitClient], Awaitable[T]]
) -> T:
    """Runs one API operation with the token for --account-id; errors propagate typed."""
    base_url = resolve_api_base_url(args.api_base_url)
    account_id = validate_account_id(args.account_id)
    token = load_token(account_id)

    async def run() -> T:
        async with make_http_client() as http:
            return await operation(RealtimeKitClient(http, token, base_url=base_url))

    return asyncio.run(run())


def reporting_errors(
    command: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Typed errors become one clear line on stderr and their exit code; never a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CompanionError as error:
            print(f"error: {safe_text(error)}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            return 130

    return run
