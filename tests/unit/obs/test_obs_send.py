"""Send to OBS against a fake obs-websocket 5 peer: every outcome the user can meet."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

import pytest

from app.core.errors import CompanionError
from app.core.models import Livestream
from app.core.obs_client import ObsClient
from app.core.obs_errors import (
    ObsAuthError,
    ObsLiveError,
    ObsNotReachableError,
    ObsRequestError,
    ObsTargetChangedError,
    ObsTimeoutError,
    ObsVerifyError,
    ObsVersionError,
)
from app.core.obs_send import SENT_MESSAGE, send_to_obs, start_streaming_in_obs
from app.core.obs_settings import ObsSettings
from tests.fixtures.obs import FakeMode, FakeObs
from tests.fixtures.ports import free_port

INGEST = "rtmps://live.cloudflare.example:443/live/"
SHORT = 0.5


@pytest.fixture
def livestream() -> Livestream:
    # A new key per test: the redaction registry is process-wide.
    return Livestream(
        id="ls-1",
        name="show",
        ingest_server=INGEST,
        stream_key=f"key-{secrets.token_hex(12)}",
        playback_url="https://example.invalid/hls/1.m3u8",
        status="IDLE",
    )


def settings_for(peer: FakeObs) -> ObsSettings:
    return ObsSettings(host="127.0.0.1", port=peer.port)


async def test_send_sets_custom_server_and_key(fake_obs: FakeObs, livestream: Livestream):
    result = await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)

    assert result.message == SENT_MESSAGE
    assert result.ingest_server == INGEST
    assert result.obs_version == "29.0.2"
    assert result.obs_websocket_version == "5.1.0"
    assert fake_obs.service_type == "rtmp_custom"
    assert fake_obs.service_settings["server"] == INGEST
    assert fake_obs.service_settings["key"] == livestream.stream_key
    assert fake_obs.service_settings["use_auth"] is False
    assert fake_obs.request_types() == [
        "GetVersion",
        "GetStreamStatus",
        "SetStreamServiceSettings",
        "GetStreamServiceSettings",
    ]


async def test_send_clears_stale_custom_auth(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.service_type = "rtmp_custom"
    fake_obs.service_settings = {
        "server": "rtmp://old",
        "key": "k",
        "use_auth": True,
        "username": "u",
        "password": "p",
    }
    await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert fake_obs.service_settings["use_auth"] is False


async def test_live_obs_is_refused_and_left_alone(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.stream_active = True
    before = (fake_obs.service_type, dict(fake_obs.service_settings))

    with pytest.raises(ObsLiveError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)

    assert "Stop streaming in OBS" in str(caught.value)
    assert "SetStreamServiceSettings" not in fake_obs.request_types()
    assert (fake_obs.service_type, fake_obs.service_settings) == before


async def test_wrong_password(fake_obs: FakeObs, livestream: Livestream):
    started = time.monotonic()
    with pytest.raises(ObsAuthError) as caught:
        await send_to_obs(settings_for(fake_obs), "not-the-password", livestream, timeout=3)
    # The close code ends the wait at once, not the identification timeout.
    assert time.monotonic() - started < 2
    assert caught.value.password_given
    assert "refused the WebSocket password" in str(caught.value)
    assert "into this app's OBS settings" in str(caught.value)
    assert fake_obs.requests == []


async def test_missing_password(fake_obs: FakeObs, livestream: Livestream):
    with pytest.raises(ObsAuthError) as caught:
        await send_to_obs(settings_for(fake_obs), None, livestream)
    assert not caught.value.password_given
    assert "none is saved" in str(caught.value)


async def test_obs_without_authentication(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.password = None
    await send_to_obs(settings_for(fake_obs), "ignored-password", livestream)
    assert fake_obs.service_settings["key"] == livestream.stream_key


async def test_nothing_listening(livestream: Livestream):
    settings = ObsSettings(host="127.0.0.1", port=free_port())
    with pytest.raises(ObsNotReachableError) as caught:
        await send_to_obs(settings, "pw-123456789", livestream)
    message = str(caught.value)
    assert settings.address in message
    assert "not running" in message
    assert "Enable WebSocket server" in message


@pytest.mark.parametrize(
    ("mode", "needle"),
    [
        (FakeMode.V4, "does not offer the obs-websocket 5 protocol"),
        (FakeMode.HELLO_WITHOUT_RPC, "RPC version 1"),
        (FakeMode.REJECT_RPC, "RPC version 1"),
    ],
)
async def test_too_old_or_not_v5(livestream: Livestream, mode: FakeMode, needle: str):
    peer = FakeObs(mode=mode)
    await peer.start()
    try:
        with pytest.raises(ObsVersionError) as caught:
            await send_to_obs(settings_for(peer), peer.password, livestream, timeout=2)
    finally:
        await peer.stop()
    assert needle in str(caught.value)
    assert "OBS Studio 28 or newer" in str(caught.value)


async def test_not_a_websocket_server(livestream: Livestream):
    async def answer_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer_http, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(ObsVersionError) as caught:
            await send_to_obs(ObsSettings(port=port), None, livestream, timeout=2)
    finally:
        server.close()
        await server.wait_closed()
    assert "handshake failed" in str(caught.value)


async def test_no_greeting_times_out_within_bound(livestream: Livestream):
    peer = FakeObs(mode=FakeMode.SILENT)
    await peer.start()
    started = time.monotonic()
    try:
        with pytest.raises(ObsTimeoutError) as caught:
            await send_to_obs(settings_for(peer), peer.password, livestream, timeout=SHORT)
    finally:
        await peer.stop()
    assert time.monotonic() - started < SHORT + 2.5
    assert "greeting" in str(caught.value)


async def test_request_that_never_returns_times_out(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.stall_on = {"GetStreamStatus"}
    started = time.monotonic()
    with pytest.raises(ObsTimeoutError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream, timeout=SHORT)
    assert time.monotonic() - started < SHORT + 2.5
    assert caught.value.step == "GetStreamStatus"
    assert "SetStreamServiceSettings" not in fake_obs.request_types()


async def test_connection_dropped_mid_request(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.drop_on = {"SetStreamServiceSettings"}
    started = time.monotonic()
    with pytest.raises(ObsRequestError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream, timeout=3)
    # Ends when the socket closes, not when the request's timeout runs out.
    assert time.monotonic() - started < 2
    assert "closed the connection during SetStreamServiceSettings" in str(caught.value)


async def test_obs_refuses_the_settings(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.fail = {"SetStreamServiceSettings": (600, "Something is wrong.")}
    with pytest.raises(ObsRequestError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert caught.value.code == 600
    assert "refused SetStreamServiceSettings (code 600: Something is wrong.)" in str(caught.value)


async def test_read_back_differs(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.keep_key = "some-other-key-entirely"
    with pytest.raises(ObsVerifyError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert caught.value.field == "stream key"


async def test_odd_stream_status_is_an_error_not_a_crash(fake_obs: FakeObs, livestream):
    original = fake_obs._answer

    def odd(request_type, data):
        if request_type == "GetStreamStatus":
            return {"result": True, "code": 100}, {"outputActive": "yes"}
        return original(request_type, data)

    fake_obs._answer = odd
    with pytest.raises(ObsRequestError):
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert "SetStreamServiceSettings" not in fake_obs.request_types()


async def test_no_secret_in_any_message_or_log(
    fake_obs: FakeObs, livestream: Livestream, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    password = f"pw-{secrets.token_hex(8)}"
    fake_obs.keep_key = "some-other-key-entirely"
    errors: list[CompanionError] = []
    for attempt in (password, fake_obs.password):
        try:
            await send_to_obs(settings_for(fake_obs), attempt, livestream)
        except CompanionError as error:
            errors.append(error)
    assert [type(e) for e in errors] == [ObsAuthError, ObsVerifyError]
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [caplog.text]
    for text in texts:
        assert livestream.stream_key not in text
        assert password not in text
        assert fake_obs.password not in text


async def test_client_repr_and_stream_service_repr_hide_the_key(fake_obs: FakeObs, livestream):
    await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    async with ObsClient(settings_for(fake_obs), fake_obs.password) as obs:
        service = await obs.stream_service()
    assert service.key == livestream.stream_key
    assert livestream.stream_key not in repr(service)


async def test_start_streaming_only_when_obs_points_here(fake_obs: FakeObs, livestream):
    with pytest.raises(ObsTargetChangedError):
        await start_streaming_in_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert not fake_obs.stream_active
    assert "StartStream" not in fake_obs.request_types()

    await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    await start_streaming_in_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert fake_obs.stream_active

    # Pressing it again while live is harmless.
    await start_streaming_in_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert fake_obs.request_types().count("StartStream") == 1


async def test_obs_comment_quoting_the_key_is_masked(fake_obs: FakeObs, livestream: Livestream):
    fake_obs.fail = {"SetStreamServiceSettings": (400, f"bad key {livestream.stream_key}")}
    with pytest.raises(ObsRequestError) as caught:
        await send_to_obs(settings_for(fake_obs), fake_obs.password, livestream)
    assert livestream.stream_key not in str(caught.value)
    assert "bad key [redacted]" in str(caught.value)
