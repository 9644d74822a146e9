"""HLS playlist text as the player will see it: every URI checked and routed, live edge trimmed.

Line-based on purpose: the player must get the playlist the server wrote, tag for tag, with
only the URIs replaced (segment lines and every `URI="..."` attribute: variants, renditions,
keys, maps, parts, preload hints). Qt-free and pure, so each rule is tested on text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from app.core.errors import InvalidResponseError
from app.core.safe_text import safe_text
from app.core.validation import is_safe_http_url

URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
MEDIA_SEQUENCE = "#EXT-X-MEDIA-SEQUENCE:"
PROGRAM_DATE_TIME = "#EXT-X-PROGRAM-DATE-TIME:"
DISCONTINUITY_SEQUENCE = "#EXT-X-DISCONTINUITY-SEQUENCE:"
# Tags about the whole playlist; anything else before a segment's URI belongs to that segment.
HEADER_TAGS = (
    "#EXTM3U",
    "#EXT-X-VERSION",
    "#EXT-X-TARGETDURATION",
    MEDIA_SEQUENCE.rstrip(":"),
    DISCONTINUITY_SEQUENCE.rstrip(":"),
    "#EXT-X-PLAYLIST-TYPE",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    "#EXT-X-START",
    "#EXT-X-SERVER-CONTROL",
    "#EXT-X-PART-INF",
    "#EXT-X-ALLOW-CACHE",
)
# A segment inherits the last of these written before it, even many segments earlier.
STICKY_TAGS = ("#EXT-X-KEY", "#EXT-X-MAP")
SHOWN_HOST_MAX = 80

Route = Callable[[str], str]


class UnsafeAddressError(InvalidResponseError):
    """The stream names an address outside the rule (https, or http on this computer)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"The stream names an address the app will not fetch: {shown_origin(url)}")
        self.url = url


