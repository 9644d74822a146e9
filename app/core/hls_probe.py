"""Is an HLS playback URL live yet, still live, or finished? And how healthy does it look?

A media player cannot answer this: Qt's never retries a 404 and freezes silently on a
playlist that stopped growing. The probe fetches the playlist over the shared httpx
client and looks at what a viewer would get: segments, whether the newest one is
fresh, and the end marker. No Qt here.
"""

from __future__ import annotations

import enum
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from app.core.envelope import parse_retry_after
from app.core.errors import (
    CompanionError,
    InvalidInputError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from app.core.hls_playlist import check_uris
from app.core.validation import is_safe_http_url

if TYPE_CHECKING:
    # Imported where used: the window's state model needs this module's types before its
    # first paint, and httpx and m3u8 take longer to load than the window to paint.
    import httpx
    import m3u8

    from app.core.bounded_read import BoundedResponse

PLAYLIST_MAX_BYTES = 2_000_000
UNSAFE_URL_MESSAGE = (
    "The playback URL must start with https:// (plain http:// only for this computer)."
)
# Cloudflare's advice for the encoder's keyframe interval; segments are cut on keyframes,
# so their length shows what OBS is set to.
KEYFRAME_ADVICE_SECONDS = 4.0
KEYFRAME_ACCEPTED = (2.0, 8.0)
# HLS players start this many target durations behind the live edge (RFC 8216 6.3.3).
PLAYER_HOLD_BACK_SEGMENTS = 3
# A live playlist gains a segment every target duration; after this many without one it is stale.
STALE_AFTER_SEGMENTS = 3
# HTTP dates have one-second resolution.
HTTP_DATE_SLACK = 1.0


class PlaylistState(enum.Enum):
    NOT_LIVE = "not_live"
    LIVE = "live"
    ENDED = "ended"


class NotLiveReason(enum.Enum):
    NO_CONTENT = "no_content"  # 204: Cloudflare before the encoder connects
    NOT_FOUND = "not_found"  # 404/410
    NO_SEGMENTS = "no_segments"
    STALE = "stale"  # segments, but no new one for several target durations
    UNCONFIRMED = "unconfirmed"  # segments of unknown age: one more look tells


@dataclass(frozen=True, slots=True)
class PlaylistHealth:
    target_duration: float | None = None
    segment_duration: float | None = None  # median of the listed segments
    latency: float | None = None  # estimated seconds a viewer is behind real time
    keyframe_warning: str | None = None


@dataclass(frozen=True, slots=True)
class ProbeResult:
    state: PlaylistState
    reason: NotLiveReason | None = None
    health: PlaylistHealth = field(default_factory=PlaylistHealth)
    last_sequence: int | None = None

    @property
    def is_live(self) -> bool:
        return self.state is PlaylistState.LIVE


def keyframe_warning(segment_duration: float | None) -> str | None:
    low, high = KEYFRAME_ACCEPTED
    if segment_duration is None or low <= round(segment_duration, 1) <= high:
        return None
    return (
        f"Segments are {segment_duration:.1f} s long: set the keyframe interval in OBS to "
        f"{KEYFRAME_ADVICE_SECONDS:.0f} s (Cloudflare accepts {low:.0f}-{high:.0f} s)."
    )


def _http_date(value: str | None) -> datetime | None:
    from email.utils import parsedate_to_datetime  # here: slow to import, rarely needed

    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


@dataclass(slots=True)
class _EdgeTracker:
    """Remembers the newest segment seen, to tell a growing playlist from a stale one."""

    last_sequence: int | None = None
    seen_at: float = 0.0  # when this sequence was first seen (monotonic)
    published_at: float | None = None  # when it was published, if known (monotonic)


class HlsProbe:
    """Fetches one playback URL on demand; keep one probe per URL, it remembers the edge."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        *,
        timeout: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not is_safe_http_url(url):
            raise InvalidInputError("playback_url", UNSAFE_URL_MESSAGE)
        self.url = url
        self._http = http
        self._timeout = timeout
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._edge = _EdgeTracker()

    async def probe(self) -> ProbeResult:
        """One look at the playlist. Raises CompanionError subclasses on failures."""
        response = await self._fetch(self.url)
        if isinstance(response, ProbeResult):
            return self._forget_edge(response)
        playlist = self._parse(response)
        if playlist.is_variant:
            media_url = self._pick_variant(playlist)
            response = await self._fetch(media_url)
            if isinstance(response, ProbeResult):
                return self._forget_edge(response)
            playlist = self._parse(response)
            if playlist.is_variant:
                raise InvalidResponseError("The playback URL nests playlists too deeply to play.")
        return self._judge(playlist, response)

    def _forget_edge(self, result: ProbeResult) -> ProbeResult:
        self._edge = _EdgeTracker()
        return result

    async def _fetch(self, url: str) -> BoundedResponse | ProbeResult:
        # Imported here: httpx loads after the window's first paint.
        from app.core.checked_fetch import checked_get

        # Capped while downloading and bounded in total time: a trickling or endless
        # playlist ends the look within the timeout. Redirects are checked hop by hop.
        response = await checked_get(
            self._http, url, max_bytes=PLAYLIST_MAX_BYTES, deadline=self._timeout
        )
        status = response.status
        if status == 204:
            return ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NO_CONTENT)
        if status in (404, 410):
            return ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NOT_FOUND)
        if status == 429:
            raise RateLimitedError(
                "The playback server asks to slow down.",
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
        if status >= 500:
            raise ServerError(f"The playback server failed (HTTP {status}).", status=status)
        if status != 200:
            raise InvalidResponseError(f"The playback server refused the playlist (HTTP {status}).")
        return response

    def _parse(self, response: BoundedResponse) -> m3u8.M3U8:
        import m3u8

        text = response.content.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
        if not text:
            return m3u8.M3U8()
        if not text.startswith("#EXTM3U"):
            raise InvalidResponseError("The playback URL does not return an HLS playlist.")
        # The player is given only playlists whose every address passes the rule.
        check_uris(text, response.url)
        try:
            return m3u8.loads(text, uri=response.url)
        # The parser raises assorted built-in types on malformed tags.
        except Exception as error:
            if isinstance(error, CompanionError):
                raise
            raise InvalidResponseError("The playback server sent a malformed playlist.") from None

    def _pick_variant(self, playlist: m3u8.M3U8) -> str:
        # Every rendition of a live stream advances together: any one tells liveness.
        for variant in playlist.playlists:
            url: str | None = variant.absolute_uri
            if url and is_safe_http_url(url):
                return url
        raise InvalidResponseError("The playback playlist lists no usable stream.")

    def _judge(self, playlist: m3u8.M3U8, response: BoundedResponse) -> ProbeResult:
        segments = [s for s in playlist.segments if s.uri]
        health = self._health(playlist, segments)
        if playlist.is_endlist:
            self._edge = _EdgeTracker()
            return ProbeResult(PlaylistState.ENDED, health=health)
        if not segments:
            self._edge = _EdgeTracker()
            return ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NO_SEGMENTS, health)

        last_sequence = (playlist.media_sequence or 0) + len(segments) - 1
        now = self._monotonic()
        age = self._edge_age(segments[-1], response)
        edge = self._edge
        if last_sequence != edge.last_sequence:
            advanced = edge.last_sequence is not None and last_sequence > edge.last_sequence
            published_at = now if advanced else (None if age is None else now - age)
            self._edge = edge = _EdgeTracker(last_sequence, now, published_at)
        elif edge.published_at is None and age is not None:
            edge.published_at = now - age

        stale_after = STALE_AFTER_SEGMENTS * (health.target_duration or 4.0) + HTTP_DATE_SLACK
        if edge.published_at is not None and now - edge.published_at <= stale_after:
            return ProbeResult(PlaylistState.LIVE, health=health, last_sequence=last_sequence)
        if edge.published_at is not None or now - edge.seen_at > stale_after:
            return ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.STALE, health, last_sequence)
        return ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.UNCONFIRMED, health, last_sequence)

    def _edge_age(self, newest: m3u8.Segment, response: BoundedResponse) -> float | None:
        """Seconds since the newest segment appeared, or None when nothing tells."""
        # Date and Last-Modified come from the same server clock: no skew with ours.
        served = _http_date(response.headers.get("date"))
        modified = _http_date(response.headers.get("last-modified"))
        if served is not None and modified is not None:
            return max(0.0, (served - modified).total_seconds())
        end = self._segment_end(newest)
        if end is None:
            return None
        return max(0.0, self._wall_clock() - end)

    @staticmethod
    def _segment_end(segment: m3u8.Segment) -> float | None:
        start: datetime | None = segment.current_program_date_time
        if start is None:
            return None
        duration: float = segment.duration or 0.0
        return start.timestamp() + duration

    def _health(self, playlist: m3u8.M3U8, segments: list[m3u8.Segment]) -> PlaylistHealth:
        durations = [s.duration for s in segments if s.duration and s.duration > 0]
        target = float(playlist.target_duration) if playlist.target_duration else None
        # The newest segment can be cut short when the stream ends; leave it out when possible.
        typical = durations[:-1] if len(durations) > 2 else durations
        segment_duration = statistics.median(typical) if typical else None
        latency = None
        end = self._segment_end(segments[-1]) if segments else None
        if end is not None and not playlist.is_endlist:
            hold_back = PLAYER_HOLD_BACK_SEGMENTS * (target or segment_duration or 0.0)
            latency = max(0.0, self._wall_clock() - end) + hold_back
        return PlaylistHealth(
            target_duration=target,
            segment_duration=segment_duration,
            latency=latency,
            keyframe_warning=keyframe_warning(segment_duration),
        )


def _retry_after(value: str | None) -> float | None:
    return parse_retry_after(value)  # finite and clamped, as for the API
