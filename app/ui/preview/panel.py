"""The live preview panel: says in words what the broadcast is doing and shows it.

Rendering only: `PreviewSession` (Qt-free) decides when to probe, play, reload and give
up; `PreviewPlayer` wraps QMediaPlayer. The session runs as a tracked task on the one
qasync loop.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QHideEvent, QShowEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.checked_fetch import checked_fetcher
from app.core.hls_playlist import UnsafeAddressError
from app.core.hls_probe import HlsProbe
from app.core.hls_proxy import HlsProxy
from app.core.livestream_state import StateView
from app.core.models import Livestream
from app.core.preview_phase import Phase
from app.core.preview_session import ApiSchedule, PreviewSession
from app.core.preview_state import PreviewView
from app.core.status_polling import API_MIN_INTERVAL, StatusFetch
from app.core.validation import is_safe_http_url
from app.ui.ffmpeg_log import quiet_ffmpeg
from app.ui.preview.external_player import open_externally
from app.ui.preview.player import PreviewPlayer
from app.ui.tasks import TaskRunner
from app.ui.theme import accent
from app.ui.widgets.status_badge import STATE_ACCENTS

log = logging.getLogger(__name__)

SESSION_TASK = "preview-session"
HEALTH_REFRESH_MS = 500
# Which accent the state badge wears.
PHASE_ACCENTS = {
    Phase.IDLE: "neutral",
    Phase.WAITING: "info",
    Phase.CONNECTING: "info",
    Phase.LIVE: "success",
    Phase.STALLED: "warning",
    Phase.ENDED: "neutral",
    Phase.ERROR: "error",
}
VIDEO_PHASES = (Phase.CONNECTING, Phase.LIVE, Phase.STALLED)
WINDOW_VISIBILITY_EVENTS = (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.WindowStateChange)
IDLE_VIEW = PreviewView(Phase.IDLE, "No stream selected", "Create or pick a livestream.")


class _DetachedWindow(QWidget):
    """Holds the video while the panel is detached; closing it brings the video back."""

    closing = Signal()

    def __init__(self, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(title)
        self.setMinimumSize(320, 180)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)

    def mouseDoubleClickEvent(self, event) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


class PreviewPanel(QWidget):
    # The state in words, for the status bar and accessibility.
    state_changed = Signal(str)
    # What the preview sees (a PreviewView), for the livestream's state model.
    view_changed = Signal(object)
    # A fresh copy of the livestream from the panel's own status checks.
    livestream_updated = Signal(object)
    # A status check failed (a CompanionError): the API's word is no longer known.
    status_failed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, http: Any = None) -> None:
        super().__init__(parent)
        self._http = http
        self._owns_http = False
        self._status_fetch: StatusFetch | None = None
        self._api_min_interval = API_MIN_INTERVAL
        # Kept while the same livestream is shown again, so re-showing never asks sooner.
        self._api_schedule: ApiSchedule | None = None
        self._api_livestream_id: str | None = None
        self._top_level: QWidget | None = None
        self._view = IDLE_VIEW
        # The livestream's state as the window decided it (None: the preview's own words).
        self._state_view: StateView | None = None
        self._waiting_hint: str | None = None
        self._tasks = TaskRunner(self)
        self._session: PreviewSession | None = None
        # The player plays through it: only checked addresses, from the live edge.
        self._proxy: HlsProxy | None = None
        self._at_edge = True
        self._title = "Preview"
        self._detached: _DetachedWindow | None = None
        self._shut_down = False
        self._build_ui()
        self._connect_signals()
        self._show_view(IDLE_VIEW)

    # --- building -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setAccessibleName("Live preview")
        # The state in words, coloured: the panel's headline, said once.
        self.badge = QLabel(self)
        self.badge.setObjectName("previewBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge_font = QFont(self.badge.font())
        badge_font.setPointSizeF(badge_font.pointSizeF() * 1.15)
        badge_font.setBold(True)
        self.badge.setFont(badge_font)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.video = QVideoWidget(self)
        self.video.setAccessibleName("Preview video")
        self.video.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.video.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.video.setMinimumSize(256, 144)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(16)
        self.message.setStyleSheet("background: #111; color: #eee; border-radius: 4px;")
        self.detached_note = QLabel("The preview is in its own window.", self)
        self.detached_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.screen_stack = QStackedWidget(self)
        self.screen_stack.addWidget(self.message)
        self.screen_stack.addWidget(self.video)
        self.screen_stack.addWidget(self.detached_note)
        self.screen_stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.health_label = QLabel(self)
        # Wraps on a narrow panel rather than running past its edge.
        self.health_label.setWordWrap(True)
        small = QFont(self.health_label.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.health_label.setFont(small)
        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setFont(small)
        self.warning_label.hide()
        # Says when no player took the URL (otherwise nothing visible would happen).
        self.external_note = QLabel(self)
        self.external_note.setWordWrap(True)
        self.external_note.setFont(small)
        self.external_note.hide()

        # A tick box: whether the sound is off is a state, and its box shows it.
        self.mute_button = QCheckBox("&Mute preview", self)
        self.mute_button.setAccessibleName("Mute preview")
        self.mute_button.setChecked(True)
        self._render_mute(True)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(50)
        self.volume_slider.setMaximumWidth(120)
        self.volume_slider.setAccessibleName("Preview volume")
        self.volume_slider.setToolTip("Preview volume; raising it turns the sound on.")
        self.external_button = QPushButton("Open in external player", self)
        self.external_button.setAccessibleName("Open in external player")
        self.external_button.setToolTip("Opens the playback URL with the system's media player.")
        self.detach_button = QPushButton(self)
        self._render_detached(False)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setAccessibleName("Retry the preview")
        self.retry_button.setToolTip("Starts checking the playback URL again.")
        self.retry_button.hide()

        header = QHBoxLayout()
        header.addWidget(self.badge)
        header.addStretch(1)
        header.addWidget(self.retry_button)
        controls = QHBoxLayout()
        controls.addWidget(self.mute_button)
        controls.addWidget(self.volume_slider)
        controls.addStretch(1)
        controls.addWidget(self.external_button)
        controls.addWidget(self.detach_button)

        column = QVBoxLayout(self)
        column.addLayout(header)
        column.addWidget(self.detail_label)
        column.addWidget(self.screen_stack, 1)
        column.addWidget(self.health_label)
        column.addWidget(self.warning_label)
        column.addWidget(self.external_note)
        column.addLayout(controls)

        self.player = PreviewPlayer(self.video, self)
        quiet_ffmpeg()  # now that the media stack is loaded
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(HEALTH_REFRESH_MS)

    def _connect_signals(self) -> None:
        self.player.frame_arrived.connect(self._on_player_frame)
        self.player.ended.connect(self._on_player_ended)
        self.player.failed.connect(self._on_player_failed)
        self.mute_button.toggled.connect(self._on_mute_toggled)
        self.volume_slider.valueChanged.connect(self._on_volume_changed)
        self.external_button.clicked.connect(self._on_external_clicked)
        self.detach_button.clicked.connect(self._on_detach_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.health_timer.timeout.connect(self._refresh_health)

    # --- the interface ----------------------------------------------------------------------

    def set_status_fetch(
        self, fetch: StatusFetch | None, *, min_interval: float = API_MIN_INTERVAL
    ) -> None:
        """How to ask the API about the next livestream shown: the panel is then the one
        place that follows its status (at most once per min_interval, slower after 429
        or failures, none while the window is hidden or minimised) and reports each
        answer through `livestream_updated`."""
        self._status_fetch = fetch
        self._api_min_interval = min_interval

    def set_waiting_hint(self, hint: str | None) -> None:
        """What starts the broadcast, when it is not the streamer's encoder (demo mode);
        used by the next livestream shown."""
        self._waiting_hint = hint

    def set_state_view(self, view: StateView | None) -> None:
        """The livestream's state as the window decided it: the headline and the detached
        window's title say it, so they agree with the rest of the window."""
        self._state_view = view
        self._render_headline()

    def set_live_edge(self, at_edge: bool) -> None:
        """Start previews at the newest segment (default), or where viewers' players start
        (three segments back); applies from the next time the stream loads."""
        self._at_edge = at_edge
        if self._proxy is not None:
            self._proxy.at_edge = at_edge

    def expect_broadcast(self) -> None:
        """The encoder was just told to start (Send to OBS started the stream): the waiting
        playlist is checked every 150 ms for a minute, then at the usual pace."""
        if self._session is not None:
            self._session.expect_broadcast()

    def show_livestream(self, livestream: Livestream) -> None:
        self._title = f"Preview: {livestream.name or livestream.id}"
        if self._detached is not None:
            self._detached.setWindowTitle(self._detached_title())
        if self._api_schedule is None or self._api_livestream_id != livestream.id:
            self._api_schedule = ApiSchedule(self._api_min_interval)
            self._api_livestream_id = livestream.id
        self._show(
            livestream.playback_url,
            livestream.ingest_server,
            self._status_fetch,
            self._waiting_hint,
        )

    def show_url(self, url: str, *, ingest_server: str | None = None) -> None:
        """Starts waiting for, then playing, any HLS playback URL (no API calls)."""
        self._api_schedule = self._api_livestream_id = None
        self._state_view = None
        self._show(url, ingest_server, None, None)

    def _show(
        self,
        url: str,
        ingest_server: str | None,
        fetch: StatusFetch | None,
        waiting_hint: str | None,
    ) -> None:
        self._stop_session()
        if not is_safe_http_url(url):
            self._show_view(
                PreviewView(
                    Phase.ERROR,
                    "Preview error",
                    "The playback URL must start with https:// (plain http:// only for this "
                    "computer); it was not opened.",
                )
            )
            return
        session = PreviewSession(
            HlsProbe(self._http_client(), url),
            self.player,
            ingest_server=ingest_server,
            waiting_hint=waiting_hint,
            status_fetch=fetch,
            on_change=self._show_view,
            on_status=self.livestream_updated.emit,
            on_status_failed=self.status_failed.emit,
            api=self._api_schedule if fetch is not None else None,
            proxy=self._playback_proxy(),
            playback_position=self.player.position_seconds,
        )
        self._watch_top_level()
        session.set_visible(self._window_on_screen())
        self._session = session
        session.start()
        self._tasks.start(self._run_session(session), name=SESSION_TASK)
        self.health_timer.start()

    def _playback_proxy(self) -> HlsProxy:
        if self._proxy is None:
            self._proxy = HlsProxy(
                checked_fetcher(self._http_client()),
                at_edge=self._at_edge,
                on_refused=self._on_proxy_refused,
            )
        return self._proxy

    async def _run_session(self, session: PreviewSession) -> None:
        assert self._proxy is not None
        await self._proxy.start()
        await session.run()

    def clear(self) -> None:
        self._api_schedule = self._api_livestream_id = None
        self._state_view = None
        self._stop_session()
        self._show_view(IDLE_VIEW)

    def _stop_session(self) -> None:
        self._tasks.cancel(SESSION_TASK)
        self._session = None
        self.health_timer.stop()
        self.player.stop()

    async def shutdown(self) -> None:
        """Stops the session and releases the player before the app exits; idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.health_timer.stop()
        self._session = None
        await self._tasks.shutdown()
        self._attach_video()
        await self.player.shutdown()
        if self._proxy is not None:
            await self._proxy.close()
            self._proxy = None
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    # --- reading state (tests and the window) ---------------------------------------------

    @property
    def session(self) -> PreviewSession | None:
        return self._session

    @property
    def phase(self) -> Phase:
        return Phase.IDLE if self._session is None else self._session.phase

    def state_text(self) -> str:
        return self._view.title

    def state_detail(self) -> str:
        """What the state means and what to do, as the panel says it."""
        return self._view.detail

    # --- rendering --------------------------------------------------------------------------

    def _show_view(self, view: PreviewView) -> None:
        self._view = view
        # The window's state model hears first, so the headline below is already its answer.
        self.view_changed.emit(view)
        self._render_headline()
        self.detail_label.setText(view.detail)
        self._render_message()
        self.retry_button.setVisible(view.can_retry)
        if self._detached is None:
            showing_video = view.phase in VIDEO_PHASES
            self.screen_stack.setCurrentWidget(self.video if showing_video else self.message)
            # Without video the message area says it in large type: no need to say it twice.
            self.detail_label.setVisible(showing_video)
        else:
            self._sync_detached_page(view.phase)
        self._refresh_health()
        self.state_changed.emit(view.title)

    def _render_headline(self) -> None:
        view, state = self._view, self._state_view
        if state is not None and view.phase is not Phase.IDLE:
            title, detail, kind = state.headline, state.detail, STATE_ACCENTS[state.state]
        else:
            title, detail, kind = view.title, view.detail, PHASE_ACCENTS[view.phase]
        # Nothing to preview: no badge at all rather than a state that means nothing.
        self.badge.setVisible(view.phase is not Phase.IDLE)
        self.badge.setText(title)
        self.badge.setAccessibleName(f"Preview: {title}")
        self.badge.setAccessibleDescription(detail)
        colours = accent(kind, self)
        self.badge.setStyleSheet(
            f"background: {colours.background}; color: {colours.foreground}; "
            f"border: 1px solid {colours.border}; border-radius: 4px; padding: 3px 8px;"
        )
        if self._detached is not None:
            self._detached.setWindowTitle(self._detached_title())

    def _detached_title(self) -> str:
        state = self._state_view
        return f"Preview: {state.label}" if state is not None else self._title

    def _render_message(self) -> None:
        """The dark area in place of the video: the headline only where the badge is not
        above it (nothing selected, or in the detached window), then what to do."""
        view = self._view
        headline = view.phase is Phase.IDLE or self._detached is not None
        title = f"<h2>{_escape(view.title)}</h2>" if headline else ""
        self.message.setText(f"{title}<h3>{_escape(view.detail)}</h3>")
        # Read as plain words, not markup.
        spoken = f"{view.title}. {view.detail}" if headline else view.detail
        self.message.setAccessibleName(spoken)

    def _refresh_health(self) -> None:
        session = self._session
        health = (
            "" if session is None or session.phase not in VIDEO_PHASES else session.health_text()
        )
        self.health_label.setText(health)
        self.health_label.setAccessibleName(f"Stream health: {health}" if health else "")
        warning = session.keyframe_warning() if session is not None else None
        self.warning_label.setVisible(bool(warning))
        if warning:
            colours = accent("warning", self)
            self.warning_label.setStyleSheet(
                f"color: {colours.foreground}; background: {colours.background}; padding: 2px;"
            )
            self.warning_label.setText(warning)

    def _render_mute(self, muted: bool) -> None:
        self.mute_button.setAccessibleDescription(
            "The preview is muted." if muted else "The preview plays its sound."
        )
        self.mute_button.setToolTip(
            "Muted: the preview starts silent so it never echoes into OBS. Untick to hear it."
            if muted
            else "Tick to mute the preview."
        )

    def _render_detached(self, detached: bool) -> None:
        if detached:
            self.detach_button.setText("Bring back")
            self.detach_button.setAccessibleName("Bring the preview back into this window")
            self.detach_button.setToolTip("Puts the video back into this panel.")
        else:
            self.detach_button.setText("Detach")
            self.detach_button.setAccessibleName("Show the preview in its own window")
            self.detach_button.setToolTip(
                "Shows the preview in its own window (double-click it: full screen)."
            )

    # --- slots ------------------------------------------------------------------------------

    def _on_player_frame(self, width: int, height: int) -> None:
        if self._session is not None:
            self._session.frame_arrived(width, height)

    def _on_player_ended(self) -> None:
        if self._session is not None:
            self._session.player_ended()

    def _on_player_failed(self, message: str) -> None:
        if self._session is not None:
            self._session.player_failed(message)

    def _on_proxy_refused(self, error: UnsafeAddressError) -> None:
        if self._session is not None:
            self._session.content_refused(error.message)

    def _on_mute_toggled(self, muted: bool) -> None:
        self.player.set_muted(muted)
        self._render_mute(muted)

    def _on_volume_changed(self, value: int) -> None:
        self.player.set_volume(value / 100)
        if value > 0 and self.mute_button.isChecked():
            self.mute_button.setChecked(False)

    def _on_external_clicked(self) -> None:
        self.external_note.hide()
        if self._session is not None and is_safe_http_url(self._session.url):
            open_externally(self._session.url, self._show_external_failure, self)

    def _show_external_failure(self, text: str) -> None:
        self.external_note.setText(text)
        self.external_note.show()

    def _on_detach_clicked(self) -> None:
        if self._detached is None:
            self._detach_video()
        else:
            self._attach_video()

    def _on_retry_clicked(self) -> None:
        if self._session is not None:
            self._session.retry()

    def _on_detached_closing(self) -> None:
        self._attach_video()

    # --- detaching ----------------------------------------------------------------------

    def _detach_video(self) -> None:
        window = _DetachedWindow(self._detached_title())
        window.closing.connect(self._on_detached_closing)
        self.screen_stack.removeWidget(self.video)
        self.screen_stack.removeWidget(self.message)
        window.column.addWidget(self.video)
        window.column.addWidget(self.message)
        self._detached = window
        self._render_message()
        self.screen_stack.setCurrentWidget(self.detached_note)
        self._render_detached(True)
        window.resize(960, 540)
        window.show()
        self.detail_label.setVisible(True)
        self._sync_detached_page(self.phase)

    def _attach_video(self) -> None:
        window, self._detached = self._detached, None
        if window is None:
            return
        window.closing.disconnect(self._on_detached_closing)
        self.screen_stack.insertWidget(0, self.message)
        self.screen_stack.insertWidget(1, self.video)
        self.video.setVisible(True)
        self.message.setVisible(True)
        window.close()
        window.deleteLater()
        self._render_message()
        self._render_detached(False)
        showing_video = self.phase in VIDEO_PHASES
        self.screen_stack.setCurrentWidget(self.video if showing_video else self.message)
        self.detail_label.setVisible(showing_video)

    def _sync_detached_page(self, phase: Phase) -> None:
        showing_video = phase in VIDEO_PHASES
        self.video.setVisible(showing_video)
        self.message.setVisible(not showing_video)

    # --- visibility: no API polling while the window is hidden or minimised ------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._watch_top_level()
        self._update_visibility()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_visibility()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._top_level and event.type() in WINDOW_VISIBILITY_EVENTS:
            self._update_visibility()
        return False

    def _watch_top_level(self) -> None:
        """Follows the window the panel sits in (it may be mounted after construction)."""
        top = self.window()
        if top is self._top_level:
            return
        if self._top_level is not None:
            self._top_level.removeEventFilter(self)
        self._top_level = top
        if top is not self:
            top.installEventFilter(self)

    def _window_on_screen(self) -> bool:
        top = self.window()
        return self.isVisible() and top.isVisible() and not top.isMinimized()

    def _update_visibility(self) -> None:
        if self._session is not None:
            self._session.set_visible(self._window_on_screen())

    def _http_client(self) -> Any:
        if self._http is None:
            from app.core.http import make_http_client

            self._http = make_http_client()
            self._owns_http = True
        return self._http


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
