"""Where headless commands get the API token: the environment, else the keyring entry."""

from __future__ import annotations

import os

from app.core.errors import AuthError, AuthProblem

TOKEN_ENV_VAR = "CLOUDFLARE_API_TOKEN"


def load_token(account_id: str) -> str:
    token = os.environ.get(TOKEN_ENV_VAR, "").strip()
    if token:
        return token
    raise AuthError(
        AuthProblem.MISSING_TOKEN,
        f"No API token: set {TOKEN_ENV_VAR}, or store one with "
        f"`livestream-companion token set --account-id {account_id}`.",
    )
