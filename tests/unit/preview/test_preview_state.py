"""The preview's state machine, event by event, with explicit timestamps."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidResponseError, NetworkError, NetworkProblem
from app.core.hls_probe import NotLiveReason, PlaylistHealth, PlaylistState, ProbeResult
from app.core.preview_state import Effect, Phase, PreviewMachine

INGEST = "rtmps://live.cloudflare.com:443/live/"
HEALTH = PlaylistHealth(target_duration=2.0, segment_duration=2.0)
LIVE = ProbeResult(PlaylistState.LIVE, health=HEALTH, last_sequence=5)
STALE = ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.STALE, HEALTH, 5)
GONE = ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NOT_FOUND)
ENDED = ProbeResult(PlaylistState.ENDED, health=HEALTH)


def live_machine() -> PreviewMachine:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    assert machine.on_probe(LIVE, 1.0) == [Effect.PLAY]
    machine.on_frame(1.2)
    assert machine.phase is Phase.LIVE
    return machine


def test_starts_waiting_and_tells_the_streamer_where_to_stream() -> None:
    machine = PreviewMachine(INGEST)
    assert machine.phase is Phase.IDLE
    assert machine.begin(0.0) == [Effect.STOP]
    view = machine.view()
    assert view.phase is Phase.WAITING
    assert view.title == "Waiting for the broadcast"
    assert f"Start streaming to {INGEST} in OBS" in view.detail


@pytest.mark.parametrize(
    "result",
    [
        GONE,
        ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NO_CONTENT),
        ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.NO_SEGMENTS),
        STALE,
        ProbeResult(PlaylistState.NOT_LIVE, NotLiveReason.UNCONFIRMED),
        ENDED,
    ],
)
def test_waiting_stays_waiting_until_the_playlist_is_live(result: ProbeResult) -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    assert machine.on_probe(result, 1.0) == []
    assert machine.phase is Phase.WAITING


def test_live_playlist_connects_and_the_first_frame_makes_it_live() -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    assert machine.on_probe(LIVE, 1.0) == [Effect.PLAY]
    assert machine.view().title == "Connecting"
    assert machine.on_frame(1.1) == []
    assert machine.view().title == "Live"


def test_no_frame_for_three_segments_is_a_stall() -> None:
    machine = live_machine()
    assert machine.stall_after == 6.0
    assert machine.on_tick(7.1) == []
    assert machine.phase is Phase.LIVE
    machine.on_tick(7.3)
    assert machine.phase is Phase.STALLED
    view = machine.view()
    assert view.title == "Stalled: reconnecting"
    assert "No picture for 6 s" in view.detail


def live_at(sequence: int) -> ProbeResult:
    return ProbeResult(PlaylistState.LIVE, health=HEALTH, last_sequence=sequence)


def test_stall_reloads_only_when_the_playlist_grows_and_backs_off() -> None:
    machine = live_machine()
    machine.on_tick(8.0)
    assert machine.on_probe(STALE, 8.1) == []
    assert machine.phase is Phase.STALLED
    # The first fresh look only marks the edge; growth beyond it means the encoder is back.
    assert machine.on_probe(live_at(6), 8.5) == []
    assert machine.on_probe(live_at(7), 9.0) == [Effect.PLAY]
    # The reload gets at least a segment's time (2 s) before another one.
    assert machine.on_probe(live_at(8), 10.0) == []
    assert machine.on_probe(live_at(9), 11.1) == [Effect.PLAY]
    # ...then twice as long.
    assert machine.on_probe(live_at(10), 13.2) == []
    assert machine.on_probe(live_at(11), 15.2) == [Effect.PLAY]
    machine.on_frame(15.3)
    assert machine.phase is Phase.LIVE


def test_segments_written_as_the_encoder_died_do_not_replay_as_live() -> None:
    machine = live_machine()
    machine.on_tick(8.0)
    # Still fresh by its dates, but no longer growing: no reload, however long.
    for t in range(9, 30):
        assert machine.on_probe(live_at(9), float(t)) == []
    assert machine.phase is Phase.STALLED


@pytest.mark.parametrize("result", [GONE, ENDED])
def test_playlist_gone_or_ended_ends_the_broadcast_then_waits_again(result) -> None:
    machine = live_machine()
    assert machine.on_probe(result, 5.0) == [Effect.STOP]
    assert machine.phase is Phase.ENDED
    assert machine.view().title == "The broadcast ended"
    assert machine.on_tick(8.0) == []
    machine.on_tick(9.0)
    assert machine.phase is Phase.WAITING
    assert machine.view().detail.startswith("The last broadcast ended. Start streaming to")


def test_player_end_of_media_is_a_stall_until_the_probe_decides() -> None:
    machine = live_machine()
    machine.on_player_ended(3.0)
    assert machine.phase is Phase.STALLED
    assert machine.on_probe(ENDED, 3.5) == [Effect.STOP]
    assert machine.phase is Phase.ENDED


def test_connecting_without_a_frame_times_out_into_a_stall() -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    machine.on_probe(LIVE, 1.0)
    assert machine.connect_timeout == 8.0
    machine.on_tick(8.9)
    assert machine.phase is Phase.CONNECTING
    machine.on_tick(9.1)
    assert machine.phase is Phase.STALLED


def test_repeated_player_errors_without_a_frame_become_an_error_with_retry() -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    machine.on_probe(LIVE, 1.0)
    machine.on_player_failed("Unsupported codec", 1.1)
    machine.on_player_failed("Unsupported codec", 2.1)
    assert machine.phase is Phase.STALLED
    assert machine.on_player_failed("Unsupported codec", 3.1) == [Effect.STOP]
    view = machine.view()
    assert view.phase is Phase.ERROR and view.can_retry
    assert "Unsupported codec" in view.detail and "Retry" in view.detail
    assert machine.retry(4.0) == [Effect.STOP]
    assert machine.phase is Phase.WAITING


def test_a_frame_between_player_errors_resets_the_count() -> None:
    machine = live_machine()
    for t in (2.0, 3.0):
        machine.on_player_failed("glitch", t)
        machine.on_probe(LIVE, t + 2.5)
        machine.on_frame(t + 2.6)
    machine.on_player_failed("glitch", 9.0)
    assert machine.phase is Phase.STALLED


def test_probe_failures_while_waiting_become_an_error_after_three() -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    error = NetworkError(NetworkProblem.REFUSED, "Could not connect to the playback server.")
    assert machine.on_probe_failed(error, 1.0) == []
    assert machine.on_probe_failed(error, 2.0) == []
    assert machine.on_probe_failed(error, 3.0) == [Effect.STOP]
    assert "Could not connect to the playback server." in machine.view().detail


def test_a_playlist_blip_while_frames_arrive_changes_nothing() -> None:
    machine = live_machine()
    error = NetworkError(NetworkProblem.TIMEOUT, "timeout")
    for t in range(2, 8):
        assert machine.on_probe_failed(error, float(t)) == []
    assert machine.phase is Phase.LIVE


def test_not_a_playlist_is_an_error_at_once() -> None:
    machine = PreviewMachine(None)
    machine.begin(0.0)
    machine.on_probe_failed(InvalidResponseError("not HLS"), 1.0)
    assert machine.phase is Phase.ERROR
    assert "Start the broadcast" not in machine.view().detail


def test_api_going_from_live_to_idle_while_stalled_means_ended() -> None:
    machine = live_machine()
    machine.on_api_status("LIVE", 2.0)
    machine.on_tick(10.0)
    assert machine.phase is Phase.STALLED
    assert machine.on_api_status("IDLE", 11.0) == [Effect.STOP]
    assert machine.phase is Phase.ENDED


def test_api_that_never_said_live_cannot_end_a_stalled_stream() -> None:
    machine = live_machine()
    machine.on_tick(10.0)
    assert machine.on_api_status("IDLE", 11.0) == []
    assert machine.phase is Phase.STALLED


def test_api_live_while_waiting_tells_the_streamer_it_is_coming() -> None:
    machine = PreviewMachine(INGEST)
    machine.begin(0.0)
    machine.on_api_status("LIVE", 1.0)
    assert "Cloudflare is receiving it" in machine.view().detail
    assert machine.phase is Phase.WAITING


def test_without_an_ingest_server_the_waiting_text_is_generic() -> None:
    machine = PreviewMachine(None)
    machine.begin(0.0)
    assert "Start the broadcast in your encoder" in machine.view().detail


def test_a_waiting_hint_replaces_the_encoder_advice() -> None:
    machine = PreviewMachine(INGEST, waiting_hint="The test pattern starts by itself.")
    machine.begin(0.0)
    detail = machine.view().detail
    assert detail.startswith("The test pattern starts by itself.")
    assert "OBS" not in detail and INGEST not in detail
