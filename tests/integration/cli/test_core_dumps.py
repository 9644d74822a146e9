"""A running app (a command, and the window) has core dumps off: no dump can hold the token."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

PR_GET_DUMPABLE = 3


def allow_core_dumps() -> None:
    """In the child before exec: core dumps on, so only the app itself can turn them off."""
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    wanted = hard if hard != 0 else resource.RLIM_INFINITY
    resource.setrlimit(resource.RLIMIT_CORE, (wanted, wanted))


def core_limit(pid: int) -> tuple[str, str]:
    limits = Path(f"/proc/{pid}/limits").read_text()
    match = re.search(r"^Max core file size\s+(\S+)\s+(\S+)", limits, re.MULTILINE)
    assert match, limits
    return match.group(1), match.group(2)


def wait_for_zero_core_limit(process: subprocess.Popen, seconds: float = 30) -> tuple[str, str]:
    deadline = time.monotonic() + seconds
    limit = core_limit(process.pid)
    while limit != ("0", "0") and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        limit = core_limit(process.pid)
    return limit


def start(args: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
        preexec_fn=allow_core_dumps,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout:
        process.stdout.close()


def test_a_command_runs_without_core_dumps():
    process = start(["emulator", "--port", "0"])
    try:
        assert process.stdout.readline().startswith(b"RealtimeKit emulator listening")
        assert core_limit(process.pid) == ("0", "0")
    finally:
        stop(process)


def test_the_window_runs_without_core_dumps():
    process = start(["--demo"], QT_QPA_PLATFORM="offscreen")
    try:
        limit = wait_for_zero_core_limit(process)
        time.sleep(2)  # the window is up, and stays so
        assert process.poll() is None, "the window quit"
        assert limit == ("0", "0")
        assert core_limit(process.pid) == ("0", "0")
    finally:
        stop(process)


def test_the_process_is_not_dumpable():
    code = (
        "import ctypes; from app.core.process_hardening import disable_core_dumps; "
        f"libc = ctypes.CDLL(None); before = libc.prctl({PR_GET_DUMPABLE}, 0, 0, 0, 0); "
        f"disable_core_dumps(); print(before, libc.prctl({PR_GET_DUMPABLE}, 0, 0, 0, 0))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.split() == ["1", "0"]
