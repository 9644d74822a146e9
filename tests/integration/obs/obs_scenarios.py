"""Send to OBS against a real OBS Studio, its real websocket server and a real RTMP ingest.

Not collected on its own (no test_ prefix): `test_obs_real.py` runs this file in
a private network namespace with only loopback, where OBS, nginx, the emulator
and every client live, and reports each scenario. One OBS serves them all, in
file order: OBS on a software renderer is heavy, so it starts once.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.models import Livestream
from app.core.obs_errors import ObsAuthError, ObsLiveError, ObsNotReachableError
from app.core.obs_events import ObsStreamWatcher, obs_connector
from app.core.obs_password import OBS_PASSWORD_ENTRY, OBS_PASSWORD_SERVICE, ObsPasswordStore
from app.core.obs_send import send_to_obs, start_streaming_in_obs
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.emulator import Emulator
from app.emulator.demo import DEMO_TOKEN
from app.ui.obs.controller import ObsController
from app.ui.obs.send_widget import ObsSendWidget
from app.ui.tasks import TaskRunner
from tests.fixtures.media import NginxRtmp
from tests.fixtures.obs import (
    ObsProbe,
    RealObs,
    create_demo_livestream,
    obs_send_args,
    only_loopback,
    run_obs_cli,
)
from tests.fixtures.ports import free_port

pytestmark = pytest.mark.integration

WAIT_MS = 20000


@pytest.fixture(scope="session")
def real_obs(tmp_path_factory) -> Iterator[RealObs]:
    if not only_loopback():
        pytest.fail("these scenarios run only inside a network namespace with only loopback")
    obs = RealObs(tmp_path_factory.mktemp("obs"), password=f"pw-{secrets.token_hex(10)}")
    obs.start()
    try:
        yield obs
    finally:
        obs.stop()
        print(f"--- OBS log (pid {obs.pid}) ---\n{obs.log_tail()}")


@pytest.fixture
def settings(real_obs: RealObs) -> ObsSettings:
    return ObsSettings(host="127.0.0.1", port=real_obs.port)


def livestream(server: str = "rtmps://live.cloudflare.example:443/live/") -> Livestream:
    return Livestream(
        id=f"ls-{secrets.token_hex(4)}",
        name="obs-it",
        ingest_server=server,
        stream_key=f"key-{secrets.token_hex(16)}",
        playback_url="https://example.invalid/hls/1.m3u8",
        status="IDLE",
    )


async def read_back(obs: RealObs) -> tuple[str, dict]:
    async with ObsProbe(obs.url, obs.password) as probe:
        data = await probe.data("GetStreamServiceSettings")
    return data["streamServiceType"], data["streamServiceSettings"]


async def test_send_from_core_is_read_back_by_another_client(real_obs, settings):
    target = livestream()
    result = await send_to_obs(settings, real_obs.password, target)

    service_type, service = await read_back(real_obs)
    assert service_type == "rtmp_custom"
    assert service["server"] == target.ingest_server
    assert service["key"] == target.stream_key
    assert result.obs_version and result.obs_version.startswith(("28.", "29.", "3"))
    assert result.obs_websocket_version and result.obs_websocket_version.startswith("5.")


async def test_wrong_password_changes_nothing(real_obs, settings):
    before = await read_back(real_obs)
    with pytest.raises(ObsAuthError):
        await send_to_obs(settings, "not-the-password", livestream())
    assert await read_back(real_obs) == before


async def test_obs_not_running(real_obs):
    # The same machine and namespace, a port where no OBS listens.
    with pytest.raises(ObsNotReachableError):
        await send_to_obs(ObsSettings(port=free_port()), real_obs.password, livestream())


def test_cli_obs_send(real_obs, monkeypatch, tmp_path: Path, capsys):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("OBS_WEBSOCKET_URL", real_obs.url)
    monkeypatch.setenv("OBS_WEBSOCKET_PASSWORD", real_obs.password)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with Emulator(port=0) as emulator:
        created = create_demo_livestream(emulator.base_url, "obs-cli")
        exit_code = run_obs_cli(emulator.base_url, *obs_send_args(created.id))
        assert exit_code == 0, capsys.readouterr().err

    service_type, service = asyncio.run(read_back(real_obs))
    assert service_type == "rtmp_custom"
    assert service["server"] == created.ingest_server
    assert service["key"] == created.stream_key
    assert created.stream_key not in capsys.readouterr().out


def test_send_from_the_window(real_obs, qloop, qtbot, tmp_path: Path):
    """Password typed in the settings dialog into the real Secret Service, then Send."""
    settings_store = ObsSettingsStore(tmp_path / "obs.json")
    controller = ObsController(TaskRunner(), settings_store, ObsPasswordStore())
    widget = ObsSendWidget(controller)
    qtbot.addWidget(widget)
    target = livestream()
    try:
        widget.set_livestream(target)
        widget.open_settings()
        dialog = widget.dialog
        dialog.port_spin.setValue(real_obs.port)
        dialog.password_edit.setText(real_obs.password)
        with qtbot.waitSignal(widget.outcome_shown, timeout=WAIT_MS) as saved:
            dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert saved.args == ["settings_saved"]
        assert "password is in your keyring" in widget.banner.message_label.text()

        with qtbot.waitSignal(widget.outcome_shown, timeout=WAIT_MS) as sent:
            qtbot.mouseClick(widget.send_button, Qt.MouseButton.LeftButton)
        assert sent.args == ["sent"], widget.banner.message_label.text()
    finally:
        widget.shutdown()

    stored = subprocess.run(
        ["secret-tool", "lookup", "service", OBS_PASSWORD_SERVICE, "username", OBS_PASSWORD_ENTRY],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert stored.stdout == real_obs.password
    assert ObsSettingsStore(settings_store.path).load().port == real_obs.port
    task = qloop.create_task(read_back(real_obs))
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    service_type, service = task.result()
    assert service_type == "rtmp_custom"
    assert (service["server"], service["key"]) == (target.ingest_server, target.stream_key)


async def test_live_obs_refuses_and_keeps_its_target(real_obs, settings, tmp_path: Path):
    nginx = NginxRtmp(tmp_path).start()
    server_url = nginx.ingest_server.rstrip("/")
    local = livestream(server=server_url)
    try:
        await send_to_obs(settings, real_obs.password, local)
        # The optional second action, pressed explicitly: OBS streams to the local ingest.
        await start_streaming_in_obs(settings, real_obs.password, local)
        async with ObsProbe(real_obs.url, real_obs.password) as probe:
            await probe.wait_stream_active(True)
            try:
                await _wait_bytes_sent(probe)
                with pytest.raises(ObsLiveError):
                    await send_to_obs(settings, real_obs.password, livestream())
                status = await probe.data("GetStreamStatus")
                assert status["outputActive"] is True
                data = await probe.data("GetStreamServiceSettings")
                assert data["streamServiceSettings"]["server"] == server_url
                assert data["streamServiceSettings"]["key"] == local.stream_key
            finally:
                await probe.request("StopStream")
                await probe.wait_stream_active(False)
    finally:
        nginx.close()


async def _wait_bytes_sent(probe: ObsProbe, timeout: float = 20.0) -> None:
    """Proof the stream really reaches nginx, not just that OBS says it is active."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (await probe.data("GetStreamStatus"))["outputBytes"] <= 0:
        assert loop.time() < deadline, "OBS sent no bytes to the local ingest"
        await asyncio.sleep(0.25)


