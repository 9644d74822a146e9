"""Where the preview starts in a live playlist, and what each reload shows the player.

Players start three target durations behind the live edge (RFC 8216 6.3.3): a streamer
checking a scene change waits that long. At the edge, the player is shown a playlist that
begins at the newest segment; the start stays pinned there on every reload, so the player
never skips and sees the playlist grow from that point as a viewer's would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.hls_playlist import MediaPlaylist

# A stream this young has only just gone live: its newest segment is fresh, start from it
# without waiting for the next.
FRESH_STREAM_SEGMENTS = 2
# How long the first load may wait for a new segment, in target durations.
NEXT_SEGMENT_WAIT_TARGETS = 1.25
# A segment listed before it exists is answered the moment it appears, at most this many
# target durations later (else 404: the stream stopped growing).
UPCOMING_HOLD_TARGETS = 1.5
# Started the moment a segment appears (the one waited for, or a young stream's newest),
# the player needs the next one the moment it is published: any fetch or decode time becomes
# a stall, and FFmpeg holds a segment's last two or three frames until the next one comes.
# Starting this much later leaves room for that, for every segment after.
START_SLACK_SECONDS = 0.3
# After a load with news, the player's next reload comes this many target durations later.
RELOAD_SOON_TARGETS = 0.5
# Playlist checks while waiting for a segment: every 0.1 s, fewer for long segments.
POLL_SECONDS = 0.1
POLLS_PER_TARGET = 20
DEFAULT_TARGET_SECONDS = 4.0


@dataclass(frozen=True, slots=True)
class EdgeView:
    playlist: MediaPlaylist
    # List this sequence number after the newest segment, answered once it exists.
    upcoming: int | None = None


@dataclass(slots=True)
class LiveEdge:
    """One playback's start points, per media playlist URL."""

    at_edge: bool = True
    _pins: dict[str, int] = field(default_factory=dict)
    # The newest sequence the player has been given, per playlist (listed ahead included).
    _had: dict[str, int] = field(default_factory=dict)

    def needs_pin(self, url: str, playlist: MediaPlaylist) -> bool:
        return self.at_edge and url not in self._pins and not playlist.ended

    def waits_for_next_segment(self, playlist: MediaPlaylist) -> bool:
        """Start when a new segment appears: an arbitrary moment is half a segment later."""
        return len(playlist.segments) > FRESH_STREAM_SEGMENTS

    @staticmethod
    def next_segment_wait(playlist: MediaPlaylist) -> float:
        return NEXT_SEGMENT_WAIT_TARGETS * _target(playlist)

    @staticmethod
    def upcoming_hold(playlist: MediaPlaylist) -> float:
        return UPCOMING_HOLD_TARGETS * _target(playlist)

    @staticmethod
    def poll_interval(playlist: MediaPlaylist) -> float:
        return max(POLL_SECONDS, _target(playlist) / POLLS_PER_TARGET)

    def pin(self, url: str, playlist: MediaPlaylist) -> None:
        newest = playlist.newest_sequence
        if newest is not None:
            self._pins[url] = newest

    def view(self, url: str, playlist: MediaPlaylist) -> EdgeView:
        """What this load of the playlist shows the player.

        FFmpeg, inside Qt's player, reloads a live playlist one newest-segment duration
        after loading it, and nothing tells it when the next segment appears. So: when the
        playlist has a segment the player has not had, it fetches that now and the listed
        duration is shortened so the next reload comes before the next segment does; when
        it has nothing new, the next segment is listed before it exists and its request is
        answered the moment it appears (as LL-HLS's preload hints). Either way the player
        gets each segment within a poll interval of its publication. Media is not changed.

        The segment ahead is never listed behind one the player has not fetched: the
        demuxer, blocked on it, would hold back frames it already has.
        """
        pin = self._pins.get(url)
        if pin is None:
            return EdgeView(playlist)
        served = playlist.starting_at(pin)
        newest = served.newest_sequence
        if newest is None or served.ended:
            return EdgeView(served)
        had = self._had.get(url)
        if had is None or newest > had:
            self._had[url] = newest
            return EdgeView(served.with_newest_duration(RELOAD_SOON_TARGETS * _target(served)))
        if not _may_list_ahead(served):
            return EdgeView(served)
        self._had[url] = newest + 1
        return EdgeView(served, upcoming=newest + 1)


def _target(playlist: MediaPlaylist) -> float:
    return playlist.target_duration or DEFAULT_TARGET_SECONDS


def _may_list_ahead(playlist: MediaPlaylist) -> bool:
    """Only plain live playlists: no keys (a new key could come with the next segment), no
    low-latency parts or hints after the segments."""
    if playlist.trailer:
        return False
    return not any(line.startswith("#EXT-X-KEY") for seg in playlist.segments for line in seg)
