"""`session` and `usage` as real processes against the emulator, after a real live period with a
real HTTP player fetching the pattern: the seconds shown are what happened."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID
from tests.integration.cli.test_cli_against_emulator import ids, run_cli
from tests.integration.emulator.test_sessions_api import play

pytestmark = pytest.mark.integration


@pytest.fixture
def emulator(make_emulator):
    return make_emulator(live_after=None)


def create(emulator) -> dict:
    result = run_cli(emulator, "create", *ids(), "--name", "evening", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_session_and_usage_after_a_live_period(emulator):
    livestream = create(emulator)
    broadcast = emulator.broadcast(livestream["id"])
    on_air = time.monotonic()
    broadcast.start()
    watched = play(livestream["playback_url"], 3.0)

    asked = time.monotonic()
    live = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"], "--json")
    answered = time.monotonic()
    assert live.returncode == 0, live.stderr
    shown = json.loads(live.stdout)
    assert shown["live"] is True
    # Ingest time is the time on air when the emulator answered, somewhere inside the call.
    assert asked - on_air - 0.2 <= shown["session"]["ingest_seconds"] <= answered - on_air + 0.2
    assert shown["session"]["viewer_seconds"] == pytest.approx(watched, abs=0.5)

    broadcast.end()
    aired = time.monotonic() - on_air
    ended = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"], "--json")
    session = json.loads(ended.stdout)["session"]
    assert json.loads(ended.stdout)["live"] is False
    assert session["ingest_seconds"] == pytest.approx(aired, abs=0.5)
    assert session["stopped_at"] is not None

    text = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"])
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Latest session: ")
    assert f"Session ID:    {session['id']}" in text.stdout

    usage = run_cli(emulator, "usage", *ids(), "--days", "7", "--json")
    assert usage.returncode == 0, usage.stderr
    report = json.loads(usage.stdout)
    assert len(report["days"]) == 7
    today = report["days"][-1]
    assert today["day"] == datetime.now(UTC).date().isoformat()
    # Cloudflare's analytics are whole seconds.
    assert today["ingest_seconds"] == pytest.approx(aired, abs=1.0)
    assert today["viewer_seconds"] == pytest.approx(watched, abs=1.0)
    assert today["session_count"] == 1
    assert all(day["ingest_seconds"] == 0 for day in report["days"][:-1])
    assert report["totals"]["livestream_count"] == 1

    table = run_cli(emulator, "usage", *ids(), "--days", "3")
    lines = table.stdout.splitlines()
    assert len(lines) == 2 + 3 + 1  # title, header, a line per day, totals
    assert lines[-1].startswith("Total: 1 livestream(s), ingest ")


def test_errored_session_explains_the_failure(emulator):
    livestream = create(emulator)
    emulator.broadcast(livestream["id"]).fail("Unsupported video codec HEVC\x1b[2J")
    result = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"])
    assert result.returncode == 0, result.stderr
    assert "Failed: Cloudflare says: \u201cUnsupported video codec HEVC\\x1b[2J\u201d" in (
        result.stdout
    )
    assert "\x1b" not in result.stdout
    assert "Fix:    Cloudflare accepts H.264 video with AAC audio" in result.stdout


def test_session_by_its_id(emulator):
    livestream = create(emulator)
    broadcast = emulator.broadcast(livestream["id"])
    broadcast.start()
    broadcast.end()
    [session] = broadcast.sessions()
    result = run_cli(emulator, "session", *ids(), "--session-id", session.id, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["session"]["id"] == session.id


def test_nothing_sent_yet(emulator):
    livestream = create(emulator)
    result = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"])
    assert result.returncode == 0
    assert result.stdout.startswith("No session yet")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["session", *ids(), "--livestream-id", "no-such-livestream"], 5, "no livestream"),
        (["session", *ids(), "--session-id", "no-such-session"], 5, "no livestream session"),
        (["session", *ids(), "--session-id", "../x"], 3, "session ID"),
        (["usage", *ids(), "--days", "0"], 3, "--days"),
        (["usage", *ids(app="no-such-app")], 5, "app ID"),
    ],
)
def test_exit_codes_match_the_other_commands(emulator, args, code, says):
    result = run_cli(emulator, *args)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_of_an_app_with_history(emulator):
    livestream = create(emulator)
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    emulator.broadcast(livestream["id"]).add_past_session(noon.timestamp() - 86_400, 1800, 600)
    result = run_cli(emulator, "usage", *ids(), "--days", "2")
    yesterday = [line for line in result.stdout.splitlines() if line.endswith("10 min 00 s")]
    assert yesterday and "30 min 00 s" in yesterday[0]
    assert DEMO_ACCOUNT_ID not in result.stdout and DEMO_APP_ID not in result.stdout
