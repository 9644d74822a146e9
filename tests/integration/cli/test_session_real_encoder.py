"""A real encoder makes the session: ffmpeg publishes to nginx-rtmp, whose on_publish and
on_publish_done callbacks tell the emulator, and `session` reads back how long it ran."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID
from tests.fixtures import media
from tests.integration.cli.test_cli_against_emulator import ids, run_cli

pytestmark = pytest.mark.integration

LIVE_DIRECTIVE = "            live on;\n"


@pytest.fixture
def emulator(make_emulator):
    return make_emulator(live_after=None)  # live only when the encoder says so


@pytest.fixture
def reporting_nginx(emulator, tmp_path, monkeypatch) -> Iterator[media.NginxRtmp]:
    """nginx-rtmp whose publish callbacks go to the emulator (the shared fixture has none)."""
    callbacks = (
        f"            on_publish {emulator.origin}/ingest/on_publish;\n"
        f"            on_publish_done {emulator.origin}/ingest/on_publish_done;\n"
    )
    assert LIVE_DIRECTIVE in media.NGINX_CONF, "the nginx configuration changed shape"
    conf = media.NGINX_CONF.replace(LIVE_DIRECTIVE, LIVE_DIRECTIVE + callbacks)
    monkeypatch.setattr(media, "NGINX_CONF", conf)
    server = media.NginxRtmp(tmp_path / "nginx").start()
    try:
        yield server
    finally:
        server.close()


def status(emulator, livestream_id: str) -> str:
    [record] = [
        r for r in emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) if r.id == livestream_id
    ]
    return record.status


def test_a_real_encoder_starts_and_ends_the_session(emulator, reporting_nginx):
    created = run_cli(emulator, "create", *ids(), "--name", "encoder", "--json")
    livestream = json.loads(created.stdout)
    publish_url = reporting_nginx.ingest_server + livestream["stream_key"]

    pushed = time.monotonic()
    encoder = reporting_nginx.publish(publish_url)
    media.wait_for(lambda: status(emulator, livestream["id"]) == "LIVE", 15, "on_publish")
    live_seen = time.monotonic()
    time.sleep(3)
    asked = time.monotonic()
    shown = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"], "--json")
    answered = time.monotonic()
    assert shown.returncode == 0, shown.stderr
    session = json.loads(shown.stdout)
    assert session["live"] is True
    # From the encoder's connection to the emulator's answer, within the slack of each step.
    ingest = session["session"]["ingest_seconds"]
    assert asked - live_seen - 0.1 <= ingest <= answered - pushed + 0.1

    encoder.stop()
    media.wait_for(lambda: status(emulator, livestream["id"]) == "IDLE", 15, "on_publish_done")
    stopped_seen = time.monotonic()
    ended = run_cli(emulator, "session", *ids(), "--livestream-id", livestream["id"], "--json")
    final = json.loads(ended.stdout)
    assert final["live"] is False
    assert final["session"]["stopped_at"] is not None
    assert asked - live_seen <= final["session"]["ingest_seconds"] <= stopped_seen - pushed + 0.1


def test_an_unknown_stream_key_is_refused_at_ingest(emulator, reporting_nginx):
    encoder = reporting_nginx.publish(reporting_nginx.ingest_server + "not-a-key-0123456789")
    media.wait_for(lambda: not encoder.running, 15, "nginx to refuse the encoder")
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []
