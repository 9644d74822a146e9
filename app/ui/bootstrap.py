"""Creates the QApplication, the one qasync loop and the exception hooks.

Only the entry points (`app.ui.launch`, the standalone preview) call these, once per
process; nothing else creates or sets an event loop. asyncio and qasync are imported
only when the loop is made, so a window can paint before they load.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QLoggingCategory, QObject, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import about
from app.core.redaction import redact
from app.resource_files import ICON_SVG, resource_path

if TYPE_CHECKING:
    import asyncio
    import threading

log = logging.getLogger(__name__)


def set_application_names() -> None:
    """QSettings derives its location from these: set them before any QSettings exists."""
    QApplication.setOrganizationName(about.ORGANIZATION_NAME)
    QApplication.setOrganizationDomain(about.ORGANIZATION_DOMAIN)
    QApplication.setApplicationName(about.DISPLAY_NAME)
    QApplication.setApplicationVersion(about.VERSION)


def app_icon() -> QIcon | None:
    path = resource_path(*ICON_SVG)
    return QIcon(str(path)) if path.is_file() else None


def create_application(
    argv: Sequence[str] | None = None, *, paint_first: bool = False
) -> QApplication:
    """With paint_first, the plain Fusion style stands in and the icon waits until
    `finish_application`: the focus ring's style builds Python enums on its first draw and
    the SVG icon loads Qt's SVG plugin, which a first paint can do without."""
    # Fractional scale factors stay fractional (sharp at 125 % / 150 %): Qt 6's default policy.
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
    if not paint_first:
        finish_application(app)
    elif app.style().name() != "fusion":  # often already Fusion: no second style to build
        app.setStyle("Fusion")
    # The window decides when the app ends: after its asynchronous shutdown.
    app.setQuitOnLastWindowClosed(False)
    return app


def finish_application(app: QApplication) -> None:
    """Fusion with a focus ring a keyboard user can see (it looks the same otherwise), and
    the icon every window of the app shows."""
    from app.ui.focus_style import focus_ring_style

    app.setStyle(focus_ring_style())
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)


class _AsyncgenHooks(Protocol):
    """asyncio's own hooks on BaseEventLoop (qasync's loop inherits them): private, so the
    type stubs leave them out."""

    _asyncgen_firstiter_hook: Callable[[AsyncGenerator[Any, Any]], None]
    _asyncgen_finalizer_hook: Callable[[AsyncGenerator[Any, Any]], None]


def create_event_loop(app: QApplication) -> asyncio.AbstractEventLoop:
    import qasync

    return qasync.QEventLoop(app)


def format_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The crash details a user may copy: every registered secret masked."""
    import traceback

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
    import threading

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


def check_display() -> int | None:
    """Says why and returns EXIT_NO_DISPLAY when no window can open; else None."""
    from app.ui.display_check import EXIT_NO_DISPLAY, display_problem

    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY
    return None


def run_application(
    main: Callable[[CrashReporter], Awaitable[int]], app: QApplication | None = None
) -> int:
    """Creates the application (unless given) and the one loop, installs the hooks, runs
    `main` to its end.

    `main` receives the crash reporter, to connect it to whatever shows crashes. Without a
    display it says so and returns EXIT_NO_DISPLAY; SIGINT and SIGTERM close the windows.
    """
    import asyncio

    from app.ui.quit_signals import quit_on_signals

    if app is None:
        no_display = check_display()
        if no_display is not None:
            return no_display
        app = create_application()
    loop = create_event_loop(app)
    reporter = CrashReporter()
    restore_hooks = install_exception_hooks(reporter, loop)
    # qasync's run_forever, unlike asyncio's, does not install the async generator hooks:
    # without them a generator left mid-iteration (an HTTP body abandoned at its cap) is
    # finalized outside the loop and prints a traceback. Install asyncio's own.
    previous_asyncgen_hooks = sys.get_asyncgen_hooks()
    hooks = cast(_AsyncgenHooks, loop)
    sys.set_asyncgen_hooks(
        firstiter=hooks._asyncgen_firstiter_hook, finalizer=hooks._asyncgen_finalizer_hook
    )

    async def run() -> int:
        quit_on_signals(asyncio.get_running_loop())
        return await main(reporter)

    try:
        with asyncio.Runner(loop_factory=lambda: loop) as runner:
            return runner.run(run())
    finally:
        sys.set_asyncgen_hooks(*previous_asyncgen_hooks)
        restore_hooks()
