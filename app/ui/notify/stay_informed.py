"""Keeps the streamer informed while they look at OBS, not at this window.

Wires, after the window's first paint: desktop notifications of the shown livestream's
transitions (only while the window is not active; `NoticePlanner` decides which and when),
the tray icon where a tray exists, "Keep running in the tray while live", and the playback
URL's QR code under the livestream's fields. Notifications go through the freedesktop
service on Linux, and through the tray's messages elsewhere or when no service answers.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.core.livestream_state import StateView, StreamState
from app.core.models import Livestream
from app.core.redaction import register_secret
from app.core.stream_notices import Notice, NoticePlanner
from app.ui.notify.freedesktop import FreedesktopNotifier, NotificationsUnavailable
from app.ui.notify.tray import StreamTray
from app.ui.qr import QrCodeRow
from app.ui.settings import AppSettings
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

NOTIFY_TASK = "notify"
# States in which closing the window keeps the app in the tray (when the option is on).
WATCHED_STATES = (StreamState.LIVE, StreamState.STALLED)


class StayInformed(QObject):
    # Each notice handed to the desktop (tests and the status bar).
    notified = Signal(object)

    def __init__(
        self,
        window,
        settings: AppSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        notifier: FreedesktopNotifier | None = None,
        tray_available: bool | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._livestream_id: str | None = None
        self._clock = clock
        self._planner = NoticePlanner()
        self._tasks = TaskRunner(self)
        self._use_dbus = sys.platform.startswith("linux")
        self._notifier = notifier or FreedesktopNotifier()
        self._state: StreamState | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_deadline)
        if tray_available is None:
            tray_available = StreamTray.available()
        self.tray = StreamTray(window.clipboard, self) if tray_available else None
        self.qr_row = QrCodeRow(window.result)
        window.result.add_action_row(self.qr_row)
        self._build_options(window.options_menu)
        self._connect_signals()
        if self.tray is not None:
            self.tray.show()
        self._on_livestream_changed(None)
        shown = window.states.shown_view()
        if shown is not None:
            self.observe(shown)

    def _build_options(self, menu) -> None:
        menu.addSeparator()
        self.notify_action = QAction("&Notify me of stream changes while I am elsewhere", self)
        self.notify_action.setCheckable(True)
        self.notify_action.setChecked(self._settings.notify)
        self.notify_action.setToolTip(
            "Desktop notifications when the stream goes live, stalls, recovers, ends or "
            "errors, while this window is not the active one."
        )
        self.keep_action = QAction("&Keep running in the tray while live", self)
        self.keep_action.setCheckable(True)
        self.keep_action.setChecked(self._settings.keep_in_tray)
        if self.tray is None:
            self.keep_action.setEnabled(False)
            self.keep_action.setToolTip("This desktop has no system tray.")
        else:
            self.keep_action.setToolTip(
                "Closing the window while the stream is live hides it to the tray; the "
                "preview keeps watching. Quit from the tray icon."
            )
        menu.addAction(self.notify_action)
        menu.addAction(self.keep_action)
        menu.setToolTipsVisible(True)

    def _connect_signals(self) -> None:
        # The window's one state model: notices and the tray agree with the badge.
        self._window.states.shown_state_changed.connect(self._on_shown_state_changed)
        self.notify_action.toggled.connect(self._on_notify_toggled)
        self.keep_action.toggled.connect(self._on_keep_toggled)
        self._window.installEventFilter(self)
        if self.tray is not None:
            self.tray.show_window_requested.connect(self.show_window)
            self.tray.quit_requested.connect(self._window.close)
            self.tray.copied.connect(lambda text: self._window.statusBar().showMessage(text, 5000))

    # --- the state ----------------------------------------------------------------------

    def _on_shown_state_changed(self, view: StateView | None) -> None:
        if view is None:
            self._livestream_id = self._state = None
            self._on_livestream_changed(None)
            return
        self.observe(view)

    def observe(self, view: StateView) -> None:
        if view.livestream_id != self._livestream_id:
            self._livestream_id = view.livestream_id
            self._on_livestream_changed(None)
            # The model speaks first; the card gets the livestream right after.
            QTimer.singleShot(0, self, self._sync_livestream)
        self._state = view.state
        if self.tray is not None:
            self.tray.set_view(view)
        self._planner.observe(view, self._clock())
        self._schedule()

    def _sync_livestream(self) -> None:
        shown = self._window.result.livestream
        if shown is not None and shown.id == self._livestream_id:
            self._on_livestream_changed(shown)

    def _on_livestream_changed(self, livestream: Livestream | None) -> None:
        if livestream is not None:
            register_secret(livestream.stream_key)  # masked wherever text is redacted
        self.qr_row.set_url(livestream.playback_url if livestream is not None else "")
        if self.tray is not None:
            self.tray.set_livestream(livestream)

    def pending_deadline(self) -> float | None:
        """When the next notice may be due (monotonic), None with nothing waiting."""
        return self._planner.next_deadline()

    def _schedule(self) -> None:
        deadline = self._planner.next_deadline()
        if deadline is None:
            self._timer.stop()
            return
        # Rounded up: a timer that fires early would find nothing due yet.
        self._timer.start(max(0, math.ceil((deadline - self._clock()) * 1000) + 1))

    def _on_deadline(self) -> None:
        notice = self._planner.due(self._clock())
        self._schedule()
        if notice is None or not self._settings.notify or self._window_active():
            return
        self._tasks.start(self._deliver(notice), name=NOTIFY_TASK)

    def _window_active(self) -> bool:
        window = self._window
        return window.isVisible() and not window.isMinimized() and window.isActiveWindow()

    async def _deliver(self, notice: Notice) -> None:
        if self._use_dbus:
            try:
                await self._notifier.notify(notice.title, notice.body)
                self.notified.emit(notice)
                return
            except NotificationsUnavailable as error:
                log.info("no desktop notification service (%s): using the tray", error)
                self._use_dbus = False
        if self.tray is not None:
            self.tray.show_message(notice.title, notice.body)
            self.notified.emit(notice)

    # --- options and the tray -----------------------------------------------------------

    def _on_notify_toggled(self, on: bool) -> None:
        self._settings.notify = on

    def _on_keep_toggled(self, on: bool) -> None:
        self._settings.keep_in_tray = on

    def keeps_running_on_close(self) -> bool:
        return (
            self.tray is not None and self._settings.keep_in_tray and self._state in WATCHED_STATES
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The title bar's close button arrives as a spontaneous close (from the window
        # system); Quit in the menus, its shortcut and the tray close from code, and quit.
        if (
            watched is self._window
            and event.type() == QEvent.Type.Close
            and event.spontaneous()
            and self.keeps_running_on_close()
        ):
            self.hide_to_tray()
            event.ignore()
            return True
        return False

    def hide_to_tray(self) -> None:
        self._window.hide()
        if self.tray is not None:
            self.tray.show_message(
                "Still watching your stream",
                "The preview keeps following it. Quit from the tray icon.",
            )

    def show_window(self) -> None:
        window: QWidget = self._window
        window.showNormal()
        window.raise_()
        window.activateWindow()

    async def shutdown(self) -> None:
        self._timer.stop()
        self._window.removeEventFilter(self)
        await self._tasks.shutdown()
        if self.tray is not None:
            self.tray.hide()
