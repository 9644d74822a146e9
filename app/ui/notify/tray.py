"""The tray icon: the shown livestream's state at a glance, and its values one click away.

Exists only where the desktop has a tray (`QSystemTrayIcon.isSystemTrayAvailable()`); the
window works the same without it. The stream key is copied through the window's secret
clipboard (hints for clipboard managers, cleared later), never shown in a tooltip or menu.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app import about
from app.core.livestream_state import StateView, StreamState
from app.core.models import Livestream
from app.ui.bootstrap import app_icon
from app.ui.clipboard import SecretClipboard

ICON_PX = 64
# The dot's colour per state; anything else (waiting, unknown) is grey.
STATE_COLOURS = {
    StreamState.LIVE: "#2e9d4f",
    StreamState.STALLED: "#e0a100",
    StreamState.ERRORED: "#d23c3c",
}
IDLE_COLOUR = "#7a7a7a"
MESSAGE_MS = 8000


def state_icon(state: StreamState | None) -> QIcon:
    """The app's icon with a dot in the state's colour in its lower right corner."""
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = app_icon()
    if base is not None:
        base.paint(painter, 0, 0, ICON_PX, ICON_PX)
    if state is not None:
        dot = QRectF(ICON_PX * 0.5, ICON_PX * 0.5, ICON_PX * 0.46, ICON_PX * 0.46)
        painter.setPen(QColor("white"))
        painter.setBrush(QColor(STATE_COLOURS.get(state, IDLE_COLOUR)))
        painter.drawEllipse(dot)
    painter.end()
    return QIcon(pixmap)


class StreamTray(QObject):
    show_window_requested = Signal()
    quit_requested = Signal()
    # (what was copied, in words) for the window's status bar
    copied = Signal(str)

    def __init__(self, clipboard: SecretClipboard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self.livestream: Livestream | None = None
        self.state: StreamState | None = None
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self._build_menu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self._render(None)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def _build_menu(self) -> None:
        self.state_action = QAction(self)
        self.state_action.setEnabled(False)
        self.show_action = QAction("&Show the window", self)
        self.show_action.triggered.connect(self.show_window_requested)
        self.copy_server_action = QAction("Copy ingest &server", self)
        self.copy_server_action.triggered.connect(self.copy_server)
        self.copy_key_action = QAction("Copy stream &key", self)
        self.copy_key_action.triggered.connect(self.copy_key)
        self.copy_playback_action = QAction("Copy &playback URL", self)
        self.copy_playback_action.triggered.connect(self.copy_playback_url)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.triggered.connect(self.quit_requested)
        menu = self.menu
        menu.addAction(self.state_action)
        menu.addSeparator()
        menu.addAction(self.copy_server_action)
        menu.addAction(self.copy_key_action)
        menu.addAction(self.copy_playback_action)
        menu.addSeparator()
        menu.addAction(self.show_action)
        menu.addAction(self.quit_action)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_livestream(self, livestream: Livestream | None) -> None:
        self.livestream = livestream
        self._render(None if livestream is None else self.state)

    def set_view(self, view: StateView) -> None:
        """The shown livestream's state, as the badge shows it."""
        self._render(view.state, view.label)

    def show_message(self, title: str, body: str) -> None:
        self.icon.showMessage(title, body, self.icon.icon(), MESSAGE_MS)

    # --- copying ------------------------------------------------------------------------

    def copy_server(self) -> None:
        if self.livestream is not None:
            self._clipboard.copy_text(self.livestream.ingest_server)
            self.copied.emit("Ingest server copied.")

    def copy_key(self) -> None:
        if self.livestream is not None:
            self._clipboard.copy_secret(self.livestream.stream_key)
            self.copied.emit("Stream key copied.")

    def copy_playback_url(self) -> None:
        if self.livestream is not None:
            self._clipboard.copy_text(self.livestream.playback_url)
            self.copied.emit("Playback URL copied.")

    # --- rendering ----------------------------------------------------------------------

    def _render(self, state: StreamState | None, label: str | None = None) -> None:
        self.state = state
        has_livestream = self.livestream is not None
        for action in (self.copy_server_action, self.copy_key_action, self.copy_playback_action):
            action.setEnabled(has_livestream)
        if label is None:
            label = "No livestream shown" if not has_livestream else self._name()
        self.state_action.setText(label)
        self.icon.setIcon(state_icon(state if has_livestream else None))
        self.icon.setToolTip(f"{about.DISPLAY_NAME}\n{label}")

    def _name(self) -> str:
        livestream = self.livestream
        return "" if livestream is None else livestream.name or livestream.id

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window_requested.emit()
