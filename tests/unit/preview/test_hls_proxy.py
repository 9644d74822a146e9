"""The loopback HLS proxy over real loopback HTTP, with a scripted upstream fetch."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from app.core.errors import NetworkError, NetworkProblem
from app.core.hls_playlist import UnsafeAddressError
from app.core.hls_proxy import HlsProxy
from app.core.live_edge import POLL_SECONDS, START_SLACK_SECONDS

UPSTREAM = "https://cdn.example.com/live/index.m3u8"


@dataclass
class Answer:
    status: int
    content: bytes
    url: str
    headers: dict[str, str] = field(default_factory=dict)


def media(first: int, count: int, *, segment_host: str = "") -> str:
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:1", f"#EXT-X-MEDIA-SEQUENCE:{first}"]
    for n in range(first, first + count):
        lines += ["#EXTINF:1.0,", f"{segment_host}seg{n}.ts"]
    return "\n".join(lines) + "\n"


class Upstream:
    """Answers by URL; a playlist may be a function of how many times it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.playlists: dict[str, Callable[[int], str]] = {}

    async def fetch(self, url: str, max_bytes: int, deadline: float) -> Answer:
        self.asked.append(url)
        if url in self.playlists:
            count = sum(1 for u in self.asked if u == url)
            return Answer(200, self.playlists[url](count).encode(), url)
        if url.endswith(".ts"):
            return Answer(200, b"\x47" * 188 * 10, url, {"content-type": "video/mp2t"})
        if url.endswith("gone.m3u8"):
            return Answer(404, b"", url)
        raise NetworkError(NetworkProblem.REFUSED, "refused")


