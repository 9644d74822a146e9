"""The emulator records sessions for real: a live stretch, a player fetching it over HTTP, then
the session, usage and ERRORED answers read back through the API."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration

KIT = f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/{DEMO_APP_ID}"


@pytest.fixture
def emulator(make_emulator):
    return make_emulator(live_after=None)  # live only when a test says so


@pytest.fixture
def api(emulator_http):
    return emulator_http


def play(playback_url: str, seconds: float, agent: str = "test-player") -> float:
    """Fetches the playlist and its newest segment every half second, as a player would;
    returns the span from the first fetch to the last."""
    with httpx.Client(headers={"User-Agent": agent}, timeout=5) as player:
        first = time.monotonic()
        while True:
            playlist = player.get(playback_url)
            assert playlist.status_code == 200
            newest = [line for line in playlist.text.splitlines() if line.endswith(".ts")][-1]
            assert player.get(playback_url.rsplit("/", 1)[0] + "/" + newest).status_code == 200
            last = time.monotonic()
            if last - first >= seconds:
                return last - first
            time.sleep(0.5)


def test_a_live_stretch_becomes_a_session_with_ingest_and_viewer_seconds(emulator, api):
    livestream = api.post(livestreams_path(), json={"name": "show"}).json()["data"]
    broadcast = emulator.broadcast(livestream["id"])
    on_air = time.monotonic()
    broadcast.start()
    watched = play(livestream["playback_url"], 2.0)
    active = api.get(f"{KIT}/livestreams/{livestream['id']}/active-livestream-session").json()
    session = active["data"]["session"]
    assert isinstance(session["ingest_seconds"], str)  # as the description has it here
    assert float(session["viewer_seconds"]) == pytest.approx(watched, abs=0.3)
    broadcast.end()
    aired = time.monotonic() - on_air

    details = api.get(f"{KIT}/livestreams/{livestream['id']}").json()["data"]
    assert details["livestream"]["status"] == "IDLE"
    ended = details["session"]
    assert ended["id"] == session["id"]
    assert ended["ingest_seconds"] == pytest.approx(aired, abs=0.3)
    assert ended["viewer_seconds"] == pytest.approx(watched, abs=0.3)
    assert "stopped_time" in ended

    alone = api.get(f"{KIT}/livestreams/sessions/{session['id']}").json()["data"]
    assert alone["ingest_seconds"] == round(ended["ingest_seconds"])  # an integer here
    assert alone["livestream_id"] == livestream["id"]
    missing = api.get(f"{KIT}/livestreams/sessions/no-such-session")
    assert missing.status_code == 404


def test_a_status_probe_alone_is_no_viewer(emulator, api):
    livestream = api.post(livestreams_path(), json={}).json()["data"]
    emulator.broadcast(livestream["id"]).start()
    with httpx.Client(timeout=5) as probe:
        for _ in range(3):
            assert probe.get(livestream["playback_url"]).status_code == 200
            time.sleep(0.3)
    active = api.get(f"{KIT}/livestreams/{livestream['id']}/active-livestream-session").json()
    assert active["data"]["session"]["viewer_seconds"] == "0"


def test_errored_livestream_reports_cloudflares_message(emulator, api):
    livestream = api.post(livestreams_path(), json={}).json()["data"]
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    broadcast.fail("Input codec not supported: send H.264 video and AAC audio")
    details = api.get(f"{KIT}/livestreams/{livestream['id']}").json()["data"]
    assert details["livestream"]["status"] == "ERRORED"
    assert details["session"]["err_message"].startswith("Input codec not supported")
    active = api.get(f"{KIT}/livestreams/{livestream['id']}/active-livestream-session")
    assert active.status_code == 404
    assert httpx.get(livestream["playback_url"]).status_code == 404


def test_usage_per_day_and_overall(emulator, api):
    first = api.post(livestreams_path(), json={"name": "first"}).json()["data"]
    second = api.post(livestreams_path(), json={"name": "second"}).json()["data"]
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    two_days_ago = today.timestamp() - 2 * 86_400
    emulator.broadcast(first["id"]).add_past_session(two_days_ago, 600.4, 120.0)
    emulator.broadcast(first["id"]).add_past_session(two_days_ago + 60, 30.0, 10.0)
    emulator.broadcast(second["id"]).add_past_session(today.timestamp() - 40 * 86_400, 99.0)
    start = int(today.timestamp()) - 7 * 86_400
    params = {"start_time": start, "end_time": int(time.time())}

    daywise = api.get(f"{KIT}/analytics/livestreams/daywise", params=params).json()
    day = datetime.fromtimestamp(two_days_ago, UTC).date().isoformat()
    assert daywise == {
        "success": True,
        "data": [
            {"count": 2, "date": day, "total_ingest_seconds": 630, "total_viewer_seconds": 130}
        ],
    }
    overall = api.get(f"{KIT}/analytics/livestreams/overall", params=params).json()["data"]
    assert overall == {"count": 1, "total_ingest_seconds": 630, "total_viewer_seconds": 130}
    everything = api.get(f"{KIT}/analytics/livestreams/overall").json()["data"]
    assert everything["count"] == 2
    bad = api.get(f"{KIT}/analytics/livestreams/overall", params={"start_time": "monday"})
    assert bad.status_code == 400
