"""`create`, `list`, `apps` and `verify`: the RealtimeKit API from a terminal or a script."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from typing import Any

from app.cli.api_command import reporting_errors, run_with_client
from app.cli.credentials import add_account_option
from app.core.errors import AuthError, AuthProblem
from app.core.models import Livestream, LivestreamPage, RealtimeApp, TokenVerification
from app.core.safe_text import safe_text
from app.core.validation import validate_page, validate_status


def register(subparsers: argparse._SubParsersAction) -> None:
    create = subparsers.add_parser(
        "create",
        help="create a livestream and print its ingest server, stream key and playback URL",
    )
    add_account_option(create)
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
    add_account_option(listing)
    _add_app(listing)
    listing.add_argument("--status", help="only LIVE, IDLE, ERRORED or INVOKED livestreams")
    listing.add_argument("--page", type=int, default=1, help="page number (default 1)")
    listing.add_argument("--per-page", type=int, default=25, help="per page (default 25)")
    _add_json(listing)
    listing.set_defaults(run=_run_list)

    apps = subparsers.add_parser("apps", help="list the account's RealtimeKit apps")
    add_account_option(apps)
    _add_json(apps)
    apps.set_defaults(run=_run_apps)

    verify = subparsers.add_parser("verify", help="check that the API token works")
    add_account_option(verify)
    verify.set_defaults(run=_run_verify)


def _add_app(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--app-id", required=True, help="RealtimeKit app ID")


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


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
        # Imported here: only a create that sends to OBS loads the OBS client.
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
    if page.has_more and page.paging is not None:
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
    if isinstance(value, dict):
        return {key: _jsonable(v) for key, v in value.items()}
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return value
