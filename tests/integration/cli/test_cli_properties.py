"""Property tests of the command line's argument handling, in process against the emulator:
whatever is typed, a command ends with a documented exit code and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.cli_runs import closed_port

pytestmark = pytest.mark.integration

IDS = ["--account-id", DEMO_ACCOUNT_ID, "--app-id", DEMO_APP_ID]
FIXTURES_ONCE = settings(
    max_examples=40,
    deadline=None,  # real HTTP to the emulator
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Text an argv can hold (no NUL), from odd to ordinary.
ARGUMENT = st.text(st.characters(blacklist_characters="\x00"), max_size=40) | st.from_regex(
    r"-?[0-9]{1,25}(\.[0-9]+)?|nan|inf|-inf|1e23", fullmatch=True
)


@pytest.fixture
def cli(emulator, monkeypatch, capsys):
    # In process: the test runner itself must keep its core limit (other tests raise it).
    monkeypatch.setattr("app.cli.disable_core_dumps", lambda: None)
    monkeypatch.setenv("CLOUDFLARE_API_BASE_URL", emulator.base_url)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("OBS_WEBSOCKET_URL", f"ws://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("OBS_WEBSOCKET_PASSWORD", "not-a-real-password")

    def run(*argv: str) -> tuple[int, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's own refusals
            code = exit_.code
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


@FIXTURES_ONCE
@given(page=ARGUMENT, per_page=ARGUMENT, status=ARGUMENT)
def test_list_arguments(cli, page, per_page, status):
    code, output = cli("list", *IDS, "--page", page, "--per-page", per_page, "--status", status)
    assert code in {0, 2, 3}, output
    assert "Traceback" not in output


@FIXTURES_ONCE
@given(scheme=st.sampled_from(["http", "https"]), rest=ARGUMENT)
def test_api_base_url(cli, emulator, scheme, rest):
    # Always this machine's emulator, whatever follows the port: nothing else is ever reached.
    base_url = f"{scheme}://127.0.0.1:{emulator.port}{rest}"
    code, output = cli("--api-base-url", base_url, "apps", "--account-id", DEMO_ACCOUNT_ID)
    # 3 for a refused address; 7 for TLS to the plain-HTTP emulator; 0/5 from the emulator.
    assert code in {0, 2, 3, 5, 7}, output
    assert "Traceback" not in output


@FIXTURES_ONCE
@given(name=ARGUMENT, livestream_id=ARGUMENT)
def test_create_names_and_livestream_ids(cli, name, livestream_id):
    code, output = cli("create", *IDS, "--name", name)
    assert code in {0, 2, 3}, output
    code, output = cli("obs-send", *IDS, "--livestream-id", livestream_id)
    assert code in {2, 3, 5, 20}, output
    assert "Traceback" not in output
