"""Copies like a password manager: hints that keep secrets out of clipboard
history, and an automatic clear that never wipes what the user copied since."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_CLEAR_AFTER_S = 30
# Honoured by KDE Klipper, CopyQ and common cliphist filters.
KDE_SECRET_HINT = "x-kde-passwordManagerHint"
# Windows: Qt passes these through as the named clipboard formats.
_WIN = 'application/x-qt-windows-mime;value="{}"'
WINDOWS_EXCLUDE_MONITORING = _WIN.format("ExcludeClipboardContentFromMonitorProcessing")
WINDOWS_NO_HISTORY = _WIN.format("CanIncludeInClipboardHistory")
WINDOWS_NO_CLOUD = _WIN.format("CanUploadToCloudClipboard")
_DWORD_ZERO = b"\x00\x00\x00\x00"


def secret_mime_data(text: str) -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    mime.setData(KDE_SECRET_HINT, QByteArray(b"secret"))
    mime.setData(WINDOWS_EXCLUDE_MONITORING, QByteArray(b""))
    mime.setData(WINDOWS_NO_HISTORY, QByteArray(_DWORD_ZERO))
    mime.setData(WINDOWS_NO_CLOUD, QByteArray(_DWORD_ZERO))
    return mime


class SecretClipboard(QObject):
    # Emitted when a secret this object placed was removed (timer or quit).
    cleared = Signal()

    def __init__(self, clear_after_s: int = DEFAULT_CLEAR_AFTER_S, parent=None) -> None:
        super().__init__(parent)
        self._secret: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_if_ours)
        self.set_clear_after(clear_after_s)

    @property
    def clear_after_s(self) -> int:
        return self._clear_after_s

    def set_clear_after(self, seconds: int) -> None:
        """0 keeps secrets until quit."""
        self._clear_after_s = max(0, int(seconds))

    def copy_text(self, text: str) -> None:
        """Something that is not secret (a server address, a playback URL)."""
        self._clipboard().setText(text)

    def copy_secret(self, text: str) -> None:
        self._clipboard().setMimeData(secret_mime_data(text))
        self._secret = text
        if self._clear_after_s:
            self._timer.start(self._clear_after_s * 1000)

    def holds_our_secret(self) -> bool:
        return self._secret is not None and self._clipboard().text() == self._secret

    def clear_if_ours(self) -> bool:
        """Clears the clipboard only while it still holds the secret we put there."""
        self._timer.stop()
        ours = self.holds_our_secret()
        self._secret = None
        if ours:
            self._clipboard().clear()
            log.debug("cleared the copied secret from the clipboard")
            self.cleared.emit()
        return ours

    @staticmethod
    def _clipboard() -> QClipboard:
        return QGuiApplication.clipboard()
