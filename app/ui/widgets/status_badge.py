"""The livestream's status as a coloured badge; any status Cloudflare sends is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.core.models import KnownStatus
from app.core.safe_text import safe_text
from app.ui import theme

# What each documented status means to someone about to stream.
_DESCRIPTIONS = {
    KnownStatus.INVOKED: ("Created", "info", "Created: start streaming from your encoder."),
    KnownStatus.IDLE: ("Idle", "neutral", "Waiting for your encoder to connect."),
    KnownStatus.LIVE: ("Live", "success", "Your encoder is sending: you are live."),
    KnownStatus.ERRORED: ("Errored", "error", "Cloudflare reports an error with this stream."),
}


def describe_status(status: str) -> tuple[str, str, str]:
    """(badge text, accent, explanation)."""
    try:
        return _DESCRIPTIONS[KnownStatus(status)]
    except ValueError:
        shown = safe_text(status)
        text = shown.replace("_", " ").capitalize() or "Unknown"
        return text, "neutral", f"Cloudflare reports the status \u201c{shown}\u201d."


class StatusBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setObjectName("statusBadge")
        self.status = ""
        self._kind = "neutral"
        self.set_status("")

    def set_status(self, status: str) -> None:
        self.status = status
        if not status:
            self.setText("No livestream yet")
            self.setToolTip("")
            self.setAccessibleName("Livestream status: none yet")
            self._paint("neutral")
            return
        text, kind, explanation = describe_status(status)
        self.setText(text)
        self.setToolTip(explanation)
        self.setAccessibleName(f"Livestream status: {text}")
        self.setAccessibleDescription(explanation)
        self._paint(kind)

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
