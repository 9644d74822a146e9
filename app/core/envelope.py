"""Turns Cloudflare's answers into data or typed errors.

Cloudflare answers in several shapes (see the API notes): RealtimeKit's
`{"success", "data", "error": {...}}`, the gateway's v4 `{"success", "result",
"errors": [...]}`, HTML or plain-text pages from the edge, unknown extra fields.
Everything here is lenient in what it accepts and strict in what it returns.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from app.core.errors import (
    AuthError,
    AuthProblem,
    CompanionError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from app.core.redaction import redact
from app.core.safe_text import safe_text

log = logging.getLogger(__name__)

TOKEN_HELP = (
    "Create one at dash.cloudflare.com → My Profile → API Tokens with the "
    "Realtime Admin permission for this account."
)
# Gateway codes that mean the token itself is unusable, and what to tell the user.
AUTH_CODES: dict[int, tuple[AuthProblem, str]] = {
    9106: (AuthProblem.MISSING_TOKEN, "No API token was sent. " + TOKEN_HELP),
    6003: (AuthProblem.INVALID_TOKEN, "The API token is malformed: paste it again, whole."),
    6111: (AuthProblem.INVALID_TOKEN, "The API token is malformed: paste it again, whole."),
    9109: (AuthProblem.INVALID_TOKEN, "Cloudflare rejected the API token. " + TOKEN_HELP),
    1000: (AuthProblem.INVALID_TOKEN, "Cloudflare rejected the API token. " + TOKEN_HELP),
    # 10000 means "bad token or missing permission"; the client tells them apart.
    10000: (
        AuthProblem.INVALID_TOKEN,
        "Cloudflare refused the API token: it is wrong, expired, or lacks the Realtime "
        "Admin permission. " + TOKEN_HELP,
    ),
}
AMBIGUOUS_AUTH_CODE = 10000
NO_ROUTE_CODE = 7003
MAX_SERVER_MESSAGE = 200
# Cloudflare's longest lock-out is 5 minutes; a longer wait is a broken or hostile answer.
MAX_RETRY_AFTER = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Payload:
    """The useful part of a successful answer."""

    data: Any
    paging: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    code: int | None
    message: str


def parse_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    not_found_message: str,
) -> Payload:
    document = _decode_json(body)
    if 200 <= status < 300:
        if not isinstance(document, dict):
            raise InvalidResponseError(
                "Cloudflare's answer could not be read (it was not the expected JSON). "
                "Try again; if it persists, Cloudflare may be having trouble.",
                unreadable=True,
            )
        if document.get("success") is not False:
            data = document["data"] if "data" in document else document.get("result")
            paging = document.get("paging")
            if paging is None and isinstance(data, dict):
                paging = data.get("paging")
            return Payload(data, paging if isinstance(paging, Mapping) else None)
    raise error_for(status, headers, document, not_found_message=not_found_message)


def error_for(
    status: int,
    headers: Mapping[str, str],
    document: Any,
    *,
    not_found_message: str,
) -> CompanionError:
    details = _error_details(document)
    codes = {d.code for d in details if d.code is not None}
    server_text = _server_text(details)

    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        wait = f"wait {_duration(retry_after)}" if retry_after is not None else "wait a few minutes"
        return RateLimitedError(
            f"Cloudflare's rate limit was reached: {wait} before trying again.",
            retry_after=retry_after,
        )
    for code in sorted(codes & AUTH_CODES.keys()):
        problem, message = AUTH_CODES[code]
        return AuthError(problem, message, code=code)
    if NO_ROUTE_CODE in codes:
        return NotFoundError("Cloudflare does not know this address: check the account ID.")
    if status in (401, 403):
        return AuthError(
            AuthProblem.INVALID_TOKEN,
            "Cloudflare refused the API token. " + TOKEN_HELP,
        )
    if status == 404:
        return NotFoundError(not_found_message)
    if status >= 500:
        return ServerError(
            f"Cloudflare had a problem (HTTP {status}). Try again in a minute; if it "
            "persists, check cloudflarestatus.com.",
            status=status,
        )
    if 400 <= status < 500:
        return InvalidInputError(
            "request", f"Cloudflare rejected the request (HTTP {status}){server_text}."
        )
    return InvalidResponseError(
        f"Cloudflare answered with an error it did not explain (HTTP {status}){server_text}."
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date; the wait is clamped to a day."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is None:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def _duration(seconds: float) -> str:
    if seconds >= 2 * 3600:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds)} s"


def _decode_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested far deeper than any real answer.
        return None


def _error_details(document: Any) -> list[ErrorDetail]:
    if not isinstance(document, dict):
        return []
    raw: list[Any] = []
    errors = document.get("errors")
    if isinstance(errors, list):
        raw.extend(errors)
    error = document.get("error")
    if error is not None:
        raw.append(error)
    details = []
    for item in raw:
        if isinstance(item, dict):
            details.append(ErrorDetail(_as_int(item.get("code")), str(item.get("message") or "")))
        elif isinstance(item, str):
            details.append(ErrorDetail(None, item))
    return details


def _server_text(details: list[ErrorDetail]) -> str:
    messages = [d.message for d in details if d.message]
    if not messages:
        return ""
    text = safe_text(redact("; ".join(messages)))[:MAX_SERVER_MESSAGE]
    return f": {text}"


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
