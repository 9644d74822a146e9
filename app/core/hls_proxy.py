"""A loopback HLS proxy: the media player fetches only what the app has checked.

FFmpeg (inside Qt's player) would otherwise fetch any variant, segment, key or map a
playlist names, from any host, and follow redirects on its own. Here the player is given
`http://127.0.0.1:<port>/<secret>/<n>` addresses only; each stands for one upstream URL that
passed the rule (https, or http on this computer). The proxy fetches it through the app's
checked fetch (bounded size and time, redirects checked hop by hop) and rewrites every URI
of every playlist it serves. A playlist naming any other address is refused as a whole and
`on_refused` tells the preview.

Also: the live edge (see `live_edge`), and what each segment cost to download, for the
health line. Qt-free asyncio on the app's one loop; HTTP/1.1 framing by h11.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import h11

from app.core.errors import CompanionError
from app.core.hls_playlist import (
    MediaPlaylist,
    UnsafeAddressError,
    check_uris,
    checked_url,
    is_media_playlist,
    rewrite_uris,
)
from app.core.live_edge import START_SLACK_SECONDS, EdgeView, LiveEdge

log = logging.getLogger(__name__)

PLAYLIST_MAX_BYTES = 2_000_000
# A 6 s segment at 40 Mbit/s is 30 MB; twice that is no stream a preview plays.
SEGMENT_MAX_BYTES = 64_000_000
PLAYLIST_DEADLINE = 5.0
SEGMENT_DEADLINE = 20.0
ROUTES_MAX = 4096
SEGMENT_HISTORY = 8
IDLE_CONNECTION_SECONDS = 60.0
READ_CHUNK = 65536
PLAYLIST_CONTEXT_TAGS = ("#EXT-X-MEDIA", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-RENDITION-REPORT")
PLAYLIST_SUFFIXES = (".m3u8", ".m3u")
SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"


class Fetched(Protocol):
    # Read-only: a frozen dataclass (bounded_read.BoundedResponse) is one.
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def url(self) -> str: ...
    @property
    def content(self) -> bytes: ...


# (url, max_bytes, deadline) -> the whole answer; raises CompanionError subclasses.
Fetch = Callable[[str, int, float], Awaitable[Fetched]]


@dataclass(frozen=True, slots=True)
class SegmentFetch:
    size: int  # bytes
    seconds: float  # download time
    at: float  # when it finished (monotonic)


@dataclass(frozen=True, slots=True)
class _Route:
    url: str
    playlist: bool
    # For the segment listed before it exists: `url` is its playlist, this its number.
    sequence: int | None = None


@dataclass(slots=True)
class _Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/octet-stream"


class HlsProxy:
    def __init__(
        self,
        fetch: Fetch,
        *,
        at_edge: bool = True,
        on_refused: Callable[[UnsafeAddressError], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._fetch = fetch
        self.at_edge = at_edge
        self.on_refused = on_refused
        self._clock = clock
        self._sleep = sleep
        self._secret = secrets.token_urlsafe(18)
        self._server: asyncio.Server | None = None
        self._starting: asyncio.Future[None] | None = None
        self._connections: set[asyncio.Future[None]] = set()
        self._routes: collections.OrderedDict[str, _Route] = collections.OrderedDict()
        self._ids: dict[str, str] = {}
        self._counter = 0
        self._playlist_fetches: dict[str, asyncio.Future[Fetched]] = {}
        # EXT-X-PROGRAM-DATE-TIME of the segments listed, by upstream URL.
        self._stamps: dict[str, float] = {}
        self._first_segment_time: float | None = None
        self._edge = LiveEdge(at_edge)
        self.port = 0
        self.segments: collections.deque[SegmentFetch] = collections.deque(maxlen=SEGMENT_HISTORY)
        self.refused: UnsafeAddressError | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        # Shielded: a start cancelled halfway (the preview closing) would lose the socket.
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._listen())
        await asyncio.shield(self._starting)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._starting is not None:
            await asyncio.wait({self._starting})
        self._starting = None
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    def open(self, upstream_url: str) -> str:
        """A new playback of `upstream_url`: fresh routes and start points; the local URL."""
        url = checked_url(upstream_url, upstream_url)
        self._routes.clear()
        self._ids.clear()
        self._edge = LiveEdge(self.at_edge)
        self.segments.clear()
        self.refused = None
        self._stamps.clear()
        self._first_segment_time = None
        return self._route(url, playlist=True)

    @property
    def first_segment_time(self) -> float | None:
        """When the first segment the player fetched began, by the playlist's
        EXT-X-PROGRAM-DATE-TIME (epoch seconds); None when the playlist has no such stamps."""
        return self._first_segment_time

    # --- routes ---------------------------------------------------------------------------

    def _route(self, url: str, *, playlist: bool) -> str:
        return self._local(url, _Route(url, playlist or _looks_like_playlist(url)), _suffix(url))

    def _upcoming_route(self, playlist_url: str, sequence: int, suffix: str) -> str:
        return self._local(
            f"{playlist_url}#{sequence}", _Route(playlist_url, False, sequence), suffix
        )

    def _local(self, name: str, route: _Route, suffix: str) -> str:
        key = self._ids.get(name)
        if key is None:
            self._counter += 1
            key = f"{self._counter}{suffix}"
            self._ids[name] = key
            self._routes[key] = route
            while len(self._routes) > ROUTES_MAX:
                _old, evicted = self._routes.popitem(last=False)
                self._ids = {n: k for n, k in self._ids.items() if k in self._routes}
                del evicted
        return f"http://127.0.0.1:{self.port}/{self._secret}/{key}"

    def _lookup(self, target: bytes, host: bytes | None) -> _Route | None:
        if host not in (f"127.0.0.1:{self.port}".encode(), f"localhost:{self.port}".encode()):
            return None
        prefix = f"/{self._secret}/".encode()
        if not target.startswith(prefix):
            return None
        return self._routes.get(target[len(prefix) :].decode("ascii", "replace"))

    # --- HTTP -----------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The work runs in a task of its own: cancelled on close, it ends quietly, where the
        # task asyncio made for this callback would log its cancellation as an error.
        work = asyncio.ensure_future(self._serve_quietly(reader, writer))
        self._connections.add(work)
        try:
            await asyncio.wait({work})
        finally:
            self._connections.discard(work)
            writer.close()
        if not work.cancelled() and work.exception() is not None:
            # A bug, not the network: say so without taking the preview down.
            log.error("the HLS proxy failed on a request", exc_info=work.exception())

    async def _serve_quietly(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(h11.ProtocolError, ConnectionError, TimeoutError):
            await self._serve(reader, writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        while True:
            event = await self._next_event(conn, reader)
            if not isinstance(event, h11.Request):
                return
            while not isinstance(await self._next_event(conn, reader), h11.EndOfMessage):
                pass
            answer = await self._answer(event)
            headers = [
                ("Content-Type", answer.content_type),
                ("Content-Length", str(len(answer.body))),
                ("Cache-Control", "no-cache"),
            ]
            writer.write(conn.send(h11.Response(status_code=answer.status, headers=headers)))
            if event.method != b"HEAD" and answer.body:
                writer.write(conn.send(h11.Data(data=answer.body)))
            writer.write(conn.send(h11.EndOfMessage()))
            await writer.drain()
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()

    @staticmethod
    async def _next_event(
        conn: h11.Connection, reader: asyncio.StreamReader
    ) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            async with asyncio.timeout(IDLE_CONNECTION_SECONDS):
                data = await reader.read(READ_CHUNK)
            conn.receive_data(data)

    async def _answer(self, request: h11.Request) -> _Answer:
        if request.method not in (b"GET", b"HEAD"):
            return _Answer(405)
        host = dict(request.headers).get(b"host")
        route = self._lookup(request.target, host)
        if route is None:
            return _Answer(404)
        try:
            if route.playlist:
                return await self._playlist(route.url)
            if route.sequence is not None:
                return await self._upcoming(route.url, route.sequence)
            return await self._media(route.url)
        except UnsafeAddressError as error:
            self._refuse(error)
            return _Answer(403)
        except CompanionError as error:
            log.info("proxy fetch failed: %s", type(error).__name__)
            return _Answer(502)

    async def _playlist(self, url: str) -> _Answer:
        fetched = await self._fetch(url, PLAYLIST_MAX_BYTES, PLAYLIST_DEADLINE)
        if fetched.status != 200:
            return _Answer(fetched.status)
        base = fetched.url
        text = _decode(fetched.content)
        if not is_media_playlist(text):
            return _Answer(200, self._rewrite(text, base), PLAYLIST_TYPE)
        check_uris(text, base)
        view = await self._at_edge(url, MediaPlaylist.parse(text))
        served = view.playlist
        self._note_stamps(served, base)
        body = self._rewrite(served.text(), base)
        if view.upcoming is not None:
            suffix = _suffix(served.segments[-1][-1])
            duration = served.target_duration or 1.0
            local = self._upcoming_route(url, view.upcoming, suffix)
            body += f"#EXTINF:{duration:.3f},\n{local}\n".encode()
        return _Answer(200, body, PLAYLIST_TYPE)

    async def _at_edge(self, url: str, playlist: MediaPlaylist) -> EdgeView:
        edge = self._edge
        if edge.needs_pin(url, playlist):
            # A young stream's newest segment has only just appeared, like the one waited for.
            fresh = True
            if edge.waits_for_next_segment(playlist):
                newer = await self._await_sequence(
                    url, (playlist.newest_sequence or 0) + 1, edge.next_segment_wait(playlist)
                )
                fresh = newer is not None
                if newer is not None:
                    playlist = newer[0]
            if fresh:
                await self._sleep(START_SLACK_SECONDS)
            edge.pin(url, playlist)
        return edge.view(url, playlist)

    def _note_stamps(self, playlist: MediaPlaylist, base: str) -> None:
        if len(self._stamps) > ROUTES_MAX:
            self._stamps.clear()
        for url, stamp in playlist.program_times():
            self._stamps[checked_url(url, base)] = stamp

    async def _upcoming(self, playlist_url: str, sequence: int) -> _Answer:
        """The segment listed before it existed: answered as soon as the playlist has it."""
        fetched = await self._fetch_playlist(playlist_url)
        playlist = MediaPlaylist.parse(_decode(fetched.content))
        found = await self._await_sequence(
            playlist_url, sequence, self._edge.upcoming_hold(playlist)
        )
        if found is None:
            return _Answer(404)
        playlist, base = found
        index = sequence - playlist.first_sequence
        if not 0 <= index < len(playlist.segments):
            return _Answer(404)
        self._note_stamps(playlist, base)
        return await self._media(checked_url(playlist.segments[index][-1], base))

    async def _await_sequence(
        self, url: str, sequence: int, wait: float
    ) -> tuple[MediaPlaylist, str] | None:
        """The playlist (and its base URL) once it lists `sequence`, or None after `wait` s."""
        deadline = self._clock() + wait
        while True:
            fetched = await self._fetch_playlist(url)
            if fetched.status != 200:
                return None
            text = _decode(fetched.content)
            check_uris(text, fetched.url)
            playlist = MediaPlaylist.parse(text)
            if (playlist.newest_sequence or -1) >= sequence:
                return playlist, fetched.url
            if playlist.ended or self._clock() >= deadline:
                return None
            await self._sleep(self._edge.poll_interval(playlist))

    async def _fetch_playlist(self, url: str) -> Fetched:
        """One upstream request at a time per playlist: waiters share its answer."""
        pending = self._playlist_fetches.get(url)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch(url, PLAYLIST_MAX_BYTES, PLAYLIST_DEADLINE))
            self._playlist_fetches[url] = pending
            pending.add_done_callback(lambda _f: self._playlist_fetches.pop(url, None))
            # Every waiter may have gone (the player hung up): the failure is still seen.
            pending.add_done_callback(lambda f: f.cancelled() or f.exception())
        return await asyncio.shield(pending)

    def _rewrite(self, text: str, base: str) -> bytes:
        previous = ""
        out = []
        for line in text.splitlines():
            in_playlist_context = previous.startswith("#EXT-X-STREAM-INF") or line.startswith(
                PLAYLIST_CONTEXT_TAGS
            )
            route = functools.partial(self._route, playlist=in_playlist_context)
            out.append(rewrite_uris(line, base, route).rstrip("\n"))
            if line.strip():
                previous = line.strip()
        return ("\n".join(out) + "\n").encode()

    async def _media(self, url: str) -> _Answer:
        began = self._clock()
        fetched = await self._fetch(url, SEGMENT_MAX_BYTES, SEGMENT_DEADLINE)
        if fetched.status != 200:
            return _Answer(fetched.status)
        now = self._clock()
        self.segments.append(SegmentFetch(len(fetched.content), now - began, now))
        if self._first_segment_time is None:
            self._first_segment_time = self._stamps.get(url)
        content_type = fetched.headers.get("content-type", "application/octet-stream")
        return _Answer(200, fetched.content, _plain(content_type))

    def _refuse(self, error: UnsafeAddressError) -> None:
        log.info("the stream names an address outside the rule; refused")
        if self.refused is None:
            self.refused = error
            if self.on_refused is not None:
                self.on_refused(error)


def _decode(content: bytes) -> str:
    return content.decode("utf-8", errors="replace").lstrip("\ufeff")


def _suffix(url: str) -> str:
    # FFmpeg's HLS demuxer judges segments by their extension: keep it.
    match = SAFE_SUFFIX.search(urlsplit(url).path)
    return match.group(0).lower() if match else ""


def _looks_like_playlist(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(PLAYLIST_SUFFIXES)


def _plain(content_type: str) -> str:
    """A content type fit to repeat: printable ASCII only, bounded."""
    cleaned = "".join(c for c in content_type if " " <= c <= "~")[:100]
    return cleaned or "application/octet-stream"