class FakeTime:
    """The proxy's clock and sleep: a sleep moves the clock on at once and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def proxy_and_upstream(fake_time: FakeTime):
    upstream = Upstream()
    refused: list[UnsafeAddressError] = []
    proxy = HlsProxy(
        upstream.fetch, on_refused=refused.append, clock=fake_time.clock, sleep=fake_time.sleep
    )
    await proxy.start()
    async with httpx.AsyncClient(timeout=5) as client:
        yield proxy, upstream, client, refused
    await proxy.close()


async def test_master_and_media_playlists_route_everything_through_the_proxy(proxy_and_upstream):
    proxy, upstream, client, refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv/index.m3u8\n"
    )
    upstream.playlists["https://cdn.example.com/live/v/index.m3u8"] = lambda _n: media(0, 2)
    local = proxy.open(UPSTREAM)
    assert local.startswith(f"http://127.0.0.1:{proxy.port}/")
    master = (await client.get(local)).text
    variant = next(line for line in master.splitlines() if line.startswith("http"))
    assert variant.startswith(f"http://127.0.0.1:{proxy.port}/") and "cdn" not in master
    playlist = await client.get(variant)
    assert playlist.headers["content-type"] == "application/vnd.apple.mpegurl"
    segments = [line for line in playlist.text.splitlines() if line.startswith("http")]
    # A young stream (two segments) starts at its newest at once.
    assert len(segments) == 1 and segments[0].endswith(".ts")
    assert "#EXT-X-MEDIA-SEQUENCE:1" in playlist.text
    body = await client.get(segments[0])
    assert body.status_code == 200 and body.content[:1] == b"\x47"
    assert upstream.asked[-1] == "https://cdn.example.com/live/v/seg1.ts"
    assert len(proxy.segments) == 1 and proxy.segments[0].size == 1880
    assert not refused


async def test_a_playlist_naming_another_host_is_refused_and_reported(proxy_and_upstream):
    proxy, upstream, client, refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 2, segment_host="http://10.99.0.1/")
    answer = await client.get(proxy.open(UPSTREAM))
    assert answer.status_code == 403 and answer.content == b""
    assert [str(e) for e in refused] == [
        "The stream names an address the app will not fetch: http://10.99.0.1"
    ]
    assert proxy.refused is refused[0]
    assert upstream.asked == [UPSTREAM]  # nothing fetched from the refused address


async def test_the_first_load_waits_for_the_next_segment_then_stays_pinned(proxy_and_upstream):
    proxy, upstream, client, _refused = proxy_and_upstream
    # Six segments listed; a new one appears on the third look.
    upstream.playlists[UPSTREAM] = lambda n: media(0, 6 if n < 3 else 7)
    local = proxy.open(UPSTREAM)
    first = (await client.get(local)).text
    assert "#EXT-X-MEDIA-SEQUENCE:6" in first and first.count("#EXTINF") == 1
    assert upstream.asked.count(UPSTREAM) == 3
    upstream.playlists[UPSTREAM] = lambda n: media(2, 7)  # seg 6..8 after a reload
    again = (await client.get(local)).text
    assert "#EXT-X-MEDIA-SEQUENCE:6" in again and again.count("#EXTINF") == 3


async def test_a_young_stream_starts_at_its_newest_segment_a_little_after_it(
    proxy_and_upstream, fake_time
):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 1)  # the encoder has just begun
    local = proxy.open(UPSTREAM)
    first = (await client.get(local)).text
    assert "#EXT-X-MEDIA-SEQUENCE:0" in first and first.count("#EXTINF") == 1
    # Not the next segment's wait: only the slack that keeps the next one in time.
    assert fake_time.sleeps == [START_SLACK_SECONDS]
    assert upstream.asked.count(UPSTREAM) == 1
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 2)
    again = (await client.get(local)).text
    assert "#EXT-X-MEDIA-SEQUENCE:0" in again and again.count("#EXTINF") == 2
    assert fake_time.sleeps == [START_SLACK_SECONDS]  # once per playback, at its start


async def test_a_running_stream_starts_a_little_after_its_next_segment(
    proxy_and_upstream, fake_time
):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda n: media(0, 6 if n < 3 else 7)
    first = (await client.get(proxy.open(UPSTREAM))).text
    assert "#EXT-X-MEDIA-SEQUENCE:6" in first
    # Loaded, looked again at once, then once more a poll later: segment 6 is there.
    assert fake_time.sleeps == [POLL_SECONDS, START_SLACK_SECONDS]


async def test_a_stream_that_does_not_grow_starts_at_its_newest_without_slack(
    proxy_and_upstream, fake_time
):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 6)  # stale
    first = (await client.get(proxy.open(UPSTREAM))).text
    assert "#EXT-X-MEDIA-SEQUENCE:5" in first and first.count("#EXTINF") == 1
    assert START_SLACK_SECONDS not in fake_time.sleeps
    # Looked for the next segment 1.25 target durations (1 s), a poll at a time.
    assert set(fake_time.sleeps) == {POLL_SECONDS}
    assert 1.25 <= sum(fake_time.sleeps) < 1.25 + POLL_SECONDS


async def test_the_segment_listed_ahead_is_answered_once_it_appears(proxy_and_upstream):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda n: media(0, 2 if n < 5 else 3)
    local = proxy.open(UPSTREAM)
    await client.get(local)
    text = (await client.get(local)).text  # nothing new: the next segment is listed ahead
    ahead = [line for line in text.splitlines() if line.startswith("http")][-1]
    answer = await client.get(ahead)
    assert answer.status_code == 200
    assert upstream.asked[-1] == "https://cdn.example.com/live/seg2.ts"
    assert upstream.asked.count(UPSTREAM) == 5  # polled until it appeared


async def test_the_segment_listed_ahead_is_404_when_it_never_comes(proxy_and_upstream):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda n: media(0, 2)  # stale: never grows
    local = proxy.open(UPSTREAM)
    await client.get(local)
    text = (await client.get(local)).text
    ahead = [line for line in text.splitlines() if line.startswith("http")][-1]
    assert (await client.get(ahead)).status_code == 404  # after 1.5 target durations


async def test_viewers_start_point_passes_the_whole_playlist():
    upstream = Upstream()
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 6)
    proxy = HlsProxy(upstream.fetch, at_edge=False)
    await proxy.start()
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            text = (await client.get(proxy.open(UPSTREAM))).text
        assert "#EXT-X-MEDIA-SEQUENCE:0" in text and text.count("#EXTINF") == 6
        assert upstream.asked == [UPSTREAM]
    finally:
        await proxy.close()


async def test_only_its_own_addresses_answer(proxy_and_upstream):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 2)
    local = proxy.open(UPSTREAM)
    base = f"http://127.0.0.1:{proxy.port}"
    assert (await client.get(base + "/")).status_code == 404
    assert (await client.get(base + "/1.m3u8")).status_code == 404  # no secret
    assert (await client.get(local + "x")).status_code == 404
    # A page reaching the port through DNS rebinding names another host.
    rebound = await client.get(local, headers={"Host": f"attacker.example:{proxy.port}"})
    assert rebound.status_code == 404
    assert (await client.post(local)).status_code == 405
    assert upstream.asked == []


async def test_upstream_failures_become_statuses_not_crashes(proxy_and_upstream):
    proxy, _upstream, client, refused = proxy_and_upstream
    assert (await client.get(proxy.open("https://cdn.example.com/gone.m3u8"))).status_code == 404
    assert (await client.get(proxy.open("https://cdn.example.com/dead.m3u8"))).status_code == 502
    assert not refused


async def test_a_new_playback_forgets_old_routes(proxy_and_upstream):
    proxy, upstream, client, _refused = proxy_and_upstream
    upstream.playlists[UPSTREAM] = lambda _n: media(0, 2)
    old = proxy.open(UPSTREAM)
    proxy.open(UPSTREAM)
    assert (await client.get(old)).status_code == 404


def test_open_refuses_an_unsafe_entry_url():
    proxy = HlsProxy(Upstream().fetch)
    with pytest.raises(UnsafeAddressError):
        proxy.open("http://10.99.0.1/live.m3u8")
