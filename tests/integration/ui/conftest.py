"""A real main window against the real emulator over loopback HTTP."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest

from app.core.client import RealtimeKitClient, make_http_client
from app.core.retry import RetryPolicy
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_APP_NAME, DEMO_TOKEN
from app.ui.context import AppContext, DemoDefaults
from app.ui.main_window import MainWindow
from app.ui.settings import AppSettings
from tests.fixtures.notifications import start_xvfb

# Backoff and reconcile pauses shortened so a failing test fails fast; the requests are real.
FAST_RETRIES = RetryPolicy(base_delay=0.01, max_delay=0.05, max_retry_after=0.5, total_time=10)


async def short_sleep(seconds: float) -> None:
    await asyncio.sleep(min(seconds, 0.05))


@pytest.fixture
def http(qloop, qtbot):
    client = make_http_client()
    yield client
    closing = qloop.create_task(client.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)


@pytest.fixture
def make_window(
    qtbot, http, emulator, settings_path, tmp_path
) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(
        *,
        token_store=None,
        demo: bool = True,
        settings: AppSettings | None = None,
        base_url: str | None = None,
        watch_interval_s: float = 60.0,
        api_base_url: str | None = None,
    ) -> MainWindow:
        url = base_url or emulator.base_url
        context = AppContext(
            client_factory=lambda token: RealtimeKitClient(
                http, token, base_url=url, retry_policy=FAST_RETRIES, sleep=short_sleep
            ),
            token_store_factory=(lambda: token_store) if token_store is not None else None,
            settings=settings or AppSettings.at_path(settings_path),
            demo=DemoDefaults(
                DEMO_ACCOUNT_ID, DEMO_APP_ID, "test-stream", DEMO_TOKEN, app_name=DEMO_APP_NAME
            )
            if demo
            else None,
            watch_interval_s=watch_interval_s,
            http_factory=lambda: http,
            obs_settings_path=tmp_path / "obs-settings.json",
            api_base_url=api_base_url,
        )
        window = MainWindow(context)
        # Not qtbot.addWidget: pytest-qt would delete it before its async shutdown ran.
        window.show()
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        close_window(window, qtbot)
        window.deleteLater()
    qtbot.wait(10)  # lets the deferred deletes run while the loop is still here


def close_window(window: MainWindow, qtbot) -> None:
    # Hidden is not closed: a window kept in the tray still runs its preview (and its proxy).
    if not window._shut_down:
        with qtbot.waitSignal(window.closed, timeout=10_000):
            window.close()


@pytest.fixture
def make_xvfb() -> Iterator[Callable[[str], str]]:
    """Starts Xvfb with a screen such as "1920x1080x24"; returns its DISPLAY."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    servers: list[subprocess.Popen] = []

    def make(screen: str) -> str:
        server, display = start_xvfb(screen)
        servers.append(server)
        return f":{display}"

    yield make
    for server in servers:
        server.terminate()
        server.wait(timeout=10)
