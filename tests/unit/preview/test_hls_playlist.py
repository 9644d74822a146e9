"""Playlist text as the player sees it: every URI checked and routed, the live edge trimmed."""

from __future__ import annotations

import pytest

from app.core.hls_playlist import (
    MediaPlaylist,
    UnsafeAddressError,
    check_uris,
    rewrite_uris,
    shown_origin,
)
from app.core.live_edge import LiveEdge

BASE = "https://cdn.example.com/live/abc/index.m3u8"


def media(first: int, count: int, *, extra: dict[int, list[str]] | None = None) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:1"]
    lines.append(f"#EXT-X-MEDIA-SEQUENCE:{first}")
    for n in range(first, first + count):
        lines += (extra or {}).get(n, [])
        lines += ["#EXTINF:1.000,", f"#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:{n:02d}.000Z"]
        lines.append(f"seg{n}.ts")
    return "\n".join(lines) + "\n"


def routed(text: str, base: str = BASE) -> tuple[str, list[str]]:
    seen: list[str] = []

    def route(url: str) -> str:
        seen.append(url)
        return f"http://127.0.0.1:1/p/{len(seen)}"

    return rewrite_uris(text, base, route), seen


def test_every_uri_of_a_master_playlist_is_routed() -> None:
    master = (
        "#EXTM3U\n"
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8"\n'
        '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="iframes.m3u8"\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=100,AUDIO="aud"\n'
        "low/index.m3u8\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=200\n"
        "https://other.example.net/high.m3u8?token=1\n"
    )
    text, seen = routed(master)
    assert seen == [
        "https://cdn.example.com/live/abc/audio/en.m3u8",
        "https://cdn.example.com/live/abc/iframes.m3u8",
        "https://cdn.example.com/live/abc/low/index.m3u8",
        "https://other.example.net/high.m3u8?token=1",
    ]
    assert "cdn.example.com" not in text and "other.example.net" not in text
    assert 'URI="http://127.0.0.1:1/p/1"' in text and "\nhttp://127.0.0.1:1/p/4\n" in text
    assert text.count("#EXT-X-STREAM-INF") == 2  # tags kept as written


def test_segments_keys_and_maps_are_routed() -> None:
    text, seen = routed(
        media(
            5,
            2,
            extra={
                5: ['#EXT-X-KEY:METHOD=AES-128,URI="/keys/k1",IV=0x1', '#EXT-X-MAP:URI="init.mp4"']
            },
        )
    )
    assert seen == [
        "https://cdn.example.com/keys/k1",
        "https://cdn.example.com/live/abc/init.mp4",
        "https://cdn.example.com/live/abc/seg5.ts",
        "https://cdn.example.com/live/abc/seg6.ts",
    ]
    assert "METHOD=AES-128" in text and "IV=0x1" in text


@pytest.mark.parametrize(
    "uri",
    [
        "http://10.99.0.1/seg.ts",
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "data:video/mp2t;base64,AAAA",
        "ftp://127.0.0.1/seg.ts",
        "//10.99.0.1/seg.ts",  # scheme-relative: plain http from an http playlist
    ],
)
def test_an_address_outside_the_rule_refuses_the_whole_playlist(uri: str) -> None:
    body = media(0, 3).replace("seg1.ts", uri)
    with pytest.raises(UnsafeAddressError, match="will not fetch"):
        routed(body, "http://127.0.0.1:8080/live/index.m3u8")


@pytest.mark.parametrize("attribute", ["#EXT-X-KEY:METHOD=AES-128", "#EXT-X-MAP:BYTERANGE=1"])
def test_an_unsafe_key_or_map_refuses_the_playlist(attribute: str) -> None:
    body = media(0, 2, extra={1: [f'{attribute},URI="http://10.99.0.1/k"']})
    with pytest.raises(UnsafeAddressError):
        check_uris(body, BASE)


def test_loopback_http_and_https_anywhere_pass() -> None:
    check_uris(media(0, 2), "http://127.0.0.1:8080/live/index.m3u8")
    check_uris(media(0, 2).replace("seg1.ts", "https://10.99.0.1/s.ts"), BASE)


def test_the_shown_address_is_scheme_and_host_only_and_printable() -> None:
    assert shown_origin("http://10.99.0.1/secret/key?token=abc") == "http://10.99.0.1"
    assert shown_origin("http://ev\x1bil.example/x") == "http://ev\\x1bil.example"
    assert len(shown_origin("http://" + "a" * 5000 + ".example/")) < 100


def test_starting_at_the_newest_segment_keeps_a_valid_playlist() -> None:
    playlist = MediaPlaylist.parse(media(10, 5))
    assert playlist.newest_sequence == 14
    trimmed = playlist.starting_at(14)
    assert trimmed.first_sequence == 14 and len(trimmed.segments) == 1
    text = trimmed.text()
    assert "#EXT-X-MEDIA-SEQUENCE:14" in text and "seg14.ts" in text and "seg13.ts" not in text
    assert text.startswith("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n")


