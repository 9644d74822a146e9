"""The Send to OBS row on a qasync loop against a fake OBS: settings dialog, progress, outcomes."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.models import Livestream
from app.core.obs_password import ObsPasswordStore
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.ui.obs.controller import ObsController
from app.ui.obs.send_widget import SEND_TEXT, SENDING_TEXT, ObsSendWidget
from app.ui.tasks import TaskRunner
from tests.fixtures.keyring import MemoryKeyring
from tests.fixtures.obs import FakeObs

WAIT_MS = 8000


def make_livestream(livestream_id: str = "ls-1") -> Livestream:
    return Livestream(
        id=livestream_id,
        name="show",
        ingest_server="rtmps://live.cloudflare.example:443/live/",
        stream_key=f"key-{secrets.token_hex(12)}",
        playback_url="https://example.invalid/hls/1.m3u8",
        status="IDLE",
    )


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def row(qloop, qtbot, threaded_fake_obs: FakeObs, tmp_path: Path, keyring_backend) -> Iterator:
    settings_store = ObsSettingsStore(tmp_path / "obs.json")
    settings_store.save(ObsSettings(port=threaded_fake_obs.port))
    tasks = TaskRunner()
    controller = ObsController(
        tasks, settings_store, ObsPasswordStore(keyring_backend), timeout=1.0
    )
    widget = ObsSendWidget(controller)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(controller.settings_loaded, timeout=WAIT_MS):
        controller.request_load()
    yield widget
    widget.shutdown()


def save_settings(qtbot, widget: ObsSendWidget, *, password: str, offer_start: bool = False):
    widget.open_settings()
    dialog = widget.dialog
    assert dialog is not None
    assert dialog.password_edit.text() == ""  # a saved password is never shown
    dialog.password_edit.setText(password)
    dialog.start_check.setChecked(offer_start)
    with qtbot.waitSignal(widget.outcome_shown, timeout=WAIT_MS) as blocker:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert blocker.args == ["settings_saved"]


def click_and_wait(qtbot, widget: ObsSendWidget, button) -> str:
    with qtbot.waitSignal(widget.outcome_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_send_after_saving_the_password(
    row: ObsSendWidget, qtbot, threaded_fake_obs, keyring_backend
):
    livestream = make_livestream()
    assert not row.send_button.isEnabled()
    row.set_livestream(livestream)
    assert row.send_button.isEnabled()

    save_settings(qtbot, row, password=threaded_fake_obs.password)
    assert "password is in your keyring" in row.banner.message_label.text()
    assert threaded_fake_obs.password in keyring_backend.entries.values()

    assert click_and_wait(qtbot, row, row.send_button) == "sent"
    assert threaded_fake_obs.service_settings["key"] == livestream.stream_key
    assert threaded_fake_obs.service_settings["server"] == livestream.ingest_server
    assert "Press Start Streaming in OBS" in row.banner.message_label.text()
    assert row.start_button.isHidden()  # off by default
    assert row.send_button.isEnabled()


def test_wrong_password_is_shown_and_the_button_comes_back(row, qtbot):
    row.set_livestream(make_livestream())
    save_settings(qtbot, row, password="not-the-password")
    assert click_and_wait(qtbot, row, row.send_button) == "obs_auth"
    assert row.banner.title_label.text() == "OBS did not accept the password"
    assert "not-the-password" not in row.banner.message_label.text()
    assert row.send_button.isEnabled()


def test_live_obs_is_refused(row, qtbot, threaded_fake_obs):
    row.set_livestream(make_livestream())
    save_settings(qtbot, row, password=threaded_fake_obs.password)
    threaded_fake_obs.stream_active = True
    assert click_and_wait(qtbot, row, row.send_button) == "obs_live"
    assert "Stop streaming in OBS" in row.banner.message_label.text()
    assert "SetStreamServiceSettings" not in threaded_fake_obs.request_types()


def test_progress_while_obs_is_slow(row, qtbot, threaded_fake_obs):
    row.set_livestream(make_livestream())
    save_settings(qtbot, row, password=threaded_fake_obs.password)
    threaded_fake_obs.stall_on = {"GetStreamStatus"}
    with qtbot.waitSignal(row.outcome_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(row.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: row.send_button.text() == SENDING_TEXT, timeout=WAIT_MS)
        assert not row.send_button.isEnabled()
        assert row.progress.isVisible() or not row.isVisible()
    assert blocker.args == ["obs_timeout"]
    assert row.send_button.text() == SEND_TEXT
    assert row.send_button.isEnabled()


def test_optional_start_button(row, qtbot, threaded_fake_obs):
    livestream = make_livestream()
    row.set_livestream(livestream)
    save_settings(qtbot, row, password=threaded_fake_obs.password, offer_start=True)
    assert click_and_wait(qtbot, row, row.send_button) == "sent"
    assert not threaded_fake_obs.stream_active  # sending never starts a stream
    assert not row.start_button.isHidden()

    assert click_and_wait(qtbot, row, row.start_button) == "started"
    assert threaded_fake_obs.stream_active
    assert row.start_button.isHidden()


def test_live_preview_hides_the_start_button(row, qtbot, threaded_fake_obs):
    row.set_livestream(make_livestream())
    save_settings(qtbot, row, password=threaded_fake_obs.password, offer_start=True)
    assert click_and_wait(qtbot, row, row.send_button) == "sent"
    row.set_broadcast_live(True)
    assert row.start_button.isHidden()


def test_outcome_for_another_livestream_is_dropped(row, qtbot, threaded_fake_obs):
    row.set_livestream(make_livestream("first"))
    save_settings(qtbot, row, password=threaded_fake_obs.password)
    threaded_fake_obs.stall_on = {"GetStreamStatus"}
    shown: list[str] = []
    row.outcome_shown.connect(shown.append)
    qtbot.mouseClick(row.send_button, Qt.MouseButton.LeftButton)
    row.set_livestream(make_livestream("second"))
    qtbot.waitUntil(lambda: row.send_button.text() == SEND_TEXT, timeout=WAIT_MS)
    assert shown == []
    assert row.banner.isHidden()


def test_bad_host_keeps_the_dialog_open(row, qtbot):
    row.open_settings()
    dialog = row.dialog
    dialog.host_edit.setText("not a host")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "name or an IP address" in dialog.error_label.text()
    dialog.reject()


def test_mount_loads_the_saved_settings(qloop, qtbot, tmp_path: Path):
    from app.ui.obs.mount import create_obs_send_widget

    path = tmp_path / "obs.json"
    ObsSettingsStore(path).save(ObsSettings(host="obs-pc.local", port=4460))
    widget = create_obs_send_widget(TaskRunner(), settings_path=path)
    qtbot.addWidget(widget)
    try:
        with qtbot.waitSignal(widget.controller.settings_loaded, timeout=WAIT_MS):
            pass
        assert widget.controller.settings == ObsSettings(host="obs-pc.local", port=4460)
        assert widget.controller.parent() is widget
        assert not widget.send_button.isEnabled()  # no livestream yet
    finally:
        widget.shutdown()


def test_start_refused_when_obs_was_pointed_elsewhere(row, qtbot, threaded_fake_obs):
    row.set_livestream(make_livestream())
    save_settings(qtbot, row, password=threaded_fake_obs.password, offer_start=True)
    assert click_and_wait(qtbot, row, row.send_button) == "sent"
    threaded_fake_obs.service_settings = {"server": "rtmp://elsewhere/live", "key": "other-key"}

    assert click_and_wait(qtbot, row, row.start_button) == "obs_target_changed"
    assert not threaded_fake_obs.stream_active
    assert row.start_button.isHidden()
