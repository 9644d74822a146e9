"""The token and the stream key appear nowhere the user did not ask for them.

The command-line flows run with --debug, a recognisable token and the real
Secret Service; then every output, every file the commands wrote and every
command line and environment the OS showed is searched.
"""

from __future__ import annotations

import pytest

from tests.integration.token.cli import run_cli
from tests.integration.token.leaks import cli_places, exposures, files_under

pytestmark = pytest.mark.integration


def test_cli_flows_leak_neither_token_nor_stream_key(cli_env, cli_home, emulated_account):
    account = emulated_account
    token_args = ("--account-id", account.account_id)
    runs = {
        "token set": run_cli(
            "--debug", "token", "set", *token_args, env=cli_env, stdin=account.token
        ),
        "token status": run_cli("--debug", "token", "status", *token_args, env=cli_env),
        "verify": run_cli(
            "--debug",
            "--api-base-url",
            account.emulator.base_url,
            "verify",
            *token_args,
            env=cli_env,
        ),
        "create": run_cli(
            "--debug", *account.cli_args("create", "--name", "leak-check"), env=cli_env
        ),
        "list": run_cli("--debug", *account.cli_args("list"), env=cli_env),
    }
    runs["token forget"] = run_cli("--debug", "token", "forget", *token_args, env=cli_env)
    for name, run in runs.items():
        assert run.returncode == 0, f"{name}: {run.stderr}"

    (livestream,) = account.emulator.livestreams(account.account_id, account.app_id)
    stream_key = livestream.stream_key
    # The searches below can find what they look for: the user asked `create` for the key,
    # and debug logging is on.
    assert stream_key in runs["create"].stdout
    assert livestream.id in runs["list"].stdout
    assert "DEBUG" in runs["create"].stderr or "HTTP Request" in runs["create"].stderr

    token_places: dict[str, str | bytes] = {}
    key_places: dict[str, str | bytes] = {}
    for name, run in runs.items():
        token_places |= cli_places(name, run)
        # The create output prints the key on purpose; everywhere else it must not appear.
        key_places |= cli_places(name, run, skip=["stdout"] if name == "create" else [])
    written = files_under(cli_home)
    token_places |= written
    key_places |= written

    leaks = exposures(token_places, {"token": account.token})
    leaks += exposures(key_places, {"stream key": stream_key})
    assert leaks == []
