"""Which changes of the shown livestream's state deserve a desktop notification.

Qt-free and clock-free: every call carries `now` (seconds, any monotonic clock). The window
feeds each new state of its one livestream state model in (`observe`), asks `due(now)` when
`next_deadline()` comes, and shows what it returns, or drops it while the window is active.

Rules:
- only transitions the streamer acts on: live, stalled, recovered (stalled -> live), ended,
  errored (with the reason in words); waiting and unknown tell nothing new;
- a new state is told once it has held for `settle_s`, and at most one notice per
  `min_gap_s`, so a flapping stream does not spam: a stall shorter than the settle time is
  never told, and a burst of changes is told as the state it settles in;
- the first state seen for a livestream is its starting point, never a notice; "unknown"
  (the API could not be asked) never moves the starting point, so a live stream whose
  status check failed for a while is not announced as live again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core.redaction import redact

SETTLE_S = 2.0
MIN_GAP_S = 5.0

# The state names of the livestream state model (`StreamState.value`).
LIVE, WAITING, STALLED, ENDED, ERRORED, UNKNOWN = (
    "live",
    "waiting",
    "stalled",
    "ended",
    "errored",
    "unknown",
)


class NoticeKind(enum.Enum):
    LIVE = "live"
    STALLED = "stalled"
    RECOVERED = "recovered"
    ENDED = "ended"
    ERRORED = "errored"


@dataclass(frozen=True, slots=True)
class Observation:
    """One state of one livestream, as the state model says it."""

    livestream_id: str
    name: str
    state: str
    detail: str = ""
    # The state in a word or two ("Live", "Stalled"), as the badge says it.
    headline: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    livestream_id: str
    kind: NoticeKind
    title: str
    body: str


class NoticePlanner:
    def __init__(self, settle_s: float = SETTLE_S, min_gap_s: float = MIN_GAP_S) -> None:
        self.settle_s = settle_s
        self.min_gap_s = min_gap_s
        self._livestream_id: str | None = None
        self._told: str | None = None  # the state last told (or the starting point)
        self._pending: Observation | None = None
        self._pending_since = 0.0
        self._last_notice_at: float | None = None

    def observe(self, observation: Observation, now: float) -> None:
        if observation.livestream_id != self._livestream_id:
            # Another livestream shown: its current state is where it starts.
            self._livestream_id = observation.livestream_id
            self._told = None if observation.state == UNKNOWN else observation.state
            self._pending = None
            return
        if self._told is None and observation.state != UNKNOWN:
            self._told = observation.state
            return
        pending = self._pending
        if pending is None or pending.state != observation.state:
            self._pending_since = now
        self._pending = observation

    def next_deadline(self) -> float | None:
        """When `due` may next return a notice, if anything is waiting."""
        if not self._worth_telling():
            return None
        deadline = self._pending_since + self.settle_s
        if self._last_notice_at is not None:
            deadline = max(deadline, self._last_notice_at + self.min_gap_s)
        return deadline

    def due(self, now: float) -> Notice | None:
        deadline = self.next_deadline()
        pending = self._pending
        if deadline is None or pending is None or now < deadline:
            return None
        kind = _kind(self._told, pending.state)
        self._told = pending.state
        self._pending = None
        if kind is None:
            return None
        self._last_notice_at = now
        return _notice(kind, pending)

    def _worth_telling(self) -> bool:
        # A settled "waiting" is told to nobody, but it is where the next "live" starts from.
        pending = self._pending
        return pending is not None and pending.state not in (UNKNOWN, self._told)


def _kind(before: str | None, after: str) -> NoticeKind | None:
    if after == LIVE:
        return NoticeKind.RECOVERED if before == STALLED else NoticeKind.LIVE
    if after == STALLED:
        return NoticeKind.STALLED
    if after == ENDED:
        return NoticeKind.ENDED
    if after == ERRORED:
        return NoticeKind.ERRORED
    return None


def _notice(kind: NoticeKind, seen: Observation) -> Notice:
    name = seen.name
    title, body = {
        NoticeKind.LIVE: (f"{name} is live", seen.detail or "Your broadcast is going out."),
        NoticeKind.STALLED: (f"{name} stalled", seen.detail or "The picture stopped."),
        NoticeKind.RECOVERED: (f"{name} is live again", "The picture is back."),
        NoticeKind.ENDED: (f"{name} ended", seen.detail or "The broadcast ended."),
        NoticeKind.ERRORED: (
            f"{name}: Cloudflare reports an error",
            seen.detail or "Cloudflare reports an error with this stream.",
        ),
    }[kind]
    # Names and reasons come from the network: never a registered secret, never control text.
    return Notice(seen.livestream_id, kind, _plain(redact(title)), _plain(redact(body)))


def _plain(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable() or ch == " ")[:300]
