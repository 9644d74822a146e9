"""Shared by the preview integration tests: driving coroutines from qtbot, checking pixels."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine, Iterator
from typing import Any

from PySide6.QtGui import QImage

from app.core.http import make_http_client
from app.core.preview_phase import Phase
from app.ui.preview.panel import PreviewPanel


def run_async(qtbot, coro: Coroutine[Any, Any, Any], timeout: float = 20.0) -> Any:
    """Runs a coroutine on the test's qasync loop while qtbot keeps Qt's loop turning."""
    task = asyncio.get_event_loop().create_task(coro)
    qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
    return task.result()


def wait_phase(qtbot, panel: PreviewPanel, phase: Phase, timeout: float) -> float:
    """Waits for the panel's phase; returns when it was reached (monotonic)."""
    qtbot.waitUntil(lambda: panel.phase is phase, timeout=int(timeout * 1000))
    return time.monotonic()


def current_image(panel: PreviewPanel) -> QImage:
    frame = panel.video.videoSink().videoFrame()
    assert frame.isValid(), "no video frame in the sink"
    return frame.toImage()


def assert_test_pattern(image: QImage) -> None:
    """The picture is the colourful test pattern, not black, grey or a single colour."""
    assert not image.isNull()
    assert image.width() >= 160 and image.height() >= 90
    colours = set()
    saturated = 0
    for gx in range(16):
        for gy in range(9):
            pixel = image.pixelColor(
                int((gx + 0.5) * image.width() / 16), int((gy + 0.5) * image.height() / 9)
            )
            colours.add((pixel.red() // 32, pixel.green() // 32, pixel.blue() // 32))
            if pixel.hsvSaturation() > 100 and pixel.value() > 60:
                saturated += 1
    assert len(colours) >= 8, f"only {len(colours)} colours: not the test pattern"
    assert saturated >= 10, f"only {saturated} saturated samples: not the test pattern"


def shut_down(qtbot, panel: PreviewPanel) -> None:
    run_async(qtbot, panel.shutdown(), timeout=10)


@contextlib.contextmanager
def shown_panel(qtbot) -> Iterator[PreviewPanel]:
    """A shown panel with its own HTTP client, shut down cleanly afterwards."""
    http = make_http_client()
    widget = PreviewPanel(http=http)
    widget.resize(640, 480)
    widget.show()
    try:
        yield widget
    finally:
        # Not qtbot.addWidget: it deletes the widget before it could shut down.
        shut_down(qtbot, widget)
        widget.close()
        widget.deleteLater()
        run_async(qtbot, http.aclose())
