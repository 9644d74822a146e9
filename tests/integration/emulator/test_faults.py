"""Every injected fault, seen from a real HTTP client."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from app.emulator import Emulator, FaultKind
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID
from tests.fixtures.emulator import livestreams_path

pytestmark = pytest.mark.integration


def held(emulator: Emulator) -> int:
    return len(emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID))


def test_rate_limit_answers_429_with_retry_after_and_code_971(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("create", FaultKind.RATE_LIMIT, retry_after=7)

    limited = emulator_http.post(livestreams_path(), json={})

    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    body = limited.json()
    assert body["success"] is False
    assert body["errors"][0]["code"] == 971
    assert body["result"] is None
    assert held(emulator) == 0  # refused before processing
    assert emulator_http.post(livestreams_path(), json={}).status_code == 201


@pytest.mark.parametrize("status", [None, 503])
def test_server_error_html_is_an_edge_page(
    emulator: Emulator, emulator_http: httpx.Client, status: int | None
) -> None:
    emulator.faults.inject("list", FaultKind.SERVER_ERROR_HTML, status=status)

    response = emulator_http.get(livestreams_path())

    assert response.status_code == (status or 502)
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert emulator_http.get(livestreams_path()).status_code == 200


def test_malformed_json_keeps_the_status_and_still_creates(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("create", FaultKind.MALFORMED_JSON)

    response = emulator_http.post(livestreams_path(), json={"name": "garbled"})

    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert held(emulator) == 1


def test_delay_answers_normally_after_the_delay(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("apps", FaultKind.DELAY, delay=0.4)
    path = f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/apps"

    started = time.monotonic()
    response = emulator_http.get(path)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json()["data"][0]["id"] == DEMO_APP_ID
    assert elapsed >= 0.4
    started = time.monotonic()
    emulator_http.get(path)
    assert time.monotonic() - started < 0.4


def test_delayed_create_is_already_created_when_the_client_gives_up(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("create", FaultKind.DELAY, delay=2)

    with pytest.raises(httpx.ReadTimeout):
        emulator_http.post(livestreams_path(), json={"name": "slow"}, timeout=0.3)

    assert [s.name for s in emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)] == ["slow"]


def test_drop_before_closes_without_processing(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("create", FaultKind.DROP_BEFORE)

    with pytest.raises(httpx.RemoteProtocolError):
        emulator_http.post(livestreams_path(), json={"name": "never"})

    assert held(emulator) == 0


def test_drop_after_creates_exactly_one_livestream_and_drops_the_reply(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("create", FaultKind.DROP_AFTER)

    with pytest.raises(httpx.RemoteProtocolError):
        emulator_http.post(livestreams_path(), json={"name": "trap"})

    livestreams = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert [s.name for s in livestreams] == ["trap"]
    listed = emulator_http.get(livestreams_path()).json()["data"]
    assert [item["id"] for item in listed] == [livestreams[0].id]
    creates = [r for r in emulator.requests if r.endpoint == "create"]
    assert [r.fault for r in creates] == [FaultKind.DROP_AFTER]


def test_skip_and_times_pick_the_affected_requests(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("list", FaultKind.RATE_LIMIT, times=2, skip=1)

    statuses = [emulator_http.get(livestreams_path()).status_code for _ in range(4)]

    assert statuses == [200, 429, 429, 200]
    assert emulator.faults.pending() == 0


def test_faults_only_touch_their_endpoint(emulator: Emulator, emulator_http: httpx.Client) -> None:
    emulator.faults.inject("get", FaultKind.RATE_LIMIT)

    assert emulator_http.get(livestreams_path()).status_code == 200
    assert emulator_http.post(livestreams_path(), json={}).status_code == 201
    assert emulator.faults.pending() == 1


def test_rate_limit_comes_before_the_token_check(emulator: Emulator) -> None:
    emulator.faults.inject("verify", FaultKind.RATE_LIMIT)
    response = httpx.get(
        f"{emulator.base_url}/accounts/{DEMO_ACCOUNT_ID}/tokens/verify",
        headers={"Authorization": "Bearer wrong"},
    )
    assert response.status_code == 429


def test_connection_drops_after_a_fault_leave_the_server_serving(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    emulator.faults.inject("list", FaultKind.DROP_BEFORE, times=3)
    for _ in range(3):
        with pytest.raises(httpx.RemoteProtocolError):
            emulator_http.get(livestreams_path())
    assert emulator_http.get(livestreams_path()).status_code == 200


def test_stop_interrupts_a_pending_delay(make_emulator) -> None:
    emulator = make_emulator()
    emulator.faults.inject("apps", FaultKind.DELAY, delay=30)
    with httpx.Client(timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
        client.get(f"{emulator.base_url}/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/apps")
    started = time.monotonic()
    emulator.stop()
    assert time.monotonic() - started < 2
