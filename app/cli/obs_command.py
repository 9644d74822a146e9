"""`obs-send`: point OBS at a livestream from a terminal or a script.

The connection comes from $OBS_WEBSOCKET_URL / $OBS_WEBSOCKET_PASSWORD when set,
else from the settings and keyring entry the window saved. There is no password
argument: command lines are visible to every user of the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Coroutine, Mapping
from typing import Any

from app.cli.livestream_commands import reporting_errors, run_with_client
from app.core.errors import CompanionError
from app.core.models import Livestream
from app.core.obs_errors import ObsAuthError
from app.core.obs_password import ObsPasswordStore
from app.core.obs_send import ObsSendResult, send_to_obs
from app.core.obs_settings import (
    PASSWORD_ENV_VAR,
    ObsSettings,
    ObsSettingsStore,
    settings_from_environ,
)
from app.core.redaction import register_secret
from app.core.safe_text import safe_text
from app.core.validation import validate_app_id, validate_livestream_id


def register(subparsers: argparse._SubParsersAction) -> None:
    send = subparsers.add_parser(
        "obs-send",
        help="set OBS's stream server and key to a livestream's (OBS 28+, obs-websocket 5)",
        description="Sets OBS's stream service to Custom with the livestream's ingest server and "
        f"stream key, and reads it back. Connection: $OBS_WEBSOCKET_URL and ${PASSWORD_ENV_VAR} "
        "if set, else the OBS settings saved in the window.",
    )
    send.add_argument("--account-id", required=True, help="Cloudflare account ID (32 hex)")
    send.add_argument("--app-id", required=True, help="RealtimeKit app ID")
    send.add_argument("--livestream-id", required=True, help="the livestream to stream to")
    send.set_defaults(run=_run_obs_send)


@reporting_errors
def _run_obs_send(args: argparse.Namespace) -> int:
    app_id = validate_app_id(args.app_id)
    livestream_id = validate_livestream_id(args.livestream_id)
    # A bad OBS address fails before anything is asked of Cloudflare.
    settings, password = asyncio.run(resolve_connection())
    livestream: Livestream = run_with_client(
        args, lambda c: c.get_livestream(args.account_id, app_id, livestream_id)
    )
    result = _in_command_line_words(send_to_obs(settings, password, livestream))
    print(_describe(result))
    return 0


def send_and_report(livestream: Livestream) -> int:
    """For commands that already hold a livestream (`create --send-to-obs`): prints the outcome
    and returns the exit code, 0 when OBS is set."""
    try:
        result = _in_command_line_words(send_with_saved_connection(livestream))
    except CompanionError as error:
        print(f"error: {safe_text(error)}", file=sys.stderr)
        return error.exit_code
    print(_describe(result))
    return 0


async def send_with_saved_connection(
    livestream: Livestream,
    *,
    environ: Mapping[str, str] = os.environ,
    settings_store: ObsSettingsStore | None = None,
    password_store: ObsPasswordStore | None = None,
) -> ObsSendResult:
    settings, password = await resolve_connection(
        environ=environ, settings_store=settings_store, password_store=password_store
    )
    return await send_to_obs(settings, password, livestream)


async def resolve_connection(
    *,
    environ: Mapping[str, str] = os.environ,
    settings_store: ObsSettingsStore | None = None,
    password_store: ObsPasswordStore | None = None,
) -> tuple[ObsSettings, str | None]:
    """The environment wins over what the window saved; the keyring is read only when the
    environment gives no password."""
    store = settings_store or ObsSettingsStore()
    settings = settings_from_environ(await asyncio.to_thread(store.load), environ)
    if PASSWORD_ENV_VAR in environ:
        password = environ[PASSWORD_ENV_VAR]
        register_secret(password)
        return settings, password
    passwords = password_store or ObsPasswordStore()
    try:
        return settings, await passwords.get_password()
    finally:
        if password_store is None:
            passwords.close()


def _in_command_line_words(send: Coroutine[Any, Any, ObsSendResult]) -> ObsSendResult:
    try:
        return asyncio.run(send)
    except ObsAuthError as error:
        raise ObsAuthError(password_given=error.password_given, for_command_line=True) from None


def _describe(result: ObsSendResult) -> str:
    version = f" (OBS {result.obs_version})" if result.obs_version else ""
    text = f"{result.message}\nOBS at {result.address}{version} streams to {result.ingest_server}."
    return "\n".join(safe_text(line) for line in text.split("\n"))
