"""What the live preview is doing, decided from facts only: probe results, frames, player events.

Pure and clock-free (every event carries `now`), so each transition is testable without Qt,
a network or real time. The driver (`preview_session`) feeds events in and carries out the
returned effects on the player.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core.errors import CompanionError, InvalidInputError, InvalidResponseError
from app.core.hls_playlist import UnsafeAddressError
from app.core.hls_probe import NotLiveReason, PlaylistHealth, PlaylistState, ProbeResult
from app.core.models import KnownStatus
from app.core.preview_phase import Phase

DEFAULT_SEGMENT_SECONDS = 4.0
RETRY_HINT = "Press Retry to try again."


class Effect(enum.Enum):
    PLAY = "play"  # load the stream from scratch (a plain play() does not recover Qt's player)
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class PreviewView:
    """What the panel shows, in words."""

    phase: Phase
    title: str
    detail: str = ""

    @property
    def can_retry(self) -> bool:
        return self.phase is Phase.ERROR


@dataclass(frozen=True, slots=True)
class Timings:
    stall_segments: float = 3.0  # no frame for this many segment durations: stalled
    min_stall_seconds: float = 3.0
    connect_segments: float = 3.0  # no first frame for this many segment durations: retry
    min_connect_seconds: float = 8.0
    ended_hold_seconds: float = 4.0  # "ended" stays up this long before waiting again
    reload_min_seconds: float = 1.0  # reloads while stalled back off from here
    reload_max_seconds: float = 8.0
    max_player_failures: int = 3  # player errors without a frame in between: give up
    max_probe_failures: int = 3  # failed playlist fetches in a row: give up


class PreviewMachine:
    def __init__(
        self,
        ingest_server: str | None = None,
        timings: Timings | None = None,
        *,
        waiting_hint: str | None = None,
    ) -> None:
        self.ingest_server = ingest_server
        # Says what starts the broadcast when it is not the streamer's encoder (demo mode).
        self.waiting_hint = waiting_hint
        self.timings = timings or Timings()
        self.phase = Phase.IDLE
        self.health = PlaylistHealth()
        self.last_frame_at: float | None = None
        self._since = 0.0  # when the current phase began
        self._loaded_at: float | None = None  # last PLAY effect
        self._reload_delay = self.timings.reload_min_seconds
        self._player_failures = 0
        self._probe_failures = 0
        self._error_text = ""
        # The error came from an unreachable playlist: it may come back by itself.
        self._error_recoverable = False
        self._stall_reason = ""
        self._api_seen_live = False
        self._stall_edge: int | None = None  # newest segment when the picture stopped
        self._api_live = False
        self._ended_before = False

    # --- events -------------------------------------------------------------------------

    def begin(self, now: float) -> list[Effect]:
        self._reset_counters()
        self._ended_before = False
        return self._enter(Phase.WAITING, now, [Effect.STOP])

    def retry(self, now: float) -> list[Effect]:
        return self.begin(now)

    @property
    def recovering(self) -> bool:
        """In error, but still looking at the playlist: an outage may end by itself."""
        return self.phase is Phase.ERROR and self._error_recoverable

    def on_probe(self, result: ProbeResult, now: float) -> list[Effect]:
        self._probe_failures = 0
        if self.recovering:
            # The playlist answers again: start over without waiting for a click.
            return self.begin(now)
        if result.health.target_duration is not None or result.health.segment_duration is not None:
            self.health = result.health
        phase = self.phase
        if phase is Phase.WAITING:
            return self._play(Phase.CONNECTING, now) if result.is_live else []
        if phase in (Phase.CONNECTING, Phase.LIVE, Phase.STALLED):
            if self._is_gone(result):
                return self._enter(Phase.ENDED, now, [Effect.STOP])
            if (
                phase is Phase.STALLED
                and result.is_live
                and self._has_grown(result)
                and self._reload_due(now)
            ):
                self._stall_edge = result.last_sequence
                self._reload_delay = min(self._reload_delay * 2, self.timings.reload_max_seconds)
                return self._play(Phase.STALLED, now)
        return []

    def _has_grown(self, result: ProbeResult) -> bool:
        """Whether the playlist gained media since the picture stopped (or the last reload).

        The first look after a stall only sets the mark: segments written just before the
        encoder died would otherwise replay as if it were back.
        """
        if result.last_sequence is None:
            return True
        if self._stall_edge is None:
            self._stall_edge = result.last_sequence
            return False
        return result.last_sequence > self._stall_edge

    def on_probe_failed(self, error: CompanionError, now: float) -> list[Effect]:
        if self.phase in (Phase.IDLE, Phase.ERROR, Phase.ENDED):
            return []
        if isinstance(error, UnsafeAddressError):
            return self.on_content_refused(error.message, now)
        self._probe_failures += 1
        fatal = isinstance(error, InvalidInputError | InvalidResponseError)
        # While frames arrive the picture is the truth; a playlist blip changes nothing.
        if self.phase is Phase.LIVE and not fatal:
            return []
        if fatal or self._probe_failures >= self.timings.max_probe_failures:
            effects = self._fail(f"Checking the playlist failed: {error.message}", now)
            self._error_recoverable = not fatal
            return effects
        return []

    def on_content_refused(self, message: str, now: float) -> list[Effect]:
        """The stream names an address outside the rule: nothing more of it is played."""
        if self.phase in (Phase.IDLE, Phase.ERROR):
            return []
        return self._fail(message, now)

    def on_frame(self, now: float) -> list[Effect]:
        self.last_frame_at = now
        self._player_failures = 0
        if self.phase in (Phase.CONNECTING, Phase.STALLED):
            self._reload_delay = self.timings.reload_min_seconds
            return self._enter(Phase.LIVE, now)
        return []

    def on_player_ended(self, now: float) -> list[Effect]:
        # Qt reports the end of media also when segments vanish mid-play; the next probe
        # tells a finished broadcast from a hiccup.
        if self.phase in (Phase.CONNECTING, Phase.LIVE):
            self._stall_reason = "The player reached the end of the stream."
            return self._enter(Phase.STALLED, now)
        return []

    def on_player_failed(self, message: str, now: float) -> list[Effect]:
        if self.phase not in (Phase.CONNECTING, Phase.LIVE, Phase.STALLED):
            return []
        self._player_failures += 1
        if self._player_failures >= self.timings.max_player_failures:
            return self._fail(f"The player cannot play this stream: {message}", now)
        self._stall_reason = f"The player reported: {message}"
        if self.phase is Phase.STALLED:
            return []
        return self._enter(Phase.STALLED, now)

    def on_api_status(self, status: str, now: float) -> list[Effect]:
        """Cloudflare's word on the livestream, polled slowly; a hint, never the only proof."""
        live = status == KnownStatus.LIVE
        was_live, self._api_live = self._api_live, live
        self._api_seen_live = self._api_seen_live or live
        # Only a change from LIVE to something else says the encoder left; a livestream that
        # was never reported live may simply be one the API does not track.
        if was_live and not live and self.phase is Phase.STALLED:
            return self._enter(Phase.ENDED, now, [Effect.STOP])
        return []

    def on_tick(self, now: float) -> list[Effect]:
        phase = self.phase
        if phase is Phase.LIVE:
            last = self.last_frame_at if self.last_frame_at is not None else self._since
            silent = now - last
            if silent > self.stall_after:
                self._stall_reason = f"No picture for {silent:.0f} s."
                return self._enter(Phase.STALLED, now)
        elif phase is Phase.CONNECTING:
            if self._loaded_at is not None and now - self._loaded_at > self.connect_timeout:
                self._stall_reason = "The video did not start."
                return self._enter(Phase.STALLED, now)
        elif phase is Phase.ENDED and now - self._since >= self.timings.ended_hold_seconds:
            self._ended_before = True
            return self._enter(Phase.WAITING, now)
        return []

    # --- derived ------------------------------------------------------------------------

    @property
    def segment_seconds(self) -> float:
        health = self.health
        return health.segment_duration or health.target_duration or DEFAULT_SEGMENT_SECONDS

    @property
    def stall_after(self) -> float:
        t = self.timings
        return max(t.min_stall_seconds, t.stall_segments * self.segment_seconds)

    @property
    def connect_timeout(self) -> float:
        t = self.timings
        return max(t.min_connect_seconds, t.connect_segments * self.segment_seconds)

    def next_deadline(self) -> float | None:
        """When on_tick next has something to decide, if anything."""
        if self.phase is Phase.LIVE:
            last = self.last_frame_at if self.last_frame_at is not None else self._since
            return last + self.stall_after
        if self.phase is Phase.CONNECTING and self._loaded_at is not None:
            return self._loaded_at + self.connect_timeout
        if self.phase is Phase.ENDED:
            return self._since + self.timings.ended_hold_seconds
        return None

    def view(self) -> PreviewView:
        phase = self.phase
        if phase is Phase.IDLE:
            return PreviewView(
                phase, "No stream selected", "Create or pick a livestream to preview it."
            )
        if phase is Phase.WAITING:
            if self.waiting_hint:
                where = self.waiting_hint
            elif self.ingest_server:
                where = f"Start streaming to {self.ingest_server} in OBS."
            else:
                where = "Start the broadcast in your encoder."
            before = "The last broadcast ended. " if self._ended_before else ""
            hint = (
                " Cloudflare is receiving it; the picture can take up to 30 s to appear."
                if self._api_live
                else " The preview starts by itself."
            )
            return PreviewView(phase, "Waiting for the broadcast", before + where + hint)
        if phase is Phase.CONNECTING:
            return PreviewView(phase, "Connecting", "The broadcast is live: loading the picture.")
        if phase is Phase.LIVE:
            return PreviewView(phase, "Live", "Your stream is going out.")
        if phase is Phase.STALLED:
            return PreviewView(
                phase,
                "Stalled: reconnecting",
                f"{self._stall_reason} Check that OBS is still streaming; the preview "
                "reconnects by itself.".strip(),
            )
        if phase is Phase.ENDED:
            return PreviewView(phase, "The broadcast ended", "Waiting for the next one.")
        then = (
            "The preview tries again by itself; Retry tries now."
            if self._error_recoverable
            else RETRY_HINT
        )
        return PreviewView(phase, "Preview error", f"{self._error_text} {then}")

    # --- internals ----------------------------------------------------------------------

    @staticmethod
    def _is_gone(result: ProbeResult) -> bool:
        if result.state is PlaylistState.ENDED:
            return True
        return result.state is PlaylistState.NOT_LIVE and result.reason in (
            NotLiveReason.NOT_FOUND,
            NotLiveReason.NO_CONTENT,
            NotLiveReason.NO_SEGMENTS,
        )

    def _reload_due(self, now: float) -> bool:
        # Never cut short a load that may still bring its first frame: a segment or more.
        delay = max(self._reload_delay, self.segment_seconds)
        return self._loaded_at is None or now - self._loaded_at >= delay

    def _play(self, phase: Phase, now: float) -> list[Effect]:
        self._loaded_at = now
        return self._enter(phase, now, [Effect.PLAY])

    def _fail(self, text: str, now: float) -> list[Effect]:
        self._error_text = text
        self._error_recoverable = False
        return self._enter(Phase.ERROR, now, [Effect.STOP])

    def _enter(self, phase: Phase, now: float, effects: list[Effect] | None = None) -> list[Effect]:
        if phase is not self.phase:
            self._since = now
            if phase is Phase.STALLED:
                self._stall_edge = None
            if phase in (Phase.WAITING, Phase.ENDED, Phase.ERROR):
                self._loaded_at = None
                self.last_frame_at = None
        self.phase = phase
        return effects or []

    def _reset_counters(self) -> None:
        self._player_failures = 0
        self._probe_failures = 0
        self._reload_delay = self.timings.reload_min_seconds
        self._error_text = ""
        self._error_recoverable = False
        self._stall_reason = ""
