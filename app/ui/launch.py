"""`run_gui(args)`: the one entry to the window; `bootstrap` owns the application and the loop.

The window paints first; the HTTP client, the keyring, the preview's media stack
and (in demo mode) the emulator load right after, so the window appears quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from typing import Any

from app.core.errors import InvalidInputError

log = logging.getLogger(__name__)

# For the start-up benchmark: print the monotonic time of the first paint, then quit.
FIRST_PAINT_ENV = "LIVESTREAM_COMPANION_EXIT_AFTER_FIRST_PAINT"
FIRST_PAINT_TIMEOUT_S = 2.0


def run_gui(args: argparse.Namespace) -> int:
    base_url = None
    if not args.demo:
        from app.core.api_base import resolve_api_base_url

        try:
            base_url = resolve_api_base_url(args.api_base_url)
        except InvalidInputError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return error.exit_code

    from app.ui.bootstrap import run_application

    return run_application(lambda reporter: _run_window(args, base_url, reporter))


class _Services:
    """The core pieces the window uses, made on first use and closed at the end."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self._demo_session = None
        self._http: Any = None
        self._store: Any = None

    def http(self) -> Any:
        if self._http is None:
            from app.core.http import make_http_client

            self._http = make_http_client()
        return self._http

    def client(self, token: str) -> Any:
        from app.core.client import RealtimeKitClient

        assert self.base_url is not None, "the emulator starts before any request"
        return RealtimeKitClient(self.http(), token, base_url=self.base_url)

    def token_store(self) -> Any:
        if self._store is None:
            from app.core.token_store import TokenStore

            self._store = TokenStore()
        return self._store

    async def start_demo(self) -> None:
        from app.ui.demo import DemoSession

        self._demo_session = DemoSession()
        await self._demo_session.start()
        self.base_url = self._demo_session.base_url
        log.info("demo mode: emulator at %s", self.base_url)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._store is not None:
            self._store.close()
        if self._demo_session is not None:
            await self._demo_session.stop()


async def _run_window(args: argparse.Namespace, base_url: str | None, reporter) -> int:
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    from app.ui.settings import AppSettings

    services = _Services(base_url)
    demo_defaults = None
    try:
        if args.demo:
            from app.ui.demo import DemoSession

            demo_defaults = DemoSession.defaults()
            # Before the window: Create must work from the first click.
            await services.start_demo()
        context = AppContext(
            client_factory=services.client,
            token_store_factory=None if args.demo else services.token_store,
            settings=AppSettings.default(),
            demo=demo_defaults,
            http_factory=services.http,
        )
        window = MainWindow(context)
        reporter.crashed.connect(window.show_crash)
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        painted = _first_paint(window)
        window.show()
        await asyncio.wait([painted], timeout=FIRST_PAINT_TIMEOUT_S)
        if os.environ.get(FIRST_PAINT_ENV) and painted.done():
            print(f"first-paint {painted.result():.6f}", flush=True)
            window.close()
        else:
            window.start()
        await closed.wait()
    finally:
        await services.aclose()
    return 0


def _first_paint(window) -> asyncio.Future:
    """Resolves with the monotonic time of the window's first paint event."""
    from PySide6.QtCore import QEvent, QObject

    painted = asyncio.get_running_loop().create_future()

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint and not painted.done():
                painted.set_result(time.monotonic())
                window.removeEventFilter(self)
            return False

    probe = FirstPaint(window)
    window.installEventFilter(probe)
    return painted
