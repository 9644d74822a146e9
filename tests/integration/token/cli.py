"""Runs the real command line in a subprocess, the way a user's shell would."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[3]
TIMEOUT = 60


@dataclass(frozen=True)
class CliRun:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    # What the OS showed of the process while it ran: any user could have read these.
    proc_cmdline: str
    proc_environ: str


def run_cli(*args: str, env: dict[str, str], stdin: str | None = None) -> CliRun:
    argv = [sys.executable, "-m", "app", *args]
    process = subprocess.Popen(
        argv,
        cwd=REPO_DIR,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Python takes far longer to start than this read, so the process is still alive.
    cmdline = _read_proc(process.pid, "cmdline")
    environ = _read_proc(process.pid, "environ")
    try:
        stdout, stderr = process.communicate(stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return CliRun(argv, process.returncode, stdout, stderr, cmdline, environ)


def _read_proc(pid: int, name: str) -> str:
    try:
        return (
            Path(f"/proc/{pid}/{name}").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def secret_tool_lookup(service: str, account_id: str, env: dict[str, str]) -> str | None:
    """What the Secret Service holds, read by another program than ours."""
    result = _secret_tool("lookup", service, account_id, env)
    return result.stdout if result.returncode == 0 else None


def secret_tool_attributes(service: str, account_id: str, env: dict[str, str]) -> dict[str, str]:
    """The attributes of the stored item, as keychain managers list them."""
    result = _secret_tool("search", service, account_id, env)
    prefix = "attribute."
    return dict(
        line[len(prefix) :].split(" = ", 1)
        for line in (result.stdout + result.stderr).splitlines()
        if line.startswith(prefix)
    )


def _secret_tool(
    action: str, service: str, account_id: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["secret-tool", action, "service", service, "username", account_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
