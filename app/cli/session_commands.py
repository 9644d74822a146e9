"""`session` and `usage`: how long a livestream ran, who watched, why it failed, and what the
app used per day, from a terminal or a script."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from app.cli.api_command import reporting_errors, run_with_client
from app.cli.credentials import add_account_option
from app.cli.livestream_commands import _add_app, _add_json, _print_json
from app.core.client import RealtimeKitClient
from app.core.errors import InvalidInputError
from app.core.models import LivestreamSession, UsageDay, UsageReport
from app.core.safe_text import safe_text
from app.core.session_text import duration_text, explain_error

DEFAULT_USAGE_DAYS = 30


def register(subparsers: argparse._SubParsersAction) -> None:
    session = subparsers.add_parser(
        "session",
        help="a livestream's session: the active one, or the latest (start, ingest, viewers, "
        "error)",
    )
    add_account_option(session)
    _add_app(session)
    which = session.add_mutually_exclusive_group(required=True)
    which.add_argument("--livestream-id", help="the livestream: its active or latest session")
    which.add_argument("--session-id", help="one session by its own ID")
    _add_json(session)
    session.set_defaults(run=_run_session)

    usage = subparsers.add_parser(
        "usage", help="the app's ingest and viewer time per day (UTC), with totals"
    )
    add_account_option(usage)
    _add_app(usage)
    usage.add_argument(
        "--days",
        type=int,
        default=DEFAULT_USAGE_DAYS,
        help=f"how many days back, today included (default {DEFAULT_USAGE_DAYS}, at most 365)",
    )
    _add_json(usage)
    usage.set_defaults(run=_run_usage)


async def _find_session(
    client: RealtimeKitClient, args: argparse.Namespace
) -> tuple[LivestreamSession | None, bool]:
    """(session, whether it is live now)."""
    if args.session_id:
        return await client.get_session(args.account_id, args.app_id, args.session_id), False
    active = await client.get_active_session(args.account_id, args.app_id, args.livestream_id)
    if active.session is not None:
        return active.session, True
    history = await client.list_sessions(args.account_id, args.app_id, args.livestream_id, limit=1)
    return (history.sessions[0] if history.sessions else None), False


@reporting_errors
def _run_session(args: argparse.Namespace) -> int:
    session, live = run_with_client(args, lambda client: _find_session(client, args))
    if args.json:
        _print_json({"live": live, "session": session})
        return 0
    if session is None:
        print("No session yet: nothing has been sent to this livestream.")
        return 0
    now = datetime.now(UTC)
    duration = duration_text(session.duration_seconds(now))
    if live:
        print(f"Live since {_local(session.started_at)} ({duration} so far).")
    else:
        print(f"Latest session: {_local(session.started_at)} to {_local(session.stopped_at)}")
        print(f"Duration:      {duration}")
    print(f"Ingest time:   {duration_text(session.ingest_seconds)}")
    print(f"Viewer time:   {duration_text(session.viewer_seconds)}")
    if session.error_message:
        explanation = explain_error(session.error_message)
        print(f"Failed: {safe_text(explanation.said)}")
        print(f"Fix:    {explanation.fix}")
    if session.id:
        print(f"Session ID:    {safe_text(session.id)}")
    return 0


@reporting_errors
def _run_usage(args: argparse.Namespace) -> int:
    if not 1 <= args.days <= 365:
        raise InvalidInputError("days", "--days is 1 to 365.")
    report: UsageReport = run_with_client(
        args, lambda client: client.get_usage(args.account_id, args.app_id, days=args.days)
    )
    if args.json:
        _print_json(report)
        return 0
    print(f"Usage from {report.first_day} to {report.last_day} (UTC days):")
    print(f"{'date':<11} {'sessions':>8}  {'ingest':>12}  {'viewers':>12}")
    for day in (*report.days, *report.undated):
        print(_usage_line(day))
    totals = report.totals
    count = "?" if totals.livestream_count is None else totals.livestream_count
    print(
        f"Total: {count} livestream(s), ingest {duration_text(totals.ingest_seconds)}, "
        f"viewers {duration_text(totals.viewer_seconds)}."
    )
    return 0


def _usage_line(day: UsageDay) -> str:
    date = str(day.day) if day.day else "(no date)"
    sessions = "?" if day.session_count is None else str(day.session_count)
    return (
        f"{date:<11} {sessions:>8}  {duration_text(day.ingest_seconds):>12}  "
        f"{duration_text(day.viewer_seconds):>12}"
    )


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "?"