def test_trimming_carries_keys_maps_and_discontinuities() -> None:
    body = media(
        0,
        4,
        extra={
            0: ['#EXT-X-KEY:METHOD=AES-128,URI="k0"', '#EXT-X-MAP:URI="init0.mp4"'],
            1: ["#EXT-X-DISCONTINUITY", '#EXT-X-KEY:METHOD=AES-128,URI="k1"'],
            2: ["#EXT-X-DISCONTINUITY"],
        },
    )
    text = MediaPlaylist.parse(body).starting_at(3).text()
    assert "#EXT-X-MEDIA-SEQUENCE:3" in text
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:2" in text
    # The key and map in force for segment 3 come along; the older key does not.
    assert 'URI="k1"' in text and 'URI="init0.mp4"' in text and 'URI="k0"' not in text
    assert text.index('URI="k1"') < text.index("seg3.ts")


def test_a_missing_media_sequence_is_added_and_start_tags_dropped() -> None:
    body = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-START:TIME-OFFSET=-6\n"
    body += "".join(f"#EXTINF:2,\ns{n}.ts\n" for n in range(3))
    text = MediaPlaylist.parse(body).starting_at(2).text()
    assert "#EXT-X-MEDIA-SEQUENCE:2" in text and "#EXT-X-START" not in text
    assert text.count("#EXTINF") == 1


def test_the_edge_is_pinned_and_the_playlist_grows_from_it() -> None:
    edge = LiveEdge(at_edge=True)
    first = MediaPlaylist.parse(media(10, 5))
    assert edge.needs_pin("u", first)
    edge.pin("u", first)
    assert not edge.needs_pin("u", first)
    assert edge.view("u", first).playlist.first_sequence == 14
    later = MediaPlaylist.parse(media(12, 5))  # two new segments, two expired
    served = edge.view("u", later).playlist
    assert [seg[-1] for seg in served.segments] == ["seg14.ts", "seg15.ts", "seg16.ts"]


def test_program_times_carry_forward_by_duration() -> None:
    body = media(0, 2).replace("#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:01.000Z\n", "")
    times = MediaPlaylist.parse(body).program_times()
    assert times == [("seg0.ts", 1767225600.0), ("seg1.ts", 1767225601.0)]
    assert MediaPlaylist.parse("#EXTM3U\n#EXTINF:1,\na.ts\n").program_times() == []


def durations(playlist: MediaPlaylist) -> list[str]:
    return [line for seg in playlist.segments for line in seg if line.startswith("#EXTINF")]


def test_news_brings_the_next_reload_forward_no_news_lists_the_next_segment_ahead() -> None:
    edge = LiveEdge(at_edge=True)
    edge.pin("u", MediaPlaylist.parse(media(10, 5)))
    # The first load is news: the newest listed as half a target so the reload comes early.
    first = edge.view("u", MediaPlaylist.parse(media(10, 5)))
    assert first.upcoming is None and durations(first.playlist) == ["#EXTINF:0.500,"]
    # That early reload has nothing new: segment 15 is listed ahead of its publication.
    same = edge.view("u", MediaPlaylist.parse(media(10, 5)))
    assert same.upcoming == 15 and durations(same.playlist) == ["#EXTINF:1.000,"]
    # 15 appeared, and the player had it from the listing ahead: list 16 ahead at once.
    grown = edge.view("u", MediaPlaylist.parse(media(11, 5)))
    assert grown.upcoming == 16
    # A reload that comes after two new segments is news again: fetch, reload soon.
    late = edge.view("u", MediaPlaylist.parse(media(13, 5)))
    assert late.upcoming is None and durations(late.playlist)[-1] == "#EXTINF:0.500,"


def test_nothing_is_listed_ahead_of_keys_parts_or_an_end() -> None:
    for body in (
        media(0, 3, extra={0: ['#EXT-X-KEY:METHOD=AES-128,URI="k"']}),
        media(0, 3) + '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="p.mp4"\n',
    ):
        edge = LiveEdge(at_edge=True)
        edge.pin("u", MediaPlaylist.parse(body))
        edge.view("u", MediaPlaylist.parse(body))
        assert edge.view("u", MediaPlaylist.parse(body)).upcoming is None
    ended = media(0, 3) + "#EXT-X-ENDLIST\n"
    edge = LiveEdge(at_edge=True)
    edge.pin("u", MediaPlaylist.parse(media(0, 3)))
    view = edge.view("u", MediaPlaylist.parse(ended))
    assert view.upcoming is None and durations(view.playlist) == ["#EXTINF:1.000,"]


def test_viewers_start_point_leaves_the_playlist_whole() -> None:
    edge = LiveEdge(at_edge=False)
    playlist = MediaPlaylist.parse(media(10, 5))
    assert not edge.needs_pin("u", playlist)
    view = edge.view("u", playlist)
    assert view.playlist is playlist and view.upcoming is None


def test_an_ended_playlist_is_never_trimmed() -> None:
    playlist = MediaPlaylist.parse(media(0, 3) + "#EXT-X-ENDLIST\n")
    assert playlist.ended
    assert not LiveEdge(at_edge=True).needs_pin("u", playlist)


def test_a_young_stream_starts_at_once_an_older_one_waits_for_its_next_segment() -> None:
    edge = LiveEdge(at_edge=True)
    assert not edge.waits_for_next_segment(MediaPlaylist.parse(media(0, 2)))
    assert edge.waits_for_next_segment(MediaPlaylist.parse(media(0, 6)))
