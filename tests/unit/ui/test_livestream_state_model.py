"""The window's state model: one view per livestream, one signal per change."""

from __future__ import annotations

from dataclasses import replace

from app.core.livestream_state import StreamState
from app.core.preview_state import Phase
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
