"""The pretend encoder's timeline, on a fake clock, and the live playlist drawn from it."""

from __future__ import annotations

import re

import pytest

from app.emulator.broadcast import Broadcast, BroadcastState
from app.emulator.hls import PLAYLIST_WINDOW, render_playlist

EPOCH = 1_800_000_000.0
SEGMENT = 2.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return EPOCH + self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make(clock: FakeClock, live_after: float | None = 5.0, preroll: float = 6.0) -> Broadcast:
    return Broadcast(live_after, preroll=preroll, monotonic=clock.monotonic, wall=clock.wall)


def playlist_facts(text: str) -> tuple[int, list[str], bool]:
    sequence = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text).group(1))
    segments = [line for line in text.splitlines() if line and not line.startswith("#")]
    return sequence, segments, "#EXT-X-ENDLIST" in text


def test_waits_until_live_after_then_goes_live_with_preroll(clock: FakeClock) -> None:
    broadcast = make(clock)
    clock.now += 4.9
    assert broadcast.state is BroadcastState.WAITING
    assert not broadcast.playlist_visible()
    assert broadcast.active_session() is None
    clock.now += 0.2
    assert broadcast.state is BroadcastState.LIVE
    assert broadcast.playlist_visible()
    # Live since the due moment (0.1 s ago), on top of the preroll.
    assert broadcast.media_seconds() == pytest.approx(6.1)


def test_live_after_none_waits_for_start(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    clock.now += 1000
    assert broadcast.state is BroadcastState.WAITING
    broadcast.start()
    assert broadcast.state is BroadcastState.LIVE


def test_media_clock_advances_only_while_live(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=0)
    clock.now += 3
    assert broadcast.media_seconds() == pytest.approx(9)
    broadcast.stall()
    assert broadcast.state is BroadcastState.STALLED
    clock.now += 50
    assert broadcast.media_seconds() == pytest.approx(9)
    assert broadcast.playlist_visible()
    broadcast.resume()
    clock.now += 1
    assert broadcast.media_seconds() == pytest.approx(10)


def test_end_keeps_the_playlist_for_the_grace_then_hides_it(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=0)
    clock.now += 2
    broadcast.end(grace=4)
    assert broadcast.state is BroadcastState.ENDED
    assert broadcast.playlist_visible()
    clock.now += 3.9
    assert broadcast.playlist_visible()
    clock.now += 0.2
    assert not broadcast.playlist_visible()
    assert broadcast.media_seconds() == pytest.approx(8)


def test_sessions_start_and_stop_with_the_broadcast(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    first = broadcast.active_session()
    assert first is not None
    assert first.started_wall == EPOCH + 100
    clock.now += 10
    broadcast.stall()
    assert broadcast.active_session().id == first.id  # a stale playlist is still a session
    broadcast.end()
    assert broadcast.active_session() is None
    ended = broadcast.sessions()[0]
    assert ended.stopped_wall == EPOCH + 110
    assert ended.ingest_seconds == pytest.approx(10)
    broadcast.resume()
    second = broadcast.active_session()
    assert second.id != first.id
    assert len(broadcast.sessions()) == 2


def test_controls_in_the_wrong_state_change_nothing(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.stall()
    broadcast.end()
    broadcast.resume()
    assert broadcast.state is BroadcastState.WAITING
    broadcast.start()
    broadcast.start()
    assert len(broadcast.sessions()) == 1


def test_playlist_starts_with_the_preroll_segments(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    sequence, segments, ended = playlist_facts(render_playlist(broadcast, SEGMENT))
    assert (sequence, segments, ended) == (
        0,
        ["segment-0.ts", "segment-1.ts", "segment-2.ts"],
        False,
    )


def test_playlist_slides_with_time(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    clock.now += 20  # 6 s preroll + 20 s = 13 segments
    text = render_playlist(broadcast, SEGMENT)
    sequence, segments, _ = playlist_facts(text)
    assert sequence == 13 - PLAYLIST_WINDOW
    assert segments == [f"segment-{k}.ts" for k in range(7, 13)]
    assert "#EXT-X-TARGETDURATION:2" in text
    assert text.count("#EXTINF:2.000,") == PLAYLIST_WINDOW


def test_program_date_time_marks_each_segment_start(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()  # wall EPOCH+100 is media 6.0 (the preroll)
    text = render_playlist(broadcast, SEGMENT)
    stamps = re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)", text)
    # 1_800_000_000 + 100 - 6 = 2027-01-15T08:01:34Z; then every 2 s.
    assert stamps == [
        "2027-01-15T08:01:34.000Z",
        "2027-01-15T08:01:36.000Z",
        "2027-01-15T08:01:38.000Z",
    ]


def test_stall_freezes_the_playlist_and_resume_continues_it(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    clock.now += 4
    broadcast.stall()
    frozen = render_playlist(broadcast, SEGMENT)
    clock.now += 30
    assert render_playlist(broadcast, SEGMENT) == frozen
    broadcast.resume()
    clock.now += 2
    _, segments, _ = playlist_facts(render_playlist(broadcast, SEGMENT))
    assert segments[-1] == "segment-5.ts"  # 6 + 4 + 2 = 12 s: five done, no jump


def test_end_appends_endlist(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    broadcast.end()
    assert render_playlist(broadcast, SEGMENT).rstrip().endswith("#EXT-X-ENDLIST")


def test_advance_moves_the_live_edge_and_keeps_dates_in_step(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    broadcast.start()
    broadcast.advance(30)
    assert broadcast.media_seconds() == pytest.approx(36)
    # The live edge's date is still "now".
    assert broadcast.wall_time_of(36) == pytest.approx(clock.wall())
    _, segments, _ = playlist_facts(render_playlist(broadcast, SEGMENT))
    assert segments[-1] == "segment-17.ts"


def test_advance_needs_a_running_broadcast(clock: FakeClock) -> None:
    broadcast = make(clock, live_after=None)
    with pytest.raises(RuntimeError):
        broadcast.advance(1)
    broadcast.start()
    with pytest.raises(ValueError):
        broadcast.advance(-1)
