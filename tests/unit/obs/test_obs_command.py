"""`obs-send`: a livestream from the (emulated) API into a (fake) OBS; where the connection
comes from; exit codes and messages."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import obs_command
from app.core.models import Livestream
from app.core.obs_errors import ObsAuthError, ObsLiveError
from app.core.obs_password import ObsPasswordStore
from app.core.obs_settings import ObsSettings, ObsSettingsStore
from app.emulator import Emulator
from app.emulator.demo import DEMO_TOKEN
from tests.fixtures.keyring import MemoryKeyring
from tests.fixtures.obs import FakeObs, create_demo_livestream, obs_send_args, run_obs_cli


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(port=0) as emu:
        yield emu


def create_livestream(emulator: Emulator):
    return create_demo_livestream(emulator.base_url)


def run_cli(emulator: Emulator, *argv: str) -> int:
    return run_obs_cli(emulator.base_url, *argv)


@pytest.fixture
def obs_env(monkeypatch, threaded_fake_obs: FakeObs, tmp_path: Path) -> FakeObs:
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("OBS_WEBSOCKET_URL", threaded_fake_obs.url)
    monkeypatch.setenv("OBS_WEBSOCKET_PASSWORD", threaded_fake_obs.password)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return threaded_fake_obs


def test_obs_send_puts_the_livestream_into_obs(emulator, obs_env: FakeObs, capsys):
    livestream = create_livestream(emulator)

    assert run_cli(emulator, *obs_send_args(livestream.id)) == 0

    assert obs_env.service_type == "rtmp_custom"
    assert obs_env.service_settings["server"] == livestream.ingest_server
    assert obs_env.service_settings["key"] == livestream.stream_key
    out, err = capsys.readouterr()
    assert "OBS is set to stream to this livestream" in out
    assert livestream.ingest_server in out
    assert livestream.stream_key not in out + err


def test_obs_send_refuses_while_live(emulator, obs_env: FakeObs, capsys):
    livestream = create_livestream(emulator)
    obs_env.stream_active = True

    assert run_cli(emulator, *obs_send_args(livestream.id)) == ObsLiveError.exit_code

    assert "SetStreamServiceSettings" not in obs_env.request_types()
    assert "OBS is streaming right now" in capsys.readouterr().err


def test_obs_send_wrong_password(emulator, obs_env: FakeObs, monkeypatch, capsys):
    livestream = create_livestream(emulator)
    monkeypatch.setenv("OBS_WEBSOCKET_PASSWORD", "wrong-password-1")

    assert run_cli(emulator, *obs_send_args(livestream.id)) == ObsAuthError.exit_code

    err = capsys.readouterr().err
    assert "refused the WebSocket password" in err
    assert "into $OBS_WEBSOCKET_PASSWORD" in err
    assert "wrong-password-1" not in err


def test_obs_send_unknown_livestream(emulator, obs_env: FakeObs, capsys):
    assert run_cli(emulator, *obs_send_args("no-such-livestream")) != 0
    assert obs_env.requests == []
    assert capsys.readouterr().err.startswith("error: ")


def test_obs_send_bad_url_in_environment(emulator, obs_env: FakeObs, monkeypatch, capsys):
    livestream = create_livestream(emulator)
    monkeypatch.setenv("OBS_WEBSOCKET_URL", "http://127.0.0.1:4455")
    assert run_cli(emulator, *obs_send_args(livestream.id)) == 3
    assert "OBS_WEBSOCKET_URL must look like ws://" in capsys.readouterr().err


def test_no_password_argument_exists():
    parser = argparse.ArgumentParser()
    obs_command.register(parser.add_subparsers())
    with pytest.raises(SystemExit):
        parser.parse_args([*obs_send_args("x"), "--password", "secret"])


async def test_environment_wins_over_saved_settings_and_keyring(tmp_path: Path):
    settings_store = ObsSettingsStore(tmp_path / "obs.json")
    settings_store.save(ObsSettings(host="10.1.2.3", port=4000))
    passwords = ObsPasswordStore(MemoryKeyring())
    try:
        await passwords.set_password("saved-password-1")
        environ = {"OBS_WEBSOCKET_URL": "ws://127.0.0.1:4470", "OBS_WEBSOCKET_PASSWORD": "env-pw"}
        assert await obs_command.resolve_connection(
            environ=environ, settings_store=settings_store, password_store=passwords
        ) == (ObsSettings(host="127.0.0.1", port=4470), "env-pw")
        assert await obs_command.resolve_connection(
            environ={}, settings_store=settings_store, password_store=passwords
        ) == (ObsSettings(host="10.1.2.3", port=4000), "saved-password-1")
    finally:
        passwords.close()


def test_send_and_report_for_create(obs_env: FakeObs, capsys):
    """What `create --send-to-obs` calls with the livestream it just made."""
    livestream = Livestream(
        id="ls-created",
        name=None,
        ingest_server="rtmps://live.cloudflare.example:443/live/",
        stream_key="created-stream-key-0123456789",
        playback_url="https://example.invalid/x.m3u8",
        status="IDLE",
    )
    assert obs_command.send_and_report(livestream) == 0
    assert obs_env.service_settings["key"] == livestream.stream_key
    assert "OBS is set to stream" in capsys.readouterr().out

    obs_env.stream_active = True
    assert obs_command.send_and_report(livestream) == ObsLiveError.exit_code
    assert capsys.readouterr().err.startswith("error: OBS is streaming right now")
