"""One livestream's state, decided once from everything the app knows about it.

Qt-free. Every place that shows a livestream's state (the card's badge, its Recent row, the
preview's headline, the detached preview's title, notifications) renders the `StateView` of
one `LivestreamTracker`, so they can never disagree.

Inputs, each stamped by the injected clock:
- `api_status(status)`: what the API said (a create, a list, a status check);
- `api_failed(reason)`: the API could not be asked (unreachable, rejected token, ...);
  the reason is already in words;
- `error_reason(err_message)`: what Cloudflare said about the failed session (its
  `err_message`), explained in plain words; an ERRORED view carries it until the API
  reports another status;
- `preview(phase, detail)`: what the preview sees (`preview_phase.Phase`: frames, stalls,
  an end, an error), with its own words for it.

Output: `view` (a frozen `StateView`); each input returns the new view when anything in it
changed, else None. Precedence, first match wins:
1. the picture: preview LIVE -> LIVE, STALLED -> STALLED, ENDED -> ENDED (seen, not reported)
   unless the API said ERRORED after the end (the end's cause, with Cloudflare's reason);
2. the API cannot be asked -> UNKNOWN, with why and the last known status; never a stale Live;
3. the API's word: ERRORED -> ERRORED (with Cloudflare's reason once known), LIVE -> LIVE
   (unless said before the preview saw the broadcast end), INVOKED/IDLE/OFFLINE -> WAITING,
   anything else -> UNKNOWN named after it;
4. a preview error -> ERRORED (the broadcast cannot be checked), a preview connecting ->
   WAITING headed "Connecting".
`since` changes only when `state` does.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.core.known_status import KnownStatus
from app.core.preview_phase import Phase
from app.core.redaction import redact
from app.core.safe_text import safe_text

if TYPE_CHECKING:
    from app.core.models import Livestream

Clock = Callable[[], datetime]


class StreamState(enum.Enum):
    LIVE = "live"
    WAITING = "waiting"
    STALLED = "stalled"
    ENDED = "ended"
    ERRORED = "errored"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StateView:
    """What to show about one livestream: a short headline (badge, list row, title), a
    sentence saying why or what to do, and since when the state holds."""

    livestream_id: str
    name: str
    state: StreamState
    headline: str
    detail: str
    since: datetime
    # The API's last word and when it was said (None before any).
    api_status: str | None = None
    api_said_at: datetime | None = None

    @property
    def label(self) -> str:
        """The livestream and its state in one line: "Morning show: Live"."""
        return f"{self.name}: {self.headline}"


# What a WAITING livestream's API status means to someone about to stream.
_WAITING_DETAILS = {
    KnownStatus.INVOKED: "Created: start streaming from your encoder.",
    KnownStatus.IDLE: "Waiting for your encoder to connect.",
    "OFFLINE": "No encoder is connected.",
}


ERRORED_DETAIL = "Cloudflare reports an error with this stream."
# Cloudflare's own words are quoted up to this length, so the fix still fits a notification.
MAX_REASON_CHARS = 120


def utc_now() -> datetime:
    return datetime.now(UTC)


def clock_time(when: datetime) -> str:
    """HH:MM in the computer's time zone."""
    return when.astimezone().strftime("%H:%M")


def display_name(livestream: Livestream) -> str:
    return safe_text(livestream.name or livestream.id)


