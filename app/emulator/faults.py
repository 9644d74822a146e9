"""Faults the emulator injects into chosen requests, so tests can meet every failure on demand."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass

ENDPOINTS = frozenset(
    {
        "create",
        "list",
        "get",
        "active_session",
        "session",
        "usage_overall",
        "usage_daywise",
        "apps",
        "verify",
        "hls",
        "segment",
    }
)


class FaultKind(enum.Enum):
    RATE_LIMIT = "rate_limit"  # 429 + Retry-After, gateway code 971; nothing processed
    SERVER_ERROR_HTML = "server_error_html"  # 502/503 edge HTML page; nothing processed
    MALFORMED_JSON = "malformed_json"  # processed, the usual status, a truncated JSON body
    DELAY = "delay"  # processed, then the reply waits `delay` seconds
    DROP_BEFORE = "drop_before"  # connection closed, nothing processed
    DROP_AFTER = "drop_after"  # processed (a create creates), connection closed, no reply


@dataclass(frozen=True, slots=True)
class Fault:
    endpoint: str
    kind: FaultKind
    retry_after: int | None = None
    delay: float | None = None
    status: int | None = None


class _Armed:
    """One injection: lets `skip` requests through, then affects `times` of them (None: all)."""

    def __init__(self, fault: Fault, times: int | None, skip: int) -> None:
        self.fault = fault
        self.times = times
        self.skip = skip

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.times <= 0


class FaultPlan:
    """Thread-safe: the HTTP server's handler threads consult it while a test arms it."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._lock = threading.Lock()

    def inject(
        self,
        endpoint: str,
        kind: FaultKind,
        times: int | None = 1,
        skip: int = 0,
        retry_after: int | None = None,
        delay: float | None = None,
        status: int | None = None,
    ) -> None:
        if endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}; one of {sorted(ENDPOINTS)}")
        if not isinstance(kind, FaultKind):
            raise TypeError(f"kind must be a FaultKind, not {kind!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every request)")
        if skip < 0:
            raise ValueError("skip must not be negative")
        if kind is FaultKind.DELAY and (delay is None or delay < 0):
            raise ValueError("a DELAY fault needs delay= seconds")
        if status is not None and kind is not FaultKind.SERVER_ERROR_HTML:
            raise ValueError("status= only applies to SERVER_ERROR_HTML")
        fault = Fault(endpoint, kind, retry_after, delay, status)
        with self._lock:
            self._armed.append(_Armed(fault, times, skip))

    def take(self, endpoint: str) -> Fault | None:
        """Once per request: each armed fault of the endpoint counts it; the oldest due fires."""
        fired: Fault | None = None
        with self._lock:
            for armed in self._armed:
                if armed.fault.endpoint != endpoint:
                    continue
                if armed.skip > 0:
                    armed.skip -= 1
                elif fired is None:
                    fired = armed.fault
                    if armed.times is not None:
                        armed.times -= 1
            self._armed = [armed for armed in self._armed if not armed.exhausted]
        return fired

    def pending(self) -> int:
        with self._lock:
            return len(self._armed)

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()
