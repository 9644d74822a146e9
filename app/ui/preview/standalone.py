"""`livestream-companion preview URL`: a window with only the preview, no account needed."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app import about
from app.core.preview_phase import Phase
from app.core.preview_state import RETRY_HINT
from app.ui.bootstrap import CrashReporter
from app.ui.crash_dialog import CrashDialog
from app.ui.preview.panel import PreviewPanel

log = logging.getLogger(__name__)

CHECK_POLL_SECONDS = 0.05


class PreviewWindow(QWidget):
    """Closing it shuts the player down cleanly before the app ends."""

    def __init__(self, url: str, http) -> None:
        super().__init__()
        host = urlsplit(url).hostname or url
        self.setWindowTitle(f"Preview: {host} \u2014 {about.DISPLAY_NAME}")
        self.panel = PreviewPanel(self, http=http)
        QVBoxLayout(self).addWidget(self.panel)
        self.resize(800, 600)
        self.closed = asyncio.Event()
        self._closing: asyncio.Task | None = None

    async def shutdown(self) -> None:
        await self.panel.shutdown()
        self.closed.set()

    def show_crash(self, details: str) -> None:
        dialog = CrashDialog(details, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closed.is_set():
            event.accept()
            return
        event.ignore()
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self.shutdown())


def run_preview(url: str, *, check_timeout: float | None = None) -> int:
    """Opens the preview window; with check_timeout, quits after the first picture (exit 0)
    or after that many seconds without one (exit 1)."""
    from app.ui.bootstrap import run_application

    return run_application(lambda reporter: _run(url, check_timeout, reporter))


async def _run(url: str, check_timeout: float | None, reporter: CrashReporter) -> int:
    from app.core.http import make_http_client

    http = make_http_client()
    try:
        window = PreviewWindow(url, http)
        reporter.crashed.connect(window.show_crash)
        window.show()
        window.panel.show_url(url)
        if check_timeout is None:
            await window.closed.wait()
            return 0
        played = await _wait_for_picture(window, check_timeout)
        await window.shutdown()
        window.close()
        return 0 if played else 1
    finally:
        await http.aclose()


async def _wait_for_picture(window: PreviewWindow, timeout: float) -> bool:
    panel = window.panel
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not window.closed.is_set():
        if panel.phase is Phase.LIVE:
            return True
        if panel.phase is Phase.ERROR:
            # The preview gave up (a refused address, a playlist it cannot use): say why.
            detail = panel.state_detail().removesuffix(RETRY_HINT).strip()
            print(f"error: {detail}", file=sys.stderr)
            return False
        await asyncio.sleep(CHECK_POLL_SECONDS)
    log.warning("no picture within %.0f s; last state: %s", timeout, panel.state_text())
    return False