class LivestreamTracker:
    def __init__(self, livestream: Livestream, clock: Clock = utc_now) -> None:
        self._clock = clock
        self.livestream_id = livestream.id
        self._name = display_name(livestream)
        now = clock()
        self._api_status: str | None = livestream.status or None
        self._api_at: datetime | None = now if self._api_status else None
        self._api_error: str | None = None
        self._error_reason: str | None = None  # why Cloudflare failed it, in words
        self._phase = Phase.IDLE
        self._preview_detail = ""
        # When the preview last saw a broadcast end: an API "LIVE" older than that is stale.
        self._ended_at: datetime | None = None
        self._view = self._decide(now, None)

    @property
    def view(self) -> StateView:
        return self._view

    # --- inputs ---------------------------------------------------------------------------

    def api_status(self, status: str) -> StateView | None:
        self._api_status = status.upper() or None
        self._api_at = self._clock()
        self._api_error = None
        if self._api_status != KnownStatus.ERRORED:
            self._error_reason = None  # that failure is over
        return self._update()

    def error_reason(self, err_message: str | None) -> StateView | None:
        """Cloudflare's `err_message` for the failed session (None or empty: it said nothing).

        It may come just before the status that says ERRORED (both ride the same check)."""
        self._error_reason = reason_text(err_message)
        return self._update()

    def api_failed(self, reason: str) -> StateView | None:
        self._api_error = reason
        return self._update()

    def preview(self, phase: Phase, detail: str = "") -> StateView | None:
        now = self._clock()
        if phase is Phase.ENDED and self._phase is not Phase.ENDED:
            self._ended_at = now
        self._phase = phase
        self._preview_detail = detail
        return self._update(now)

    def rename(self, livestream: Livestream) -> StateView | None:
        self._name = display_name(livestream)
        return self._update()

    # --- deciding -------------------------------------------------------------------------

    def _update(self, now: datetime | None = None) -> StateView | None:
        view = self._decide(now or self._clock(), self._view)
        if view == self._view:
            return None
        self._view = view
        return view

    def _decide(self, now: datetime, previous: StateView | None) -> StateView:
        state, headline, detail = self._state()
        since = previous.since if previous is not None and previous.state is state else now
        return StateView(
            self.livestream_id,
            self._name,
            state,
            headline,
            detail,
            since,
            self._api_status,
            self._api_at,
        )

    def _state(self) -> tuple[StreamState, str, str]:
        phase, said = self._phase, self._preview_detail
        if phase is Phase.LIVE:
            return StreamState.LIVE, "Live", "The preview shows your broadcast going out."
        if phase is Phase.STALLED:
            return StreamState.STALLED, "Stalled", said or "The picture stopped; reconnecting."
        if phase is Phase.ENDED and not self._errored_since_the_end():
            return StreamState.ENDED, "Ended", "The broadcast ended."
        if self._api_error is not None:
            return StreamState.UNKNOWN, "Status unknown", self._unknown_detail(self._api_error)
        status = self._api_status
        if status == KnownStatus.ERRORED:
            return StreamState.ERRORED, "Errored", self._error_reason or ERRORED_DETAIL
        if status == KnownStatus.LIVE and not self._live_is_stale():
            return StreamState.LIVE, "Live", self._api_live_detail()
        if phase is Phase.ERROR:
            return StreamState.ERRORED, "Preview error", said or "The preview cannot play it."
        if phase is Phase.CONNECTING:
            return StreamState.WAITING, "Connecting", "The broadcast is live: loading the picture."
        if status is None or status == KnownStatus.LIVE or status in _WAITING_DETAILS:
            detail = _WAITING_DETAILS.get(status or "", "Waiting for the broadcast.")
            if phase is Phase.WAITING and said:
                detail = said
            return StreamState.WAITING, "Waiting", detail
        shown = safe_text(status)
        text = shown.replace("_", " ").capitalize()
        return StreamState.UNKNOWN, text, f"Cloudflare reports the status \u201c{shown}\u201d."

    def _live_is_stale(self) -> bool:
        return self._said_before_the_end()

    def _errored_since_the_end(self) -> bool:
        # Cloudflare refused the input: the picture ended because of that, and it says why.
        return (
            self._api_error is None
            and self._api_status == KnownStatus.ERRORED
            and not self._said_before_the_end()
        )

    def _said_before_the_end(self) -> bool:
        return (
            self._ended_at is not None
            and self._api_at is not None
            and self._api_at <= self._ended_at
        )

    def _api_live_detail(self) -> str:
        if self._phase is Phase.ERROR:
            said = self._preview_detail
            return f"Cloudflare reports it live, but the preview cannot play it. {said}".strip()
        return "Cloudflare is receiving your broadcast; the picture can take up to 30 s to appear."

    def _unknown_detail(self, api_error: str) -> str:
        detail = api_error.rstrip(".") + "."
        if self._api_status and self._api_at is not None:
            detail += (
                f" Last known: {_status_word(self._api_status)} at {clock_time(self._api_at)}."
            )
        return detail


def reason_text(err_message: str | None) -> str:
    """Cloudflare's words about a failure and the likely fix, safe to show anywhere: no
    control characters, no registered secret (a stream key echoed back), not too long."""
    message = redact(safe_text((err_message or "").strip()))
    if len(message) > MAX_REASON_CHARS:
        message = message[: MAX_REASON_CHARS - 1].rstrip() + "\u2026"
    from app.core.session_text import explain_error  # with the first failure, not at start

    explanation = explain_error(message)
    return f"{explanation.said.rstrip('.')}. {explanation.fix}"


def _status_word(status: str) -> str:
    if status == KnownStatus.LIVE:
        return "live"
    if status in _WAITING_DETAILS:
        return "waiting"
    return safe_text(status).replace("_", " ").lower()