def shown_origin(url: str) -> str:
    """Scheme and host only, printable: enough to tell where, never the path (keys, tokens)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        scheme = parts.scheme or "?"
    except ValueError:
        return "an address that is not valid"
    # Network text is data: control and bidi characters shown as visible escapes.
    host = safe_text(host[:SHOWN_HOST_MAX]) or "?"
    scheme = safe_text(scheme[:16])
    return f"{scheme}://{host}"


def checked_url(uri: str, base_url: str) -> str:
    """The absolute URL a playlist line names, or UnsafeAddressError when the rule refuses it."""
    uri = uri.strip()
    try:
        url = urljoin(base_url, uri)
    except ValueError:
        raise UnsafeAddressError(uri) from None
    if not is_safe_http_url(url):
        raise UnsafeAddressError(url)
    return url


def rewrite_uris(text: str, base_url: str, route: Route) -> str:
    """Each URI in the playlist, resolved against `base_url`, checked, then passed to `route`.

    Raises UnsafeAddressError for the first URI the rule refuses: nothing of such a playlist
    reaches the player.
    """

    def replace_attribute(match: re.Match[str]) -> str:
        return f'URI="{route(checked_url(match.group(1), base_url))}"'

    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append("")
        elif stripped.startswith("#"):
            out.append(URI_ATTRIBUTE.sub(replace_attribute, stripped))
        else:
            out.append(route(checked_url(stripped, base_url)))
    return "\n".join(out) + "\n"


def check_uris(text: str, base_url: str) -> None:
    """Refuses a playlist that names any address outside the rule."""
    rewrite_uris(text, base_url, lambda url: url)


@dataclass(slots=True)
class MediaPlaylist:
    """A media playlist split into its header, its segments (tags + URI) and what follows."""

    header: list[str]
    segments: list[list[str]]
    trailer: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> MediaPlaylist:
        header: list[str] = []
        segments: list[list[str]] = []
        pending: list[str] = []
        in_header = True
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if in_header and line.startswith(HEADER_TAGS):
                header.append(line)
                continue
            in_header = False
            pending.append(line)
            if not line.startswith("#"):
                segments.append(pending)
                pending = []
        return cls(header, segments, pending)

    @property
    def first_sequence(self) -> int:
        return _int_tag(self.header, MEDIA_SEQUENCE) or 0

    @property
    def newest_sequence(self) -> int | None:
        if not self.segments:
            return None
        return self.first_sequence + len(self.segments) - 1

    @property
    def target_duration(self) -> float | None:
        value = _int_tag(self.header, "#EXT-X-TARGETDURATION:")
        return float(value) if value else None

    @property
    def ended(self) -> bool:
        return any(line.startswith("#EXT-X-ENDLIST") for line in self.trailer)

    def starting_at(self, sequence: int) -> MediaPlaylist:
        """The playlist without the segments before `sequence` (at least the newest kept).

        Keys and maps that applied to the kept segments stay with them, and both sequence
        numbers move on, so the player sees a valid playlist that simply starts later.
        """
        drop = max(0, min(sequence - self.first_sequence, len(self.segments) - 1))
        if drop == 0:
            return self
        dropped, kept = self.segments[:drop], [list(s) for s in self.segments[drop:]]
        carried = _sticky_tags(dropped, kept[0])
        kept[0] = carried + kept[0]
        discontinuities = sum(
            1
            for seg in dropped
            for line in seg
            if line.startswith("#EXT-X-DISCONTINUITY")
            and not line.startswith(DISCONTINUITY_SEQUENCE)
        )
        header = [line for line in self.header if not line.startswith("#EXT-X-START")]
        header = _set_int_tag(header, MEDIA_SEQUENCE, self.first_sequence + drop)
        if discontinuities:
            old = _int_tag(header, DISCONTINUITY_SEQUENCE) or 0
            header = _set_int_tag(header, DISCONTINUITY_SEQUENCE, old + discontinuities)
        return MediaPlaylist(header, kept, list(self.trailer))

    def with_newest_duration(self, seconds: float) -> MediaPlaylist:
        """The same playlist with the newest segment's EXTINF duration replaced."""
        if not self.segments:
            return self
        newest = [
            f"#EXTINF:{seconds:.3f}," if line.startswith("#EXTINF:") else line
            for line in self.segments[-1]
        ]
        return MediaPlaylist(self.header, [*self.segments[:-1], newest], list(self.trailer))

    def program_times(self) -> list[tuple[str, float]]:
        """(URI, EXT-X-PROGRAM-DATE-TIME as epoch seconds) of each segment that has a stamp,
        the stamp carried forward by the listed durations as RFC 8216 4.4.4.6 says."""
        out = []
        stamp: float | None = None
        for seg in self.segments:
            duration = 0.0
            for line in seg:
                if line.startswith(PROGRAM_DATE_TIME):
                    stamp = _epoch(line[len(PROGRAM_DATE_TIME) :])
                elif line.startswith("#EXTINF:"):
                    duration = _float(line[len("#EXTINF:") :].split(",", 1)[0])
            if stamp is not None:
                out.append((seg[-1], stamp))
                stamp += duration
        return out

    def text(self) -> str:
        lines = [*self.header, *(line for seg in self.segments for line in seg), *self.trailer]
        return "\n".join(lines) + "\n"


def is_media_playlist(text: str) -> bool:
    return "#EXTINF" in text or "#EXT-X-TARGETDURATION" in text


def _sticky_tags(dropped: list[list[str]], first_kept: list[str]) -> list[str]:
    carried = []
    for tag in STICKY_TAGS:
        if any(line.startswith(tag) for line in first_kept):
            continue
        last = None
        for seg in dropped:
            for line in seg:
                if line.startswith(tag + ":"):
                    last = line
        if last is not None:
            carried.append(last)
    return carried


def _epoch(value: str) -> float | None:
    try:
        return datetime.fromisoformat(value.strip()).timestamp()
    except ValueError:
        return None


def _float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def _int_tag(lines: list[str], prefix: str) -> int | None:
    for line in lines:
        if line.startswith(prefix):
            try:
                return int(line[len(prefix) :].strip())
            except ValueError:
                raise InvalidResponseError(
                    "The playback server sent a malformed playlist."
                ) from None
    return None


def _set_int_tag(lines: list[str], prefix: str, value: int) -> list[str]:
    out = [f"{prefix}{value}" if line.startswith(prefix) else line for line in lines]
    if not any(line.startswith(prefix) for line in lines):
        # Right after the target duration (or the header's start): where writers put it.
        at = next(
            (i + 1 for i, line in enumerate(out) if line.startswith("#EXT-X-TARGETDURATION")),
            1 if out and out[0].startswith("#EXTM3U") else 0,
        )
        out.insert(at, f"{prefix}{value}")
    return out
