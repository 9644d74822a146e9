"""Ctrl-C and SIGTERM (logout, `kill`) quit the app the way its close button does.

Each window runs its own asynchronous teardown on close (the preview stops, a copied stream
key is cleared if the clipboard still holds it), so a signal closes the windows rather than
ending the process; a second signal ends it at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Top-level widgets that are windows of their own (not menus, tooltips or popups).
WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)


def quit_on_signals(loop: asyncio.AbstractEventLoop) -> None:
    """Installs the handlers on the running loop (Unix; elsewhere nothing happens)."""
    received: list[int] = []

    def on_signal(signum: int) -> None:
        if received:
            os._exit(128 + signum)  # asked twice: the user wants out now
        received.append(signum)
        log.info("signal %d: closing the windows", signum)
        close_windows()

    for signum in QUIT_SIGNALS:
        try:
            loop.add_signal_handler(signum, on_signal, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            return  # not the main thread, or a platform without signals on the loop
    log.info("Ctrl-C and SIGTERM close the windows")


def close_windows() -> None:
    """Closes every window as its close button would, hidden ones too (a window in the tray)."""
    for widget in QApplication.topLevelWidgets():
        if widget.windowType() in WINDOW_TYPES:
            widget.close()
