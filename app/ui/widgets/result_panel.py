"""What a created livestream gives the streamer: where to send, the key, where to watch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from app.core.livestream_state import StateView
from app.core.safe_text import safe_text
from app.ui.qt_by_name import at_top
from app.ui.widgets.copy_field import CopyField
from app.ui.widgets.status_badge import StatusBadge

if TYPE_CHECKING:
    from app.core.models import Livestream

SHORTCUT_SERVER = "Ctrl+Shift+I"
SHORTCUT_KEY = "Ctrl+Shift+K"
SHORTCUT_PLAYBACK = "Ctrl+Shift+U"


class ResultPanel(QGroupBox):
    # (value, is_secret, the field that asked: for its "Copied" feedback)
    copy_requested = Signal(str, bool, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Your livestream", parent)
        self.livestream: Livestream | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setAccessibleName("Your livestream")
        self.title_label = QLabel("Create a livestream to get its server and key.", self)
        self.title_label.setWordWrap(True)
        self.badge = StatusBadge(self)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        self.server_field = CopyField("Ingest server", shortcut=SHORTCUT_SERVER, parent=self)
        self.key_field = CopyField("Stream key", secret=True, shortcut=SHORTCUT_KEY, parent=self)
        self.playback_field = CopyField("Playback URL", shortcut=SHORTCUT_PLAYBACK, parent=self)

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addLayout(at_top(self.badge))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(top)
        self._add_row(form, "In&gest server (OBS: Server)", self.server_field)
        self._add_row(form, "Stream &key (OBS: Stream Key)", self.key_field)
        self._add_row(form, "Pla&yback URL (HLS)", self.playback_field)
        form.addRow(self.hint_label)
        self._form = form

    def add_action_row(self, widget: QWidget) -> None:
        """A row of actions on the shown livestream (Send to OBS), under the fields."""
        self._form.addRow(widget)

    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: CopyField) -> None:
        label = QLabel(text)
        label.setBuddy(field.line_edit)
        form.addRow(label, field)

    def _connect_signals(self) -> None:
        for field in self.fields():
            field.copy_requested.connect(
                lambda value, secret, f=field: self.copy_requested.emit(value, secret, f)
            )

    def fields(self) -> tuple[CopyField, CopyField, CopyField]:
        return self.server_field, self.key_field, self.playback_field

    def show_livestream(self, livestream: Livestream) -> None:
        import html  # here, not above: html.entities is slow to load and no paint needs it

        self.livestream = livestream
        name = html.escape(safe_text(livestream.name or "(no name)"))
        livestream_id = html.escape(safe_text(livestream.id))
        self.title_label.setText(f"<b>{name}</b><br><small>ID {livestream_id}</small>")
        self.server_field.set_value(livestream.ingest_server)
        self.key_field.set_value(livestream.stream_key)
        self.playback_field.set_value(livestream.playback_url)
        self.hint_label.setText(
            "In OBS: Settings \u2192 Stream \u2192 Service \u201cCustom\u2026\u201d, paste the "
            "server and the key, then Start Streaming."
        )
        self.hint_label.show()

    def update_livestream(self, livestream: Livestream) -> None:
        """A fresher copy of the shown livestream (from a status check)."""
        if self.livestream is not None and livestream.id == self.livestream.id:
            self.livestream = livestream

    def show_state(self, view: StateView | None) -> None:
        self.badge.set_view(view)

    def clear(self) -> None:
        self.livestream = None
        self.title_label.setText("Create a livestream to get its server and key.")
        for field in self.fields():
            field.set_value("")
        self.badge.set_view(None)
        self.hint_label.setText("")
        self.hint_label.hide()
