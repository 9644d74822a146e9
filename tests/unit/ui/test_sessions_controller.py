"""The sessions controller against a fake client: which request for which status, at most one
more per status check, and one outcome signal per operation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.core.errors import RateLimitedError
from app.core.models import ActiveSession, Livestream, LivestreamSession, SessionHistory
from app.ui.sessions.controller import Credentials, SessionsController, SessionSnapshot
from app.ui.tasks import TaskRunner

CREDENTIALS = Credentials("a" * 32, "app", "token-0123456789")
STREAM = Livestream(
    id="ls-1",
    name="show",
    ingest_server="rtmps://live.cloudflare.com:443/live/",
    stream_key="key-0123456789",
    playback_url="https://customer-x.cloudflarestream.com/a/manifest/video.m3u8",
    status="LIVE",
)
SESSION = LivestreamSession(
    "s1", "ls-1", None, 30.0, 12.0, started_at=datetime(2026, 11, 29, 20, tzinfo=UTC)
)


class FakeClient:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    async def get_active_session(self, account_id, app_id, livestream_id):
        self.calls.append("active")
        if self.error:
            raise self.error
        return ActiveSession(None, SESSION)

    async def list_sessions(self, account_id, app_id, livestream_id, *, limit=20):
        self.calls.append(f"history:{limit}")
        return SessionHistory(None, (replace(SESSION, error_message="codec"),), 1)


@pytest.fixture
def controller(qloop):
    return SessionsController(lambda token: FakeClient(), TaskRunner())


@pytest.fixture
def run(qloop, qtbot):
    """Runs a coroutine on the Qt loop to its end; returns its result."""

    def run(coro):
        task = qloop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=2000)
        return task.result()

    return run


def collect(controller) -> list:
    seen: list = []
    controller.session_loaded.connect(seen.append)
    controller.session_failed.connect(lambda *args: seen.append(args))
    return seen


@pytest.mark.parametrize(
    ("status", "calls", "has_session"),
    [
        ("LIVE", ["active"], True),
        ("ERRORED", ["history:1"], True),
        ("IDLE", [], False),
        ("INVOKED", [], False),
        ("OFFLINE", [], False),
    ],
)
def test_one_request_at_most_and_only_when_there_is_a_session(
    controller, run, status, calls, has_session
):
    client = FakeClient()
    seen = collect(controller)
    run(controller.load_session(client, CREDENTIALS, replace(STREAM, status=status)))
    assert client.calls == calls
    [snapshot] = seen
    assert isinstance(snapshot, SessionSnapshot) and snapshot.status == status
    assert (snapshot.session is not None) == has_session


def test_watching_adds_the_session_to_each_status_check(controller, run, qtbot):
    client = FakeClient()
    controller._client_factory = lambda token: client
    checks = []

    async def status_fetch():
        checks.append(1)
        return STREAM

    seen = collect(controller)
    # Shown while LIVE: asked once at once, without waiting for the first status check.
    fetch = controller.watching(status_fetch, CREDENTIALS, STREAM)
    qtbot.waitUntil(lambda: client.calls == ["active"], timeout=2000)
    assert run(fetch()) is STREAM
    assert run(fetch()) is STREAM
    assert len(checks) == 2
    assert client.calls == ["active"] * 3  # then one more request per status check
    assert [type(s) for s in seen] == [SessionSnapshot] * 3


def test_a_failed_session_request_never_fails_the_status_check(controller, run):
    client = FakeClient(error=RateLimitedError("slow down", retry_after=3))
    seen = collect(controller)
    run(controller.load_session(client, CREDENTIALS, STREAM))
    [(livestream_id, error)] = seen
    assert livestream_id == "ls-1" and isinstance(error, RateLimitedError)


def test_credentials_never_show_the_token():
    assert "token-0123456789" not in repr(CREDENTIALS)
