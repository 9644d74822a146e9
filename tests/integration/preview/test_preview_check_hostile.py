"""`preview --check` against hostile playlist servers on loopback: bounded, one clear error.

The playlist rows of the hostile-server table, for the preview: a 500 MB playlist and one
trickling a byte a second. (A playlist that redirects off this computer, or lists its
segments there, is tested in a private network namespace: test_player_rule_netns.py.)
Each run is a real process; its peak RSS comes from the kernel.
"""

from __future__ import annotations

import pytest

from tests.fixtures.cli_runs import command_env, run_all
from tests.fixtures.hostile import MIB, HostileServer, Scenario, chunked, endless, trickle

pytestmark = pytest.mark.integration

# A Qt process playing nothing peaks near 130 MB; reading the 500 MB playlist would not fit.
MAX_RSS_MB = 250
CHECK_SECONDS = "40"

PLAYLIST_ROWS: list[tuple[str, Scenario, str, float]] = [
    # name, scenario, the error line holds, ends within (s)
    ("500 MB playlist", chunked("200 OK", endless(500 * MIB)), "far too large", 20.0),
    # Three looks of 5 s each, with a second and two between them.
    ("1 byte/s playlist", trickle, "did not answer in time", 32.0),
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("name", "scenario", "message", "within"), PLAYLIST_ROWS, ids=[r[0] for r in PLAYLIST_ROWS]
)
def test_preview_check_ends_bounded_with_one_clear_error(
    hostile_server: HostileServer, name: str, scenario: Scenario, message: str, within: float
):
    hostile_server.scenario = scenario
    url = f"{hostile_server.base_url}/live/index.m3u8"
    env = command_env(hostile_server.base_url, QT_QPA_PLATFORM="offscreen")
    run = run_all({"preview": ["preview", "--check", CHECK_SECONDS, url]}, env)["preview"]
    assert run.returncode == 1, run.describe()
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], run.describe()
    assert "Traceback" not in run.stderr
    assert run.peak_rss_mb <= MAX_RSS_MB, run.describe()
    assert run.seconds <= within, run.describe()
    assert hostile_server.requests, "the scenario was never reached"
