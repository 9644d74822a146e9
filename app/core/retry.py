"""When and how long to wait before asking Cloudflare again.

Reads may be retried on rate limits, server errors and network failures.
Creating a livestream is not idempotent, so the client retries a create only
when the request provably never left this machine (see client.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from app.core.errors import NetworkError, NetworkProblem, RateLimitedError, ServerError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A longer Retry-After (the lock-out lasts 5 minutes) is shown to the user, not waited out.
    max_retry_after: float = 20.0
    # Bound on the whole operation, retries included.
    total_time: float = 40.0
    # Bound on one request: connect, headers and the whole body.
    request_deadline: float = 20.0


def is_transient(error: BaseException, policy: RetryPolicy) -> bool:
    """Worth asking again for a read."""
    if isinstance(error, RateLimitedError):
        return error.retry_after is None or error.retry_after <= policy.max_retry_after
    if isinstance(error, ServerError):
        return True
    if isinstance(error, NetworkError):
        # A certificate problem does not go away by itself.
        return error.problem is not NetworkProblem.TLS
    return False


def never_sent(error: BaseException) -> bool:
    """Safe to resend even a non-idempotent request."""
    return isinstance(error, NetworkError) and not error.request_sent


class _BackoffWait:
    """Full-jitter exponential backoff, or the server's Retry-After when it gave one."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._jitter = wait_random_exponential(multiplier=policy.base_delay, max=policy.max_delay)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self._policy.max_retry_after)
        return self._jitter(state)


def retrying(
    policy: RetryPolicy,
    should_retry: Callable[[BaseException], bool],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncRetrying:
    return AsyncRetrying(
        retry=retry_if_exception(should_retry),
        wait=_BackoffWait(policy),
        stop=stop_after_attempt(policy.max_attempts) | stop_before_delay(policy.total_time),
        sleep=sleep,
        reraise=True,
    )
