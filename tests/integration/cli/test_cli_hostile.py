"""Every command against a hostile server, as a terminal runs it: real processes, real HTTP.

Each scenario of tests/fixtures/hostile.py runs against every command that reaches the
network, all at once: each must end with its documented exit code and one message line,
with no traceback, no terminal control on the screen, bounded memory (the child's peak
RSS, from the kernel) and bounded time.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.hostile import FORBIDDEN_OUTPUT, SCENARIOS, HostileServer, Row

pytestmark = pytest.mark.integration

IDS = ["--account-id", DEMO_ACCOUNT_ID, "--app-id", DEMO_APP_ID]
COMMANDS: dict[str, list[str]] = {
    "create": ["create", *IDS, "--name", "show"],
    "list": ["list", *IDS],
    "apps": ["apps", "--account-id", DEMO_ACCOUNT_ID],
    "verify": ["verify", "--account-id", DEMO_ACCOUNT_ID],
    "obs-send": ["obs-send", *IDS, "--livestream-id", "hostile-id-0001"],
}
# A plain command run peaks near 60 MB; an unbounded read of these answers takes gigabytes.
MAX_RSS_MB = 150
# The slowest documented path: a read retried until the operation's 40 s bound.
MAX_SECONDS = 75


@dataclass(frozen=True)
class Run:
    command: str
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float

    def describe(self) -> str:
        return (
            f"{self.command}: exit {self.returncode}, {self.peak_rss_mb:.0f} MB, "
            f"{self.seconds:.1f} s\nstdout={self.stdout[-600:]!r}\nstderr={self.stderr[-600:]!r}"
        )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command_env(base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDFLARE_", "OBS_"))}
    env.update(
        CLOUDFLARE_API_BASE_URL=base_url,
        CLOUDFLARE_API_TOKEN=DEMO_TOKEN,
        # Nothing listens there: obs-send fails at OBS, never at the keyring.
        OBS_WEBSOCKET_URL=f"ws://127.0.0.1:{closed_port()}",
        OBS_WEBSOCKET_PASSWORD="not-a-real-password",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run_all(
    commands: dict[str, list[str]], env: dict[str, str], stdin: bytes | None = None
) -> dict[str, Run]:
    """Starts every command at once and reaps each with wait4, which gives its own peak RSS."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        processes = {}
        for name, args in commands.items():
            stdin_file = None
            if stdin is not None:
                stdin_file = Path(folder, f"{name}.in")
                stdin_file.write_bytes(stdin)
            with contextlib.ExitStack() as files:
                processes[name] = subprocess.Popen(
                    [sys.executable, "-m", "app", *args],
                    stdin=files.enter_context(stdin_file.open("rb"))
                    if stdin_file
                    else subprocess.DEVNULL,
                    stdout=files.enter_context(Path(folder, f"{name}.out").open("wb")),
                    stderr=files.enter_context(Path(folder, f"{name}.err").open("wb")),
                    env=env,
                )
        return {
            name: _reap(name, process, started, Path(folder))
            for name, process in processes.items()
        }


def _reap(name: str, process: subprocess.Popen, started: float, folder: Path) -> Run:
    deadline = started + MAX_SECONDS + 30
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        name,
        process.returncode,
        Path(folder, f"{name}.out").read_text("utf-8", "replace"),
        Path(folder, f"{name}.err").read_text("utf-8", "replace"),
        usage.ru_maxrss / 1024,  # kilobytes on Linux
        time.monotonic() - started,
    )


def check_run(run: Run, expected_exit: int, message: str = "") -> list[str]:
    """What went wrong with one run (empty when it behaved)."""
    problems = []
    if run.returncode != expected_exit:
        problems.append(f"exit {run.returncode}, expected {expected_exit}")
    output = run.stdout + run.stderr
    if "Traceback" in output:
        problems.append("a traceback")
    if any(char in output for char in FORBIDDEN_OUTPUT):
        problems.append("terminal control in the output")
    if expected_exit != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        if len(lines) != 1 or not lines[0].startswith("error: "):
            problems.append(f"{len(lines)} lines on stderr, expected one 'error:' line")
        elif message and message not in lines[0]:
            problems.append(f"the message lacks {message!r}")
    if run.peak_rss_mb > MAX_RSS_MB:
        problems.append(f"peak RSS {run.peak_rss_mb:.0f} MB > {MAX_RSS_MB} MB")
    if run.seconds > MAX_SECONDS:
        problems.append(f"{run.seconds:.0f} s > {MAX_SECONDS} s")
    return problems


@pytest.mark.timeout(MAX_SECONDS + 90)
@pytest.mark.parametrize("row", SCENARIOS, ids=[row.name for row in SCENARIOS])
def test_every_command_against_a_hostile_server(hostile_server: HostileServer, row: Row):
    hostile_server.scenario = row.scenario
    runs = run_all(COMMANDS, command_env(hostile_server.base_url + "/client/v4"))
    failures = {
        name: problems
        for name, run in runs.items()
        if (problems := check_run(run, row.exit_code_for(name), row.message))
    }
    assert not failures, "\n".join(
        f"{problems}\n{runs[name].describe()}" for name, problems in failures.items()
    )
    assert hostile_server.requests, "the scenario was never reached"
    for request in hostile_server.requests:
        assert request.headers.get("host") == hostile_server.base_url.removeprefix("http://")
