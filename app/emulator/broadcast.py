"""When an emulated livestream is live: the encoder the emulator pretends is pushing to it.

A broadcast waits (not live) until `live_after` seconds after creation, then produces media on a
clock of its own. Tests steer it: start now, stall (the playlist goes stale, as when an encoder
dies), end (a clean stop), fail (Cloudflare refuses the input: ERRORED), resume. The media clock
only runs while live, so the media sequence and timestamps continue without a jump after a stall
or a restart.

Each stretch on air is a session, recorded as Cloudflare reports one: ingest seconds grow with
the media produced, viewer seconds with the time each client keeps fetching the playlist and
its segments.
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
    ERRORED = "errored"  # Cloudflare refused the input: no playlist, API status ERRORED


@dataclass(frozen=True, slots=True)
class BroadcastSession:
    id: str
    started_wall: float
    stopped_wall: float | None
    ingest_seconds: float
    viewer_seconds: float = 0.0
    error_message: str | None = None


# How long the last playlist (with EXT-X-ENDLIST) stays up after a clean end.
DEFAULT_END_GRACE = 6.0
# A player reloads a live playlist every target duration (2 s here); a client silent for longer
# than this has stopped watching, and the silence is not viewing time.
VIEWER_IDLE_GAP = 10.0


@dataclass(slots=True)
class _Viewer:
    last_seen: float
    watched: float = 0.0
    fetched_media: bool = False  # a playlist-only client (a status probe) is not a viewer


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

    def note_view(self, client: str, *, media: bool) -> None:
        """A client fetched the playlist (media=False) or a segment while on air."""
        with self._lock:
            self._refresh()
            if self._state not in (BroadcastState.LIVE, BroadcastState.STALLED):
                return
            now = self._monotonic()
            viewers: dict[str, _Viewer] = self._sessions[-1]["viewers"]
            viewer = viewers.get(client)
            if viewer is None:
                viewers[client] = viewer = _Viewer(now)
            elif now - viewer.last_seen <= VIEWER_IDLE_GAP:
                viewer.watched += now - viewer.last_seen
            viewer.last_seen = now
            viewer.fetched_media = viewer.fetched_media or media

    @property
    def changed_wall(self) -> float:
        with self._lock:
            self._refresh()
            return self._changed_wall

    # -- test controls -----------------------------------------------------------------

    def start(self) -> None:
        """Live now (from waiting, ended or errored); a no-op while live."""
        with self._lock:
            self._refresh()
            if self._state in (
                BroadcastState.WAITING,
                BroadcastState.ENDED,
                BroadcastState.ERRORED,
            ):
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

    def fail(self, error_message: str) -> None:
        """Cloudflare refuses what the encoder sends: the session ends with this message."""
        with self._lock:
            self._refresh()
            if self._state not in (BroadcastState.LIVE, BroadcastState.STALLED):
                self._go_live(self._monotonic())  # the input arrived, then was refused
            self._media_base = self._media_now()
            self._state = BroadcastState.ERRORED
            now_wall = self._wall()
            self._changed_wall = now_wall
            session = self._sessions[-1]
            session["stopped_wall"] = now_wall
            session["ingest_seconds"] = self._media_base - session["media_start"]
            session["error_message"] = error_message

    def add_past_session(
        self,
        started_wall: float,
        ingest_seconds: float,
        viewer_seconds: float = 0.0,
        error_message: str | None = None,
    ) -> None:
        """History from before the emulator started (demo mode, usage charts in tests)."""
        with self._lock:
            self._sessions.insert(
                0,
                {
                    "id": str(uuid.uuid4()),
                    "started_wall": started_wall,
                    "stopped_wall": started_wall + ingest_seconds,
                    "media_start": 0.0,
                    "ingest_seconds": ingest_seconds,
                    "viewers": {"history": _Viewer(0.0, viewer_seconds, True)},
                    "error_message": error_message,
                },
            )
            self._sessions.sort(key=lambda session: session["started_wall"])

    def resume(self) -> None:
        """The encoder is back: live again after a stall or an end, media continuing."""
        with self._lock:
            self._refresh()
            if self._state is BroadcastState.STALLED:
                self._state = BroadcastState.LIVE
                self._live_since_mono = self._monotonic()
                self._anchors.append((self._media_base, self._wall()))
                self._changed_wall = self._wall()
            elif self._state in (BroadcastState.ENDED, BroadcastState.ERRORED):
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
                "viewers": {},
                "error_message": None,
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
        viewers = session["viewers"].values()
        watched = sum(viewer.watched for viewer in viewers if viewer.fetched_media)
        return BroadcastSession(
            session["id"],
            session["started_wall"],
            session["stopped_wall"],
            round(ingest, 3),
            round(watched, 3),
            session["error_message"],
        )
