"""Watches OBS for its stream starting, however it was started (Send to OBS, a hotkey, a click
in OBS), so the preview can look for the new broadcast at once.

One obs-websocket connection, subscribed to Outputs events only, stays open while the watcher
runs; when OBS is not running it is tried again after a capped backoff, quietly (a closed OBS
is normal, not an error to show). Event payloads are hostile input: anything other than a
well-formed StreamStateChanged saying the output is active and started is ignored.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from app.core.errors import CompanionError
from app.core.obs_client import DEFAULT_TIMEOUT, ObsClient
from app.core.obs_settings import ObsSettings
from app.core.preview_session import Backoff

log = logging.getLogger(__name__)

# obs-websocket 5 EventSubscription.Outputs: stream, record and replay buffer state changes.
EVENT_SUBSCRIPTION_OUTPUTS = 1 << 6
STREAM_STATE_CHANGED = "StreamStateChanged"
OUTPUT_STARTED = "OBS_WEBSOCKET_OUTPUT_STARTED"
FIRST_RETRY = 2.0
MAX_RETRY = 30.0
# A connection that lasted this long was a real one: the next retry starts from FIRST_RETRY.
# A peer that accepts and drops at once keeps backing off instead.
STABLE_AFTER = MAX_RETRY


def is_stream_started(payload: object) -> bool:
    """True only for an event message saying OBS's stream output has started."""
    if not isinstance(payload, dict) or payload.get("eventType") != STREAM_STATE_CHANGED:
        return False
    data = payload.get("eventData")
    return (
        isinstance(data, dict)
        and data.get("outputActive") is True
        and data.get("outputState") == OUTPUT_STARTED
    )


class EventConnection(Protocol):
    async def wait_closed(self) -> None: ...
    async def close(self) -> None: ...


# Connects, with the event callback in place before OBS can send the first event.
Connect = Callable[[Callable[[object], None]], Awaitable[EventConnection]]


def obs_connector(
    settings: ObsSettings,
    password: Callable[[], Awaitable[str | None]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Connect:
    """Connects to the OBS in `settings`, reading the password anew each time (it may have
    been changed since the last attempt)."""

    async def connect(on_event: Callable[[object], None]) -> EventConnection:
        client = ObsClient(
            settings,
            await password(),
            timeout=timeout,
            event_subscriptions=EVENT_SUBSCRIPTION_OUTPUTS,
        )
        client.on_event(on_event)
        try:
            await client.connect()
        except asyncio.CancelledError:
            # Stopped half-way (the window closing): the socket may already be open.
            await client.close()
            raise
        return client

    return connect


class ObsStreamWatcher:
    """`await run()` until cancelled: calls `on_stream_started` once per stream start OBS
    reports, and `on_watching(True/False)` as the connection comes and goes."""

    def __init__(
        self,
        connect: Connect,
        on_stream_started: Callable[[], None],
        *,
        on_watching: Callable[[bool], None] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        first_retry: float = FIRST_RETRY,
        max_retry: float = MAX_RETRY,
    ) -> None:
        self._connect = connect
        self._on_stream_started = on_stream_started
        self._on_watching = on_watching or (lambda _watching: None)
        self._sleep = sleep
        self._clock = clock
        self._backoff = Backoff(first_retry, max_retry)

    async def run(self) -> None:
        while True:
            try:
                connection = await self._connect(self._on_event)
            except CompanionError as error:
                # OBS closed, its server off, a wrong password: tried again later, quietly.
                log.debug("OBS not watched: %s", type(error).__name__)
            else:
                began = self._clock()
                await self._watch(connection)
                if self._clock() - began >= STABLE_AFTER:
                    self._backoff.reset()
            await self._sleep(self._backoff.next())

    async def _watch(self, connection: EventConnection) -> None:
        try:
            self._on_watching(True)
            await connection.wait_closed()
        finally:
            self._on_watching(False)
            # Also on cancellation (the window closing): bounded by the client's close timeout.
            await connection.close()

    def _on_event(self, payload: object) -> None:
        if is_stream_started(payload):
            log.info("OBS started streaming")
            self._on_stream_started()
