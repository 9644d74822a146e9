"""Which state changes become notifications: settled, spaced, one per transition."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.livestream_state import LivestreamTracker, StateView, StreamState
from app.core.models import Livestream
from app.core.redaction import register_secret
from app.core.stream_notices import NoticeKind, NoticePlanner

ID = "ls-1"
LIVE, WAITING, STALLED, ENDED, ERRORED, UNKNOWN = (
    StreamState.LIVE,
    StreamState.WAITING,
    StreamState.STALLED,
    StreamState.ENDED,
    StreamState.ERRORED,
    StreamState.UNKNOWN,
)
SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def seen(state: StreamState, detail: str = "", *, name: str = "Morning show", id: str = ID):
    """A view as the livestream state model gives it."""
    return StateView(id, name, state, state.value.capitalize(), detail, SINCE)


def run(planner: NoticePlanner, steps: list[tuple[float, StreamState]]) -> list:
    """Feeds (seconds later, state) steps, collecting every notice due along the way."""
    notices, now = [], 100.0
    for later, state in steps:
        now = _drain(planner, now, now + later, notices)
        planner.observe(seen(state), now)
    _drain(planner, now, now + 60, notices)
    return notices


def _drain(planner: NoticePlanner, now: float, until: float, notices: list) -> float:
    while (deadline := planner.next_deadline()) is not None and deadline <= until:
        now = max(now, deadline)
        notice = planner.due(now)
        if notice is not None:
            notices.append(notice)
    return until


def kinds(notices) -> list[NoticeKind]:
    return [n.kind for n in notices]


def test_going_live_is_told_once_naming_the_stream():
    notices = run(NoticePlanner(), [(0, WAITING), (10, LIVE), (30, LIVE)])
    assert kinds(notices) == [NoticeKind.LIVE]
    assert notices[0].title == "Morning show is live"


def test_stall_and_recovery_are_told_once_each():
    notices = run(NoticePlanner(), [(0, WAITING), (5, LIVE), (20, STALLED), (20, LIVE)])
    assert kinds(notices) == [NoticeKind.LIVE, NoticeKind.STALLED, NoticeKind.RECOVERED]
    assert notices[-1].title == "Morning show is live again"


def test_a_stall_shorter_than_the_settle_time_is_never_told():
    notices = run(NoticePlanner(settle_s=2), [(0, WAITING), (5, LIVE), (20, STALLED), (1, LIVE)])
    assert kinds(notices) == [NoticeKind.LIVE]


def test_a_flapping_stream_is_told_as_the_state_it_settles_in():
    steps = [(0, WAITING), (5, LIVE), (20, STALLED)]
    steps += [(1.5, LIVE), (1.5, STALLED)] * 5
    notices = run(NoticePlanner(settle_s=2), steps)
    assert kinds(notices) == [NoticeKind.LIVE, NoticeKind.STALLED]


def test_notices_are_spaced_by_the_minimum_gap():
    planner = NoticePlanner(settle_s=1, min_gap_s=10)
    planner.observe(seen(WAITING), 0)
    planner.observe(seen(LIVE), 1)
    assert planner.due(2).kind is NoticeKind.LIVE
    planner.observe(seen(STALLED), 3)
    assert planner.next_deadline() == 12  # the gap, not the settle time
    assert planner.due(5) is None
    assert planner.due(12).kind is NoticeKind.STALLED


def test_the_first_state_seen_is_a_starting_point_not_news():
    assert run(NoticePlanner(), [(0, LIVE), (30, LIVE)]) == []


def test_another_livestream_starts_from_its_own_state():
    planner = NoticePlanner(settle_s=1)
    planner.observe(seen(WAITING), 0)
    planner.observe(seen(LIVE), 1)
    planner.observe(seen(LIVE, id="ls-2", name="Other"), 1.5)
    assert planner.next_deadline() is None
    assert planner.due(10) is None


def test_unknown_does_not_make_a_live_stream_news_again():
    notices = run(NoticePlanner(), [(0, WAITING), (5, LIVE), (20, UNKNOWN), (30, LIVE)])
    assert kinds(notices) == [NoticeKind.LIVE]


def test_an_end_then_a_new_broadcast_is_told_as_ended_then_live():
    notices = run(NoticePlanner(), [(0, WAITING), (5, LIVE), (20, ENDED), (6, WAITING), (20, LIVE)])
    assert kinds(notices) == [NoticeKind.LIVE, NoticeKind.ENDED, NoticeKind.LIVE]


def test_an_error_carries_cloudflare_s_reason():
    planner = NoticePlanner(settle_s=0)
    planner.observe(seen(WAITING), 0)
    planner.observe(seen(ERRORED, "Cloudflare reports an error: ingest rejected."), 1)
    notice = planner.due(1)
    assert notice.kind is NoticeKind.ERRORED
    assert notice.body == "Cloudflare reports an error: ingest rejected."


@pytest.mark.parametrize("state", [WAITING, UNKNOWN])
def test_waiting_and_unknown_are_never_told(state):
    assert run(NoticePlanner(), [(0, LIVE), (10, state)]) == []


def test_secrets_and_control_characters_never_reach_a_notice():
    key = "notice-stream-key-0123456789"
    register_secret(key)
    planner = NoticePlanner(settle_s=0)
    planner.observe(seen(WAITING, name="show"), 0)
    planner.observe(seen(STALLED, f"Key {key} \x1b[31mred\x07", name="show\x1b]0;x\x07"), 1)
    notice = planner.due(1)
    assert key not in notice.title + notice.body
    assert "\x1b" not in notice.title + notice.body
    assert "\x07" not in notice.title + notice.body


def test_the_errored_notice_carries_the_tracker_s_reason_whole_and_safe():
    key = "notice-reason-key-0123456789"
    register_secret(key)
    stream = Livestream(
        "ls-1", "Morning show", "rtmps://i.example/", key, "https://p/x.m3u8", "INVOKED"
    )
    tracker = LivestreamTracker(stream, lambda: SINCE)
    planner = NoticePlanner(settle_s=0)
    planner.observe(tracker.view, 0)
    tracker.error_reason(f"Bitrate exceeds the limit for {key}\x07 " + "y" * 400)
    view = tracker.api_status("ERRORED")
    planner.observe(view, 1)
    notice = planner.due(1)
    assert notice.kind is NoticeKind.ERRORED
    assert notice.title == "Morning show: Cloudflare reports an error"
    assert notice.body == view.detail  # the reason and its fix fit whole
    assert notice.body.startswith("Cloudflare says: \u201cBitrate exceeds the limit for [redacted]")
    assert "Rate Control CBR" in notice.body
    assert key not in notice.body and "\x07" not in notice.body
