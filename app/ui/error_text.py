"""Every CompanionError in the words a streamer can act on: the one place errors become text.

The core's messages already say what happened; this adds a headline per kind,
what to do next, and whether (and when) retrying makes sense.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.core.errors import (
    AuthError,
    AuthProblem,
    CompanionError,
    CreateUnconfirmedError,
    InvalidInputError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    SecretStoreError,
    SecretStoreLockedError,
    ServerError,
)

# Cloudflare locks a token out for 5 minutes past the limit when it gives no Retry-After.
DEFAULT_RATE_LIMIT_WAIT = 60.0


@dataclass(frozen=True)
class ErrorText:
    kind: str  # stable name, for tests and styling
    title: str
    message: str
    # Seconds before another request makes sense (rate limits), else None.
    retry_after: float | None = None
    # The form field to point at, when the error is about one.
    field: str | None = None


def describe(error: CompanionError) -> ErrorText:
    message = error.message
    if isinstance(error, InvalidInputError):
        return ErrorText("invalid_input", "Check this field", message, field=error.field)
    if isinstance(error, AuthError):
        return _describe_auth(error)
    if isinstance(error, NotFoundError):
        return ErrorText("not_found", "Not found", message, field="app_id")
    if isinstance(error, RateLimitedError):
        wait = error.retry_after if error.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT
        return ErrorText(
            "rate_limited",
            "Cloudflare asks you to slow down",
            "Too many requests with this token. Wait for the countdown, then try again.",
            retry_after=float(max(1, math.ceil(wait))),
        )
    if isinstance(error, NetworkError):
        return ErrorText("network", "Cannot reach Cloudflare", message)
    if isinstance(error, ServerError):
        return ErrorText("server", "Cloudflare had a problem", message)
    if isinstance(error, CreateUnconfirmedError):
        # The core's message already says where to look, and names any candidates.
        return ErrorText("create_unconfirmed", "The livestream may have been created", message)
    if isinstance(error, InvalidResponseError):
        return ErrorText("invalid_response", "Unexpected answer from Cloudflare", message)
    if isinstance(error, SecretStoreLockedError):
        return ErrorText("keyring_locked", "Your keyring is locked", message)
    if isinstance(error, SecretStoreError):
        return ErrorText(
            "keyring",
            "The keyring did not work",
            f"{message} The token in the form still works for this session.",
        )
    return ErrorText("error", "Something went wrong", message)


_AUTH_TITLES = {
    AuthProblem.MISSING_TOKEN: ("missing_token", "An API token is needed"),
    AuthProblem.MISSING_PERMISSION: ("missing_permission", "The token lacks a permission"),
    AuthProblem.INVALID_TOKEN: ("invalid_token", "Cloudflare did not accept the token"),
}


def _describe_auth(error: AuthError) -> ErrorText:
    kind, title = _AUTH_TITLES[error.problem]
    return ErrorText(kind, title, error.message, field="token")
