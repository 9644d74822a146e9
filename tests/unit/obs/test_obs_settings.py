"""OBS connection settings: validation, the environment, and the settings file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import InvalidInputError
from app.core.obs_settings import (
    ObsSettings,
    ObsSettingsStore,
    default_config_dir,
    parse_obs_url,
    settings_from_environ,
    validate_host,
    validate_port,
)


def test_defaults_are_obs_defaults():
    assert ObsSettings().url == "ws://127.0.0.1:4455"
    assert ObsSettings().offer_start_stream is False


def test_ipv6_host_is_bracketed():
    assert ObsSettings(host="::1", port=4455).url == "ws://[::1]:4455"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ws://127.0.0.1:4455", ("127.0.0.1", 4455)),
        ("ws://obs-pc.local:4460/", ("obs-pc.local", 4460)),
        ("ws://[::1]:4455", ("::1", 4455)),
        ("ws://192.168.1.20", ("192.168.1.20", 4455)),
        ("127.0.0.1:4456", ("127.0.0.1", 4456)),
    ],
)
def test_parse_url(text, expected):
    assert parse_obs_url(text) == expected


@pytest.mark.parametrize(
    "text",
    ["wss://127.0.0.1:4455", "http://127.0.0.1:4455", "ws://", "ws://host:99999", "ws://h:1/x"],
)
def test_parse_url_rejects(text):
    with pytest.raises(InvalidInputError) as caught:
        parse_obs_url(text)
    assert caught.value.field in {"obs_url", "obs_port"}


@pytest.mark.parametrize("value", ["", "  ", "a b", "host/path", "user@host"])
def test_bad_hosts(value):
    with pytest.raises(InvalidInputError):
        validate_host(value)


@pytest.mark.parametrize("value", ["0", "65536", "-1", "abc", ""])
def test_bad_ports(value):
    with pytest.raises(InvalidInputError):
        validate_port(value)


def test_environment_overrides_saved_host_and_port():
    saved = ObsSettings(host="10.0.0.5", port=4000, offer_start_stream=True)
    assert settings_from_environ(saved, {}) == saved
    from_env = settings_from_environ(saved, {"OBS_WEBSOCKET_URL": "ws://127.0.0.1:4470"})
    assert from_env == ObsSettings(host="127.0.0.1", port=4470, offer_start_stream=True)


def test_config_dir_follows_xdg(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    assert default_config_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "Livestream Companion"
    )


def test_store_round_trip(tmp_path: Path):
    store = ObsSettingsStore(tmp_path / "sub" / "obs.json")
    assert store.load() == ObsSettings()
    settings = ObsSettings(host="obs-pc.local", port=4460, offer_start_stream=True)
    store.save(settings)
    assert ObsSettingsStore(store.path).load() == settings
    assert list(store.path.parent.iterdir()) == [store.path]  # no temporary file left
    assert store.path.stat().st_mode & 0o777 == 0o600  # it names the user's OBS computer


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", json.dumps({"host": "a b", "port": 1}), json.dumps({"port": "x"})],
)
def test_damaged_file_gives_defaults(tmp_path: Path, content: str, caplog):
    path = tmp_path / "obs.json"
    path.write_text(content)
    assert ObsSettingsStore(path).load() == ObsSettings()
    assert "OBS settings" in caplog.text


def test_file_never_holds_a_password(tmp_path: Path):
    store = ObsSettingsStore(tmp_path / "obs.json")
    store.save(ObsSettings())
    assert set(json.loads(store.path.read_text())) == {"host", "port", "offer_start_stream"}
