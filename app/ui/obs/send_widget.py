"""The Send to OBS row under a livestream's result: the button, its progress, its outcome.

The widget only emits intent to its controller and renders what comes back;
a result for a livestream no longer shown is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CompanionError
from app.core.models import Livestream
from app.core.obs_errors import ObsTargetChangedError
from app.core.obs_send import STARTED_MESSAGE, ObsSendResult
from app.core.obs_settings import ObsSettings
from app.ui.obs.controller import ObsController
from app.ui.obs.messages import describe_obs_error
from app.ui.obs.settings_dialog import ObsSettingsDialog
from app.ui.obs.watch import ObsStreamWatch
from app.ui.widgets.banner import Banner

SEND_TEXT = "Send to OBS"
SENDING_TEXT = "Sending to OBS\u2026"
START_TEXT = "Start streaming in OBS"
WATCHING_TEXT = "Watching OBS"

# By the controller's password place (SecretLocation values).
_PASSWORD_PLACES = {
    "keyring": "The password is in your keyring.",
    "memory": "No keyring works here: the password is kept for this session only.",
    "none": "No password is saved.",
}


class ObsSendWidget(QWidget):
    # The kind of what the row shows now ("sent", "started", "settings_saved", or an
    # error kind such as "obs_auth"); for the window's status line and for tests.
    outcome_shown = Signal(str)

    def __init__(
        self,
        controller: ObsController,
        parent: QWidget | None = None,
        *,
        watch: ObsStreamWatch | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        # Follows OBS's own stream start while a livestream is shown; None: not watched.
        self.watch = watch
        self.livestream: Livestream | None = None
        self.dialog: ObsSettingsDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._refresh()

    def _build_ui(self) -> None:
        self.send_button = QPushButton(SEND_TEXT, self)
        self.send_button.setObjectName("obsSendButton")
        self.send_button.setToolTip(
            "Set OBS's stream server and key to this livestream's (OBS 28 or newer)"
        )
        self.start_button = QPushButton(START_TEXT, self)
        self.start_button.setObjectName("obsStartButton")
        self.start_button.setToolTip("Ask OBS to start streaming to this livestream now")
        self.start_button.hide()
        self.settings_button = QToolButton(self)
        self.settings_button.setText("OBS settings\u2026")
        self.settings_button.setAccessibleName("OBS connection settings")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy, without a known end
        self.progress.setMaximumWidth(80)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.watching_label = QLabel(WATCHING_TEXT, self)
        self.watching_label.setToolTip(
            "Connected to OBS: when its stream starts, the preview looks for it at once"
        )
        self.watching_label.hide()
        self.banner = Banner(self)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.send_button)
        row.addWidget(self.progress)
        row.addWidget(self.start_button)
        row.addStretch(1)
        row.addWidget(self.watching_label)
        row.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.banner)

    def _connect_signals(self) -> None:
        self.send_button.clicked.connect(self._on_send_clicked)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.settings_button.clicked.connect(self.open_settings)
        self.controller.busy_changed.connect(self._on_controller_busy_changed)
        self.controller.sent.connect(self._on_controller_sent)
        self.controller.started.connect(self._on_controller_started)
        self.controller.failed.connect(self._on_controller_failed)
        self.controller.settings_saved.connect(self._on_controller_settings_saved)
        self.controller.settings_loaded.connect(self._on_controller_settings_loaded)
        if self.watch is not None:
            self.watch.watching_changed.connect(self.watching_label.setVisible)

    def set_livestream(self, livestream: Livestream | None) -> None:
        """The livestream the buttons act on; None disables them."""
        current = self.livestream
        if livestream is not None and current is not None and livestream.id == current.id:
            self.livestream = livestream  # a status refresh: keep what the row shows
            return
        self.livestream = livestream
        self.start_button.hide()
        self.banner.clear()
        self._refresh()
        self._update_watch()

    def set_broadcast_live(self, live: bool) -> None:
        """The preview saw the broadcast: starting is no longer useful."""
        if live:
            self.start_button.hide()

    def open_settings(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        self.dialog = ObsSettingsDialog(self.controller.settings, self)
        self.dialog.settings_chosen.connect(self._on_dialog_settings_chosen)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()

    def shutdown(self) -> None:
        """Stops watching OBS and releases the keyring worker; the window calls it when it
        closes."""
        if self.watch is not None:
            self.watch.close()
        self.controller.close()

    def _update_watch(self, *, renew: bool = False) -> None:
        if self.watch is not None:
            self.watch.update(
                self.controller.saved_settings, self.livestream is not None, renew=renew
            )

    def _refresh(self) -> None:
        busy = self.controller.busy
        self.send_button.setEnabled(self.livestream is not None and not busy)
        self.send_button.setText(SENDING_TEXT if busy else SEND_TEXT)
        self.start_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def _on_send_clicked(self) -> None:
        if self.livestream is not None:
            self.banner.clear()
            self.start_button.hide()
            self.controller.request_send(self.livestream)
            self._refresh()

    def _on_start_clicked(self) -> None:
        if self.livestream is not None:
            self.controller.request_start(self.livestream)
            self._refresh()

    def _on_controller_busy_changed(self, _busy: bool) -> None:
        self._refresh()

    def _on_controller_sent(self, livestream_id: str, result: ObsSendResult) -> None:
        if not self._is_current(livestream_id):
            return
        version = f"OBS {result.obs_version} at " if result.obs_version else "OBS at "
        self.banner.show_message(
            "sent",
            "OBS is ready",
            f"{result.message} ({version}{result.address})",
            accent="success",
        )
        self.start_button.setVisible(self.controller.settings.offer_start_stream)
        self.outcome_shown.emit("sent")

    def _on_controller_started(self, livestream_id: str) -> None:
        if not self._is_current(livestream_id):
            return
        self.start_button.hide()
        self.banner.show_message(
            "started",
            "OBS is streaming",
            f"{STARTED_MESSAGE} The preview shows it once it arrives.",
            accent="success",
        )
        self.outcome_shown.emit("started")

    def _on_controller_failed(self, _what: str, livestream_id: str, error: CompanionError) -> None:
        if livestream_id and not self._is_current(livestream_id):
            return
        if isinstance(error, ObsTargetChangedError):
            self.start_button.hide()  # only a new send makes starting safe again
        text = describe_obs_error(error)
        self.banner.show_message(text.kind, text.title, text.message, accent="error")
        self.outcome_shown.emit(text.kind)

    def _on_controller_settings_saved(self, settings: ObsSettings, password_place: str) -> None:
        place = f" {_PASSWORD_PLACES[password_place]}" if password_place else ""
        self.banner.show_message(
            "settings_saved",
            "OBS settings saved",
            f"Send to OBS connects to {settings.url}.{place}",
            accent="info",
        )
        if not settings.offer_start_stream:
            self.start_button.hide()
        self.outcome_shown.emit("settings_saved")
        self._update_watch(renew=True)

    def _on_controller_settings_loaded(self, _settings: ObsSettings) -> None:
        self._update_watch()

    def _on_dialog_settings_chosen(self, settings: ObsSettings, password: str | None) -> None:
        self.controller.request_save(settings, password)

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _is_current(self, livestream_id: str) -> bool:
        return self.livestream is not None and self.livestream.id == livestream_id
