"""`create`, `list`, `apps` and `verify`: the RealtimeKit API from a terminal or a script."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from app.cli.credentials import load_token
from app.core.client import RealtimeKitClient, make_http_client, resolve_api_base_url
from app.core.errors import AuthError, AuthProblem, CompanionError
from app.core.models import Livestream, LivestreamPage, RealtimeApp, TokenVerification
from app.core.safe_text import safe_text
from app.core.validation import validate_account_id, validate_page, validate_status

T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction) -> None:
    create = subparsers.add_parser(
        "create",
        help="create a livestream and print its ingest server, stream key and playback URL",
    )
    _add_account(create)
    _add_app(create)
    create.add_argument("--name", help="livestream name: letters, digits, '-' and '_'")
    create.add_argument(
        "--send-to-obs",
        action="store_true",
        help="then set OBS's stream server and key to it (see obs-send)",
    )
    _add_json(create)
    create.set_defaults(run=_run_create)

    listing = subparsers.add_parser("list", help="list an app's livestreams, newest first")
    _add_account(listing)
    _add_app(listing)
    listing.add_argument("--status", help="only LIVE, IDLE, ERRORED or INVOKED livestreams")
    listing.add_argument("--page", type=int, default=1, help="page number (default 1)")
    listing.add_argument("--per-page", type=int, default=25, help="per page (default 25)")
    _add_json(listing)
    listing.set_defaults(run=_run_list)

    apps = subparsers.add_parser("apps", help="list the account's RealtimeKit apps")
    _add_account(apps)
    _add_json(apps)
    apps.set_defaults(run=_run_apps)

    verify = subparsers.add_parser("verify", help="check that the API token works")
    _add_account(verify)
    verify.set_defaults(run=_run_verify)


def _add_account(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account-id", required=True, help="Cloudflare account ID (32 hex)")


def _add_app(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--app-id", required=True, help="RealtimeKit app ID")


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


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


def reporting_errors(command: Callable[[argparse.Namespace], int]):
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


@reporting_errors
def _run_create(args: argparse.Namespace) -> int:
    livestream: Livestream = run_with_client(
        args, lambda c: c.create_livestream(args.account_id, args.app_id, args.name)
    )
    if args.json:
        _print_json(livestream)
    else:
        # Names, ids and statuses are server text; the three values were checked at parsing.
        name = safe_text(livestream.name or "(unnamed)")
        print(f"Livestream {name} created ({safe_text(livestream.id)}).")
        print(f"Ingest server: {livestream.ingest_server}")
        print(f"Stream key:    {livestream.stream_key}")
        print(f"Playback URL:  {livestream.playback_url}")
        print(f"Status:        {safe_text(livestream.status)}")
        print("In OBS: Settings → Stream → Service: Custom; paste the server and the key.")
    if args.send_to_obs:
        # Imported here: obs_command builds on this module.
        from app.cli.obs_command import send_and_report

        return send_and_report(livestream)
    return 0


@reporting_errors
def _run_list(args: argparse.Namespace) -> int:
    # Checked before the token is looked up: a typo is the first thing to hear about.
    validate_page(args.page, args.per_page)
    validate_status(args.status)
    page: LivestreamPage = run_with_client(
        args,
        lambda c: c.list_livestreams(
            args.account_id,
            args.app_id,
            page_no=args.page,
            per_page=args.per_page,
            status=args.status,
        ),
    )
    if args.json:
        _print_json(list(page.livestreams))
        return 0
    if not page.livestreams:
        print("No livestreams in this app yet.")
        return 0
    for stream in page.livestreams:
        created = stream.created_at.strftime("%Y-%m-%d %H:%M") if stream.created_at else "-"
        status, name = safe_text(stream.status), safe_text(stream.name or "(unnamed)")
        print(f"{safe_text(stream.id)}  {status:<8} {created:<16} {name}")
        print(f"    playback: {stream.playback_url}")
    if page.has_more:
        print(f"More on page {page.paging.page_no + 1} (--page).")
    return 0


@reporting_errors
def _run_apps(args: argparse.Namespace) -> int:
    apps: list[RealtimeApp] = run_with_client(args, lambda c: c.list_apps(args.account_id))
    if args.json:
        _print_json(apps)
    elif not apps:
        print("No RealtimeKit apps in this account: create one in the Cloudflare dashboard.")
    else:
        for app in apps:
            print(f"{safe_text(app.id)}  {safe_text(app.name)}")
    return 0


@reporting_errors
def _run_verify(args: argparse.Namespace) -> int:
    result: TokenVerification = run_with_client(args, lambda c: c.verify_token(args.account_id))
    if not result.is_active:
        raise AuthError(AuthProblem.INVALID_TOKEN, f"The API token is {safe_text(result.status)}.")
    expiry = f", expires {result.expires_on:%Y-%m-%d}" if result.expires_on else ""
    print(f"The API token is active{expiry}.")
    return 0


def _print_json(value: Any) -> None:
    print(json.dumps(_jsonable(value), indent=2))


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
