"""End to end through a real RTMP ingest, as a streamer's OBS would publish.

nginx-rtmp turns the push into HLS; the emulator hands out nginx's ingest server and
playback URL; the livestream is created through the real client; ffmpeg publishes to exactly
ingest_server + stream_key as the app shows them.
"""

from __future__ import annotations

import pytest

from app.core.client import RealtimeKitClient
from app.core.http import make_http_client
from app.core.preview_phase import Phase
from app.core.preview_session import ProbeCadence
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from app.ui.preview.panel import PreviewPanel
from tests.integration.preview.helpers import (
    assert_test_pattern,
    current_image,
    run_async,
    shut_down,
    wait_phase,
)

pytestmark = pytest.mark.integration

PROBE_INTERVAL = ProbeCadence().waiting


def test_obs_like_publish_through_nginx_rtmp(qtbot, qloop, nginx_rtmp, make_emulator):
    emulator = make_emulator(
        ingest_server=nginx_rtmp.ingest_server,
        playback_url_template=nginx_rtmp.playback_url_template,
    )
    http = make_http_client()
    panel = PreviewPanel(http=http)
    panel.resize(640, 480)
    panel.show()
    try:
        client = RealtimeKitClient(http, DEMO_TOKEN, base_url=emulator.base_url)
        livestream = run_async(
            qtbot, client.create_livestream(DEMO_ACCOUNT_ID, DEMO_APP_ID, "rtmp-e2e")
        )
        assert livestream.ingest_server == nginx_rtmp.ingest_server
        assert livestream.playback_url == nginx_rtmp.playback_url(livestream.stream_key)

        panel.show_livestream(livestream)
        wait_phase(qtbot, panel, Phase.WAITING, 2)
        assert f"Start streaming to {livestream.ingest_server} in OBS" in panel.detail_label.text()

        publish_url = livestream.ingest_server + livestream.stream_key
        encoder = nginx_rtmp.publish(publish_url)
        wait_phase(qtbot, panel, Phase.LIVE, 15 + PROBE_INTERVAL)
        assert_test_pattern(current_image(panel))

        # The encoder dies: nginx keeps serving the last playlist, which goes stale.
        encoder.kill()
        wait_phase(qtbot, panel, Phase.STALLED, 15)
        assert panel.phase is Phase.STALLED
        qtbot.wait(2000)
        assert panel.phase is Phase.STALLED  # stale, not ended: it may come back

        encoder = nginx_rtmp.publish(publish_url)
        wait_phase(qtbot, panel, Phase.LIVE, 20)
        frames = panel.player.frames
        qtbot.waitUntil(lambda: panel.player.frames > frames + 10, timeout=5000)
        assert_test_pattern(current_image(panel))

        # A clean stop: nginx removes the playlist after its length (6 s).
        encoder.stop()
        wait_phase(qtbot, panel, Phase.ENDED, 25)
        wait_phase(qtbot, panel, Phase.WAITING, 10)
        assert panel.detail_label.text().startswith("The last broadcast ended.")
    finally:
        shut_down(qtbot, panel)
        panel.close()
        panel.deleteLater()
        run_async(qtbot, http.aclose())
