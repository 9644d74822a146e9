"""The preview driver with a fake probe, a fake player, a fake API and a fake clock."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Iterable

import pytest

from app.core.errors import InvalidResponseError, NetworkError, NetworkProblem, RateLimitedError
from app.core.hls_probe import NotLiveReason, PlaylistHealth, PlaylistState, ProbeResult
from app.core.hls_proxy import SegmentFetch
from app.core.models import Livestream
from app.core.preview_phase import Phase
from app.core.preview_session import (
    ApiSchedule,
    Backoff,
    FrameMeter,
    PreviewSession,
    ProbeCadence,
)

URL = "https://customer-x.cloudflarestream.com/abc/manifest/video.m3u8"
HEALTH = PlaylistHealth(target_duration=2.0, segment_duration=2.0, latency=7.4)
LIVE = ProbeResult(PlaylistState.LIVE, health=HEALTH, last_sequence=3)
NOT_FOUND = ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NOT_FOUND)
STALE = ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.STALE, HEALTH, 3)
UNCONFIRMED = ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.UNCONFIRMED, HEALTH, 3)


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class FakeProbe:
    url = URL

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.result: ProbeResult | Exception = NOT_FOUND
        self.calls: list[float] = []

    async def probe(self) -> ProbeResult:
        self.calls.append(self.clock.t)
        if isinstance(self.result, Exception):
            raise self.result
        if self.result.is_live:
            # A live playlist gains a segment between looks.
            return dataclasses.replace(self.result, last_sequence=len(self.calls))
        return self.result


class FakePlayer:
    def __init__(self) -> None:
        self.actions: list[str] = []

    def play(self, url: str) -> None:
        assert url == URL
        self.actions.append("play")

    def stop(self) -> None:
        self.actions.append("stop")


class FakeApi:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.status = "IDLE"
        self.calls: list[float] = []
        self.errors: list[Exception] = []

    async def __call__(self) -> Livestream:
        self.calls.append(self.clock.t)
        if self.errors:
            raise self.errors.pop(0)
        return Livestream(
            id="ls1",
            name=None,
            ingest_server="rtmps://live.cloudflare.com:443/live/",
            stream_key="k",
            playback_url=URL,
            status=self.status,
        )


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_session(clock: Clock, api: FakeApi | None = None):
    probe, player, views = FakeProbe(clock), FakePlayer(), []
    session = PreviewSession(
        probe,
        player,
        ingest_server="rtmps://live.cloudflare.com:443/live/",
        status_fetch=api,
        on_change=views.append,
        clock=clock,
    )
    session.start()
    return session, probe, player, views


async def make_live_session(clock: Clock):
    session, probe, player, views = make_session(clock)
    probe.result = LIVE
    await session.step()
    session.frame_arrived(640, 360)
    assert session.phase is Phase.LIVE
    return session, probe, player, views


async def run_for(session: PreviewSession, clock: Clock, seconds: float, frames: Iterable = ()):
    """Steps the session as its loop would, jumping the clock to each next deadline."""
    frame_times = sorted(frames)
    end = clock.t + seconds
    while clock.t < end:
        delay = await session.step()
        target = min(clock.t + max(delay, 0.01), end)
        while frame_times and frame_times[0] <= target:
            clock.t = max(clock.t, frame_times.pop(0))
            session.frame_arrived(640, 360)
        clock.t = target


async def test_waiting_probe_polls_the_playlist_steadily(clock: Clock) -> None:
    session, probe, _player, _views = make_session(clock)
    await run_for(session, clock, 20.0)
    gaps = {round(b - a, 2) for a, b in zip(probe.calls, probe.calls[1:], strict=False)}
    assert gaps == {ProbeCadence().waiting}
    assert session.phase is Phase.WAITING


async def test_goes_live_within_one_probe_interval_of_the_playlist_appearing(clock) -> None:
    session, probe, player, views = make_session(clock)
    await run_for(session, clock, 30.0)
    appeared = clock.t
    probe.result = LIVE
    await run_for(session, clock, 0.51)
    assert player.actions[-1] == "play"
    assert probe.calls[-1] - appeared <= ProbeCadence().waiting
    assert session.phase is Phase.CONNECTING
    session.frame_arrived(640, 360)
    assert [v.phase for v in views][-3:] == [Phase.WAITING, Phase.CONNECTING, Phase.LIVE]


async def test_segments_of_unknown_age_play_once_a_second_look_sees_growth(clock) -> None:
    session, probe, player, _views = make_session(clock)
    await run_for(session, clock, 5.0)
    probe.result = UNCONFIRMED
    await run_for(session, clock, 3.0)
    assert session.phase is Phase.WAITING
    assert "play" not in player.actions
    probe.result = LIVE
    grew = clock.t
    await run_for(session, clock, 0.51)
    assert session.phase is Phase.CONNECTING
    assert probe.calls[-1] - grew <= ProbeCadence().waiting


async def test_frozen_player_is_reloaded_when_the_playlist_is_fresh(clock: Clock) -> None:
    session, _probe, player, _views = await make_live_session(clock)
    # Frames for 5 s, then nothing: the watchdog fires 6 s (3 segments) after the last.
    start = clock.t
    await run_for(session, clock, 12.0, frames=[start + i * 0.04 for i in range(125)])
    assert "stop" not in player.actions[1:]
    assert player.actions.count("play") >= 2
    assert session.phase is Phase.STALLED
    session.frame_arrived(640, 360)
    assert session.phase is Phase.LIVE


async def test_stale_playlist_stalls_without_reload_storms_then_recovers(clock: Clock) -> None:
    session, probe, player, _views = await make_live_session(clock)
    probe.result = STALE
    await run_for(session, clock, 60.0)
    assert session.phase is Phase.STALLED
    assert player.actions.count("play") == 1
    # Stalled probing backs off, but stays within a few seconds.
    stalled_calls = [t for t in probe.calls if t > clock.t - 30]
    assert 7 <= len(stalled_calls) <= 31
    probe.result = LIVE
    await run_for(session, clock, 3.1)
    assert player.actions.count("play") >= 2
    session.frame_arrived(640, 360)
    assert session.phase is Phase.LIVE


async def test_broadcast_end_goes_back_to_waiting(clock: Clock) -> None:
    session, probe, player, views = await make_live_session(clock)
    probe.result = NOT_FOUND
    await run_for(session, clock, 2.5, frames=[clock.t + 0.5 + i * 0.04 for i in range(40)])
    assert session.phase is Phase.ENDED
    assert player.actions[-1] == "stop"
    await run_for(session, clock, 5.0)
    assert session.phase is Phase.WAITING
    phases = [v.phase for v in views]
    assert phases[-3:] == [Phase.LIVE, Phase.ENDED, Phase.WAITING]


async def test_api_is_asked_at_most_every_ten_seconds(clock: Clock) -> None:
    api = FakeApi(clock)
    start = clock.t
    session, _probe, _player, _views = make_session(clock, api)
    await run_for(session, clock, 65.0)
    gaps = [b - a for a, b in zip(api.calls, api.calls[1:], strict=False)]
    # Whoever shows a livestream has just fetched it: the first check waits too.
    assert api.calls[0] - start >= 10.0
    assert len(api.calls) == 6
    assert min(gaps) >= 10.0


async def test_api_backs_off_on_429_and_honours_retry_after(clock: Clock) -> None:
    api = FakeApi(clock)
    api.errors = [RateLimitedError("slow down", retry_after=60.0)]
    session, _probe, _player, _views = make_session(clock, api)
    await run_for(session, clock, 69.0)
    assert len(api.calls) == 1
    await run_for(session, clock, 2.0)
    assert len(api.calls) == 2


async def test_an_endless_retry_after_is_waited_five_minutes_at_most(clock: Clock) -> None:
    api = FakeApi(clock)
    api.errors = [RateLimitedError("slow down", retry_after=float("inf"))]
    session, _probe, _player, _views = make_session(clock, api)
    await run_for(session, clock, 305.0)
    assert len(api.calls) == 1
    await run_for(session, clock, 15.0)
    assert len(api.calls) == 2


async def test_showing_the_livestream_again_neither_asks_sooner_nor_forgets_a_backoff(
    clock: Clock,
) -> None:
    api = FakeApi(clock)
    api.errors = [RateLimitedError("slow down", retry_after=60.0)]
    schedule = ApiSchedule()
    first = PreviewSession(
        FakeProbe(clock), FakePlayer(), status_fetch=api, clock=clock, api=schedule
    )
    first.start()
    await run_for(first, clock, 11.0)
    assert len(api.calls) == 1
    again = PreviewSession(
        FakeProbe(clock), FakePlayer(), status_fetch=api, clock=clock, api=schedule
    )
    again.start()
    await run_for(again, clock, 58.0)
    assert len(api.calls) == 1
    await run_for(again, clock, 2.0)
    assert len(api.calls) == 2


async def test_api_status_is_still_followed_after_a_preview_error(clock: Clock) -> None:
    api = FakeApi(clock)
    session, probe, _player, _views = make_session(clock, api)
    probe.result = NetworkError(NetworkProblem.REFUSED, "Could not connect to the server.")
    await run_for(session, clock, 30.0)
    assert session.phase is Phase.ERROR
    calls = len(api.calls)
    await run_for(session, clock, 30.0)
    assert len(api.calls) == calls + 3


async def test_api_pauses_while_hidden(clock: Clock) -> None:
    api = FakeApi(clock)
    session, probe, _player, _views = make_session(clock, api)
    await run_for(session, clock, 1.0)
    session.set_visible(False)
    calls = len(api.calls)
    await run_for(session, clock, 60.0)
    assert len(api.calls) == calls
    assert len(probe.calls) > 10  # the playlist is still watched
    session.set_visible(True)
    await run_for(session, clock, 1.0)
    assert len(api.calls) == calls + 1


async def test_network_failures_back_off_show_an_error_and_recover_by_themselves(clock) -> None:
    session, probe, player, views = make_session(clock)
    probe.result = NetworkError(NetworkProblem.REFUSED, "Could not connect to the server.")
    await run_for(session, clock, 30.0)
    assert session.phase is Phase.ERROR
    assert views[-1].can_retry and "tries again by itself" in views[-1].detail
    # While the outage lasts the checks back off, never more than 30 s apart.
    await run_for(session, clock, 300.0)
    gaps = [later - earlier for earlier, later in zip(probe.calls, probe.calls[1:], strict=False)]
    assert max(gaps) == pytest.approx(30.0) and gaps == sorted(gaps)
    assert len(probe.calls) < 20
    probe.result = LIVE  # the server is back: no click needed
    seen = len(views)
    await run_for(session, clock, 30.5)
    assert [v.phase for v in views[seen:]][:2] == [Phase.WAITING, Phase.CONNECTING]
    assert "play" in player.actions


async def test_retry_during_an_outage_tries_at_once(clock: Clock) -> None:
    session, probe, player, _views = make_session(clock)
    probe.result = NetworkError(NetworkProblem.REFUSED, "Could not connect to the server.")
    await run_for(session, clock, 100.0)
    assert session.phase is Phase.ERROR
    probe.result = LIVE
    session.retry()
    await run_for(session, clock, 0.5)
    assert session.phase is Phase.CONNECTING
    assert player.actions[-1] == "play"


async def test_an_unusable_playlist_waits_for_retry(clock: Clock) -> None:
    session, probe, _player, views = make_session(clock)
    probe.result = InvalidResponseError("The playlist is not an HLS playlist.")
    await run_for(session, clock, 1.0)
    assert session.phase is Phase.ERROR and "Press Retry" in views[-1].detail
    calls = len(probe.calls)
    await run_for(session, clock, 120.0)
    assert len(probe.calls) == calls


async def test_health_line_reports_what_the_viewer_sees(clock: Clock) -> None:
    session, probe, _player, _views = make_session(clock)
    probe.result = LIVE
    await session.step()
    for _ in range(26):
        session.frame_arrived(640, 360)
        clock.t += 0.04
    text = session.health_text()
    assert "640\u00d7360" in text
    assert "25 fps" in text
    assert "segments 2.0 s" in text
    # No proxy: where players start, three segments back.
    assert "\u22486.0 s behind live (estimate)" in text
    assert "last frame 0.0 s ago" in text


@dataclasses.dataclass
class FakeProxy:
    at_edge: bool = True
    first_segment_time: float | None = None
    segments: list = dataclasses.field(default_factory=list)
    opened: list = dataclasses.field(default_factory=list)

    def open(self, upstream_url: str) -> str:
        self.opened.append(upstream_url)
        return URL  # what FakePlayer expects


async def test_health_line_measures_the_delay_when_segments_carry_program_times(clock) -> None:
    proxy = FakeProxy()
    position: list[float | None] = [None]
    probe, player = FakeProbe(clock), FakePlayer()
    session = PreviewSession(
        probe,
        player,
        clock=clock,
        proxy=proxy,
        playback_position=lambda: position[0],
        wall_clock=lambda: 1_000_010.0,
    )
    session.start()
    probe.result = LIVE
    await session.step()
    assert proxy.opened == [URL]  # the player plays through the proxy
    session.frame_arrived(640, 360)
    # Without stamps: the estimate at the edge is one segment and the start slack.
    assert "\u22482.3 s behind live (estimate)" in session.health_text()
    proxy.first_segment_time = 1_000_000.0
    position[0] = 8.6
    proxy.segments.append(SegmentFetch(size=412_000, seconds=0.031, at=clock.t))
    text = session.health_text()
    assert "1.4 s behind live (measured)" in text
    assert "last segment 412 kB in 0.03 s" in text
    proxy.at_edge = False
    proxy.first_segment_time = None
    assert "\u22486.0 s behind live (estimate)" in session.health_text()


async def test_run_loop_wakes_on_events_and_cancels_cleanly() -> None:
    probe_clock = Clock()
    probe, player = FakeProbe(probe_clock), FakePlayer()
    probe.result = LIVE
    session = PreviewSession(probe, player)
    task = asyncio.get_running_loop().create_task(session.run())
    for _ in range(100):
        if session.phase is Phase.CONNECTING:
            break
        await asyncio.sleep(0.01)
    assert session.phase is Phase.CONNECTING
    session.frame_arrived(320, 180)
    assert session.phase is Phase.LIVE
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_backoff_grows_to_its_cap_and_resets() -> None:
    backoff = Backoff(1.0, 5.0)
    assert [backoff.next() for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.reset()
    assert backoff.next() == 1.0


def test_frame_meter_fps_and_size() -> None:
    meter = FrameMeter()
    assert meter.fps(0.0) is None
    for i in range(51):
        meter.record(i * 0.04, 1280, 720)
    assert meter.fps(2.0) == pytest.approx(25.0)
    assert meter.size == (1280, 720)
    assert meter.fps(10.0) is None


def test_api_schedule_doubles_on_rate_limits_up_to_five_minutes() -> None:
    schedule = ApiSchedule()
    error = RateLimitedError("slow down", retry_after=None)
    for _ in range(10):
        schedule.failed(0.0, error)
    assert schedule.next_at == 300.0
    schedule.succeeded(0.0)
    assert schedule.next_at == 10.0


def test_api_schedule_checks_again_within_thirty_seconds_of_an_outage() -> None:
    schedule = ApiSchedule()
    error = NetworkError(NetworkProblem.TIMEOUT, "t")
    waits = []
    for _ in range(10):
        schedule.failed(0.0, error)
        waits.append(schedule.next_at)
    assert waits[:2] == [20.0, 30.0] and max(waits) == 30.0


def gaps(times: list[float]) -> set[float]:
    return {round(b - a, 2) for a, b in itertools.pairwise(times)}


async def test_an_encoder_start_checks_the_waiting_playlist_fast_for_a_minute(clock) -> None:
    cadence = ProbeCadence()
    session, probe, _player, _views = make_session(clock)
    await run_for(session, clock, 5.0)
    assert gaps(probe.calls) == {cadence.waiting}
    probe.calls.clear()
    started = clock.t
    session.expect_broadcast()
    await run_for(session, clock, cadence.fast_for - 1.0)
    assert probe.calls[0] - started <= cadence.fast_waiting
    assert gaps(probe.calls) == {cadence.fast_waiting}
    assert len(probe.calls) >= (cadence.fast_for - 1.0) / cadence.fast_waiting - 1
    await run_for(session, clock, 2.0)  # the minute is over
    probe.calls.clear()
    await run_for(session, clock, 5.0)
    assert gaps(probe.calls) == {cadence.waiting}


async def test_without_an_encoder_start_the_cadence_never_changes(clock) -> None:
    session, probe, _player, _views = make_session(clock)
    await run_for(session, clock, 120.0)
    assert gaps(probe.calls) == {ProbeCadence().waiting}


async def test_an_encoder_start_while_playing_changes_nothing(clock) -> None:
    session, probe, _player, _views = await make_live_session(clock)
    probe.calls.clear()
    session.expect_broadcast()
    frames = [clock.t + 0.04 * n for n in range(1, 250)]
    await run_for(session, clock, 9.9, frames)
    assert min(gaps(probe.calls)) >= ProbeCadence().playing
