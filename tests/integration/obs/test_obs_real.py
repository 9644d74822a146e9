"""Send to OBS against a real OBS Studio, with nothing leaving the machine.

OBS's websocket server binds every interface and OBS reaches for the internet
at start-up, so OBS, the RTMP ingest and every client run inside a network
namespace that holds only loopback. pytest itself runs outside it, so the
scenarios (`obs_scenarios.py`) run as one pytest session in there, and each of
them is reported here as a test of its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures.obs import (
    missing_tools,
    private_network_problem,
    python_command,
    run_in_private_network,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

SCENARIOS_FILE = Path(__file__).with_name("obs_scenarios.py")
REPO_ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = (
    "test_send_from_core_is_read_back_by_another_client",
    "test_wrong_password_changes_nothing",
    "test_obs_not_running",
    "test_cli_obs_send",
    "test_send_from_the_window",
    "test_live_obs_refuses_and_keeps_its_target",
    "test_the_watcher_sees_a_stream_started_by_another_client",
)
RUN_TIMEOUT = 420.0


@dataclass(frozen=True)
class Outcome:
    result: str  # passed, failed, error or skipped
    detail: str


@dataclass(frozen=True)
class ScenarioRun:
    outcomes: dict[str, Outcome]
    returncode: int
    output: str


@pytest.fixture(scope="module")
def scenario_run(tmp_path_factory) -> ScenarioRun:
    missing = missing_tools(
        "obs", "Xvfb", "nginx", "dbus-run-session", "gnome-keyring-daemon", "secret-tool"
    )
    if missing:
        pytest.skip(f"missing {', '.join(missing)} (scripts/install.sh test installs them)")
    problem = private_network_problem()
    if problem:
        pytest.skip(f"no private network namespace: {problem}")
    run_dir = tmp_path_factory.mktemp("obs-run")
    junit = run_dir / "scenarios.xml"
    completed = run_in_private_network(
        python_command(
            "-m",
            "pytest",
            str(SCENARIOS_FILE),
            "-p",
            "no:cacheprovider",
            "-q",
            "-s",
            f"--junitxml={junit}",
            f"--basetemp={run_dir / 'tmp'}",
        ),
        timeout=RUN_TIMEOUT,
        cwd=REPO_ROOT,
    )
    output = f"{completed.stdout}\n{completed.stderr}"
    outcomes = _read_junit(junit) if junit.exists() else {}
    return ScenarioRun(outcomes, completed.returncode, output[-6000:])


def _read_junit(path: Path) -> dict[str, Outcome]:
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        result, detail = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                result = {"failure": "failed"}.get(kind, kind)
                detail = f"{element.get('message', '')}\n{element.text or ''}"
                break
        # A fixture error at teardown adds a second entry for the same test: keep the worst.
        name = case.get("name", "")
        if name not in outcomes or outcomes[name].result == "passed":
            outcomes[name] = Outcome(result, detail)
    return outcomes


def test_every_scenario_ran(scenario_run: ScenarioRun):
    assert set(scenario_run.outcomes) == set(SCENARIOS), scenario_run.output
    assert scenario_run.returncode == 0, scenario_run.output


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_real_obs(scenario_run: ScenarioRun, scenario: str):
    outcome = scenario_run.outcomes.get(scenario)
    assert outcome is not None, f"{scenario} did not run\n{scenario_run.output}"
    assert outcome.result == "passed", f"{outcome.result}: {outcome.detail}"
