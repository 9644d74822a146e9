"""Which changes of the shown livestream's state deserve a desktop notification.

Qt-free and clock-free: every call carries `now` (seconds, any monotonic clock). The window
feeds in each view of the shown livestream from its one state model (`observe`), so a notice
always agrees with the badge; it asks `due(now)` when `next_deadline()` comes, and shows what
that returns, or drops it while the window is active.

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

from app.core.livestream_state import StateView, StreamState
from app.core.redaction import redact

SETTLE_S = 2.0
MIN_GAP_S = 5.0


class NoticeKind(enum.Enum):
    LIVE = "live"
    STALLED = "stalled"
    RECOVERED = "recovered"
    ENDED = "ended"
    ERRORED = "errored"


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
        self._told: StreamState | None = None  # the state last told (or the starting point)
        self._pending: StateView | None = None
        self._pending_since = 0.0
        self._last_notice_at: float | None = None

    def observe(self, view: StateView, now: float) -> None:
        if view.livestream_id != self._livestream_id:
            # Another livestream shown: its current state is where it starts.
            self._livestream_id = view.livestream_id
            self._told = None if view.state is StreamState.UNKNOWN else view.state
            self._pending = None
            return
        if self._told is None and view.state is not StreamState.UNKNOWN:
            self._told = view.state
            return
        pending = self._pending
        if pending is None or pending.state != view.state:
            self._pending_since = now
        self._pending = view

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
        return pending is not None and pending.state not in (StreamState.UNKNOWN, self._told)


def _kind(before: StreamState | None, after: StreamState) -> NoticeKind | None:
    if after is StreamState.LIVE:
        return NoticeKind.RECOVERED if before is StreamState.STALLED else NoticeKind.LIVE
    return {
        StreamState.STALLED: NoticeKind.STALLED,
        StreamState.ENDED: NoticeKind.ENDED,
        StreamState.ERRORED: NoticeKind.ERRORED,
    }.get(after)


def _notice(kind: NoticeKind, seen: StateView) -> Notice:
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
