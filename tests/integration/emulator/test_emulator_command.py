"""`livestream-companion emulator` as a user runs it: a real process, real signals, real HTTP."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "app", "emulator", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_banner(process: subprocess.Popen[str]) -> str:
    lines: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Ctrl-C" in line:
            return "".join(lines)
    process.kill()
    raise AssertionError(f"no banner; got {''.join(lines)!r}, stderr {process.stderr.read()!r}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serves_until_signalled_then_exits_cleanly(stop_signal: signal.Signals) -> None:
    process = start("--live-after", "1.5")
    try:
        banner = read_banner(process)
        base_url = re.search(r"listening on (http://127\.0\.0\.1:\d+/client/v4)", banner).group(1)
        assert DEMO_ACCOUNT_ID in banner
        assert DEMO_APP_ID in banner
        assert f"CLOUDFLARE_API_BASE_URL={base_url}" in banner
        assert f"CLOUDFLARE_API_TOKEN={DEMO_TOKEN}" in banner
        assert "not a secret" in banner

        verified = httpx.get(
            f"{base_url}/accounts/{DEMO_ACCOUNT_ID}/tokens/verify",
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        )
        assert verified.json()["result"]["status"] == "active"

        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Emulator stopped." in out
    assert "Traceback" not in err
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url)


def test_chosen_port_is_used() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = start("--port", str(port))
    try:
        assert f"http://127.0.0.1:{port}/client/v4" in read_banner(process)
        process.terminate()
        process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_busy_port_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app", "emulator", "--port", str(port)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--port", "70000"], ["--live-after", "-1"]])
def test_bad_arguments_are_refused(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "emulator", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr


def test_demo_history_gives_usage_to_show() -> None:
    process = start("--demo-history")
    try:
        banner = read_banner(process)
        base_url = re.search(r"listening on (http://127\.0\.0\.1:\d+/client/v4)", banner).group(1)
        usage = subprocess.run(
            [sys.executable, "-m", "app", "usage", "--account-id", DEMO_ACCOUNT_ID,
             "--app-id", DEMO_APP_ID, "--days", "90", "--json"],
            cwd=REPO,
            env={"PATH": "/usr/bin:/bin", "CLOUDFLARE_API_BASE_URL": base_url,
                 "CLOUDFLARE_API_TOKEN": DEMO_TOKEN},
            capture_output=True,
            text=True,
            timeout=30,
        )  # fmt: skip
        assert usage.returncode == 0, usage.stderr
        days = json.loads(usage.stdout)["days"]
        assert len(days) == 90
        assert sum(1 for day in days if day["ingest_seconds"] > 0) >= 10
    finally:
        process.terminate()
        process.communicate(timeout=10)  # and closes its pipes
