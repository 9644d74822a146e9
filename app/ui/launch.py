"""`run_gui(args)`: the one place that owns the QApplication and the qasync loop."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from app.core.errors import InvalidInputError

log = logging.getLogger(__name__)


def run_gui(args: argparse.Namespace) -> int:
    from app.core.client import resolve_api_base_url

    base_url = None
    if not args.demo:
        try:
            base_url = resolve_api_base_url(args.api_base_url)
        except InvalidInputError as error:
            print(error.message, file=sys.stderr)
            return error.exit_code

    from app.ui.bootstrap import run_application

    return run_application(lambda reporter: _run_window(args, base_url, reporter))


async def _run_window(args: argparse.Namespace, base_url: str | None, reporter) -> int:
    # Imported here, after the window can be on its way: keeps start-up short.
    from app.core.client import RealtimeKitClient, make_http_client
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    from app.ui.settings import AppSettings

    demo = None
    store = None
    if args.demo:
        from app.ui.demo import DemoSession

        demo = DemoSession()
        await demo.start()
        base_url = demo.base_url
        log.info("demo mode: emulator at %s", base_url)
    else:
        from app.core.token_store import TokenStore

        store = TokenStore()
    assert base_url is not None
    http = make_http_client()
    try:
        context = AppContext(
            client_factory=lambda token: RealtimeKitClient(http, token, base_url=base_url),
            token_store=store,
            settings=AppSettings.default(),
            demo=demo.defaults() if demo else None,
            http=http,
        )
        window = MainWindow(context)
        reporter.crashed.connect(window.show_crash)
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        window.show()
        window.start()
        await closed.wait()
    finally:
        await http.aclose()
        if store is not None:
            store.close()
        if demo is not None:
            await demo.stop()
    return 0
