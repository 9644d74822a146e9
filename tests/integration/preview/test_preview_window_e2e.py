"""End to end through the main window: Create, copy what it shows into the encoder, watch.

The window runs in demo mode against the emulator, which hands out nginx-rtmp's ingest
server and playback URL; ffmpeg publishes to exactly the server + key the window shows.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.client import RealtimeKitClient
from app.core.http import make_http_client
from app.core.preview_phase import Phase
from app.core.preview_session import ProbeCadence
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from app.ui.context import AppContext, DemoDefaults
from app.ui.main_window import MainWindow
from app.ui.settings import AppSettings
from tests.integration.preview.helpers import (
    assert_test_pattern,
    current_image,
    run_async,
    wait_phase,
)

pytestmark = pytest.mark.integration

PROBE_INTERVAL = ProbeCadence().waiting


def test_window_create_publish_stall_reconnect_end(
    qtbot, qloop, nginx_rtmp, make_emulator, settings_path
):
    emulator = make_emulator(
        ingest_server=nginx_rtmp.ingest_server,
        playback_url_template=nginx_rtmp.playback_url_template,
    )
    http = make_http_client()
    context = AppContext(
        client_factory=lambda token: RealtimeKitClient(http, token, base_url=emulator.base_url),
        token_store=None,
        settings=AppSettings.at_path(settings_path),
        demo=DemoDefaults(DEMO_ACCOUNT_ID, DEMO_APP_ID, "window-e2e", DEMO_TOKEN),
        http=http,
    )
    window = MainWindow(context)
    window.show()
    window.start()
    try:
        preview = window.preview
        # Unlike the app's demo mode, this emulator hands out a real ingest server: the
        # streamer is to be sent to it, not told that the pattern starts by itself.
        preview.set_waiting_hint(None)
        qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=10_000)
        ingest_server = window.result.server_field.line_edit.text()
        stream_key = window.result.key_field.value
        assert ingest_server == nginx_rtmp.ingest_server

        wait_phase(qtbot, preview, Phase.WAITING, 2)
        assert f"Start streaming to {ingest_server} in OBS" in preview.message.text()

        encoder = nginx_rtmp.publish(ingest_server + stream_key)
        wait_phase(qtbot, preview, Phase.LIVE, 15 + PROBE_INTERVAL)
        assert_test_pattern(current_image(preview))

        encoder.kill()
        wait_phase(qtbot, preview, Phase.STALLED, 15)
        encoder = nginx_rtmp.publish(ingest_server + stream_key)
        wait_phase(qtbot, preview, Phase.LIVE, 20)
        frames = preview.player.frames
        qtbot.waitUntil(lambda: preview.player.frames > frames + 10, timeout=5000)

        encoder.stop()
        wait_phase(qtbot, preview, Phase.ENDED, 25)
        wait_phase(qtbot, preview, Phase.WAITING, 10)
    finally:
        if window.isVisible():
            with qtbot.waitSignal(window.closed, timeout=15_000):
                window.close()
        window.deleteLater()
        run_async(qtbot, http.aclose())
