"""QMediaPlayer wrapped for a live preview: safe URLs only, frames counted, a clean teardown.

Qt's player cannot tell playing from frozen (mediaStatus stays Buffering either way) and
never recovers by itself, so this class only reports facts (frames, end of media, errors)
and carries out "play from scratch" and "stop"; the session decides when.

Stopping and loading go through queued calls that the event loop makes, never straight from
Python. Called from Python, QMediaPlayer holds the interpreter lock while it tears down its
audio renderer thread, and that thread needs the lock too: it disconnects from the
QAudioOutput made in Python, whose `disconnectNotify` PySide looks up under the lock, while
holding a signal mutex the player waits for. About one stop in 200 deadlocked that way.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget

from app.core.validation import is_safe_http_url

log = logging.getLogger(__name__)

# With an audio output and no audio device the process crashed at exit unless the event
# loop ran a little after the output was detached.
TEARDOWN_SETTLE_SECONDS = 0.3
UNLOAD_SETTLE_SECONDS = 0.1
QUEUE_DRAIN_TIMEOUT_SECONDS = 5.0
DEFAULT_VOLUME = 0.5


def _queue(player: QMediaPlayer, slot: str, url: QUrl | None = None) -> None:
    """Has the event loop call the player's slot, outside Python and its lock."""
    args = () if url is None else (Q_ARG(QUrl, url),)
    QMetaObject.invokeMethod(player, slot, Qt.ConnectionType.QueuedConnection, *args)


def _queue_stop(player: QMediaPlayer) -> None:
    _queue(player, "stop")
    _queue(player, "setSource", QUrl())


class PreviewPlayer(QObject):
    # (width, height) of each new frame
    frame_arrived = Signal(int, int)
    ended = Signal()
    failed = Signal(str)

    def __init__(self, video: QVideoWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.video = video
        self.audio: QAudioOutput | None = QAudioOutput(self)
        self.audio.setMuted(True)
        self.audio.setVolume(DEFAULT_VOLUME)
        # FFmpeg's probing is left at its default. It reads 20 frames to estimate the frame
        # rate before it plays (4 s of a 5 fps broadcast that has just begun; within its first
        # 1 s segment at 20 fps and up), and a smaller probe (QPlaybackOptions.setProbeSize)
        # can end before the first audio frame: Qt's audio renderer then crashed in swr_init.
        self.player: QMediaPlayer | None = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(video)
        self.frames = 0
        self._drained: asyncio.Future | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        assert self.player is not None
        self.video.videoSink().videoFrameChanged.connect(self._on_sink_frame)
        self.player.mediaStatusChanged.connect(self._on_player_media_status)
        self.player.errorOccurred.connect(self._on_player_error)

    # --- the session's interface ----------------------------------------------------------

    def play(self, url: str) -> None:
        """Loads from scratch: after a freeze or an end, a plain play() does not recover."""
        if self.player is None:
            return
        if not is_safe_http_url(url):
            # Checked before, at the panel; this is the last gate before FFmpeg opens it.
            self.failed.emit("the playback URL is not an https:// address")
            return
        _queue_stop(self.player)
        _queue(self.player, "setSource", QUrl(url))
        _queue(self.player, "play")

    def stop(self) -> None:
        if self.player is None:
            return
        _queue_stop(self.player)

    def position_seconds(self) -> float | None:
        """Seconds played since the stream was loaded (Qt counts from the first frame)."""
        if self.player is None or self.player.source().isEmpty():
            return None
        return self.player.position() / 1000

    # --- sound ----------------------------------------------------------------------------

    def set_muted(self, muted: bool) -> None:
        if self.audio is not None:
            self.audio.setMuted(muted)

    def is_muted(self) -> bool:
        return self.audio is None or self.audio.isMuted()

    def set_volume(self, volume: float) -> None:
        if self.audio is not None:
            self.audio.setVolume(max(0.0, min(1.0, volume)))

    def volume(self) -> float:
        return 0.0 if self.audio is None else self.audio.volume()

    # --- teardown -------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Stops and releases the player; safe to call twice."""
        player, audio = self.player, self.audio
        if player is None:
            return
        self.player = self.audio = None
        self.video.videoSink().videoFrameChanged.disconnect(self._on_sink_frame)
        _queue_stop(player)
        # With no source left and its threads wound down, detaching the outputs from
        # Python no longer races them.
        await self._queued_calls_done()
        await asyncio.sleep(UNLOAD_SETTLE_SECONDS)
        # Qt takes a null output here; the PySide6 stubs do not say so.
        player.setAudioOutput(None)  # type: ignore[arg-type]
        player.setVideoOutput(None)  # type: ignore[arg-type]
        await asyncio.sleep(TEARDOWN_SETTLE_SECONDS)
        player.deleteLater()
        if audio is not None:
            audio.deleteLater()
        # deleteLater runs on the next pass of the loop; give it that pass.
        await asyncio.sleep(0)

    async def _queued_calls_done(self) -> None:
        """Returns once the event loop has made every call queued so far (bounded)."""
        self._drained = asyncio.get_running_loop().create_future()
        QMetaObject.invokeMethod(self, "_on_queue_drained", Qt.ConnectionType.QueuedConnection)
        done, _ = await asyncio.wait({self._drained}, timeout=QUEUE_DRAIN_TIMEOUT_SECONDS)
        if not done:
            log.warning("the media player did not stop within %.0f s", QUEUE_DRAIN_TIMEOUT_SECONDS)

    @Slot()
    def _on_queue_drained(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # --- slots ----------------------------------------------------------------------------

    def _on_sink_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self.frames += 1
            self.frame_arrived.emit(frame.width(), frame.height())

    def _on_player_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.ended.emit()

    def _on_player_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        log.info("player error %s: %s", error.name, message)
        self.failed.emit(message or error.name)
