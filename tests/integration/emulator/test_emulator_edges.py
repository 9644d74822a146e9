"""The emulator answers only requests addressed to it, and every method in JSON."""

from __future__ import annotations

import http.client

import httpx
import pytest

from app.emulator import Emulator
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def raw_request(emulator: Emulator, method: str, path: str, host: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{emulator.port}")
        for name, value in AUTH.items():
            connection.putheader(name, value)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", "2")
        connection.endheaders(b"{}")
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    ["attacker.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.attacker.example:{port}"],
)
def test_requests_for_another_host_are_refused_and_change_nothing(emulator, host):
    path = "/client/v4" + livestreams_path()
    status, headers, body = raw_request(emulator, "POST", path, host.format(port=emulator.port))
    assert status == 421
    assert headers["Content-Type"].startswith("application/json")
    assert f"127.0.0.1:{emulator.port}".encode() in body  # says which address it answers
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_its_own_addresses_are_served(emulator, host):
    path = "/client/v4" + livestreams_path()
    status, _, _ = raw_request(emulator, "POST", path, host.format(port=emulator.port))
    assert status == 201
    assert len(emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)) == 1


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/client/v4" + livestreams_path(), "GET, POST"),
        ("TRACE", "/client/v4" + livestreams_path(), "GET, POST"),
        ("BREW", "/hls/x/manifest/video.m3u8", "GET, HEAD"),
        ("DELETE", "/client/v4" + livestreams_path(), "GET, POST"),
        ("PUT", "/hls/x/manifest/video.m3u8", "GET, HEAD"),
    ],
)
def test_unsupported_methods_get_a_json_405_with_allow(emulator, method, path, allow):
    status, headers, body = raw_request(emulator, method, path)
    assert status == 405
    assert headers["Allow"] == allow
    assert headers["Content-Type"].startswith("application/json")
    assert httpx.Response(405, content=body).json()["success"] is False
    assert b"<html" not in body.lower()
