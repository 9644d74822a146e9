"""One livestream's state from API status, preview phase and reachability, with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.livestream_state import (
    MAX_REASON_CHARS,
    LivestreamTracker,
    StreamState,
    clock_time,
)
from app.core.models import Livestream
from app.core.preview_phase import Phase
from app.core.redaction import register_secret

L, W, S, E, X, U = (
    StreamState.LIVE,
    StreamState.WAITING,
    StreamState.STALLED,
    StreamState.ENDED,
    StreamState.ERRORED,
    StreamState.UNKNOWN,
)
STATUSES = (None, "INVOKED", "IDLE", "OFFLINE", "LIVE", "ERRORED", "PAUSED_BY_ADMIN")
PHASES = (
    Phase.IDLE,
    Phase.WAITING,
    Phase.CONNECTING,
    Phase.LIVE,
    Phase.STALLED,
    Phase.ENDED,
    Phase.ERROR,
)
# One row per preview phase, one column per API status (in STATUSES' order), written out.
REACHABLE = {
    Phase.IDLE: (W, W, W, W, L, X, U),
    Phase.WAITING: (W, W, W, W, L, X, U),
    Phase.CONNECTING: (W, W, W, W, L, X, W),
    Phase.LIVE: (L, L, L, L, L, L, L),
    Phase.STALLED: (S, S, S, S, S, S, S),
    Phase.ENDED: (E, E, E, E, E, E, E),
    Phase.ERROR: (X, X, X, X, L, X, X),
}
# The API cannot be asked: only what the picture shows is known.
UNREACHABLE = {
    Phase.IDLE: U,
    Phase.WAITING: U,
    Phase.CONNECTING: U,
    Phase.LIVE: L,
    Phase.STALLED: S,
    Phase.ENDED: E,
    Phase.ERROR: U,
}
START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def livestream(status: str = "INVOKED", name: str | None = "Morning show") -> Livestream:
    return Livestream(
        id="ls1",
        name=name,
        ingest_server="rtmps://ingest.example/live/",
        stream_key="k",
        playback_url="https://play.example/ls1.m3u8",
        status=status,
    )


def tracker(clock: FakeClock | None = None, status: str = "INVOKED") -> LivestreamTracker:
    return LivestreamTracker(livestream(status), clock or FakeClock())


@pytest.mark.parametrize("reachable", [True, False])
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("status", STATUSES)
def test_every_combination_has_one_answer(
    status: str | None, phase: Phase, reachable: bool
) -> None:
    t = LivestreamTracker(livestream(status or ""), FakeClock())
    t.preview(phase, "What the preview says.")
    if not reachable:
        t.api_failed("Cannot reach the API")
    expected = REACHABLE[phase][STATUSES.index(status)] if reachable else UNREACHABLE[phase]
    view = t.view
    assert view.state is expected
    assert view.headline and view.detail
    assert view.label == f"Morning show: {view.headline}"


def test_a_fresh_livestream_waits_with_the_created_advice() -> None:
    view = tracker().view
    assert (view.state, view.headline) == (W, "Waiting")
    assert view.detail == "Created: start streaming from your encoder."
    assert view.since == START
    assert (view.api_status, view.api_said_at) == ("INVOKED", START)


def test_frames_say_live_whatever_the_api_said_last() -> None:
    t = tracker(status="IDLE")
    view = t.preview(Phase.LIVE)
    assert view is not None and view.state is L and view.headline == "Live"


def test_unreachable_api_says_unknown_and_why_never_a_stale_live() -> None:
    clock = FakeClock()
    t = tracker(clock, status="IDLE")
    t.api_status("LIVE")
    clock.advance(120)
    view = t.api_failed("Cannot reach 127.0.0.1:8787: connection refused")
    assert view is not None
    assert (view.state, view.headline) == (U, "Status unknown")
    assert view.detail == (
        "Cannot reach 127.0.0.1:8787: connection refused. "
        f"Last known: live at {clock_time(START)}."
    )
    assert view.since == START + timedelta(seconds=120)


def test_a_later_answer_clears_unknown() -> None:
    t = tracker()
    t.api_failed("Cannot reach the API")
    view = t.api_status("LIVE")
    assert view is not None and view.state is L


def test_preview_error_with_unreachable_api_is_unknown_not_live() -> None:
    t = tracker(status="LIVE")
    t.preview(Phase.ERROR, "Checking the playlist failed.")
    assert t.view.state is L  # the API still says live: the preview is what fails
    assert "the preview cannot play it. Checking the playlist failed." in t.view.detail
    t.api_failed("Cannot reach the API")
    assert t.view.state is U


def test_api_live_said_before_the_preview_saw_the_end_is_stale() -> None:
    clock = FakeClock()
    t = tracker(clock)
    t.api_status("LIVE")
    clock.advance(5)
    t.preview(Phase.LIVE)
    clock.advance(30)
    assert t.preview(Phase.ENDED).state is E
    clock.advance(4)
    view = t.preview(Phase.WAITING, "The last broadcast ended.")
    assert view is not None and view.state is W
    assert view.detail == "The last broadcast ended."
    clock.advance(1)
    assert t.api_status("LIVE").state is L  # a fresh word: a new broadcast


def test_since_changes_only_with_the_state() -> None:
    clock = FakeClock()
    t = tracker(clock)
    clock.advance(10)
    t.preview(Phase.WAITING, "Start streaming.")
    assert t.view.since == START
    clock.advance(10)
    t.preview(Phase.CONNECTING)
    assert (t.view.headline, t.view.since) == ("Connecting", START)
    clock.advance(1)
    t.preview(Phase.LIVE)
    assert t.view.since == START + timedelta(seconds=21)


def test_inputs_that_change_nothing_return_none() -> None:
    clock = FakeClock()
    t = tracker(clock)
    assert t.preview(Phase.IDLE) is None
    t.preview(Phase.LIVE)
    assert t.preview(Phase.LIVE) is None
    assert t.api_failed("x") is None  # the picture says live either way


def test_stall_and_error_details_come_from_the_preview() -> None:
    t = tracker()
    assert t.preview(Phase.STALLED, "No picture for 9 s.").detail == "No picture for 9 s."
    assert t.preview(Phase.ERROR, "The player gave up.").detail == "The player gave up."


def test_rename_follows_the_name_and_an_unnamed_one_uses_its_id() -> None:
    t = LivestreamTracker(livestream(name=None), FakeClock())
    assert t.view.name == "ls1"
    view = t.rename(livestream(name="Evening show"))
    assert view is not None and view.label == "Evening show: Waiting"


def test_an_unrecognised_status_is_named() -> None:
    view = tracker(status="PAUSED_BY_ADMIN").view
    assert (view.state, view.headline) == (U, "Paused by admin")
    assert "\u201cPAUSED_BY_ADMIN\u201d" in view.detail


def test_an_errored_view_says_why_in_cloudflare_s_words_with_the_fix() -> None:
    t = tracker()
    # The session's reason comes just before the status that says ERRORED (one check).
    assert t.error_reason("Unsupported video codec: hevc") is None  # not errored yet
    view = t.api_status("ERRORED")
    assert view is not None and (view.state, view.headline) == (X, "Errored")
    assert view.detail.startswith("Cloudflare says: \u201cUnsupported video codec: hevc\u201d. ")
    assert "H.264" in view.detail  # the fix for a codec that Cloudflare refused


def test_a_reason_arriving_after_the_errored_status_updates_the_detail() -> None:
    t = tracker(status="ERRORED")
    assert t.view.detail == "Cloudflare reports an error with this stream."
    view = t.error_reason("Keyframe interval too long")
    assert view is not None and view.state is X
    assert "\u201cKeyframe interval too long\u201d" in view.detail
    assert "Keyframe Interval" in view.detail
    view = t.error_reason(None)  # the session said nothing
    assert view is not None
    assert view.detail.startswith("Cloudflare marked the livestream as failed without saying why.")


def test_the_reason_ends_with_the_failure_and_never_outshouts_the_picture() -> None:
    t = tracker(status="ERRORED")
    t.error_reason("Connection timed out")
    assert t.preview(Phase.LIVE).detail == "The preview shows your broadcast going out."
    t.preview(Phase.IDLE)
    view = t.api_status("LIVE")
    assert view is not None and "timed out" not in view.detail
    view = t.api_status("ERRORED")  # failed again: the old reason is not this one's
    assert view is not None
    assert view.detail == "Cloudflare reports an error with this stream."


def test_the_reason_is_safe_text_without_secrets_and_short() -> None:
    key = "reason-stream-key-0123456789"
    register_secret(key)
    t = tracker(status="ERRORED")
    view = t.error_reason(f"Bad stream key {key}\x1b]0;pwned\x07 " + "x" * 500)
    assert view is not None
    assert key not in view.detail and "[redacted]" in view.detail
    assert "\x1b" not in view.detail and "\\x1b" in view.detail
    quoted = view.detail.split("\u201c")[1].split("\u201d")[0]
    assert len(quoted) == MAX_REASON_CHARS and quoted.endswith("\u2026")
    assert "stream key was refused" in view.detail  # explained from the redacted words


def test_an_end_that_cloudflare_then_calls_errored_says_errored_and_why() -> None:
    clock = FakeClock()
    t = tracker(clock, status="LIVE")
    t.preview(Phase.LIVE)
    clock.advance(1)
    t.api_status("ERRORED")  # said while the picture still played: the picture wins
    assert t.preview(Phase.ENDED).state is E
    clock.advance(1)
    t.error_reason("Input timed out")
    view = t.api_status("ERRORED")  # said again after the end: that is why it ended
    assert view is not None and (view.state, view.headline) == (X, "Errored")
    assert "\u201cInput timed out\u201d" in view.detail
    assert t.api_failed("Cannot reach the API") is not None
    assert t.view.state is E  # unreachable now: only the picture is known
