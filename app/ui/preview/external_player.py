"""Hands a playback URL to the system's media player, and tells when nothing took it.

On Linux QDesktopServices starts xdg-open and reports success as soon as it started, even
when no application handles the URL; running xdg-open here lets its exit status say so.
It runs in its own session, so quitting the app never takes the player down with it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices

NO_PLAYER = (
    "No media player opened the stream. Install one (VLC or mpv, for example) or copy the "
    "playback URL into the player you use."
)
POLL_MS = 200
# xdg-open that still runs after this has handed the URL over (some wait for the player).
GIVE_UP_AFTER_MS = 10_000


def open_externally(url: str, on_failure: Callable[[str], None], parent: QObject) -> None:
    opener = shutil.which("xdg-open") if sys.platform.startswith("linux") else None
    if opener is None:
        if not QDesktopServices.openUrl(QUrl(url)):
            on_failure(NO_PLAYER)
        return
    try:
        # The URL is an argument, never shell text.
        process = subprocess.Popen(
            [opener, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        on_failure(NO_PLAYER)
        return
    _watch(process, on_failure, parent)


def _watch(process: subprocess.Popen, on_failure: Callable[[str], None], parent: QObject) -> None:
    timer = QTimer(parent)
    timer.setInterval(POLL_MS)
    left = [GIVE_UP_AFTER_MS // POLL_MS]

    def check() -> None:
        code = process.poll()
        left[0] -= 1
        if code is None and left[0] > 0:
            return
        timer.stop()
        timer.deleteLater()
        if code not in (None, 0):
            on_failure(NO_PLAYER)

    timer.timeout.connect(check)
    timer.start()
