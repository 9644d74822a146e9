"""`token set|status|forget` when no keyring can hold the token, and the hidden prompt."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.errors import AuthError, SecretStoreError
from tests.integration.token.cli import REPO_DIR, run_cli
from tests.integration.token.leaks import exposures, files_under
from tests.unit.token.accounts import ACCOUNT_ID

UNUSABLE_BACKENDS = {
    "keyring.backends.fail.Keyring": "no supported keychain was found",
    "keyring.backends.null.Keyring": "null backend",
    "tests.fixtures.keyring.PlaintextFileKeyring": "keeps secrets in a file",
}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    cleared = ("CLOUDFLARE_API_TOKEN", "PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")
    environ = {k: v for k, v in os.environ.items() if k not in cleared}
    return {**environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


@pytest.mark.parametrize(("backend", "reason"), UNUSABLE_BACKENDS.items())
def test_without_a_usable_keyring_nothing_is_saved(env, backend, reason, token):
    env["PYTHON_KEYRING_BACKEND"] = backend
    saved = run_cli("token", "set", "--account-id", ACCOUNT_ID, env=env, stdin=token)
    assert saved.returncode == SecretStoreError.exit_code
    assert "No keyring available: not saved." in saved.stderr

    status = run_cli("token", "status", "--account-id", ACCOUNT_ID, env=env)
    assert status.returncode == AuthError.exit_code
    assert status.stdout.startswith("No keyring available (")
    assert reason in status.stdout
    assert "no keyring to store one" in status.stderr

    forgot = run_cli("token", "forget", "--account-id", ACCOUNT_ID, env=env)
    assert forgot.returncode == 0
    assert "nothing to forget" in forgot.stdout

    verify = run_cli("verify", "--account-id", ACCOUNT_ID, env=env)
    assert verify.returncode == AuthError.exit_code
    assert "set CLOUDFLARE_API_TOKEN (no keyring to store one" in verify.stderr

    assert exposures(files_under(Path(env["HOME"])), {"token": token}) == []


def test_the_token_is_never_an_argument(env, token):
    run = run_cli("token", "set", "--account-id", ACCOUNT_ID, token, env=env, stdin=token)
    assert run.returncode == 2
    assert "unrecognized arguments" in run.stderr


def test_prompt_reads_the_token_without_echoing_it(env, token):
    """On a terminal, `token set` asks for the token and the terminal does not show it."""
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the CLI on a terminal of its own
        try:
            os.chdir(REPO_DIR)
            os.execve(
                sys.executable,
                [sys.executable, "-m", "app", "token", "set", "--account-id", ACCOUNT_ID],
                env,
            )
        finally:
            os._exit(127)  # never return into the test runner
    try:
        shown = _read_until(terminal, b"typing is hidden")
        os.write(terminal, token.encode() + b"\n")
        shown += _read_until(terminal, b"not saved")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(terminal)
    assert b"Cloudflare API token" in shown
    assert b"No keyring available: not saved." in shown  # the token was read and refused
    assert token.encode() not in shown
    assert os.waitstatus_to_exitcode(status) == SecretStoreError.exit_code


def _read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            data += chunk
    return data


def test_empty_prompt_answer_is_refused(env):
    run = subprocess.run(
        [sys.executable, "-m", "app", "token", "set", "--account-id", ACCOUNT_ID],
        cwd=REPO_DIR,
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 3
    assert "The token is empty" in run.stderr
