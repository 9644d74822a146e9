"""Sessions the pretend encoder records: ingest and viewer seconds, errors, history."""

from __future__ import annotations

import pytest

from app.emulator.broadcast import VIEWER_IDLE_GAP, BroadcastState
from tests.unit.emulator.test_broadcast import EPOCH, FakeClock, make


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def watch(broadcast, clock: FakeClock, client: str, seconds: float, step: float = 2.0) -> None:
    """A player: the playlist and a segment every `step` seconds for `seconds`."""
    elapsed = 0.0
    while True:
        broadcast.note_view(client, media=False)
        broadcast.note_view(client, media=True)
        if elapsed + step > seconds:
            break
        clock.now += step
        elapsed += step


def test_ingest_seconds_follow_time_on_air(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    clock.now += 7.5
    assert broadcast.active_session().ingest_seconds == 7.5
    broadcast.end()
    clock.now += 30
    [session] = broadcast.sessions()
    assert session.ingest_seconds == 7.5
    assert session.stopped_wall - session.started_wall == 7.5


def test_viewer_seconds_are_the_time_each_player_kept_fetching(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    watch(broadcast, clock, "a", 6.0)
    clock.now -= 6.0  # a second player over the same stretch
    watch(broadcast, clock, "b", 6.0)
    assert broadcast.active_session().viewer_seconds == 12.0


def test_a_playlist_only_client_is_no_viewer(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    for _ in range(5):
        broadcast.note_view("status-probe", media=False)
        clock.now += 2
    assert broadcast.active_session().viewer_seconds == 0.0


def test_silence_longer_than_the_idle_gap_is_not_viewing(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    watch(broadcast, clock, "a", 4.0)
    clock.now += VIEWER_IDLE_GAP + 1
    watch(broadcast, clock, "a", 2.0)
    assert broadcast.active_session().viewer_seconds == 6.0


def test_views_outside_a_session_count_nowhere(clock):
    broadcast = make(clock, live_after=None)
    broadcast.note_view("early", media=True)
    broadcast.start()
    clock.now += 2
    broadcast.end()
    clock.now += 2
    broadcast.note_view("late", media=True)
    assert broadcast.sessions()[0].viewer_seconds == 0.0


def test_fail_ends_the_session_with_cloudflares_message(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    clock.now += 3
    broadcast.fail("Input codec not supported")
    assert broadcast.state is BroadcastState.ERRORED
    assert not broadcast.playlist_visible()
    assert broadcast.active_session() is None
    [session] = broadcast.sessions()
    assert session.error_message == "Input codec not supported"
    assert session.ingest_seconds == 3.0
    broadcast.resume()
    assert broadcast.state is BroadcastState.LIVE
    assert broadcast.active_session().error_message is None
    assert len(broadcast.sessions()) == 2


def test_fail_before_going_live_still_records_a_session(clock):
    broadcast = make(clock, live_after=None)
    broadcast.fail("Bad stream key")
    [session] = broadcast.sessions()
    assert session.error_message == "Bad stream key" and session.ingest_seconds == 0.0


def test_past_sessions_come_in_start_order(clock):
    broadcast = make(clock, live_after=None)
    broadcast.start()
    broadcast.add_past_session(EPOCH - 86_400, 600.0, 120.0)
    broadcast.add_past_session(EPOCH - 2 * 86_400, 60.0, 0.0, "Input codec not supported")
    sessions = broadcast.sessions()
    assert [s.ingest_seconds for s in sessions[:2]] == [60.0, 600.0]
    assert sessions[0].error_message == "Input codec not supported"
    assert sessions[1].viewer_seconds == 120.0
    assert broadcast.active_session() == sessions[2]
