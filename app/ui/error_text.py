"""Every CompanionError in the words a streamer can act on: the one place errors become text.

The core's messages already say what happened; this adds a headline per kind,
what to do next, and whether (and when) retrying makes sense.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.api_base import DEFAULT_API_BASE_URL
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

# What each kind of error is about: a banner showing it goes away once that is fixed (the
# token retyped, a later request through, the field changed).
_SUBJECTS = {
    "missing_token": "token",
    "missing_permission": "token",
    "invalid_token": "token",
    "network": "connection",
    "server": "connection",
    "invalid_response": "connection",
    "invalid_input": "input",
    "not_found": "input",
    "rate_limited": "rate_limit",
}

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

    @property
    def subject(self) -> str:
        return _SUBJECTS.get(self.kind, "other")


def describe(error: CompanionError, service: str = "Cloudflare") -> ErrorText:
    """`service` names who answers: Cloudflare, or "the API at HOST" for another base."""
    message = error.message
    if isinstance(error, InvalidInputError):
        return ErrorText("invalid_input", "Check this field", message, field=error.field)
    if isinstance(error, AuthError):
        return _describe_auth(error, service)
    if isinstance(error, NotFoundError):
        return ErrorText("not_found", "Not found", message, field="app_id")
    if isinstance(error, RateLimitedError):
        wait = error.retry_after if error.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT
        return ErrorText(
            "rate_limited",
            f"{_capitalised(service)} asks you to slow down",
            "Too many requests with this token. Wait for the countdown, then try again.",
            retry_after=float(max(1, math.ceil(wait))),
        )
    if isinstance(error, NetworkError):
        return ErrorText("network", f"Cannot reach {service}", message)
    if isinstance(error, ServerError):
        return ErrorText("server", f"{_capitalised(service)} had a problem", message)
    if isinstance(error, CreateUnconfirmedError):
        return ErrorText(
            "create_unconfirmed",
            "The livestream may have been created",
            f"{message} Check Recent livestreams before creating another one.",
        )
    if isinstance(error, InvalidResponseError):
        return ErrorText("invalid_response", f"Unexpected answer from {service}", message)
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
    AuthProblem.INVALID_TOKEN: ("invalid_token", "{service} did not accept the token"),
}


def _describe_auth(error: AuthError, service: str) -> ErrorText:
    kind, title = _AUTH_TITLES[error.problem]
    title = title.format(service=_capitalised(service))
    return ErrorText(kind, title, error.message, field="token")


def _capitalised(service: str) -> str:
    return service[:1].upper() + service[1:]


def service_name(api_base_url: str | None) -> str:
    """Who answers the app's requests, in words: Cloudflare, or the API at another host."""
    if api_base_url is None or api_base_url.rstrip("/") == DEFAULT_API_BASE_URL:
        return "Cloudflare"
    return f"the API at {urlsplit(api_base_url).netloc or api_base_url}"
