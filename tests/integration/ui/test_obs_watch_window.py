"""The window follows OBS's own stream start: with OBS settings saved and a livestream shown,
a stream started in OBS (not through the app) makes the preview look for it at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core.obs_settings import ObsSettings, ObsSettingsStore
from tests.fixtures.obs import FakeObs
from tests.integration.ui.conftest import close_window

WAIT_MS = 15_000


def test_a_stream_started_in_obs_speeds_up_the_preview(
    make_window, qtbot, tmp_path: Path, threaded_fake_obs: FakeObs
):
    threaded_fake_obs.password = None  # an OBS without authentication: no keyring needed
    ObsSettingsStore(tmp_path / "obs-settings.json").save(ObsSettings(port=threaded_fake_obs.port))
    window = make_window()
    row = window.obs_row
    assert row is not None and row.watch is not None
    panel = window.preview_slot.panel
    assert panel is not None
    expected: list[bool] = []
    original = panel.expect_broadcast

    def expect_broadcast() -> None:
        expected.append(True)
        original()

    panel.expect_broadcast = expect_broadcast  # type: ignore[method-assign]
    assert not row.watch.running  # nothing shown yet

    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.watch.watching, timeout=WAIT_MS)
    assert threaded_fake_obs.identified == [1 << 6]  # Outputs events only
    assert not row.watching_label.isHidden()

    threaded_fake_obs.call(threaded_fake_obs.start_stream_by_hand())
    qtbot.waitUntil(lambda: expected == [True], timeout=WAIT_MS)

    close_window(window, qtbot)
    qtbot.waitUntil(lambda: threaded_fake_obs.connected == 0, timeout=WAIT_MS)
    assert not row.watch.running
