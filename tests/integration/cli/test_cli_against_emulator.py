"""Every CLI command and every fault, as a user's terminal runs them: a real process, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from app.emulator import FaultKind
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN, NO_PERMISSION_TOKEN

pytestmark = pytest.mark.integration


def run_cli(emulator, *args: str, token: str | None = DEMO_TOKEN, base_url=None, timeout=60):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    env["CLOUDFLARE_API_BASE_URL"] = base_url or emulator.base_url
    if token is not None:
        env["CLOUDFLARE_API_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def ids(account=DEMO_ACCOUNT_ID, app=DEMO_APP_ID):
    return ["--account-id", account, "--app-id", app]


def test_create_prints_labelled_settings(emulator):
    result = run_cli(emulator, "create", *ids(), "--name", "friday-show")
    assert result.returncode == 0, result.stderr
    [stream] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    lines = result.stdout.splitlines()
    assert f"Ingest server: {stream.ingest_server}" in lines
    assert f"Stream key:    {stream.stream_key}" in lines
    assert f"Playback URL:  {stream.playback_url}" in lines


def test_create_json_is_the_parsed_object(emulator):
    result = run_cli(emulator, "create", *ids(), "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    [stream] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert printed["id"] == stream.id
    assert printed["stream_key"] == stream.stream_key
    assert printed["status"] == "INVOKED"
    assert printed["name"] is None


def test_list_shows_every_livestream_newest_first(emulator):
    for name in ("first", "second"):
        assert run_cli(emulator, "create", *ids(), "--name", name).returncode == 0
    listed = run_cli(emulator, "list", *ids(), "--json")
    assert listed.returncode == 0, listed.stderr
    assert [s["name"] for s in json.loads(listed.stdout)] == ["second", "first"]
    text = run_cli(emulator, "list", *ids())
    assert "first" in text.stdout and "second" in text.stdout
    # Human list output never shows stream keys.
    for stream in emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID):
        assert stream.stream_key not in text.stdout


def test_apps_and_verify(emulator):
    apps = run_cli(emulator, "apps", "--account-id", DEMO_ACCOUNT_ID, "--json")
    assert apps.returncode == 0, apps.stderr
    assert DEMO_APP_ID in [a["id"] for a in json.loads(apps.stdout)]
    verify = run_cli(emulator, "verify", "--account-id", DEMO_ACCOUNT_ID)
    assert verify.returncode == 0
    assert "active" in verify.stdout


def test_wrong_token_is_an_auth_error(emulator):
    result = run_cli(emulator, "list", *ids(), token="wrong-token-wrong-token-wrong-token-0000")
    assert result.returncode == 4
    assert "rejected" in result.stderr or "refused" in result.stderr
    assert "wrong-token-wrong-token" not in result.stderr


def test_token_without_realtime_permission_is_named(emulator):
    result = run_cli(emulator, "create", *ids(), token=NO_PERMISSION_TOKEN)
    assert result.returncode == 4
    assert "lacks the Realtime Admin permission" in result.stderr
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


def test_missing_token_says_how_to_store_one(emulator):
    result = run_cli(emulator, "list", *ids(), token=None)
    assert result.returncode == 4
    assert "CLOUDFLARE_API_TOKEN" in result.stderr


def test_invalid_input_sends_nothing(emulator):
    before = len(emulator.requests)
    result = run_cli(emulator, "create", *ids(account="not-an-account"))
    assert result.returncode == 3
    assert "account ID" in result.stderr
    bad_name = run_cli(emulator, "create", *ids(), "--name", "two words")
    assert bad_name.returncode == 3
    assert len(emulator.requests) == before


def test_unknown_app_is_not_found(emulator):
    result = run_cli(emulator, "create", *ids(app="no-such-app"))
    assert result.returncode == 5
    assert "app ID" in result.stderr


def test_rate_limit_with_short_retry_after_is_waited_out(emulator):
    emulator.faults.inject("list", FaultKind.RATE_LIMIT, times=1, retry_after=1)
    result = run_cli(emulator, "list", *ids())
    assert result.returncode == 0, result.stderr


def test_long_rate_limit_is_reported_with_its_wait(emulator):
    emulator.faults.inject("list", FaultKind.RATE_LIMIT, times=10, retry_after=300)
    result = run_cli(emulator, "list", *ids())
    assert result.returncode == 6
    assert "300 s" in result.stderr


def test_persistent_html_5xx_is_a_server_error(emulator):
    emulator.faults.inject("apps", FaultKind.SERVER_ERROR_HTML, times=10)
    result = run_cli(emulator, "apps", "--account-id", DEMO_ACCOUNT_ID)
    assert result.returncode == 8
    assert "Traceback" not in result.stderr


def test_one_5xx_on_a_read_is_retried(emulator):
    emulator.faults.inject("apps", FaultKind.SERVER_ERROR_HTML, times=1)
    assert run_cli(emulator, "apps", "--account-id", DEMO_ACCOUNT_ID).returncode == 0


def test_malformed_json_is_an_invalid_response(emulator):
    emulator.faults.inject("verify", FaultKind.MALFORMED_JSON, times=10)
    result = run_cli(emulator, "verify", "--account-id", DEMO_ACCOUNT_ID)
    assert result.returncode == 9
    assert "Traceback" not in result.stderr


def test_delay_is_survived(emulator):
    emulator.faults.inject("create", FaultKind.DELAY, times=1, delay=1.0)
    assert run_cli(emulator, "create", *ids()).returncode == 0
    assert len(emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)) == 1


def test_dropped_reply_after_create_returns_the_one_livestream(emulator):
    emulator.faults.inject("create", FaultKind.DROP_AFTER, times=1)
    result = run_cli(emulator, "create", *ids(), "--name", "trap", "--json")
    assert result.returncode == 0, result.stderr
    [stream] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert json.loads(result.stdout)["id"] == stream.id


def test_dropped_before_processing_creates_nothing_and_says_so(emulator):
    emulator.faults.inject("create", FaultKind.DROP_BEFORE, times=1)
    result = run_cli(emulator, "create", *ids(), "--name", "gone")
    assert result.returncode == 10
    assert "Recent livestreams" in result.stderr
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


@pytest.mark.parametrize("name", [["--name", "show"], []], ids=["named", "unnamed"])
@pytest.mark.parametrize("fault", [FaultKind.SERVER_ERROR_HTML, FaultKind.DROP_BEFORE])
def test_a_failed_second_create_never_claims_the_first(emulator, name, fault):
    first = run_cli(emulator, "create", *ids(), *name, "--json")
    assert first.returncode == 0, first.stderr
    first_key = json.loads(first.stdout)["stream_key"]
    # Cloudflare fails the second create before processing it: nothing new exists.
    emulator.faults.inject("create", fault, times=1)
    second = run_cli(emulator, "create", *ids(), *name)
    assert second.returncode == 10, second.stderr
    assert first_key not in second.stdout + second.stderr
    assert len(emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)) == 1


def test_a_lost_answer_claims_the_new_livestream_beside_a_same_named_one(emulator):
    first = run_cli(emulator, "create", *ids(), "--name", "show", "--json")
    emulator.faults.inject("create", FaultKind.DROP_AFTER, times=1)
    second = run_cli(emulator, "create", *ids(), "--name", "show", "--json")
    assert second.returncode == 0, second.stderr
    old, new = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert json.loads(first.stdout)["id"] == old.id
    assert json.loads(second.stdout)["id"] == new.id


def test_unreachable_api_is_a_network_error(emulator):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = run_cli(
        emulator,
        "apps",
        "--account-id",
        DEMO_ACCOUNT_ID,
        base_url=f"http://127.0.0.1:{closed_port}/client/v4",
    )
    assert result.returncode == 7
    assert "refused" in result.stderr


def test_debug_log_masks_token_and_key(emulator):
    result = run_cli(emulator, "--debug", "create", *ids(), "--name", "logged")
    assert result.returncode == 0
    [stream] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert "POST /client/v4/accounts/" in result.stderr  # debug logging really ran
    assert DEMO_TOKEN not in result.stderr
    assert stream.stream_key not in result.stderr
