"""Creates the QApplication, the one qasync loop and the exception hooks.

Only `app.ui.launch` calls these, once per process; nothing else creates or
sets an event loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import traceback
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLoggingCategory, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import about
from app.core.redaction import redact

log = logging.getLogger(__name__)

ICON_PATH = Path(__file__).resolve().parents[2] / "resources" / "icons" / "livestream-companion.svg"


def set_application_names() -> None:
    """QSettings derives its location from these: set them before any QSettings exists."""
    QApplication.setOrganizationName(about.ORGANIZATION_NAME)
    QApplication.setOrganizationDomain(about.ORGANIZATION_DOMAIN)
    QApplication.setApplicationName(about.DISPLAY_NAME)
    QApplication.setApplicationVersion(about.VERSION)


def app_icon() -> QIcon | None:
    return QIcon(str(ICON_PATH)) if ICON_PATH.is_file() else None


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    # Fractional scale factors stay fractional, so text and icons are sharp at 125 % / 150 %.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    set_application_names()
    if "QT_LOGGING_RULES" not in os.environ:
        # Qt Multimedia probes optional libraries (PipeWire, VA-API) and complains when they are
        # absent, which they usually are; the user can still turn the messages on.
        QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false")
    # argv[0] names the X11 WM_CLASS instance: the command, not "__main__.py".
    app = QApplication(list(argv if argv is not None else [about.COMMAND_NAME]))
    app.setApplicationDisplayName(about.DISPLAY_NAME)
    # Wayland and the desktop shell match the window to the .desktop file (and its icon) by this.
    QGuiApplication.setDesktopFileName(about.APP_ID)
    # Fusion follows the system light/dark colour scheme on every platform.
    app.setStyle("Fusion")
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    # The window decides when the app ends: after its asynchronous shutdown.
    app.setQuitOnLastWindowClosed(False)
    return app


def create_event_loop(app: QApplication) -> asyncio.AbstractEventLoop:
    import qasync

    return qasync.QEventLoop(app)


def format_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The crash details a user may copy: every registered secret masked."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return redact(f"{about.DISPLAY_NAME} {about.VERSION}\n{details}")


class CrashReporter(QObject):
    """Turns unexpected exceptions, from any thread or task, into one signal."""

    # Redacted, human-copyable details.
    crashed = Signal(str)

    def report(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        details = format_exception(exc_type, exc, tb)
        log.critical("unexpected error:\n%s", details)
        # Emitting from a worker thread queues the signal to the GUI thread.
        self.crashed.emit(details)

    def report_exception(self, exc: BaseException) -> None:
        self.report(type(exc), exc, exc.__traceback__)


def install_exception_hooks(
    reporter: CrashReporter, loop: asyncio.AbstractEventLoop | None = None
) -> Callable[[], None]:
    """Routes uncaught exceptions to the reporter; returns a function restoring the old hooks."""
    old_excepthook = sys.excepthook
    old_threading_hook = threading.excepthook

    def excepthook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            old_excepthook(exc_type, exc, tb)
            return
        reporter.report(exc_type, exc, tb)

    def threading_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            reporter.report(args.exc_type, args.exc_value, args.exc_traceback)

    def loop_handler(_loop: asyncio.AbstractEventLoop, context: dict) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            reporter.report_exception(error)
        else:
            log.error("event loop: %s", redact(str(context.get("message", context))))

    sys.excepthook = excepthook
    threading.excepthook = threading_hook
    if loop is not None:
        loop.set_exception_handler(loop_handler)

    def restore() -> None:
        sys.excepthook = old_excepthook
        threading.excepthook = old_threading_hook
        if loop is not None:
            loop.set_exception_handler(None)

    return restore


def run_application(main: Callable[[CrashReporter], Awaitable[int]]) -> int:
    """Creates the application and the one loop, installs the hooks, runs `main` to its end.

    `main` receives the crash reporter, to connect it to whatever shows crashes.
    """
    app = create_application()
    loop = create_event_loop(app)
    reporter = CrashReporter()
    restore_hooks = install_exception_hooks(reporter, loop)
    # qasync's run_forever, unlike asyncio's, does not install the async generator hooks:
    # without them a generator left mid-iteration (an HTTP body abandoned at its cap) is
    # finalized outside the loop and prints a traceback. Install asyncio's own.
    previous_asyncgen_hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook, finalizer=loop._asyncgen_finalizer_hook
    )
    try:
        with asyncio.Runner(loop_factory=lambda: loop) as runner:
            return runner.run(main(reporter))
    finally:
        sys.set_asyncgen_hooks(*previous_asyncgen_hooks)
        restore_hooks()
