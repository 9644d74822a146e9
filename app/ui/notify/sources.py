"""Where notifications and the tray learn the shown livestream's state.

`PreviewObservations` follows the window's preview panel (its phase and headline) and the
API status it reports. It is the one place to re-point at another source of state: anything
with the same two signals will do.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.models import KnownStatus, Livestream
from app.core.preview_state import Phase
from app.core.stream_notices import ENDED, ERRORED, LIVE, STALLED, WAITING, Observation

PHASE_STATES = {
    Phase.LIVE: LIVE,
    Phase.STALLED: STALLED,
    Phase.ENDED: ENDED,
    Phase.ERROR: ERRORED,
    Phase.WAITING: WAITING,
    Phase.CONNECTING: WAITING,
}


class PreviewObservations(QObject):
    # The state of the shown livestream (an Observation) whenever it may have changed.
    changed = Signal(object)
    # The livestream shown (a Livestream), when another one is.
    livestream_changed = Signal(object)

    def __init__(self, window, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._livestream: Livestream | None = None
        self._api_errored = False
        panel = window.preview
        panel.state_changed.connect(self._on_preview_state_changed)
        panel.livestream_updated.connect(self._on_livestream_updated)

    @property
    def livestream(self) -> Livestream | None:
        return self._livestream

    def _on_livestream_updated(self, livestream: Livestream) -> None:
        if self._livestream is None or livestream.id != self._livestream.id:
            return
        self._livestream = livestream
        errored = livestream.status == KnownStatus.ERRORED
        if errored != self._api_errored:
            self._api_errored = errored
            self._emit()

    def _on_preview_state_changed(self, _title: str) -> None:
        shown = self._window.result.livestream
        if shown is not None and (self._livestream is None or shown.id != self._livestream.id):
            self._livestream = shown
            self._api_errored = shown.status == KnownStatus.ERRORED
            self.livestream_changed.emit(shown)
        self._emit()

    def _emit(self) -> None:
        livestream = self._livestream
        panel = self._window.preview
        state = PHASE_STATES.get(panel.phase)
        if livestream is None or state is None:
            return
        headline, detail = panel.state_text(), panel.detail_label.text()
        if self._api_errored and state not in (LIVE, STALLED):
            state, headline = ERRORED, "Errored"
            detail = "Cloudflare reports an error with this stream."
        name = livestream.name or livestream.id
        self.changed.emit(Observation(livestream.id, name, state, detail, headline))
