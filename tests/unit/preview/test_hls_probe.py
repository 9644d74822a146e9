"""The liveness probe against scripted playlists (httpx.MockTransport) and a fake clock."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from app.core.errors import (
    InvalidInputError,
    InvalidResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from app.core.hls_playlist import UnsafeAddressError
from app.core.hls_probe import (
    PLAYLIST_MAX_BYTES,
    HlsProbe,
    NotLiveReason,
    PlaylistState,
    keyframe_warning,
)

URL = "https://customer-x.cloudflarestream.com/abc/manifest/video.m3u8"
EPOCH = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def mono(self) -> float:
        return self.t

    def wall(self) -> float:
        return EPOCH.timestamp() + self.t


def media_playlist(
    first_seq: int,
    count: int,
    *,
    duration: float = 4.0,
    endlist: bool = False,
    pdt: datetime | None = None,
) -> str:
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{round(duration)}",
        f"#EXT-X-MEDIA-SEQUENCE:{first_seq}",
    ]
    if pdt is not None:
        lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{pdt.isoformat().replace('+00:00', 'Z')}")
    for n in range(first_seq, first_seq + count):
        lines += [f"#EXTINF:{duration:.3f},", f"seg{n}.ts"]
    if endlist:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


Responder = Callable[[httpx.Request], httpx.Response]


def make_probe(clock: Clock, responder: Responder, url: str = URL) -> HlsProbe:
    http = httpx.AsyncClient(transport=httpx.MockTransport(responder))
    return HlsProbe(http, url, monotonic=clock.mono, wall_clock=clock.wall)


def answer(body: str = "", status: int = 200, headers: dict | None = None) -> Responder:
    return lambda request: httpx.Response(status, text=body, headers=headers or {})


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (204, "", NotLiveReason.NO_CONTENT),
        (404, "not found", NotLiveReason.NOT_FOUND),
        (410, "", NotLiveReason.NOT_FOUND),
        (200, "", NotLiveReason.NO_SEGMENTS),
        (200, "#EXTM3U\n#EXT-X-TARGETDURATION:4\n", NotLiveReason.NO_SEGMENTS),
    ],
)
async def test_not_live_answers(status: int, body: str, reason: NotLiveReason) -> None:
    result = await make_probe(Clock(), answer(body, status)).probe()
    assert result.state is PlaylistState.NOT_LIVE
    assert result.reason is reason
    assert not result.is_live


async def test_segments_of_unknown_age_need_a_second_look_then_live_when_growing() -> None:
    clock = Clock()
    bodies = iter([media_playlist(0, 3), media_playlist(1, 3)])
    probe = make_probe(clock, lambda r: httpx.Response(200, text=next(bodies)))
    first = await probe.probe()
    assert first.state is PlaylistState.NOT_LIVE
    assert first.reason is NotLiveReason.UNCONFIRMED
    clock.t += 4.0
    second = await probe.probe()
    assert second.is_live
    assert second.last_sequence == 3


async def test_playlist_that_stops_growing_goes_stale_after_three_target_durations() -> None:
    clock = Clock()
    bodies = iter([media_playlist(0, 3), media_playlist(1, 3)] + [media_playlist(1, 3)] * 5)
    probe = make_probe(clock, lambda r: httpx.Response(200, text=next(bodies)))
    await probe.probe()
    clock.t += 4
    assert (await probe.probe()).is_live
    clock.t += 12  # exactly 3 x 4 s: still within the slack
    assert (await probe.probe()).is_live
    clock.t += 1.5
    stale = await probe.probe()
    assert stale.state is PlaylistState.NOT_LIVE
    assert stale.reason is NotLiveReason.STALE


async def test_unknown_age_that_never_grows_is_stale_not_forever_unconfirmed() -> None:
    clock = Clock()
    probe = make_probe(clock, answer(media_playlist(7, 3)))
    assert (await probe.probe()).reason is NotLiveReason.UNCONFIRMED
    clock.t += 14
    assert (await probe.probe()).reason is NotLiveReason.STALE


async def test_fresh_last_modified_makes_it_live_on_the_first_look() -> None:
    served = EPOCH
    headers = {
        "Date": format_datetime(served, usegmt=True),
        "Last-Modified": format_datetime(served - timedelta(seconds=1), usegmt=True),
    }
    result = await make_probe(Clock(), answer(media_playlist(0, 3), headers=headers)).probe()
    assert result.is_live


async def test_old_last_modified_is_stale_on_the_first_look() -> None:
    headers = {
        "Date": format_datetime(EPOCH, usegmt=True),
        "Last-Modified": format_datetime(EPOCH - timedelta(seconds=60), usegmt=True),
    }
    result = await make_probe(Clock(), answer(media_playlist(0, 3), headers=headers)).probe()
    assert result.reason is NotLiveReason.STALE


async def test_program_date_time_gives_freshness_and_a_latency_estimate() -> None:
    clock = Clock()
    # Three 4 s segments starting 13 s ago: the newest ended 1 s ago.
    body = media_playlist(10, 3, pdt=EPOCH - timedelta(seconds=13))
    result = await make_probe(clock, answer(body)).probe()
    assert result.is_live
    # 1 s since the edge plus three target durations held back by the player.
    assert result.health.latency == pytest.approx(13.0)
    assert result.health.segment_duration == 4.0
    assert result.health.target_duration == 4.0
    assert result.health.keyframe_warning is None


async def test_endlist_means_ended() -> None:
    result = await make_probe(Clock(), answer(media_playlist(0, 5, endlist=True))).probe()
    assert result.state is PlaylistState.ENDED
    assert result.health.latency is None


async def test_master_playlist_is_followed_to_its_first_variant() -> None:
    master = (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100\nstream_t0/video.m3u8\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=200,RESOLUTION=1280x720\nstream_t1/video.m3u8\n"
    )
    asked: list[str] = []

    def responder(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path.endswith("manifest/video.m3u8"):
            return httpx.Response(200, text=master)
        return httpx.Response(200, text=media_playlist(0, 3, endlist=True))

    result = await make_probe(Clock(), responder).probe()
    assert result.state is PlaylistState.ENDED
    assert asked == [
        URL,
        "https://customer-x.cloudflarestream.com/abc/manifest/stream_t0/video.m3u8",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "#EXT-X-STREAM-INF:BANDWIDTH=100\nhttp://203.0.113.9/evil.m3u8",
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="x",URI="http://169.254.169.254/a.m3u8"',
    ],
)
async def test_master_playlist_naming_any_unsafe_address_is_refused_unfetched(line: str) -> None:
    master = f"#EXTM3U\n{line}\n#EXT-X-STREAM-INF:BANDWIDTH=200\nstream_t1/video.m3u8\n"
    asked: list[str] = []

    def responder(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, text=master)

    with pytest.raises(UnsafeAddressError, match="will not fetch: http://"):
        await make_probe(Clock(), responder).probe()
    assert asked == [URL]


async def test_segments_on_an_unsafe_host_are_refused() -> None:
    body = media_playlist(0, 3).replace("seg2.ts", "http://10.99.0.1/seg2.ts")
    with pytest.raises(UnsafeAddressError, match=r"http://10\.99\.0\.1"):
        await make_probe(Clock(), answer(body)).probe()


async def test_variant_that_is_gone_reports_not_found() -> None:
    master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100\nv.m3u8\n"

    def responder(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("video.m3u8"):
            return httpx.Response(200, text=master)
        return httpx.Response(404)

    result = await make_probe(Clock(), responder).probe()
    assert result.reason is NotLiveReason.NOT_FOUND


@pytest.mark.parametrize(
    ("segment", "warns"),
    [(1.0, True), (1.9, True), (2.0, False), (4.0, False), (8.0, False), (10.0, True)],
)
def test_keyframe_warning_follows_cloudflares_advice(segment: float, warns: bool) -> None:
    warning = keyframe_warning(segment)
    assert (warning is not None) is warns
    if warns:
        assert "4 s" in warning and "2-8 s" in warning


async def test_short_segments_warn_about_the_keyframe_interval() -> None:
    result = await make_probe(Clock(), answer(media_playlist(0, 6, duration=1.0))).probe()
    assert result.health.keyframe_warning is not None
    assert "1.0 s" in result.health.keyframe_warning


async def test_html_page_is_an_invalid_response() -> None:
    with pytest.raises(InvalidResponseError):
        await make_probe(Clock(), answer("<html>Sign in</html>")).probe()


async def test_garbage_after_the_header_never_crashes() -> None:
    body = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:abc\n#EXTINF:zz,\nseg.ts\n\x00\x01"
    with contextlib.suppress(InvalidResponseError):
        await make_probe(Clock(), answer(body)).probe()


async def test_server_errors_and_rate_limits_are_typed() -> None:
    with pytest.raises(ServerError):
        await make_probe(Clock(), answer("<html>502</html>", 502)).probe()
    with pytest.raises(RateLimitedError) as raised:
        await make_probe(Clock(), answer("", 429, {"Retry-After": "7"})).probe()
    assert raised.value.retry_after == 7.0
    for endless in ("inf", "1e23", "nan"):
        with pytest.raises(RateLimitedError) as raised:
            await make_probe(Clock(), answer("", 429, {"Retry-After": endless})).probe()
        assert raised.value.retry_after is None or raised.value.retry_after <= 24 * 3600
    with pytest.raises(InvalidResponseError):
        await make_probe(Clock(), answer("", 403)).probe()


async def test_connection_failure_is_a_network_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(NetworkError):
        await make_probe(Clock(), refuse).probe()


async def test_redirect_to_plain_http_elsewhere_is_refused_before_connecting() -> None:
    asked: list[str] = []

    def responder(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.host == "customer-x.cloudflarestream.com":
            return httpx.Response(302, headers={"Location": "http://203.0.113.9/x.m3u8"})
        return httpx.Response(200, text=media_playlist(0, 3))

    with pytest.raises(UnsafeAddressError):
        await make_probe(Clock(), responder).probe()
    assert asked == [URL]


async def test_safe_redirects_are_followed_hop_by_hop() -> None:
    asked: list[str] = []

    def responder(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path.endswith("video.m3u8"):
            return httpx.Response(302, headers={"Location": "/abc/moved/live.m3u8"})
        return httpx.Response(200, text=media_playlist(0, 3, endlist=True))

    result = await make_probe(Clock(), responder).probe()
    assert result.state is PlaylistState.ENDED
    assert asked == [URL, "https://customer-x.cloudflarestream.com/abc/moved/live.m3u8"]


async def test_a_playlist_larger_than_the_cap_is_refused() -> None:
    body = media_playlist(0, 3) + "#" * (PLAYLIST_MAX_BYTES + 10)
    with pytest.raises(InvalidResponseError, match="far too large"):
        await make_probe(Clock(), answer(body)).probe()


@pytest.mark.parametrize(
    "url", ["http://example.com/x.m3u8", "file:///etc/passwd", "rtmp://127.0.0.1/live/x", ""]
)
def test_unsafe_urls_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(InvalidInputError):
        HlsProbe(httpx.AsyncClient(), url)


def test_loopback_http_is_allowed() -> None:
    assert HlsProbe(httpx.AsyncClient(), "http://127.0.0.1:8080/hls/k.m3u8").url.startswith("http")
