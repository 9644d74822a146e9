"""Drives one preview: when to probe the playlist, when to ask the API, when the watchdog fires.

Qt-free. The panel hands in a player (anything with `play(url)` and `stop()`), reports
frames and player events, and hears about every change through `on_change`. Tests step
it with a fake clock; the app runs `run()` on its event loop.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.core.errors import CompanionError, RateLimitedError
from app.core.hls_probe import PLAYER_HOLD_BACK_SEGMENTS, ProbeResult
from app.core.hls_proxy import SegmentFetch
from app.core.live_edge import START_SLACK_SECONDS
from app.core.models import Livestream
from app.core.preview_phase import Phase
from app.core.preview_state import Effect, PreviewMachine, PreviewView, Timings
from app.core.status_polling import API_MIN_INTERVAL, StatusFetch

log = logging.getLogger(__name__)

API_MAX_INTERVAL = 300.0
# After an outage (refused, timed out, 5xx) the status comes back within this.
API_OUTAGE_MAX_INTERVAL = 30.0
FPS_WINDOW = 2.0
# Cloudflare's longest lock-out is 5 minutes; a longer Retry-After is not waited out.
MAX_SERVER_WAIT = 300.0


class Player(Protocol):
    def play(self, url: str) -> None: ...
    def stop(self) -> None: ...


class Proxy(Protocol):
    """What the session needs of the loopback HLS proxy (`hls_proxy.HlsProxy`)."""

    @property
    def segments(self) -> Sequence[SegmentFetch]: ...

    def open(self, upstream_url: str) -> str: ...

    @property
    def first_segment_time(self) -> float | None: ...

    @property
    def at_edge(self) -> bool: ...


class Probe(Protocol):
    url: str

    async def probe(self) -> ProbeResult: ...


@dataclass(frozen=True, slots=True)
class ProbeCadence:
    """Seconds between playlist checks per phase."""

    # Steady, no backoff: the playback playlist is a small file served by the CDN, not the
    # rate-limited API, and every HLS player reloads it once per segment (RFC 8216 6.3.4:
    # half a target duration when unchanged). Half a second keeps the average wait between
    # the playlist going live and noticing it at a quarter of a second, well under one
    # segment (1-4 s), for about two small GETs a second, only while nothing plays.
    waiting: float = 0.5
    # Right after the encoder was told to start: the playlist appears within seconds, and
    # each look saved brings the first frame sooner. Back to `waiting` after `fast_for`.
    fast_waiting: float = 0.15
    fast_for: float = 60.0
    playing: float = 2.0  # health facts and the end of the broadcast
    stalled: float = 1.0
    stalled_max: float = 3.0
    # Failed checks back off to this; also how long an outage can go unnoticed once over.
    failure_max: float = 30.0


class Backoff:
    def __init__(self, first: float, maximum: float, factor: float = 2.0) -> None:
        self.first, self.maximum, self.factor = first, maximum, factor
        self.current = first

    def next(self) -> float:
        value = self.current
        self.current = min(self.current * self.factor, self.maximum)
        return value

    def reset(self) -> None:
        self.current = self.first


class FrameMeter:
    """Frame times seen recently: frame rate and the age of the last one."""

    def __init__(self, window: float = FPS_WINDOW) -> None:
        self._window = window
        self._times: collections.deque[float] = collections.deque()
        self.size: tuple[int, int] | None = None
        self.last_at: float | None = None

    def record(self, now: float, width: int, height: int) -> None:
        self._times.append(now)
        self.last_at = now
        self.size = (width, height)
        cutoff = now - self._window
        while self._times and self._times[0] < cutoff:
            self._times.popleft()

    def fps(self, now: float) -> float | None:
        cutoff = now - self._window
        recent = [t for t in self._times if t >= cutoff]
        if len(recent) < 2:
            return None
        span = recent[-1] - recent[0]
        return (len(recent) - 1) / span if span > 0 else None

    def clear(self) -> None:
        self._times.clear()
        self.size = None
        self.last_at = None


class ApiSchedule:
    """At most one status call per interval; longer after 429 or failures; none while hidden.

    Keep one per livestream for as long as it is shown, even across previews of it, so
    showing it again neither asks sooner nor forgets a backoff.
    """

    def __init__(self, minimum: float = API_MIN_INTERVAL, maximum: float = API_MAX_INTERVAL):
        self.minimum, self.maximum = minimum, maximum
        self.interval = minimum
        self.next_at: float | None = None
        self.visible = True

    def begin(self, now: float) -> None:
        """The first call waits one interval: whoever shows a livestream just fetched it."""
        if self.next_at is None:
            self.next_at = now + self.minimum

    def due(self, now: float) -> bool:
        return self.visible and self.next_at is not None and now >= self.next_at

    def succeeded(self, now: float) -> None:
        self.interval = self.minimum
        self.next_at = now + self.interval

    def failed(self, now: float, error: CompanionError) -> None:
        # Only a rate limit asks for the long backoff; an outage is checked again soon.
        limited = isinstance(error, RateLimitedError)
        cap = self.maximum if limited else min(self.maximum, API_OUTAGE_MAX_INTERVAL)
        self.interval = min(self.interval * 2, cap)
        wait = self.interval
        if limited:
            wait = max(wait, server_wait(error))
        self.next_at = now + wait


def server_wait(error: CompanionError) -> float:
    """What a rate limit asks to wait, within reason: a preview never stops looking for long."""
    if isinstance(error, RateLimitedError) and error.retry_after is not None:
        return min(error.retry_after, MAX_SERVER_WAIT)
    return 0.0


class PreviewSession:
    def __init__(
        self,
        probe: Probe,
        player: Player,
        *,
        ingest_server: str | None = None,
        waiting_hint: str | None = None,
        status_fetch: StatusFetch | None = None,
        on_change: Callable[[PreviewView], None] | None = None,
        on_status: Callable[[Livestream], None] | None = None,
        on_status_failed: Callable[[CompanionError], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        timings: Timings | None = None,
        cadence: ProbeCadence | None = None,
        api: ApiSchedule | None = None,
        proxy: Proxy | None = None,
        playback_position: Callable[[], float | None] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.probe = probe
        self.player = player
        # When given, the player plays through it: only checked addresses, at the live edge.
        self.proxy = proxy
        # Seconds played since the player loaded the stream, for the measured delay.
        self._playback_position = playback_position
        self._wall_clock = wall_clock
        self.machine = PreviewMachine(ingest_server, timings, waiting_hint=waiting_hint)
        self.meter = FrameMeter()
        self.api = api or ApiSchedule()
        self._status_fetch = status_fetch
        self._on_change = on_change
        self._on_status = on_status
        self._on_status_failed = on_status_failed
        self._clock = clock
        self._cadence = cadence or ProbeCadence()
        self._stalled_backoff = Backoff(self._cadence.stalled, self._cadence.stalled_max)
        self._failure_backoff = Backoff(self._cadence.stalled, self._cadence.failure_max)
        self._next_probe_at = 0.0
        self._fast_until: float | None = None
        self._wake = asyncio.Event()
        self._view: PreviewView | None = None

    @property
    def url(self) -> str:
        return self.probe.url

    @property
    def phase(self) -> Phase:
        return self.machine.phase

    def view(self) -> PreviewView:
        return self.machine.view()

    # --- what the panel reports ---------------------------------------------------------

    def start(self) -> None:
        now = self._clock()
        self.meter.clear()
        self.api.begin(now)
        self._apply(self.machine.begin(now))
        self._next_probe_at = now

    def retry(self) -> None:
        self._failure_backoff.reset()
        self.start()

    def frame_arrived(self, width: int, height: int) -> None:
        now = self._clock()
        self.meter.record(now, width, height)
        if self.machine.phase is not Phase.LIVE:
            self._apply(self.machine.on_frame(now))
        else:
            self.machine.last_frame_at = now

    def player_ended(self) -> None:
        self._apply(self.machine.on_player_ended(self._clock()))

    def player_failed(self, message: str) -> None:
        self._apply(self.machine.on_player_failed(message, self._clock()))

    def expect_broadcast(self) -> None:
        """The encoder was just told to start (OBS): look at the waiting playlist often for a
        while, so the first frame follows the playlist's appearance closely."""
        now = self._clock()
        self._fast_until = now + self._cadence.fast_for
        if self.machine.phase is Phase.WAITING:
            self._next_probe_at = min(self._next_probe_at, now + self._cadence.fast_waiting)
            self._wake.set()

    def content_refused(self, message: str) -> None:
        self._apply(self.machine.on_content_refused(message, self._clock()))

    def set_visible(self, visible: bool) -> None:
        self.api.visible = visible
        if visible:
            self._wake.set()

    def health_text(self) -> str:
        """The compact line under the video: what the viewer side sees right now."""
        now = self._clock()
        parts = []
        if self.meter.size is not None:
            parts.append("{}\u00d7{}".format(*self.meter.size))
        fps = self.meter.fps(now)
        if fps is not None:
            parts.append(f"{fps:.0f} fps")
        health = self.machine.health
        if health.segment_duration is not None:
            parts.append(f"segments {health.segment_duration:.1f} s")
        delay = self.delay_text()
        if delay:
            parts.append(delay)
        if self.proxy is not None and self.proxy.segments:
            last = self.proxy.segments[-1]
            parts.append(f"last segment {_size(last.size)} in {last.seconds:.2f} s")
        if self.meter.last_at is not None and self.phase in (Phase.LIVE, Phase.STALLED):
            parts.append(f"last frame {now - self.meter.last_at:.1f} s ago")
        return " \u00b7 ".join(parts)

    def measured_delay(self) -> float | None:
        """Seconds between a frame's EXT-X-PROGRAM-DATE-TIME and now, for the frame shown."""
        if self.proxy is None or self._playback_position is None:
            return None
        start = self.proxy.first_segment_time
        position = self._playback_position()
        if start is None or position is None or self.phase is not Phase.LIVE:
            return None
        return max(0.0, self._wall_clock() - (start + position))

    def estimated_delay(self) -> float | None:
        """Where the player starts, in seconds behind the newest segment's end."""
        segment = self.machine.health.target_duration or self.machine.health.segment_duration
        if segment is None:
            return None
        if self.proxy is not None and self.proxy.at_edge:
            return segment + START_SLACK_SECONDS
        return PLAYER_HOLD_BACK_SEGMENTS * segment

    def delay_text(self) -> str:
        measured = self.measured_delay()
        if measured is not None:
            return f"{measured:.1f} s behind live (measured)"
        estimate = self.estimated_delay()
        if estimate is not None:
            return f"\u2248{estimate:.1f} s behind live (estimate)"
        return ""

    def keyframe_warning(self) -> str | None:
        return self.machine.health.keyframe_warning

    # --- the loop -----------------------------------------------------------------------

    async def run(self) -> None:
        """Runs until cancelled."""
        if self.machine.phase is Phase.IDLE:
            self.start()
        while True:
            delay = await self.step()
            self._wake.clear()
            # Not wait_for: on Python 3.11 it loses a cancellation that coincides with the wake.
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({waiter}, timeout=max(0.0, delay))
            finally:
                waiter.cancel()

    async def step(self) -> float:
        """Does whatever is due now; returns the seconds until something else is due."""
        if self._clock() >= self._next_probe_at and self._probing():
            await self._probe_once()
        if self._asking_api() and self.api.due(self._clock()):
            await self._fetch_status()
        self._apply(self.machine.on_tick(self._clock()))
        return self._seconds_to_next()

    def _probing(self) -> bool:
        if self.machine.recovering:
            return True
        return self.machine.phase not in (Phase.IDLE, Phase.ERROR, Phase.ENDED)

    def _asking_api(self) -> bool:
        # Also after an end or a preview error: the window's status badge follows these calls.
        return (
            self._status_fetch is not None
            and self.api.visible
            and self.machine.phase is not Phase.IDLE
        )

    async def _probe_once(self) -> None:
        try:
            result = await self.probe.probe()
        except CompanionError as error:
            now = self._clock()
            self._apply(self.machine.on_probe_failed(error, now))
            delay = self._failure_backoff.next()
            self._next_probe_at = now + max(delay, server_wait(error))
            return
        now = self._clock()
        self._failure_backoff.reset()
        self._apply(self.machine.on_probe(result, now))
        self._next_probe_at = now + self._probe_interval()

    def _probe_interval(self) -> float:
        phase = self.machine.phase
        cadence = self._cadence
        if phase is Phase.WAITING:
            # Also for segments of unknown age: the look that sees the playlist grow confirms it.
            fast = self._fast_until is not None and self._clock() < self._fast_until
            return cadence.fast_waiting if fast else cadence.waiting
        if phase is Phase.STALLED:
            return self._stalled_backoff.next()
        self._stalled_backoff.reset()
        return max(cadence.playing, min(self.machine.segment_seconds, 2 * cadence.playing))

    async def _fetch_status(self) -> None:
        assert self._status_fetch is not None
        try:
            livestream = await self._status_fetch()
        except CompanionError as error:
            self.api.failed(self._clock(), error)
            log.info("livestream status check failed: %s", type(error).__name__)
            if self._on_status_failed is not None:
                self._on_status_failed(error)
            return
        now = self._clock()
        self.api.succeeded(now)
        if self._on_status is not None:
            self._on_status(livestream)
        self._apply(self.machine.on_api_status(livestream.status, now))

    def _seconds_to_next(self) -> float:
        now = self._clock()
        deadlines = []
        if self._probing():
            deadlines.append(self._next_probe_at)
        if self._asking_api() and self.api.next_at is not None:
            deadlines.append(self.api.next_at)
        watchdog = self.machine.next_deadline()
        if watchdog is not None:
            deadlines.append(watchdog)
        if not deadlines:
            return 3600.0
        return max(0.0, min(deadlines) - now)

    def _apply(self, effects: list[Effect]) -> None:
        for effect in effects:
            if effect is Effect.PLAY:
                self.meter.clear()
                url = self.probe.url
                self.player.play(url if self.proxy is None else self.proxy.open(url))
            elif effect is Effect.STOP:
                self.meter.clear()
                self.player.stop()
        view = self.machine.view()
        if view != self._view:
            entering_stall = view.phase is Phase.STALLED and (
                self._view is None or self._view.phase is not Phase.STALLED
            )
            self._view = view
            if entering_stall:
                # Probe at once: a fresh playlist means reload now, a stale one means wait.
                self._stalled_backoff.reset()
                self._next_probe_at = self._clock()
            if view.phase is Phase.WAITING:
                self._next_probe_at = min(self._next_probe_at, self._clock() + 0.1)
            if self._on_change is not None:
                self._on_change(view)
            self._wake.set()


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} kB"