async def test_the_watcher_sees_a_stream_started_by_another_client(
    real_obs, settings, tmp_path: Path
):
    """Started by hand in OBS, as far as the app can tell: by an independent client."""
    nginx = NginxRtmp(tmp_path).start()
    started = asyncio.Event()
    watching: list[bool] = []

    async def password() -> str:
        return real_obs.password

    watcher = ObsStreamWatcher(
        obs_connector(settings, password), started.set, on_watching=watching.append
    )
    watching_task = asyncio.create_task(watcher.run())
    try:
        async with ObsProbe(real_obs.url, real_obs.password) as probe:
            server = {"server": nginx.ingest_server.rstrip("/"), "key": "watched"}
            await probe.data(
                "SetStreamServiceSettings",
                {"streamServiceType": "rtmp_custom", "streamServiceSettings": server},
            )
            async with asyncio.timeout(WAIT_MS / 1000):
                while watching != [True]:
                    await asyncio.sleep(0.05)
            assert not started.is_set()
            await probe.data("StartStream")
            try:
                await asyncio.wait_for(started.wait(), WAIT_MS / 1000)
                assert (await probe.data("GetStreamStatus"))["outputActive"] is True
            finally:
                await probe.request("StopStream")
                await probe.wait_stream_active(False)
    finally:
        watching_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching_task
        nginx.close()
    assert watching == [True, False]
