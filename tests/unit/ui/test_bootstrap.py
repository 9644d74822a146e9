"""Exception hooks report redacted crashes; theme colours follow the palette."""

from __future__ import annotations

import sys
import threading

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from app.core.redaction import register_secret
from app.ui import theme
from app.ui.bootstrap import CrashReporter, install_exception_hooks

SECRET = "hook-secret-0123456789abcdef"


def test_uncaught_exceptions_reach_the_reporter_redacted(qapp, qtbot):
    register_secret(SECRET)
    reporter = CrashReporter()
    seen: list[str] = []
    reporter.crashed.connect(seen.append)
    before = (sys.excepthook, threading.excepthook)
    restore = install_exception_hooks(reporter)
    try:
        try:
            raise ValueError(f"broken with {SECRET}")
        except ValueError:
            sys.excepthook(*sys.exc_info())

        def fail() -> None:
            raise RuntimeError(f"thread broke with {SECRET}")

        thread = threading.Thread(target=fail)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
    finally:
        restore()
    assert "ValueError" in seen[0] and "RuntimeError" in seen[1]
    assert all(SECRET not in text and "[redacted]" in text for text in seen)
    assert (sys.excepthook, threading.excepthook) == before


def test_accents_follow_the_palette(qapp):
    widget = QWidget()
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    widget.setPalette(light)
    light_error = theme.accent("error", widget)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    widget.setPalette(dark)
    dark_error = theme.accent("error", widget)
    assert theme.is_dark(widget)
    assert light_error != dark_error
    # Light text on the dark scheme, dark text on the light one.
    assert QColor(dark_error.foreground).lightnessF() > 0.6
    assert QColor(light_error.foreground).lightnessF() < 0.4
