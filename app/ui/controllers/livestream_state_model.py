"""The window's livestream states as Qt signals: one `LivestreamTracker` per livestream known.

Everything that learns something about a livestream tells this model (the API's answers, the
preview's phases, failed status checks); everything that shows a state listens to it. The
livestream on the card is the "shown" one; `shown_state_changed` carries its view on every
change (badge, preview headline, detached title, notifications), `state_changed` carries
any livestream's (the Recent rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.livestream_state import Clock, LivestreamTracker, StateView, utc_now
from app.core.preview_phase import Phase

if TYPE_CHECKING:
    from app.core.models import Livestream


class LivestreamStateModel(QObject):
    state_changed = Signal(object)  # StateView, of any known livestream
    shown_state_changed = Signal(object)  # StateView of the shown livestream, or None

    def __init__(self, parent: QObject | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._trackers: dict[str, LivestreamTracker] = {}
        self.shown_id: str | None = None

    def view(self, livestream_id: str) -> StateView | None:
        tracker = self._trackers.get(livestream_id)
        return tracker.view if tracker is not None else None

    def views(self) -> dict[str, StateView]:
        return {key: tracker.view for key, tracker in self._trackers.items()}

    def shown_view(self) -> StateView | None:
        return self.view(self.shown_id) if self.shown_id is not None else None

    # --- inputs ---------------------------------------------------------------------------

    def show(self, livestream: Livestream) -> StateView:
        """Puts a livestream on the card; its preview starts over."""
        tracker = self._tracker(livestream)
        self.shown_id = livestream.id
        tracker.preview(Phase.IDLE)
        self.state_changed.emit(tracker.view)
        self.shown_state_changed.emit(tracker.view)
        return tracker.view

    def api_answered(self, livestreams: Iterable[Livestream]) -> None:
        """Fresh copies from the API (a create, a list, a status check)."""
        for livestream in livestreams:
            tracker = self._trackers.get(livestream.id)
            if tracker is None:
                tracker = self._tracker(livestream)
                self.state_changed.emit(tracker.view)
                continue
            renamed = tracker.rename(livestream)
            self._emit(tracker.api_status(livestream.status) or renamed)

    def api_failed(self, livestream_id: str, reason: str) -> None:
        tracker = self._trackers.get(livestream_id)
        if tracker is not None:
            self._emit(tracker.api_failed(reason))

    def error_reason(self, livestream_id: str, err_message: str | None) -> None:
        """Cloudflare's `err_message` for a livestream's failed session."""
        tracker = self._trackers.get(livestream_id)
        if tracker is not None:
            self._emit(tracker.error_reason(err_message))

    def preview_changed(self, phase: Phase, detail: str) -> None:
        """What the preview of the shown livestream sees now."""
        tracker = self._trackers.get(self.shown_id or "")
        if tracker is not None:
            self._emit(tracker.preview(phase, detail))

    # --- internals ------------------------------------------------------------------------

    def _tracker(self, livestream: Livestream) -> LivestreamTracker:
        tracker = self._trackers.get(livestream.id)
        if tracker is None:
            tracker = LivestreamTracker(livestream, self._clock)
            self._trackers[livestream.id] = tracker
        return tracker

    def _emit(self, view: StateView | None) -> None:
        if view is None:
            return
        self.state_changed.emit(view)
        if view.livestream_id == self.shown_id:
            self.shown_state_changed.emit(view)
