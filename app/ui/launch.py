"""`run_gui(args)`: the one entry to the window; `bootstrap` owns the application and the loop.

The window paints first, before asyncio and qasync are even imported; the focus-ring
style, the icon, the parts of the window that paint shows nothing of (`finish_building`),
the event loop, the HTTP client, the keyring, the preview's media stack and the tray load
right after, so the window appears nearly as fast as a bare Qt window.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from app.core.errors import InvalidInputError

if TYPE_CHECKING:  # loaded on first use, after the window paints
    from PySide6.QtCore import QEventLoop

    from app.core.client import RealtimeKitClient
    from app.core.http import HttpClient
    from app.core.token_store import TokenStore
    from app.ui.demo import DemoSession

log = logging.getLogger(__name__)

# For the start-up benchmark: print the monotonic time of the first paint, then quit.
FIRST_PAINT_ENV = "LIVESTREAM_COMPANION_EXIT_AFTER_FIRST_PAINT"
FIRST_PAINT_TIMEOUT_S = 2.0
# How long the plain Qt loop waits for the first paint before the event loop starts anyway:
# well under the window's first timers (the form's 500 ms typing pause), which need the loop.
PAINT_BEFORE_LOOP_MS = 300


def run_gui(args: argparse.Namespace) -> int:
    base_url = None
    if not args.demo:
        from app.core.api_base import resolve_api_base_url

        try:
            base_url = resolve_api_base_url(args.api_base_url)
        except InvalidInputError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return error.exit_code

    from app.ui.bootstrap import (
        check_display,
        create_application,
        finish_application,
        run_application,
    )

    no_display = check_display()
    if no_display is not None:
        return no_display
    app = create_application(paint_first=True)
    services = _Services(base_url)
    if args.demo:
        # Before the window: Create works from the first click, and the window names the
        # emulator's address as the API it uses.
        services.start_demo_now()
    settings, window = _build_window(args, services)
    probe = FirstPaintProbe(window)
    window.show()
    probe.wait(PAINT_BEFORE_LOOP_MS)
    # Right after the first paint, before any key press or click: the focus ring, the icon,
    # and the window's parts that paint showed nothing of.
    finish_application(app)
    window.finish_building()
    return run_application(
        lambda reporter: _run_window(window, settings, services, probe, reporter), app=app
    )


class _Services:
    """The core pieces the window uses, made on first use and closed at the end."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self._demo_session: DemoSession | None = None
        self._http: HttpClient | None = None
        self._store: TokenStore | None = None

    def http(self) -> HttpClient:
        if self._http is None:
            from app.core.http import make_http_client

            self._http = make_http_client()
        return self._http

    def client(self, token: str) -> RealtimeKitClient:
        from app.core.client import RealtimeKitClient

        assert self.base_url is not None, "the emulator starts before any request"
        return RealtimeKitClient(self.http(), token, base_url=self.base_url)

    def token_store(self) -> TokenStore:
        if self._store is None:
            from app.core.token_store import TokenStore

            self._store = TokenStore()
        return self._store

    def start_demo_now(self) -> None:
        from app.ui.demo import DemoSession

        self._demo_session = DemoSession()
        self._demo_session.start_now()
        self.base_url = self._demo_session.base_url
        log.info("demo mode: emulator at %s", self.base_url)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._store is not None:
            self._store.close()
        if self._demo_session is not None:
            await self._demo_session.stop()


def _build_window(args: argparse.Namespace, services: _Services):
    """The settings and the window, built without an event loop: nothing here may start a task."""
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    from app.ui.settings import AppSettings

    demo_defaults = None
    if args.demo:
        from app.ui.demo import DemoSession

        demo_defaults = DemoSession.defaults()
    settings = AppSettings.default()
    context = AppContext(
        client_factory=services.client,
        token_store_factory=None if args.demo else services.token_store,
        settings=settings,
        demo=demo_defaults,
        http_factory=services.http,
        api_base_url=services.base_url,
    )
    return settings, MainWindow(context)


async def _run_window(
    window, settings, services: _Services, probe: FirstPaintProbe, reporter
) -> int:
    import asyncio

    from app.ui.notify.stay_informed import StayInformed

    stay_informed = None

    try:
        if not window.isVisible():
            return 0  # closed before the loop ran: it had nothing to stop yet
        reporter.crashed.connect(window.show_crash)
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        if os.environ.get(FIRST_PAINT_ENV):
            painted_at = await probe.painted_at_async(FIRST_PAINT_TIMEOUT_S)
            if painted_at is not None:
                print(f"first-paint {painted_at:.6f}", flush=True)
            window.close()
        else:
            window.start()
            stay_informed = StayInformed(window, settings)
        await closed.wait()
    finally:
        if stay_informed is not None:
            await stay_informed.shutdown()
        await services.aclose()
    return 0


class FirstPaintProbe:
    """Notes the monotonic time of a window's first paint event; waits for it with a plain Qt
    loop (before asyncio exists) or on the running asyncio loop."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.painted_at: float | None = None
        self._window = window
        self._loop: QEventLoop | None = None
        probe = self

        class _Filter(QObject):
            def eventFilter(self, watched, event) -> bool:
                if event.type() == QEvent.Type.Paint and probe.painted_at is None:
                    probe.painted_at = time.monotonic()
                    window.removeEventFilter(self)
                    if probe._loop is not None:
                        probe._loop.quit()
                return False

        self._filter = _Filter(window)
        window.installEventFilter(self._filter)

    def wait(self, timeout_ms: int) -> float | None:
        """Runs Qt's own loop until the first paint or the timeout, whichever comes first."""
        from PySide6.QtCore import QEventLoop, QTimer

        if self.painted_at is None:
            self._loop = loop = QEventLoop()
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
            self._loop = None
        return self.painted_at

    async def painted_at_async(self, timeout_s: float) -> float | None:
        import asyncio

        deadline = time.monotonic() + timeout_s
        while self.painted_at is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return self.painted_at
