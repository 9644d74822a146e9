"""The live HLS test pattern over real HTTP, and what ffmpeg makes of the stream it serves."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from app.emulator import Emulator, FaultKind
from app.emulator.broadcast import BroadcastState
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration


def create(emulator: Emulator, client: httpx.Client) -> dict:
    return client.post(livestreams_path(), json={"name": "pattern"}).json()["data"]


def media_sequence(text: str) -> int:
    return int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))


def segment_uris(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.mark.parametrize("emulator", [{"live_after": 0.6}], indirect=True)
def test_playlist_is_404_until_live_after_then_live(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream = create(emulator, emulator_http)
    url = livestream["playback_url"]

    assert httpx.get(url).status_code == 404
    assert httpx.get(url.replace("video.m3u8", "segment-0.ts")).status_code == 404
    time.sleep(0.7)
    response = httpx.get(url)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apple.mpegurl"
    text = response.text
    assert text.startswith("#EXTM3U\n")
    assert "#EXT-X-TARGETDURATION:2" in text
    assert "#EXT-X-ENDLIST" not in text
    uris = segment_uris(text)
    assert len(uris) >= 3
    assert text.count("#EXT-X-PROGRAM-DATE-TIME:") == len(uris)


def test_segments_are_mpeg_ts_and_future_ones_404(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream = create(emulator, emulator_http)
    emulator.broadcast(livestream["id"]).start()
    playlist = httpx.get(livestream["playback_url"])
    base = livestream["playback_url"].rsplit("/", 1)[0]

    for uri in segment_uris(playlist.text):
        segment = httpx.get(f"{base}/{uri}")
        assert segment.status_code == 200
        assert segment.headers["content-type"] == "video/mp2t"
        assert segment.content[0] == 0x47
        assert len(segment.content) % 188 == 0
    assert httpx.get(f"{base}/segment-999.ts").status_code == 404
    head = httpx.head(livestream["playback_url"])
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == len(playlist.content)


def test_media_sequence_advances_with_wall_time(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream = create(emulator, emulator_http)
    emulator.broadcast(livestream["id"]).start()
    url = livestream["playback_url"]
    first = httpx.get(url).text
    last_uri = segment_uris(first)[-1]

    wait_for(lambda: segment_uris(httpx.get(url).text)[-1] != last_uri, timeout=3)

    later = httpx.get(url).text
    index = int(re.search(r"segment-(\d+)\.ts", segment_uris(later)[-1]).group(1))
    assert index == int(re.search(r"segment-(\d+)\.ts", last_uri).group(1)) + 1
    assert media_sequence(later) >= media_sequence(first)


def test_stall_freezes_the_playlist_and_resume_moves_it_on(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream = create(emulator, emulator_http)
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    url = livestream["playback_url"]
    broadcast.stall()
    frozen = httpx.get(url).text
    time.sleep(2.2)

    assert httpx.get(url).text == frozen  # stale, as when an encoder dies
    status = emulator_http.get(f"{livestreams_path()}/{livestream['id']}").json()
    assert status["data"]["livestream"]["status"] == "LIVE"

    broadcast.resume()
    wait_for(lambda: httpx.get(url).text != frozen, timeout=3)


def test_end_writes_endlist_then_404_and_status_goes_idle(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    livestream = create(emulator, emulator_http)
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    url = livestream["playback_url"]
    get_path = f"{livestreams_path()}/{livestream['id']}"
    assert emulator_http.get(get_path).json()["data"]["livestream"]["status"] == "LIVE"

    broadcast.end(grace=0.5)

    ended = httpx.get(url)
    assert ended.status_code == 200
    assert ended.text.rstrip().endswith("#EXT-X-ENDLIST")
    assert emulator_http.get(get_path).json()["data"]["livestream"]["status"] == "IDLE"
    time.sleep(0.6)
    assert httpx.get(url).status_code == 404
    assert httpx.get(url.replace("video.m3u8", "segment-0.ts")).status_code == 404

    broadcast.resume()
    assert broadcast.state is BroadcastState.LIVE
    again = httpx.get(url)
    assert again.status_code == 200
    assert media_sequence(again.text) >= media_sequence(ended.text)
    assert emulator_http.get(get_path).json()["data"]["livestream"]["status"] == "LIVE"


def test_unknown_livestream_playlist_is_404(emulator: Emulator) -> None:
    assert httpx.get(f"{emulator.origin}/hls/nope/manifest/video.m3u8").status_code == 404


def test_hls_faults(emulator: Emulator, emulator_http: httpx.Client) -> None:
    livestream = create(emulator, emulator_http)
    emulator.broadcast(livestream["id"]).start()
    url = livestream["playback_url"]
    emulator.faults.inject("hls", FaultKind.SERVER_ERROR_HTML)
    emulator.faults.inject("hls", FaultKind.MALFORMED_JSON, skip=1)
    emulator.faults.inject("segment", FaultKind.DROP_BEFORE)

    assert httpx.get(url).status_code == 502
    garbled = httpx.get(url)
    assert garbled.status_code == 200
    assert not garbled.text.startswith("#EXTM3U")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url.replace("video.m3u8", "segment-0.ts"))
    assert httpx.get(url).text.startswith("#EXTM3U")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian's ffmpeg")
def test_ffmpeg_decodes_the_served_loop_across_wraps_without_complaint(
    emulator: Emulator, emulator_http: httpx.Client, tmp_path: Path
) -> None:
    livestream = create(emulator, emulator_http)
    base = livestream["playback_url"].rsplit("/", 1)[0]
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    broadcast.stall()
    broadcast.advance(40)  # 20+ segments: more than two passes of the 8-segment loop
    stream = tmp_path / "served.ts"
    with stream.open("wb") as out:
        for index in range(20):
            out.write(httpx.get(f"{base}/segment-{index}.ts").content)

    decoded = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-v",
            "warning",
            "-i",
            str(stream),
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert decoded.returncode == 0
    assert decoded.stderr.strip() == ""  # no "DTS out of order", no continuity errors

    for stream_spec, frame in (("v", 3600), ("a", 1920)):
        probe = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                stream_spec,
                "-show_entries",
                "packet=pts,duration",
                "-of",
                "csv=p=0",
                str(stream),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        rows = [line.strip(",").split(",") for line in probe.stdout.split() if line.strip(",")]
        pts = [int(row[0]) for row in rows]
        assert all(int(row[1]) == frame for row in rows)
        assert [b - a for a, b in itertools.pairwise(pts)] == [frame] * (len(pts) - 1)
