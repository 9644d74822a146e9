"""`token set|status|forget`: the API token in the OS keyring, from a terminal.

The token is never an argument (arguments end up in shell history and in every
process listing): `set` reads it from a pipe or from a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO, TypeVar

from app.cli.credentials import TOKEN_ENV_VAR, missing_token_error
from app.cli.livestream_commands import reporting_errors
from app.core.errors import InvalidInputError, SecretStoreError
from app.core.token_store import TokenLocation, TokenStore
from app.core.validation import TOKEN_MAX_LENGTH, validate_account_id, validate_token

T = TypeVar("T")
# Room for the longest token plus whitespace around it.
STDIN_LIMIT = 4 * TOKEN_MAX_LENGTH


def register(subparsers: argparse._SubParsersAction) -> None:
    token = subparsers.add_parser(
        "token",
        help="store, check or forget the API token in the OS keyring",
        description="The API token lives in the OS keyring, one per account. "
        f"{TOKEN_ENV_VAR}, when set, takes precedence over it.",
    )
    actions = token.add_subparsers(dest="token_action", metavar="ACTION", required=True)
    for name, run, help_text in (
        ("set", _run_set, "save a token: piped on stdin, or typed at a prompt that does not echo"),
        ("status", _run_status, "say where the token for the account is (never prints it)"),
        ("forget", _run_forget, "delete the account's token from the keyring"),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.add_argument(
            "--account-id", required=True, metavar="ID", help="Cloudflare account ID (32 hex)"
        )
        action.set_defaults(run=run)


def with_store(operation: Callable[[TokenStore], Awaitable[T]]) -> T:
    async def run() -> T:
        store = TokenStore()
        try:
            return await operation(store)
        finally:
            store.close()

    return asyncio.run(run())


@reporting_errors
def _run_set(args: argparse.Namespace) -> int:
    account_id = validate_account_id(args.account_id)
    token = read_token(sys.stdin)

    async def save(store: TokenStore) -> tuple[TokenLocation, str]:
        location = await store.set(account_id, token)
        return location, (await store.status()).backend_name

    location, backend_name = with_store(save)
    if location is TokenLocation.KEYRING:
        print(f"Saved in {backend_name}.")
        return 0
    print(
        f"No keyring available: not saved. Set {TOKEN_ENV_VAR} for each command instead.",
        file=sys.stderr,
    )
    return SecretStoreError.exit_code


@reporting_errors
def _run_status(args: argparse.Namespace) -> int:
    account_id = validate_account_id(args.account_id)

    async def look(store: TokenStore):
        status = await store.status()
        if not status.usable:
            return status, None
        return status, await store.get(account_id)

    status, token = with_store(look)
    if status.usable:
        where = (
            f"A token for account {account_id} is saved in {status.backend_name}."
            if token
            else f"No token for account {account_id} in {status.backend_name}."
        )
    else:
        where = f"No keyring available ({status.reason}): nothing is saved."
    print(where)
    if environment_token():
        print(f"{TOKEN_ENV_VAR} is set, and commands use it instead.")
    elif not token:
        raise missing_token_error(account_id, status)
    return 0


@reporting_errors
def _run_forget(args: argparse.Namespace) -> int:
    account_id = validate_account_id(args.account_id)

    async def forget(store: TokenStore):
        status = await store.status()
        await store.delete(account_id)
        return status

    status = with_store(forget)
    if status.usable:
        print(f"No token for account {account_id} remains in {status.backend_name}.")
    else:
        print(f"No keyring available ({status.reason}): nothing to forget.")
    if environment_token():
        print(f"{TOKEN_ENV_VAR} is still set: unset it too.")
    return 0


def environment_token() -> bool:
    return bool(os.environ.get(TOKEN_ENV_VAR, "").strip())


def read_token(stdin: TextIO | None) -> str:
    """From a pipe when there is one (read with a cap), else a prompt that does not echo."""
    if stdin is not None and not stdin.isatty():
        text = _read_capped(stdin)
    else:
        try:
            text = getpass.getpass("Cloudflare API token (typing is hidden): ")
        except EOFError:
            text = ""
    return validate_token(text)


def _read_capped(stdin: TextIO) -> str:
    """At most a little more than the longest token: a huge pipe is refused, never held whole.

    Bytes that are not UTF-8 become U+FFFD, which the token check then names.
    """
    limit = STDIN_LIMIT
    raw = stdin.buffer.read(limit + 1) if hasattr(stdin, "buffer") else stdin.read(limit + 1)
    if len(raw) > limit:
        raise InvalidInputError(
            "token", "The token is too long: pipe only the token (about 40 characters)."
        )
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
