"""QMediaPlayer wrapped for a live preview: safe URLs only, frames counted, a clean teardown.

Qt's player cannot tell playing from frozen (mediaStatus stays Buffering either way) and
never recovers by itself, so this class only reports facts (frames, end of media, errors)
and carries out "play from scratch" and "stop"; the session decides when.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget

from app.core.validation import is_safe_http_url

log = logging.getLogger(__name__)

# With an audio output and no audio device the process crashed at exit unless the event
# loop ran a little after the output was detached.
TEARDOWN_SETTLE_SECONDS = 0.3
DEFAULT_VOLUME = 0.5


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
        self.player: QMediaPlayer | None = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(video)
        self.frames = 0
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
        self.player.stop()
        self.player.setSource(QUrl())
        self.player.setSource(QUrl(url))
        self.player.play()

    def stop(self) -> None:
        if self.player is None:
            return
        self.player.stop()
        self.player.setSource(QUrl())

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
        player.stop()
        player.setSource(QUrl())
        player.setAudioOutput(None)
        player.setVideoOutput(None)
        await asyncio.sleep(TEARDOWN_SETTLE_SECONDS)
        player.deleteLater()
        if audio is not None:
            audio.deleteLater()
        # deleteLater runs on the next pass of the loop; give it that pass.
        await asyncio.sleep(0)

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
