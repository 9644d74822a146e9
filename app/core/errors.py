"""Typed errors of the core, each carrying a message a streamer can act on.

The UI maps these to banners and the CLI to exit codes; neither ever shows a
traceback for them. No message may contain a token or a stream key.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any


class CompanionError(Exception):
    """Base of every error the user is meant to read."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInputError(CompanionError):
    """A value typed by the user is wrong; nothing was sent."""

    exit_code = 3

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class AuthProblem(enum.Enum):
    MISSING_TOKEN = "missing_token"
    INVALID_TOKEN = "invalid_token"
    MISSING_PERMISSION = "missing_permission"


class AuthError(CompanionError):
    exit_code = 4

    def __init__(self, problem: AuthProblem, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.code = code


class NotFoundError(CompanionError):
    """Cloudflare does not know the account, app or livestream asked for."""

    exit_code = 5


class RateLimitedError(CompanionError):
    exit_code = 6

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NetworkProblem(enum.Enum):
    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    TIMEOUT = "timeout"
    DROPPED = "dropped"
    OTHER = "other"


class NetworkError(CompanionError):
    exit_code = 7

    def __init__(self, problem: NetworkProblem, message: str, *, request_sent: bool = True) -> None:
        super().__init__(message)
        self.problem = problem
        # False only when the request provably never reached the server (safe to resend).
        self.request_sent = request_sent


class ServerError(CompanionError):
    exit_code = 8

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class InvalidResponseError(CompanionError):
    """Cloudflare answered something the app cannot trust or use."""

    exit_code = 9

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        # True when the body could not be read at all: a create may still have succeeded.
        self.unreadable = unreadable


class CreateUnconfirmedError(CompanionError):
    """A create request may have reached Cloudflare, and no one livestream is provably its own.

    `candidate_ids` are the livestreams it may have made (none found, or several), so the
    user can pick; the keys stay out of this error.
    """

    exit_code = 10

    def __init__(self, message: str, candidates: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.candidate_ids = tuple(str(c.id) for c in candidates)


class SecretStoreError(CompanionError):
    """The OS keyring refused or failed an operation."""

    exit_code = 11


class SecretStoreLockedError(SecretStoreError):
    """The keyring is locked and the user did not unlock it."""

    exit_code = 12
