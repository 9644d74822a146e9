"""The window's state model: one view per livestream, one signal per change."""

from __future__ import annotations

from dataclasses import replace

from app.core.livestream_state import StreamState
from app.core.preview_phase import Phase
from app.ui.controllers.livestream_state_model import LivestreamStateModel
from tests.unit.core.test_livestream_state import FakeClock, livestream


def recorder(signal) -> list:
    seen: list = []
    signal.connect(seen.append)
    return seen


def test_showing_one_emits_its_view_to_both_signals(qtbot):
    model = LivestreamStateModel()
    any_change, shown = recorder(model.state_changed), recorder(model.shown_state_changed)
    view = model.show(livestream())
    assert any_change == [view] and shown == [view]
    assert model.shown_view() is view and view.state is StreamState.WAITING


def test_preview_frames_make_the_shown_one_live_and_nothing_else(qtbot):
    model = LivestreamStateModel(clock=FakeClock())
    other = replace(livestream(), id="ls2", name="Other")
    model.api_answered([other])
    model.show(livestream())
    shown = recorder(model.shown_state_changed)
    model.preview_changed(Phase.LIVE, "")
    assert [v.state for v in shown] == [StreamState.LIVE]
    assert model.view("ls2").state is StreamState.WAITING
    model.preview_changed(Phase.LIVE, "")  # no change, no signal
    assert len(shown) == 1


def test_api_answers_and_failures_reach_the_listed_ones(qtbot):
    model = LivestreamStateModel(clock=FakeClock())
    model.show(livestream())
    any_change = recorder(model.state_changed)
    model.api_answered([replace(livestream(), status="LIVE")])
    model.api_failed("ls1", "Cannot reach 127.0.0.1")
    assert [v.state for v in any_change] == [StreamState.LIVE, StreamState.UNKNOWN]
    model.api_failed("unknown-id", "ignored")
    assert set(model.views()) == {"ls1"}


def test_status_follower_hands_the_preview_the_wrapped_check(qtbot):
    from app.ui.controllers.status_follower import StatusFollower

    class Panel:
        def __init__(self) -> None:
            self.fetch = None

        def set_status_fetch(self, fetch, *, min_interval: float) -> None:
            self.fetch = fetch

    class Livestreams:
        def status_fetch(self, account_id, app_id, livestream_id, token):
            return ("check", account_id, app_id, livestream_id)

    model = LivestreamStateModel()
    follower = StatusFollower(
        model, Livestreams(), lambda: ("acc", "app", "tok"), str, min_interval=10.0
    )
    panel = Panel()
    follower._panel = panel
    follower.add_fetch_wrapper(lambda livestream, fetch: ("wrapped", livestream.id, fetch))
    assert follower.follow(livestream())
    assert panel.fetch == ("wrapped", "ls1", ("check", "acc", "app", "ls1"))
