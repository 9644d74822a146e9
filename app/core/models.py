"""Typed results of the RealtimeKit API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.known_status import KnownStatus as KnownStatus  # where it was first defined


@dataclass(frozen=True, slots=True)
class Livestream:
    id: str
    name: str | None
    ingest_server: str
    # Kept out of repr so a logged or printed Livestream never shows it.
    stream_key: str = field(repr=False)
    playback_url: str
    # An open value: one of KnownStatus, or whatever Cloudflare sent, upper-cased.
    status: str
    disabled: bool = False
    meeting_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.status == KnownStatus.LIVE


@dataclass(frozen=True, slots=True)
class Paging:
    page_no: int
    per_page: int
    total_count: int | None


@dataclass(frozen=True, slots=True)
class LivestreamPage:
    livestreams: tuple[Livestream, ...]
    paging: Paging | None

    @property
    def has_more(self) -> bool:
        if self.paging is None or self.paging.total_count is None:
            return False
        return self.paging.page_no * self.paging.per_page < self.paging.total_count


@dataclass(frozen=True, slots=True)
class RealtimeApp:
    id: str
    name: str
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LivestreamSession:
    id: str
    livestream_id: str | None
    status: str | None
    ingest_seconds: float | None = None
    viewer_seconds: float | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    error_message: str | None = None
    stopped_at: datetime | None = None

    def duration_seconds(self, now: datetime) -> float | None:
        """From start to stop, or to `now` while it runs; None without a start."""
        if self.started_at is None:
            return None
        end = self.stopped_at or now
        return max(0.0, (end - self.started_at).total_seconds())


@dataclass(frozen=True, slots=True)
class ActiveSession:
    """What the active-livestream-session endpoint says; session is None when nothing is live."""

    livestream: Livestream | None
    session: LivestreamSession | None


@dataclass(frozen=True, slots=True)
class SessionHistory:
    """A livestream's sessions, newest first, as far as they were fetched."""

    livestream: Livestream | None
    sessions: tuple[LivestreamSession, ...]
    total_count: int | None = None


@dataclass(frozen=True, slots=True)
class UsageDay:
    """One day of an app's livestream analytics; None where Cloudflare gave no usable number."""

    day: date | None  # None: Cloudflare sent the row without a date
    session_count: int | None = 0
    ingest_seconds: float | None = 0.0
    viewer_seconds: float | None = 0.0


@dataclass(frozen=True, slots=True)
class UsageTotals:
    livestream_count: int | None
    ingest_seconds: float | None
    viewer_seconds: float | None


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Every day from `first_day` to `last_day` (days without use are zero), and the totals.

    `undated` holds the daily rows Cloudflare sent without a date: part of the totals, on no day.
    """

    first_day: date
    last_day: date
    days: tuple[UsageDay, ...]
    totals: UsageTotals
    undated: tuple[UsageDay, ...] = ()


@dataclass(frozen=True, slots=True)
class TokenVerification:
    id: str | None
    status: str  # active, disabled, expired, or anything else Cloudflare sends
    expires_on: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"
