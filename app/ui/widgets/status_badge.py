"""The livestream's state as a coloured badge: the headline of its `StateView`."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.core.livestream_state import StateView, StreamState
from app.ui import theme
from app.ui.qt_by_name import set_by_name

# Which accent each state wears (the preview's headline uses the same).
STATE_ACCENTS = {
    StreamState.LIVE: "success",
    StreamState.WAITING: "info",
    StreamState.STALLED: "warning",
    StreamState.ENDED: "neutral",
    StreamState.ERRORED: "error",
    StreamState.UNKNOWN: "warning",
}


class StatusBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_by_name(self, "alignment", "AlignCenter")
        self.setObjectName("statusBadge")
        self.view: StateView | None = None
        self._kind = "neutral"
        self.set_view(None)

    @property
    def state(self) -> StreamState | None:
        return self.view.state if self.view is not None else None

    def set_view(self, view: StateView | None) -> None:
        self.view = view
        if view is None:
            self.setText("No livestream yet")
            self.setToolTip("")
            self.setAccessibleName("Livestream status: none yet")
            self.setAccessibleDescription("")
            self._paint("neutral")
            return
        self.setText(view.headline)
        self.setToolTip(view.detail)
        # The state is in the name: many screen readers skip descriptions.
        self.setAccessibleName(f"Livestream status: {view.headline}")
        self.setAccessibleDescription(view.detail)
        self._paint(STATE_ACCENTS[view.state])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # The system switched light/dark: pick the other scheme's colours.
        if event.type() == event.Type.ApplicationPaletteChange:
            self._paint(self._kind)

    def _paint(self, kind: str) -> None:
        self._kind = kind
        a = theme.accent(kind, self)
        self.setStyleSheet(
            f"QLabel#statusBadge {{ background: {a.background}; color: {a.foreground};"
            f" border: 1px solid {a.border}; border-radius: 9px; padding: 2px 10px;"
            f" font-weight: bold; }}"
        )
