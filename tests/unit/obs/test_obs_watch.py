"""The window's OBS watch on a qasync loop: it runs only while a livestream is shown and OBS
settings are saved, reports OBS's own stream start, and stops with the window."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.models import Livestream
from app.core.obs_password import ObsPasswordStore
from app.core.obs_settings import ObsSettings
from app.ui.obs.mount import create_obs_send_widget
from app.ui.obs.send_widget import ObsSendWidget
from app.ui.tasks import TaskRunner
from tests.fixtures.keyring import MemoryKeyring
from tests.fixtures.obs import FakeObs

WAIT_MS = 8000
LIVESTREAM = Livestream(
    id="ls-1",
    name="show",
    ingest_server="rtmps://live.cloudflare.example:443/live/",
    stream_key="key-watch-test",
    playback_url="https://example.invalid/hls/1.m3u8",
    status="IDLE",
)


@pytest.fixture
def tasks() -> TaskRunner:
    return TaskRunner()


@pytest.fixture
def row(qloop, qtbot, tmp_path: Path, tasks: TaskRunner) -> Iterator[ObsSendWidget]:
    """The row as the window mounts it, with no OBS settings saved yet."""
    widget = create_obs_send_widget(
        tasks, settings_path=tmp_path / "obs.json", password_store=ObsPasswordStore(MemoryKeyring())
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.controller.settings_loaded, timeout=WAIT_MS):
        pass
    assert widget.watch is not None
    yield widget
    widget.shutdown()


def save_settings(qtbot, widget: ObsSendWidget, peer: FakeObs) -> None:
    with qtbot.waitSignal(widget.controller.settings_saved, timeout=WAIT_MS):
        widget.controller.request_save(ObsSettings(port=peer.port), peer.password)


def test_nothing_is_watched_without_saved_settings(row: ObsSendWidget, tasks: TaskRunner):
    row.set_livestream(LIVESTREAM)
    assert row.controller.saved_settings is None
    assert not row.watch.running
    assert tasks.running() == []
    assert row.watching_label.isHidden()


def test_obs_started_by_hand_reaches_the_window(row, qtbot, threaded_fake_obs: FakeObs):
    watch = row.watch
    save_settings(qtbot, row, threaded_fake_obs)
    assert not watch.running  # no livestream shown yet
    with qtbot.waitSignal(watch.watching_changed, timeout=WAIT_MS) as blocker:
        row.set_livestream(LIVESTREAM)
    assert blocker.args == [True]
    assert not row.watching_label.isHidden()

    started: list[bool] = []
    watch.stream_started.connect(lambda: started.append(True))
    with qtbot.waitSignal(watch.stream_started, timeout=WAIT_MS):
        threaded_fake_obs.call(threaded_fake_obs.start_stream_by_hand())
    qtbot.wait(200)
    assert started == [True]

    with qtbot.waitSignal(watch.watching_changed, timeout=WAIT_MS) as blocker:
        row.set_livestream(None)
    assert blocker.args == [False]
    qtbot.waitUntil(lambda: not watch.running, timeout=WAIT_MS)


def test_closing_the_window_ends_the_watch(
    row, qtbot, tasks: TaskRunner, threaded_fake_obs: FakeObs
):
    watch = row.watch
    save_settings(qtbot, row, threaded_fake_obs)
    with qtbot.waitSignal(watch.watching_changed, timeout=WAIT_MS):
        row.set_livestream(LIVESTREAM)
    qtbot.waitUntil(lambda: len(threaded_fake_obs.identified) == 1, timeout=WAIT_MS)

    # As the window does: every task cancelled, then the row shut down.
    closing = asyncio.ensure_future(tasks.shutdown())
    qtbot.waitUntil(closing.done, timeout=WAIT_MS)
    row.shutdown()
    assert not watch.running
    assert row.watching_label.isHidden()
    row.set_livestream(None)
    row.set_livestream(LIVESTREAM)  # after closing nothing starts again
    assert not watch.running
    qtbot.waitUntil(lambda: threaded_fake_obs.connected == 0, timeout=WAIT_MS)
