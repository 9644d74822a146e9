"""The player fetches only checked addresses, proved in a private network namespace.

Inside a namespace this test makes (as the OBS tests do: `unshare --net`, loopback up), a
test host 10.99.0.1 on a dummy interface runs a sink that counts connections. Playlists on
loopback redirect there, or list their segments there; `preview --check` on each must end
with the clear error and the sink must have received nothing. Nothing here reaches any
address outside that namespace.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.fixtures.obs import private_network_problem, run_in_private_network

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("netns_player_rule.py")
REFUSED = "error: The stream names an address the app will not fetch: http://10.99.0.1"


@pytest.fixture(scope="module")
def results() -> dict:
    problem = private_network_problem()
    if problem is not None:
        pytest.skip(f"no private network namespace here: {problem}")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = run_in_private_network([sys.executable, str(SCRIPT)], timeout=240, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(300)
@pytest.mark.parametrize("case", ["redirect", "segments"])
def test_the_preview_refuses_content_elsewhere_with_a_clear_error(results: dict, case: str):
    run = results[case]
    assert run["exit"] == 1, run["stderr"][-2000:]
    assert REFUSED in run["stderr"], run["stderr"][-2000:]
    assert "Traceback" not in run["stderr"]
    assert run["seconds"] < 15, "the refusal should be immediate, not a timeout"


@pytest.mark.timeout(300)
def test_the_test_host_received_nothing_and_would_have_noticed(results: dict):
    assert results["sink_before_control"] == 0
    # The control connection made at the end shows the sink counts what reaches it.
    assert results["sink_after_control"] == 1
