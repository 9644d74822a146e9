"""Where headless commands get the API token: the environment, else the keyring entry."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from app.about import COMMAND_NAME
from app.core.errors import AuthError, AuthProblem, InvalidInputError
from app.core.redaction import register_secret
from app.core.token_store import BackendStatus, TokenStore
from app.core.validation import validate_token

TOKEN_ENV_VAR = "CLOUDFLARE_API_TOKEN"


def load_token(account_id: str, environ: Mapping[str, str] = os.environ) -> str:
    """For synchronous callers: runs the keyring look-up in its own event loop."""
    return asyncio.run(load_token_async(account_id, environ))


async def load_token_async(
    account_id: str, environ: Mapping[str, str] = os.environ, store: TokenStore | None = None
) -> str:
    token = environ.get(TOKEN_ENV_VAR, "")
    if token.strip():
        try:
            token = validate_token(token)
        except InvalidInputError as error:
            raise InvalidInputError(error.field, f"{TOKEN_ENV_VAR}: {error.message}") from None
        register_secret(token)
        return token
    own_store = store is None
    store = store or TokenStore()
    try:
        token = await store.get(account_id)
        if token:
            return token
        status = await store.status()
    finally:
        if own_store:
            store.close()
    raise missing_token_error(account_id, status)


def missing_token_error(account_id: str, status: BackendStatus) -> AuthError:
    """Says how to provide a token, in the way this machine allows."""
    if status.usable:
        command = f"{COMMAND_NAME} token set --account-id {account_id}"
        how = f"set {TOKEN_ENV_VAR}, or store one with `{command}`"
    else:
        how = f"set {TOKEN_ENV_VAR} (no keyring to store one: {status.reason})"
    return AuthError(AuthProblem.MISSING_TOKEN, f"No API token: {how}.")
