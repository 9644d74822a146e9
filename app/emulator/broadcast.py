"""When an emulated livestream is live: the encoder the emulator pretends is pushing to it.

A broadcast waits (not live) until `live_after` seconds after creation, then produces media on a
clock of its own. Tests steer it: start now, stall (the playlist goes stale, as when an encoder
dies), end (a clean stop), resume. The media clock only runs while live, so the media sequence
and timestamps continue without a jump after a stall or a restart.
"""

from __future__ import annotations

import enum
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass


class BroadcastState(enum.Enum):
    WAITING = "waiting"  # no encoder yet: playlist 404, API status IDLE
    LIVE = "live"  # playlist advancing, API status LIVE
    STALLED = "stalled"  # playlist served but frozen, API status still LIVE
    ENDED = "ended"  # playlist with ENDLIST for a grace period, then 404; API status IDLE


@dataclass(frozen=True, slots=True)
class BroadcastSession:
    id: str
    started_wall: float
    stopped_wall: float | None
    ingest_seconds: float


# How long the last playlist (with EXT-X-ENDLIST) stays up after a clean end.
DEFAULT_END_GRACE = 6.0


class Broadcast:
    def __init__(
        self,
        live_after: float | None,
        *,
        preroll: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.Lock()
        self._created_mono = monotonic()
        self._live_after = live_after
        # Media the encoder already "produced" when it first goes live: players want a few
        # segments behind the live edge before they start.
        self._preroll = preroll
        self._state = BroadcastState.WAITING
        self._media_base = 0.0  # media seconds produced before the current live stretch
        self._live_since_mono = 0.0
        self._ended_mono = 0.0
        self._end_grace = DEFAULT_END_GRACE
        # (media seconds, wall time) at each go-live: maps media time to program date-time.
        self._anchors: list[tuple[float, float]] = []
        self._sessions: list[dict] = []
        self._changed_wall = wall()

    # -- what players and the API see --------------------------------------------------

    @property
    def state(self) -> BroadcastState:
        with self._lock:
            self._refresh()
            return self._state

    def media_seconds(self) -> float:
        """Seconds of media produced so far (frozen while stalled or ended)."""
        with self._lock:
            self._refresh()
            return self._media_now()

    def playlist_visible(self) -> bool:
        """Whether the playlist exists: live, stalled, or within the grace after an end."""
        with self._lock:
            self._refresh()
            if self._state in (BroadcastState.LIVE, BroadcastState.STALLED):
                return True
            if self._state is BroadcastState.ENDED:
                return self._monotonic() - self._ended_mono < self._end_grace
            return False

    def wall_time_of(self, media_seconds: float) -> float:
        """Program date-time of a media instant, extrapolated from the go-live before it."""
        with self._lock:
            self._refresh()
            if not self._anchors:
                return self._wall()
            anchor_media, anchor_wall = self._anchors[0]
            for candidate in self._anchors:
                if candidate[0] <= media_seconds:
                    anchor_media, anchor_wall = candidate
            return anchor_wall + (media_seconds - anchor_media)

    def sessions(self) -> list[BroadcastSession]:
        with self._lock:
            self._refresh()
            return [self._session_view(s) for s in self._sessions]

    def active_session(self) -> BroadcastSession | None:
        with self._lock:
            self._refresh()
            if self._state in (BroadcastState.LIVE, BroadcastState.STALLED) and self._sessions:
                return self._session_view(self._sessions[-1])
            return None

    @property
    def changed_wall(self) -> float:
        with self._lock:
            self._refresh()
            return self._changed_wall

    # -- test controls -----------------------------------------------------------------

    def start(self) -> None:
        """Live now (from waiting or ended); a no-op while live."""
        with self._lock:
            self._refresh()
            if self._state in (BroadcastState.WAITING, BroadcastState.ENDED):
                self._go_live(self._monotonic())

    def stall(self) -> None:
        """The encoder dies without a word: the playlist stays but stops advancing."""
        with self._lock:
            self._refresh()
            if self._state is BroadcastState.LIVE:
                self._media_base = self._media_now()
                self._state = BroadcastState.STALLED
                self._changed_wall = self._wall()

    def end(self, grace: float = DEFAULT_END_GRACE) -> None:
        """A clean stop: EXT-X-ENDLIST for `grace` seconds, then the playlist is gone."""
        with self._lock:
            self._refresh()
            if self._state in (BroadcastState.LIVE, BroadcastState.STALLED):
                self._media_base = self._media_now()
                self._state = BroadcastState.ENDED
                self._ended_mono = self._monotonic()
                self._end_grace = grace
                now_wall = self._wall()
                self._changed_wall = now_wall
                session = self._sessions[-1]
                session["stopped_wall"] = now_wall
                session["ingest_seconds"] = self._media_base - session["media_start"]

    def resume(self) -> None:
        """The encoder is back: live again after a stall or an end, media continuing."""
        with self._lock:
            self._refresh()
            if self._state is BroadcastState.STALLED:
                self._state = BroadcastState.LIVE
                self._live_since_mono = self._monotonic()
                self._anchors.append((self._media_base, self._wall()))
                self._changed_wall = self._wall()
            elif self._state is BroadcastState.ENDED:
                self._go_live(self._monotonic())

    def advance(self, seconds: float) -> None:
        """As if live `seconds` longer: the live edge jumps on now (to reach a loop wrap fast)."""
        if seconds < 0:
            raise ValueError("a broadcast cannot go back in time")
        with self._lock:
            self._refresh()
            if self._state not in (BroadcastState.LIVE, BroadcastState.STALLED):
                raise RuntimeError("only a live or stalled broadcast can advance")
            self._media_base += seconds
            # Started that much earlier: program date-times stay in step with the wall clock.
            self._anchors = [(media, wall - seconds) for media, wall in self._anchors]
            for session in self._sessions:
                session["started_wall"] -= seconds

    # -- internals (lock held) -----------------------------------------------------------

    def _refresh(self) -> None:
        if self._state is BroadcastState.WAITING and self._live_after is not None:
            due = self._created_mono + self._live_after
            if self._monotonic() >= due:
                self._go_live(due)

    def _go_live(self, since_mono: float) -> None:
        if not self._anchors:
            self._media_base = self._preroll
        self._state = BroadcastState.LIVE
        self._live_since_mono = since_mono
        since_wall = self._wall() - (self._monotonic() - since_mono)
        self._anchors.append((self._media_base, since_wall))
        self._changed_wall = since_wall
        self._sessions.append(
            {
                "id": str(uuid.uuid4()),
                "started_wall": since_wall,
                "stopped_wall": None,
                "media_start": self._media_base,
                "ingest_seconds": 0.0,
            }
        )

    def _media_now(self) -> float:
        if self._state is BroadcastState.LIVE:
            return self._media_base + (self._monotonic() - self._live_since_mono)
        return self._media_base

    def _session_view(self, session: dict) -> BroadcastSession:
        ingest = session["ingest_seconds"]
        if session["stopped_wall"] is None:
            ingest = self._media_now() - session["media_start"]
        return BroadcastSession(
            session["id"], session["started_wall"], session["stopped_wall"], round(ingest, 3)
        )
