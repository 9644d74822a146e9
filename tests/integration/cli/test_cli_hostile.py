"""Every command against a hostile server, as a terminal runs it: real processes, real HTTP.

Each scenario of tests/fixtures/hostile.py runs against every command that reaches the
network, all at once: each must end with its documented exit code and one message line,
with no traceback, no terminal control on the screen, bounded memory (the child's peak
RSS, from the kernel) and bounded time.
"""

from __future__ import annotations

import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID
from tests.fixtures.cli_runs import MAX_SECONDS, check_run, command_env, run_all
from tests.fixtures.hostile import SCENARIOS, HostileServer, Row

pytestmark = pytest.mark.integration

IDS = ["--account-id", DEMO_ACCOUNT_ID, "--app-id", DEMO_APP_ID]
# "{base}" in an argument becomes the hostile server's origin (http://127.0.0.1:PORT).
COMMANDS: dict[str, list[str]] = {
    "create": ["create", *IDS, "--name", "show"],
    "list": ["list", *IDS],
    "apps": ["apps", "--account-id", DEMO_ACCOUNT_ID],
    "verify": ["verify", "--account-id", DEMO_ACCOUNT_ID],
    "obs-send": ["obs-send", *IDS, "--livestream-id", "hostile-id-0001"],
}


@pytest.mark.timeout(MAX_SECONDS + 90)
@pytest.mark.parametrize("row", SCENARIOS, ids=[row.name for row in SCENARIOS])
def test_every_command_against_a_hostile_server(hostile_server: HostileServer, row: Row):
    hostile_server.scenario = row.scenario
    base = hostile_server.base_url
    commands = {
        name: [arg.format(base=base) for arg in args]
        for name, args in COMMANDS.items()
        if row.applies_to(name)
    }
    runs = run_all(commands, command_env(base + "/client/v4"))
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
