"""On the livestream's card: live since when, ingest and viewer time so far, and why it failed."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import KnownStatus, LivestreamSession
from app.core.session_text import duration_text, explain_error
from app.ui.sessions.controller import SessionSnapshot

TICK_MS = 1000  # the "for 5 min 12 s" count goes on between API answers


class SessionSummaryWidget(QWidget):
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, now=lambda: datetime.now(UTC)) -> None:
        super().__init__(parent)
        self._now = now
        self.snapshot: SessionSnapshot | None = None
        self._build_ui()
        self._connect_signals()
        self.clear()
        self.hide()  # until a livestream is on the card

    def _build_ui(self) -> None:
        self.setAccessibleName("Session")
        self.live_since_label = _value_label(self, "Live since")
        self.ingest_label = _value_label(self, "Ingest time")
        self.viewer_label = _value_label(self, "Viewer time")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # Cloudflare's words, as text
        self.error_label.setAccessibleName("Why the livestream failed")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_button = QPushButton("Past &sessions\u2026", self)
        self.history_button.setAccessibleName("Past sessions of this livestream")
        self.history_button.setToolTip("This livestream's sessions: start, length, ingest, viewers")

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Live since:", self.live_since_label)
        form.addRow("Ingest time:", self.ingest_label)
        form.addRow("Viewer time:", self.viewer_label)
        self._form = form
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.error_label)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)

    def _connect_signals(self) -> None:
        self.history_button.clicked.connect(self.history_requested)
        self._tick.timeout.connect(self._render_live_since)

    # --- what the controller reports ------------------------------------------------

    def show_livestream(self, livestream_id: str | None) -> None:
        """Another livestream on the card: forget the last one's session."""
        if self.snapshot is None or self.snapshot.livestream_id != livestream_id:
            self.clear()
        self.history_button.setEnabled(livestream_id is not None)
        self.setVisible(livestream_id is not None)

    def show_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.snapshot = snapshot
        session = snapshot.session
        # Live with no session yet (Cloudflare has not opened one): no rows to fill.
        live_session = session if snapshot.status == KnownStatus.LIVE else None
        self._set_rows_visible(live_session is not None)
        if live_session is not None:
            self.ingest_label.setText(duration_text(live_session.ingest_seconds))
            self.viewer_label.setText(_viewer_text(live_session))
            # These move only with each status check; the time on air counts every second.
            asked = f"As Cloudflare counted it at {self._now().astimezone():%H:%M:%S}"
            self.ingest_label.setToolTip(asked)
            self.viewer_label.setToolTip(asked)
            self._render_live_since()
            self._tick.start()
        else:
            self._tick.stop()
        if snapshot.status == KnownStatus.ERRORED:
            explanation = explain_error(session.error_message if session else None)
            self.error_label.setText(f"{explanation.said}\n{explanation.fix}")
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()

    def clear(self) -> None:
        self.snapshot = None
        self._tick.stop()
        self._set_rows_visible(False)
        for label in (self.live_since_label, self.ingest_label, self.viewer_label):
            label.clear()
        self.error_label.clear()
        self.error_label.hide()
        self.history_button.setEnabled(False)

    # --- drawing --------------------------------------------------------------------

    def _render_live_since(self) -> None:
        session = self.snapshot.session if self.snapshot else None
        if session is None or session.started_at is None:
            self.live_since_label.setText("\u2014")
            return
        started = session.started_at.astimezone()
        duration = duration_text(session.duration_seconds(self._now()))
        self.live_since_label.setText(f"{started:%H:%M:%S} ({duration})")
        self.live_since_label.setToolTip(f"{started:%A %d %B %Y, %H:%M:%S %Z}")

    def _set_rows_visible(self, visible: bool) -> None:
        for row in range(self._form.rowCount()):
            self._form.setRowVisible(row, visible)


def _viewer_text(session: LivestreamSession) -> str:
    if session.viewer_seconds is None:
        return "\u2014"
    minutes = session.viewer_seconds / 60
    return f"{minutes:.1f} viewer minutes" if minutes < 10 else f"{minutes:.0f} viewer minutes"


def _value_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
